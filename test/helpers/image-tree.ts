import { execFileSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { copyOf, type Stage } from './dockerfile';

/** A Dockerfile stage laid out on disk: `root` stands for the image's `/`. */
export interface StageTree {
  name: string;
  root: string;
  env: Record<string, string>;
}

export interface ImageTreeOptions {
  /** The build context (the repository). */
  context: string;
  /** Scratch directory: one root per stage under it. */
  dir: string;
  /**
   * Stages not run but taken as built: what their RUN steps make is already in the context (e.g. dist/ of
   * `npm run build`, which `npm test` runs before mocha), copied from there into the stage's WORKDIR.
   */
  prebuilt?: Record<string, string[]>;
}

/** Absolute image paths that a RUN step names, moved under the stage's root (the image's /app, /usr/local/bin). */
const IMAGE_PATH = /(^|[\s=])(\/(?:app|usr\/local\/bin)\b)/g;

/**
 * The file tree of each stage of a Dockerfile, made the way Docker makes it, without Docker: WORKDIR, COPY (from
 * the context or an earlier stage) and RUN (bash, in the WORKDIR, with absolute image paths under the stage's
 * root), ENV recorded. The base image's own files are not there: the tree holds only what the Dockerfile adds,
 * so a program started from it finds nothing the image would not have (the machine's node aside).
 */
export function buildImageTree(stages: Stage[], options: ImageTreeOptions): StageTree[] {
  const trees: StageTree[] = [];
  stages.forEach((stage, i) => {
    const name = stage.name ?? `stage-${i}`;
    const root = join(options.dir, name);
    mkdirSync(join(root, 'usr/local/bin'), { recursive: true });
    const tree: StageTree = { name, root, env: {} };
    let workdir = '/';
    const at = (path: string) => join(root, posix.resolve(workdir, path));
    const prebuilt = options.prebuilt?.[name];
    for (const instruction of stage.instructions) {
      const { keyword, args } = instruction;
      if (keyword === 'WORKDIR') {
        workdir = posix.resolve(workdir, args);
        mkdirSync(join(root, workdir), { recursive: true });
      } else if (keyword === 'ENV') {
        for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g)) tree.env[k as string] = v as string;
      } else if (keyword === 'COPY') {
        const { from, sources, dest } = copyOf(instruction);
        const source = from === undefined ? options.context : trees.find((t) => t.name === from)?.root;
        if (!source) throw new Error(`line ${instruction.line}: no stage ${from}`);
        for (const s of sources) {
          const path = join(source, s);
          const target =
            dest.endsWith('/') || sources.length > 1 ? join(at(dest), posix.basename(s)) : at(dest);
          mkdirSync(dirname(target), { recursive: true });
          cpSync(path, target, { recursive: true, verbatimSymlinks: true });
        }
      } else if (keyword === 'RUN') {
        if (prebuilt) continue;
        execFileSync(
          'bash',
          ['-euo', 'pipefail', '-c', args.replace(IMAGE_PATH, (_m, pre, p) => pre + root + p)],
          {
            cwd: join(root, workdir),
            env: { ...process.env, ...tree.env },
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
      }
    }
    for (const path of prebuilt ?? [])
      cpSync(join(options.context, path), join(root, workdir, path), { recursive: true });
    trees.push(tree);
  });
  return trees;
}

/** Bytes of the files under `path`, symlinks counted as links (as an image layer stores them). */
export function treeBytes(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + treeBytes(join(path, name)), 0);
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Dockerfile instructions by stage: comments dropped, `\` continuations joined (enough for a linter). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i] as string;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length)
      line = line.slice(0, -1) + ' ' + (lines[++i] as string).trim();
    const [, keyword = '', args = ''] = /^\s*(\w+)\s*(.*)$/.exec(line) ?? [];
    const instruction = { keyword: keyword.toUpperCase(), args: args.trim(), line: start + 1 };
    if (instruction.keyword === 'FROM') {
      const [, from = '', name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(instruction.args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

/** A COPY's `--from` stage (undefined: the build context), its sources and its destination. */
export function copyOf(i: Instruction): { from: string | undefined; sources: string[]; dest: string } {
  const words = i.args.split(/\s+/);
  const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((w) => !w.startsWith('--'));
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1) as string };
}

/** The exec-form (`["a", "b"]`) or shell-form command of CMD, ENTRYPOINT or HEALTHCHECK CMD, as words. */
export function commandWords(args: string): string[] {
  const text = args.replace(/^(--\S+\s+)*(CMD\s+)?/, '');
  return text.startsWith('[') ? (JSON.parse(text) as string[]) : text.split(/\s+/);
}

/**
 * Does a .dockerignore exclude `path`? Docker's rules, simplified to what this repository uses: patterns are
 * relative to the context root, `*` matches within one path segment, `**` across segments, `!` re-includes,
 * and a pattern that matches a directory excludes what is under it.
 */
export function dockerIgnores(patterns: string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const regex = new RegExp(
      `^${pattern
        .split('**')
        .map((part) =>
          part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
        )
        .join('.*')}(/.*)?$`,
    );
    if (regex.test(path)) ignored = !negate;
  }
  return ignored;
}

/** .dockerignore lines that are patterns (no comments or blanks). */
export function dockerignorePatterns(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * What is wrong with a Dockerfile for slackline: one image holding both CLIs, built from a clean checkout.
 * `produced` are paths `npm run build` creates (they need not exist in the repository).
 */
export function dockerfileProblems(
  stages: Stage[],
  root: string,
  ignore: string[],
  produced: string[],
): string[] {
  const problems: string[] = [];
  if (stages.length < 2) problems.push('single stage: the runtime image would carry the dev dependencies');
  const names = stages.map((s) => s.name);
  for (const stage of stages) {
    for (const i of stage.instructions.filter((x) => x.keyword === 'COPY' || x.keyword === 'ADD')) {
      const { from, sources } = copyOf(i);
      if (from !== undefined) {
        if (!names.includes(from)) problems.push(`line ${i.line}: --from=${from} is no stage of this file`);
        continue;
      }
      for (const source of sources) {
        const path = source.replace(/^\.\//, '').replace(/\/$/, '');
        if (!existsSync(join(root, path)) && !produced.includes(path))
          problems.push(`line ${i.line}: COPY ${source}: not in the repository`);
        else if (dockerIgnores(ignore, path))
          problems.push(`line ${i.line}: COPY ${source}: excluded by .dockerignore`);
      }
    }
  }
  const runtime = stages.at(-1);
  if (!runtime) return [...problems, 'no FROM'];
  const user = runtime.instructions
    .filter((i) => i.keyword === 'USER')
    .at(-1)
    ?.args.split(':')[0];
  if (!user || user === 'root' || user === '0')
    problems.push('the runtime stage runs as root (no USER, or USER root)');
  else if (!/^\d+$/.test(user))
    problems.push(`USER ${user}: use a number, so Kubernetes' runAsNonRoot can check it`);
  if (!/^node:24(\.[\d.]+)?-slim@/.test(runtime.from))
    problems.push(`runtime base ${runtime.from} is not node:24 slim (Node 24 LTS; Task steps need bash)`);
  // Every base by digest, with the tag it was taken from beside it for the next person to move it.
  for (const stage of stages)
    if (!/^[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/.test(stage.from))
      problems.push(`FROM ${stage.from}: pin it by digest, tag beside it (name:tag@sha256:<64 hex>)`);
  if (!runtime.instructions.some((i) => i.keyword === 'HEALTHCHECK' && i.args.includes('/healthz')))
    problems.push('no HEALTHCHECK on /healthz');
  if (!runtime.instructions.some((i) => i.keyword === 'EXPOSE')) problems.push('no EXPOSE');
  return problems;
}

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join, posix, resolve } from 'node:path';
import {
  commandWords,
  copyOf,
  dockerfileProblems,
  dockerIgnores,
  dockerignorePatterns,
  parseDockerfile,
} from '../helpers/dockerfile';

const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const ignore = dockerignorePatterns(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
const buildScript: string = pkg.scripts.build;
// What `npm run build` writes: dist/<entry name>.js for each esbuild entry point.
const outdir = /--outdir=(\S+)/.exec(buildScript)?.[1] as string;
const produced = [
  outdir,
  ...[...buildScript.matchAll(/\bsrc\/\S+\.ts\b/g)].map((m) => `${outdir}/${basename(m[0], '.ts')}.js`),
];
const runs = (stage: (typeof stages)[number]) =>
  stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);

describe('Dockerfile', function () {
  const runtime = stages.at(-1) as (typeof stages)[number];

  it('copies only what the repository has or the build produces, and nothing .dockerignore leaves out', function () {
    assert.deepEqual(dockerfileProblems(stages, ROOT, ignore, produced), []);
  });

  it('builds with npm ci and the build script of package.json', function () {
    const builder = stages.find((s) =>
      runs(s).some((r) => r.includes('npm run build') || r.includes(buildScript)),
    );
    assert.ok(builder, 'a stage runs npm run build');
    const commands = runs(builder);
    const ci = commands.findIndex((r) => /\bnpm ci\b/.test(r) && !/--omit=dev|--production/.test(r));
    assert.ok(
      ci >= 0 && ci < commands.findIndex((r) => r.includes('build')),
      'npm ci (all deps) before the build',
    );
    assert.deepEqual(
      produced.slice(1).sort(),
      Object.values(pkg.bin).map(String).sort(),
      'the build makes the bins',
    );
  });

  it('ships production dependencies only, which hold every module the bundles leave external', function () {
    const deps = stages.find((s) => runs(s).some((r) => /\bnpm ci\b.*--omit=dev/.test(r)));
    assert.ok(deps?.name, 'a stage installs production dependencies with npm ci --omit=dev');
    const copied = runtime.instructions.filter((i) => i.keyword === 'COPY').map(copyOf);
    assert.ok(copied.some((c) => c.from === deps.name && c.sources.some((s) => s.endsWith('node_modules'))));
    assert.ok(!copied.some((c) => c.from !== deps.name && c.sources.some((s) => s.endsWith('node_modules'))));
    const externals = [...buildScript.matchAll(/--external:(\S+)/g)].map((m) => m[1] as string);
    assert.deepEqual(externals.sort(), ['ioredis', 'nunjucks', 'undici']);
    for (const name of externals) assert.ok(pkg.dependencies[name], `${name} is a production dependency`);
    // The rest of the production dependencies are in the bundles: the stage prunes them after npm ci.
    const install = runs(deps).find((r) => /\bnpm ci\b.*--omit=dev/.test(r)) as string;
    assert.match(install, /npm ci[^&]*&& node scripts\/prune-runtime-deps\.mjs/);
  });

  it("puts package.json's bins on PATH under their names, and starts the gateway", function () {
    const workdir = runtime.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args as string;
    const links = new Map(
      runs(runtime).flatMap((r) =>
        [...r.matchAll(/ln -s (\S+) (\S+)/g)].map((m) => [m[2] as string, m[1] as string]),
      ),
    );
    for (const [name, path] of Object.entries(pkg.bin)) {
      assert.equal(links.get(`/usr/local/bin/${name}`), posix.join(workdir, String(path)), `${name} on PATH`);
    }
    const copiesDist = runtime.instructions.some(
      (i) => i.keyword === 'COPY' && copyOf(i).sources.includes(`/app/${outdir}`),
    );
    assert.ok(copiesDist, 'the runtime stage has the bundles');
    const cmd = runtime.instructions.find((i) => i.keyword === 'CMD');
    assert.deepEqual(commandWords(cmd?.args ?? ''), ['slackline', 'serve']);
  });

  it('runs as a numeric non-root user, checks its health on /healthz without curl', function () {
    const health = runtime.instructions.find((i) => i.keyword === 'HEALTHCHECK');
    const words = commandWords(health?.args ?? '');
    assert.equal(words[0], 'node', 'node -e fetch(…): the slim image has no curl');
    assert.match(words.join(' '), /\/healthz/);
  });

  it('keeps local build output, dependencies and git out of the build context', function () {
    for (const path of ['node_modules', 'dist', '.git', 'node_modules/x/y.js', 'README.md'])
      assert.ok(dockerIgnores(ignore, path), path);
    for (const path of ['src', 'src/cli/slackline.ts', 'package.json', 'package-lock.json', 'tsconfig.json'])
      assert.ok(!dockerIgnores(ignore, path), path);
  });
});

describe('Dockerfile checks find what they look for', function () {
  it('a single stage, a missing or ignored COPY source, root, a big base, no health check', function () {
    const bad = parseDockerfile(
      'FROM node:20\nCOPY package.json nowhere.txt ./\nCOPY test ./test\nCOPY --from=ghost /x /x\nUSER root\nCMD node x\n',
    );
    const found = dockerfileProblems(bad, ROOT, ['test'], []).join('\n');
    for (const what of [
      'single stage',
      'nowhere.txt: not in the repository',
      'test: excluded by .dockerignore',
      '--from=ghost',
      'runs as root',
      'not node:24 slim',
      'pin it by digest',
      'no HEALTHCHECK',
      'no EXPOSE',
    ])
      assert.ok(found.includes(what), `${what} in:\n${found}`);
    assert.match(
      dockerfileProblems(
        parseDockerfile(`FROM node:24-slim@sha256:${'a'.repeat(64)}\nUSER node\n`),
        ROOT,
        [],
        [],
      ).join(),
      /use a number/,
    );
  });

  it('reads .dockerignore patterns as Docker does for this repository', function () {
    assert.ok(dockerIgnores(['*.md'], 'README.md'));
    assert.ok(!dockerIgnores(['*.md'], 'docs/x.txt'));
    assert.ok(dockerIgnores(['docs'], 'docs/x.md'));
    assert.ok(!dockerIgnores(['docs', '!docs/keep.md'], 'docs/keep.md'));
    assert.ok(dockerIgnores(['**/*.log'], 'a/b/c.log'));
  });
});

#!/usr/bin/env node
// Keeps in node_modules only what the bundles load at run time: the packages `npm run build` leaves external
// (its --external: flags) and what they depend on, as package-lock.json resolves them. Everything else the
// bundles already contain. Run after `npm ci --omit=dev` in the directory that holds package.json.
// Plain JavaScript with no dependencies: it runs in the image's build stage, where nothing else is installed.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import process from 'node:process';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const externals = [...pkg.scripts.build.matchAll(/--external:(\S+)/g)].map((m) => m[1]);
if (externals.length === 0) throw new Error('the build script names no --external: package');

/** Where Node finds `name` from the package at `from`: its own node_modules, then each parent's. */
function resolve(from, name) {
  for (let dir = from; ; dir = posix.dirname(posix.dirname(dir))) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (dir === '' || !dir.includes('node_modules')) break;
  }
  return lock.packages[`node_modules/${name}`] ? `node_modules/${name}` : undefined;
}

const keep = new Set();
const queue = externals.map((name) => {
  const at = `node_modules/${name}`;
  if (!lock.packages[at]) throw new Error(`${name} is not in package-lock.json`);
  return at;
});
while (queue.length > 0) {
  const at = queue.pop();
  if (keep.has(at)) continue;
  keep.add(at);
  const entry = lock.packages[at];
  for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
    const found = resolve(at, name);
    if (found) queue.push(found);
    else if (!entry.optionalDependencies?.[name]) throw new Error(`${at} needs ${name}, not in the lock`);
  }
}

let removed = 0;
for (const at of Object.keys(lock.packages)) {
  if (!at.startsWith('node_modules/') || keep.has(at)) continue;
  // A package nested in a kept one is kept only if it is itself needed; one under a removed one goes with it.
  if (existsSync(at)) {
    rmSync(at, { recursive: true, force: true });
    removed++;
  }
}
// Scopes whose packages all went.
for (const scope of readdirSync('node_modules').filter((name) => name.startsWith('@')))
  if (readdirSync(join('node_modules', scope)).length === 0)
    rmSync(join('node_modules', scope), { recursive: true });
rmSync(join('node_modules', '.bin'), { recursive: true, force: true });
rmSync(join('node_modules', '.package-lock.json'), { force: true });
process.stdout.write(`kept ${keep.size} packages for ${externals.join(', ')}; removed ${removed}\n`);

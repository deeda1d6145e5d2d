import { isAbsolute, resolve } from 'node:path';

/** Paths in flags and config files are relative to the working directory, as in cicdstatemgr. */
export function resolvePath(path: string, cwd: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

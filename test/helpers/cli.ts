import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const CLI_PATH = resolve(__dirname, '../../dist/cicdstatemgr.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a Task step would: its own process, a working directory, an environment. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliResult> {
  if (!existsSync(CLI_PATH))
    throw new Error(`${CLI_PATH} is missing: run "npm run build" first (npm test does)`);
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI_PATH, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH, ...options.env }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** Runs the CLI and fails the test with its stderr when it does not exit 0. */
export async function runCliOk(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const result = await runCli(args, options);
  if (result.code !== 0) {
    throw new Error(`cicdstatemgr ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  }
  return result;
}

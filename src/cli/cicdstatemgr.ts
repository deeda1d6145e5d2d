#!/usr/bin/env node
import { runCicdstatemgr } from './run-cicdstatemgr';

/** Resolves once everything written to `stream` so far has been handed to the OS. */
const flushed = (stream: NodeJS.WriteStream) =>
  new Promise<void>((resolve) => stream.write('', () => resolve()));

// The composition root: the only place that touches process globals.
void runCicdstatemgr({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(async (code) => {
  // Exit as soon as the output is out and the connections are closed (runCicdstatemgr closes them), instead of
  // waiting for the event loop to empty: a client library's timers kept a Task step alive for up to 2 s.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
});

#!/usr/bin/env node
import { runSlackline } from './run-slackline';

// The gateway's composition root: the only place that touches process globals.
void runSlackline({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  if (code !== undefined) process.exitCode = code;
});

#!/usr/bin/env node
import { runCicdstatemgr } from './run-cicdstatemgr';

// The composition root: the only place that touches process globals.
runCicdstatemgr({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});

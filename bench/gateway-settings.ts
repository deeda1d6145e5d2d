import { setting } from './bench-processes';

/** The gateway bench's knobs (see bench/gateway.ts), shared with its report. */
export const RATE = setting('RATE', 300, 1, 2000);
export const DURATION_S = setting('DURATION', 5, 1, 30);
export const COUNT = setting('COUNT', 1000, 1, 20_000);
export const CONCURRENCY = setting('CONCURRENCY', 32, 1, 256);
export const BLOCKS = setting('BLOCKS', 5, 1, 50);
// A gateway runs for days: the clicks measured are those of a process whose code the JIT has compiled.
export const WARMUP = setting('WARMUP', 1000, 0, 5000);
/** How the gateway process is run. */
export const GATEWAY_NODE = {
  /**
   * Node's own flags (GATEWAY_NODE_FLAGS, space-separated, e.g. `--max-semi-space-size=64`), and with
   * PROFILE_DIR a V8 CPU profile written there when it stops (open it in Chrome DevTools).
   */
  flags: [
    ...(process.env.GATEWAY_NODE_FLAGS ?? '').split(' ').filter(Boolean),
    ...(process.env.PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] : []),
  ],
  /** at info it writes one JSON line per decision to stdout (read by the bench) */
  logLevel: process.env.LOG_LEVEL ?? 'warn',
};

import { setting } from './bench-processes';

/** The gateway bench's knobs (see bench/gateway.ts), shared with its report. */
export const RATE = setting('RATE', 200, 1, 2000);
export const DURATION_S = setting('DURATION', 5, 1, 30);
export const COUNT = setting('COUNT', 1000, 1, 20_000);
export const CONCURRENCY = setting('CONCURRENCY', 32, 1, 256);
export const BLOCKS = setting('BLOCKS', 5, 1, 50);
export const WARMUP = setting('WARMUP', 200, 0, 5000);

import type { Logger } from '../core/logger';
import { UsageError } from '../core/errors';

const LEVELS = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;
type LevelName = keyof typeof LEVELS;

/** Accepts Python's level names in any case (cicdstatemgr only took upper case) and WARN. */
export function parseLogLevel(name: string | undefined): number {
  if (name === undefined) return LEVELS.INFO;
  const upper = name.toUpperCase() === 'WARN' ? 'WARNING' : name.toUpperCase();
  const level = LEVELS[upper as LevelName];
  if (level === undefined) {
    throw new UsageError(`unknown log level "${name}" (use ${Object.keys(LEVELS).join(', ')})`);
  }
  return level;
}

/** cicdstatemgr's log line format (`<UTC time> - cicdstatemgr - <LEVEL> - <message>`), on stderr. */
export function createStderrLogger(threshold: number, write: (text: string) => void): Logger {
  const line = (level: LevelName) => (message: string) => {
    if (LEVELS[level] < threshold) return;
    const time = new Date().toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
    write(`${time} - cicdstatemgr - ${level} - ${message}\n`);
  };
  return { debug: line('DEBUG'), info: line('INFO'), warn: line('WARNING'), error: line('ERROR') };
}

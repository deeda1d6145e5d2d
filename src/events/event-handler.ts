import type { EventRun } from './event-run';

/** One handler type, named after its YAML key under `event-handlers.<event>`. */
export interface EventHandler {
  readonly type: string;
  /** A config holding this key is the single ("default") form; otherwise it maps names to configs. */
  readonly markerKey: string;
  run(run: EventRun, config: Record<string, unknown>, name: string): Promise<void>;
}

import type { Logger } from '../core/logger';
import type { Liveness } from './liveness';
import type { StopSignal } from './stop-signal';
import type { WorkQueue } from './work-queue';

/** How often each replica looks for what is due. */
const SWEEP_EVERY_MS = 1000;

/**
 * The loop of a replica's sweeper (the outbox's, the deadlines'): `step` about once a second, jittered so that
 * replicas do not sweep in step, while `state` runs and `work` has room; a failing step is logged once every 30.
 */
export async function sweepLoop(
  name: string,
  deps: { state: StopSignal; work: WorkQueue; liveness: Liveness; logger: Logger },
  step: () => Promise<void>,
): Promise<void> {
  const { state, work, liveness, logger } = deps;
  for (let failures = 0; state.running;) {
    await state.pause(SWEEP_EVERY_MS * (0.5 + Math.random()));
    if (!state.running || work.free === 0) continue;
    try {
      await step();
      liveness.progress();
      failures = 0;
    } catch (error) {
      if (failures++ % 30 === 0) logger.warn(`${name}: sweeping failed: ${(error as Error).message}`);
    }
  }
}

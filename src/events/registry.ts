import type { EventHandler } from './event-handler';
import { manualChoice } from './manual-choice';
import { notify } from './notify';
import { respond } from './respond';
import { setValues } from './set-values';
import { triggerPipeline } from './trigger-pipeline';

/** Every handler type an event can hold, by its YAML key. */
export const EVENT_HANDLERS: ReadonlyMap<string, EventHandler> = new Map(
  [notify, manualChoice, triggerPipeline, respond, setValues].map((handler) => [handler.type, handler]),
);

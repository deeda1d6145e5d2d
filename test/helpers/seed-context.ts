import type { ContextDocument } from '../../src/core/document';
import { offeredChoice, type OfferedChoice } from '../../src/events/offered-choice';
import type { Store } from '../../src/store/store';

export interface SeededChoice {
  contextId: string;
  choiceId: string;
  channel: string;
  ts: string;
  approvalsNeeded: number;
  /** the option values, in order */
  values: string[];
}

export interface SeedSpec {
  contextId: string;
  /** one entry per choice to offer in that context */
  choices: Array<{
    channel: string;
    ts: string;
    approvalsNeeded?: number;
    /** `inputs` as a manual-choice config declares them (docs/configuration.md) */
    options?: Array<{ text: string; value: string; route?: string; inputs?: unknown[] }>;
    allowedUsers?: string[];
    title?: string;
  }>;
  /** extra top-level `state` keys */
  state?: Record<string, unknown>;
}

/**
 * Writes a context document holding offered-choice records exactly as manual-choice records them (through
 * offeredChoice()), and indexes each message, as if a pipeline had offered the choices: no CLI run needed.
 */
export async function seedContext(store: Store, spec: SeedSpec): Promise<SeededChoice[]> {
  const offered: Record<string, OfferedChoice> = {};
  const seeded: SeededChoice[] = [];
  for (const [i, c] of spec.choices.entries()) {
    const options = c.options ?? [
      { text: 'Approve', value: `approve-${i}` },
      { text: 'Reject', value: `reject-${i}` },
    ];
    const choice = offeredChoice({
      pipeline: 'build',
      event: 'done',
      handler: 'manual-choice',
      title: c.title ?? `Choice ${i} of ${spec.contextId}`,
      choices: { go: { header: 'Go?', options } },
      config: {
        'approvals-needed': c.approvalsNeeded ?? 1,
        ...(c.allowedUsers ? { 'allowed-users': c.allowedUsers } : {}),
      },
      initiator: null,
      answer: { ok: true, channel: c.channel, ts: c.ts, message: { ts: c.ts } },
      now: new Date(),
    });
    offered[choice.id] = choice;
    seeded.push({
      contextId: spec.contextId,
      choiceId: choice.id,
      channel: c.channel,
      ts: c.ts,
      approvalsNeeded: c.approvalsNeeded ?? 1,
      values: options.map((o) => o.value),
    });
  }
  const doc: ContextDocument = {
    state: {
      cicdContextDataId: spec.contextId,
      cicdContextName: 'robustness',
      ...spec.state,
      offeredChoices: offered,
    },
  };
  await store.update(spec.contextId, () => doc);
  for (const c of seeded) await store.indexMessage?.(c.channel, c.ts, spec.contextId);
  return seeded;
}

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The stored record of a seeded choice. */
export async function storedChoice(store: Store, choice: SeededChoice): Promise<Doc | undefined> {
  const doc = (await store.load(choice.contextId)) as Doc | undefined;
  return doc?.state?.offeredChoices?.[choice.choiceId] as Doc | undefined;
}

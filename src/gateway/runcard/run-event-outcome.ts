/** What became of one event, answered to Tekton and logged (docs/run-card.md lists them). */
export type RunEventOutcome =
  'not-linked' | 'posted' | 'updated' | 'being-posted' | 'no-channel' | 'not-posted' | 'no-context';

import type { AuditEntry, ChoiceRecord } from './choice-record';
import { auditOf } from './read-choice';

/** Appends, keeping whatever the trail already holds (an audit trail is not ours to tidy). */
export function audit(choice: ChoiceRecord, entry: AuditEntry): void {
  const entries: unknown = choice.audit;
  choice.audit = [...(Array.isArray(entries) ? (entries as AuditEntry[]) : []), entry];
}

/** Refusals are audited once per user, reason and value, so repeated clicks cannot grow the document. */
export function auditRefusalOnce(choice: ChoiceRecord, entry: AuditEntry & { action: 'refused' }): void {
  const seen = auditOf(choice).some(
    (e) =>
      e.action === 'refused' && e.user === entry.user && e.reason === entry.reason && e.value === entry.value,
  );
  if (!seen) audit(choice, entry);
}

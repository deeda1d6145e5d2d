import { isPlainObject } from './document';

/**
 * Button values in cicdstatemgr 1.2.4's format, so messages posted by the Python tool (or by configs still using
 * its `deployButtonValue`-style macros) keep working: `<trigger>-<cicdVersion>-<appName>|<base64(tojson(dict))>`,
 * where the prefix is deploy, test, validate or changeContext and the dict carries the context id and the fields
 * that cicdstatemgr's EventListener pulled out with CEL.
 */
export interface LegacyButtonValue {
  /** the label's first `-` segment, which the EventListener routed on (`deploy`, `changeContext`, …) */
  trigger: string;
  /** everything before the `|`, e.g. `deploy-v1-nginx-hello-world` */
  label: string;
  /** the decoded dict */
  fields: Record<string, unknown>;
}

// Any word is accepted as the prefix, not only the four of the reference: configs define their own macros on
// the same pattern (the reference's deploy.failure calls a `rollbackButtonValue`), and what decides that a value
// is in this format is the base64 JSON object after the `|`, which a plain button value does not have.
const LABEL = /^([A-Za-z][A-Za-z0-9_]*)-/;
// Python's base64.b64encode: the standard alphabet, always padded, no line breaks.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The decoded value, or undefined when it is not in that format or its base64 or JSON is damaged. */
export function decodeLegacyButtonValue(value: string): LegacyButtonValue | undefined {
  // base64 never contains `|`, so the last one separates the label (whose app name might contain one).
  const bar = value.lastIndexOf('|');
  if (bar < 0) return undefined;
  const label = value.slice(0, bar);
  const encoded = value.slice(bar + 1);
  const trigger = LABEL.exec(label)?.[1];
  if (!trigger || encoded === '' || !BASE64.test(encoded)) return undefined;
  const fields = parseJsonObject(Buffer.from(encoded, 'base64'));
  return fields ? { trigger, label, fields } : undefined;
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

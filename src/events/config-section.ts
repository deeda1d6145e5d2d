import { isPlainObject } from '../core/document';

/** `configData[section][key]` when it is text, for the handler settings config.yaml must provide. */
export function configText(
  configData: Record<string, unknown>,
  section: string,
  key: string,
): string | undefined {
  const value = configData[section];
  return isPlainObject(value) && typeof value[key] === 'string' ? value[key] : undefined;
}

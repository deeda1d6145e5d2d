/** How deep Slack's own payloads go is about ten; anything past this is refused before it is parsed. */
export const MAX_JSON_NESTING = 64;

/**
 * Whether JSON text opens more than `max` arrays or objects inside each other, found in one pass over the text
 * (strings skipped) so that a hostile body nested a hundred thousand deep costs a scan, not a parse and a walk.
 */
export function nestedDeeperThan(text: string, max = MAX_JSON_NESTING): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return false;
}

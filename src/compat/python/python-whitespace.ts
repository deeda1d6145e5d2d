/**
 * Python's whitespace (`str.isspace()`), which `str.strip()` and `str.split()` use when given no characters or
 * separator. It is not JavaScript's (`trim`, `\s`): the BOM is not whitespace, `\x1c`-`\x1f` and `\x85` are.
 */
const CHARACTERS =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WHITESPACE = new RegExp(`[${CHARACTERS}]`);

export function isPythonWhitespace(ch: string): boolean {
  return WHITESPACE.test(ch);
}

/**
 * Python's `str.strip()`, or `lstrip()` (`'start'`) and `rstrip()` (`'end'`), without arguments. It walks in
 * from the ends, so it takes linear time: a trailing-whitespace regex is quadratic on long runs of whitespace
 * inside the text, and the text may be data (a rendered Slack or HTTP value).
 */
export function pythonStrip(text: string, side: 'both' | 'start' | 'end' = 'both'): string {
  let start = 0;
  let end = text.length;
  if (side !== 'end') while (start < end && isPythonWhitespace(text[start] as string)) start++;
  if (side !== 'start') while (end > start && isPythonWhitespace(text[end - 1] as string)) end--;
  return text.slice(start, end);
}

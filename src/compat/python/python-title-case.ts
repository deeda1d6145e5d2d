/** Python's notion of cased characters and title case, which str.title(), capitalize() and istitle() share. */

// Characters whose title case is not their upper case (Unicode's digraphs and the ligatures that title-case
// to two letters); everything else title-cases as it upper-cases.
export const TITLE_CASE: Record<string, string> = {
  ß: 'Ss',
  Ǆ: 'ǅ',
  ǅ: 'ǅ',
  ǆ: 'ǅ',
  Ǉ: 'ǈ',
  ǈ: 'ǈ',
  ǉ: 'ǈ',
  Ǌ: 'ǋ',
  ǋ: 'ǋ',
  ǌ: 'ǋ',
  Ǳ: 'ǲ',
  ǲ: 'ǲ',
  ǳ: 'ǲ',
  ﬀ: 'Ff',
  ﬁ: 'Fi',
  ﬂ: 'Fl',
  ﬃ: 'Ffi',
  ﬄ: 'Ffl',
  ﬅ: 'St',
  ﬆ: 'St',
};

export function titleCase(ch: string): string {
  return Object.hasOwn(TITLE_CASE, ch) ? (TITLE_CASE[ch] as string) : ch.toUpperCase();
}

export function isCased(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase() || Object.hasOwn(TITLE_CASE, ch);
}

export function isUpperChar(ch: string): boolean {
  return isCased(ch) && ch === ch.toUpperCase() && ch !== ch.toLowerCase();
}

export function isLowerChar(ch: string): boolean {
  return isCased(ch) && ch === ch.toLowerCase() && ch !== ch.toUpperCase();
}

import fc from 'fast-check';
import { isPlainObject } from '../../src/core/document';

// Keys and text that YAML writes quoted, folded, as blocks or not at all plain: each one a way to misread a line.
export const KEYS = [
  'a',
  'run1',
  'state',
  'a b',
  'yes',
  'No',
  '1',
  '-1',
  'x.y',
  'é',
  'k: v',
  '- x',
  '#k',
  "it's",
  '"q"',
  '',
  '~',
];
const TEXTS = [
  '',
  'plain',
  'two\nlines',
  'ends with a newline\n',
  '  leading spaces\nand more',
  'trailing  ',
  "it's",
  '"quoted"',
  'a: b',
  'a #b',
  '- item',
  '[x]',
  '{x}',
  '&anchor',
  '*alias',
  '!tag',
  '| bar',
  '> gt',
  '---',
  '...',
  '%dir',
  '? q',
  'tab\tinside',
  'é😀 unicode',
  'true',
  '1_000',
  '0o17',
  'x '.repeat(70),
  'line\n\n\nwith blanks\n  indented\n',
];

const scalar = fc.oneof(
  fc.constantFrom(...TEXTS),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
export const key = fc.oneof(fc.constantFrom(...KEYS), fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,6}$/));

/** Large enough to be split one level down (entries above 2 KB are). */
const history = fc
  .integer({ min: 30, max: 60 })
  .map((n) =>
    Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`run${i}`, `deployed 1.0.${i} `.padEnd(70, '.')]),
    ),
  );

export const value: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; mapping: Record<string, unknown> }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 4 }),
      tie('mapping'),
      history,
    ),
    mapping: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  }),
).value;

export const documentArb = fc
  .tuple(fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }), history)
  .map(([doc, big]) => ({
    ...doc,
    state: { ...(isPlainObject(doc['state']) ? doc['state'] : {}), history: big },
  }));

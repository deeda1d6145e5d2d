import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import { writeBlockYaml } from '../../src/compat/yaml/block-yaml-writer';
import { dumpYaml, dumpYamlWithJsYaml } from '../../src/compat/yaml/yaml';
import { random, randomDocuments } from '../helpers/random-documents';

const jsYaml = (value: unknown) => dumpYamlWithJsYaml(value);

const scalarText = (value: unknown) => jsYaml(value).slice(0, -1);

// Pieces that sit on js-yaml's boundaries: indicators, `: ` and ` #`, the YAML 1.1 forms, quotes, non-ASCII.
const PIECES = [
  'a',
  'Z',
  'go',
  'x y',
  ' ',
  ':',
  ': ',
  ' #',
  '#',
  '-',
  '?',
  ',',
  '[',
  ']',
  '{',
  '}',
  '&',
  '*',
  '!',
  '|',
  '=',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  '~',
  '<<',
  '.',
  '0',
  '1',
  '12',
  '0x1f',
  '0o7',
  '1_000',
  '1e3',
  '1.5',
  '.5',
  '-1',
  '+2',
  '.inf',
  '.nan',
  'yes',
  'No',
  'on',
  'OFF',
  'null',
  'Null',
  'true',
  'y',
  '2026-12-06',
  '2026-12-06T21:10:09.173Z',
  '1800000000.000001',
  '12:30',
  '\t',
  '\n',
  '\r',
  'é',
  '€',
  '\u2028',
  '\u0000',
  '😀',
  'https://hooks.slack.com/x',
  'a: b',
  'a #b',
  'a#b',
];

const { randomValue } = randomDocuments(PIECES);

describe('writeBlockYaml: the bytes js-yaml writes, without js-yaml', () => {
  it('writes 20,000 random documents exactly as js-yaml does, or leaves them to it', () => {
    const next = random(20261206);
    let written = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = randomValue(next, 0);
      const text = writeBlockYaml(value, scalarText);
      if (text === undefined) continue;
      written++;
      assert.equal(`${text}\n`, jsYaml(value), `document ${i}: ${inspect(value, { depth: null })}`);
    }
    // Most documents are its own to write: a writer that always gave up would pass the comparison above.
    assert.ok(written > 12_000, `wrote only ${written} of 20,000`);
  });

  it('writes a decided choice record as js-yaml does', () => {
    const doc = {
      state: {
        offeredChoices: {
          'f1b88bb0-0466': {
            title: 'Deploy bench-1?',
            route: null,
            options: [{ text: 'Go', value: 'go', style: 'primary' }],
            messageTs: '1800000000.000001',
            postedAt: '2026-12-06T21:10:09.173Z',
            allowedUsers: [],
            approvalsNeeded: 1,
            votes: [{ user: 'U0BENCH', at: '2026-12-06T21:10:09.173Z', nested: [[1, [2]], []] }],
            decision: { inputs: {}, reason: "it's fine: ship # now", url: 'https://example.test/a#b' },
          },
        },
      },
    };
    const text = writeBlockYaml(doc, scalarText);
    assert.equal(`${text}\n`, jsYaml(doc));
    assert.match(text ?? '', /^ {6}messageTs: '1800000000\.000001'$/m);
    assert.match(text ?? '', /^ {8}- - 1$/m);
  });

  it('leaves to js-yaml what only it writes right', () => {
    assert.equal(writeBlockYaml({ text: 'two\nlines' }, scalarText), undefined);
    assert.equal(writeBlockYaml({ ['k'.repeat(1025)]: 1 }, scalarText), undefined);
    assert.equal(writeBlockYaml({ when: new Date(0) }, scalarText), undefined);
    assert.equal(writeBlockYaml(undefined, scalarText), undefined);
    assert.equal(writeBlockYaml({ run: () => 1 }, scalarText), undefined);
  });

  it('is what dumpYaml writes, which still writes everything js-yaml does', () => {
    const value = { text: 'two\nlines', list: ['a', 'yes'], n: 1.5 };
    assert.equal(dumpYaml(value), jsYaml(value));
    assert.equal(dumpYaml({ a: { b: ['x'] } }), 'a:\n  b:\n  - x\n');
    assert.equal(dumpYaml({ a: { b: ['x'] } }, { indent: 4 }), 'a:\n    b:\n    - x\n');
  });
});

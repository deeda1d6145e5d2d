import { strict as assert } from 'node:assert';
import { inspect } from 'node:util';
import yaml from 'js-yaml';
import { writeBlockYaml } from '../../src/compat/yaml/block-yaml-writer';
import { dumpYaml } from '../../src/compat/yaml/yaml';
import { YAML11_SCHEMA } from '../../src/compat/yaml/yaml11-schema';
import { keptInInsertionOrder } from '../../src/core/document';

/** The js-yaml call dumpYaml stands for: the writer must give the same bytes, or give up. */
function jsYaml(value: unknown): string {
  return yaml.dump(value, {
    schema: YAML11_SCHEMA,
    noArrayIndent: true,
    lineWidth: -1,
    noRefs: true,
    noCompatMode: true,
    indent: 2,
  });
}

const scalarText = (value: unknown) => jsYaml(value).slice(0, -1);

/** Mulberry32: the same values on every run, so that a failure can be reproduced. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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

function pick<T>(next: () => number, from: readonly T[]): T {
  return from[Math.floor(next() * from.length)] as T;
}

function randomString(next: () => number): string {
  let text = '';
  for (let n = Math.floor(next() * 4); n >= 0; n--) text += pick(next, PIECES);
  return next() < 0.1 ? '' : text;
}

function randomScalar(next: () => number): unknown {
  const roll = next();
  if (roll < 0.55) return randomString(next);
  if (roll < 0.7)
    return pick(next, [0, 1, -7, 42, 2 ** 53, 1e21, -0, 0.1, 1.5e-7, 1e300, NaN, Infinity, -Infinity]);
  if (roll < 0.8) return pick(next, [true, false, null]);
  if (roll < 0.85) return undefined;
  if (roll < 0.9) return new Number(pick(next, [1, 2.0, -3]));
  return pick(next, [10n ** 30n, -5n]);
}

function randomValue(next: () => number, depth: number): unknown {
  const roll = next();
  if (depth > 4 || roll < 0.4) return randomScalar(next);
  const size = Math.floor(next() * 4);
  if (roll < 0.7) {
    const object: Record<string, unknown> = next() < 0.2 ? keptInInsertionOrder({}) : {};
    for (let i = 0; i < size; i++)
      object[next() < 0.2 ? String(i * 7) : randomString(next)] = randomValue(next, depth + 1);
    return object;
  }
  return Array.from({ length: size }, () => randomValue(next, depth + 1));
}

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

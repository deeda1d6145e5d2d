import { keptInInsertionOrder } from '../../src/core/document';

/**
 * Random plain data built from pieces that sit on a YAML implementation's boundaries, the same on every run for
 * a seed: what the differential tests of the block YAML writer and reader (test/unit/block-yaml-*.test.ts)
 * compare with js-yaml. Each test gives its own pieces, and rarer ones that most documents should not hold.
 */
export function randomDocuments(pieces: readonly string[], rare: readonly string[] = []) {
  function randomString(next: () => number): string {
    let text = '';
    for (let n = Math.floor(next() * 4); n >= 0; n--)
      text += pick(next, rare.length > 0 && next() < 0.002 ? rare : pieces);
    return next() < 0.1 ? '' : text;
  }

  function randomScalar(next: () => number): unknown {
    const roll = next();
    if (roll < 0.55) return randomString(next);
    if (roll < 0.7)
      return pick(next, [0, 1, -7, 42, 2 ** 53, 1e21, -0, 0.1, 1.5e-7, 1e-300, NaN, Infinity, -Infinity]);
    if (roll < 0.8) return pick(next, [true, false, null]);
    if (roll < 0.85) return undefined;
    if (roll < 0.9) return new Number(pick(next, [1, 2.0, -3]));
    // An int beyond ±2**53 (which parseYaml refuses), rarely: it spoils a whole document.
    return next() < 0.005 ? 10n ** 30n : pick(next, [-5n, 2n ** 53n]);
  }

  function randomKey(next: () => number, i: number): string {
    const roll = next();
    if (roll < 0.15) return String(i * 7); // integer-like
    if (roll < 0.2) return pick(next, ['01', '-1', '1.0', 'yes', '~', '=', '0x1f', '4294967295', 'b']);
    return randomString(next);
  }

  function randomValue(next: () => number, depth: number): unknown {
    const roll = next();
    if (depth > 4 || roll < 0.35) return randomScalar(next);
    const size = Math.floor(next() * 5);
    if (roll < 0.7) {
      const object: Record<string, unknown> = next() < 0.2 ? keptInInsertionOrder({}) : {};
      for (let i = 0; i < size; i++) object[randomKey(next, i)] = randomValue(next, depth + 1);
      return object;
    }
    return Array.from({ length: size }, () => randomValue(next, depth + 1));
  }

  /** A document: mostly a mapping at the top, as a context document is. */
  function randomDocument(next: () => number): unknown {
    const roll = next();
    if (roll < 0.05) return randomValue(next, 0);
    const doc: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 5); i >= 0; i--) doc[randomKey(next, i)] = randomValue(next, 1);
    return doc;
  }

  return { randomValue, randomDocument };
}

/** Mulberry32: the same values on every run, so that a failure can be reproduced. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(next: () => number, from: readonly T[]): T {
  return from[Math.floor(next() * from.length)] as T;
}

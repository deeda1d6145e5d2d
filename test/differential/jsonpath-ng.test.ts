import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonPathEvaluationError } from '../../src/core/errors';
import { findValues } from '../../src/compat/jsonpath/jsonpath';

/**
 * 703 JSONPath expressions (the reference examples and fast-check generated paths of fields, indexes,
 * slices, wildcards and descendants) with the answers jsonpath-ng 1.8.0 itself gave, recorded by
 * record-jsonpath-ng-answers.py: ours must find the same values in the same order, and fail where it fails,
 * apart from the two COMPATIBILITY.md rows (an index into a string; a negative index out of range).
 */

interface Answers {
  doc: unknown;
  cases: ({ path: string; values: unknown[] } | { path: string; error: string })[];
}

const answers = JSON.parse(readFileSync(join(__dirname, 'jsonpath-answers.json'), 'utf8')) as Answers;

/** Where ours deliberately matches nothing: jsonpath-ng indexes text, or raises IndexError. */
function documentedDifference(path: string, answer: Answers['cases'][number]): boolean {
  const intoText =
    /\[-?\d+(,-?\d+)*\]/.test(path) &&
    'values' in answer &&
    answer.values.some((v) => typeof v === 'string' && v.length === 1);
  const indexError = 'error' in answer && answer.error === 'IndexError';
  return intoText || indexError;
}

describe('differential: JSONPath answers recorded from jsonpath-ng 1.8.0', function () {
  it(`answers ${answers.cases.length} expressions as jsonpath-ng does`, function () {
    const differences: string[] = [];
    let documented = 0;
    for (const answer of answers.cases) {
      let ours: unknown[] | string;
      try {
        ours = findValues(answers.doc, answer.path);
      } catch (error) {
        if (!(error instanceof JsonPathEvaluationError)) throw error;
        ours = 'error';
      }
      const expected = 'error' in answer ? 'error' : answer.values;
      try {
        assert.deepStrictEqual(ours, expected);
      } catch {
        if (Array.isArray(ours) && ours.length === 0 && documentedDifference(answer.path, answer))
          documented++;
        else
          differences.push(
            `${answer.path}: jsonpath-ng ${JSON.stringify(expected)}, ours ${JSON.stringify(ours)}`,
          );
      }
    }
    assert.deepEqual(differences, [], differences.join('\n'));
    assert.ok(documented < answers.cases.length / 5, `${documented} documented differences`);
  });
});

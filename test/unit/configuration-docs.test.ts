import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_ROWS } from '../../src/config/gateway-settings';
import type { SettingRow } from '../../src/config/setting-row';

const DOCS = join(__dirname, '../../docs/configuration.md');

/** The rows of the first table after the gateway's "## Settings" heading, as [setting, env, default, bounds]. */
function documentedRows(): string[][] {
  const text = readFileSync(DOCS, 'utf8');
  const section = text.slice(text.indexOf('# The gateway'));
  const lines = section.slice(section.indexOf('\n## Settings\n')).split('\n');
  const start = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start + 2, end).map((line) =>
    line
      .split('|')
      .slice(1, 5)
      .map((cell) => cell.trim()),
  );
}

const code = (value: unknown) => (value === undefined ? '' : `\`${String(value)}\``);
const expected = (row: SettingRow): string[] => [
  code(row.path),
  code(row.env),
  code('default' in row ? row.default : undefined),
  'min' in row && row.min !== undefined ? `${row.min}–${row.max}` : '',
];

describe('docs/configuration.md', function () {
  it("lists exactly the gateway's settings, with their environment variables, defaults and bounds", function () {
    assert.deepEqual(documentedRows(), GATEWAY_ROWS.map(expected));
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = resolve(__dirname, '../..');

/** What `npm run lint` says about `code` if it were the file at `path` (it need not exist). */
async function problems(
  path: string,
  code: string,
  rules = ['@typescript-eslint/no-restricted-imports'],
): Promise<string[]> {
  // Without the typed rules: they need the file in the TypeScript project, and these snippets are not.
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: {
      files: ['**/*.ts'],
      languageOptions: { parserOptions: { projectService: false } },
      rules: {
        '@typescript-eslint/no-floating-promises': 'off',
        '@typescript-eslint/switch-exhaustiveness-check': 'off',
      },
    },
  });
  const [result] = await eslint.lintText(code, { filePath: resolve(ROOT, path) });
  return (result?.messages ?? []).filter((m) => rules.includes(m.ruleId ?? '')).map((m) => m.message);
}

describe('the layering, as lint enforces it (eslint.config.mjs)', function () {
  this.timeout(20_000);

  it('refuses an import across a forbidden boundary, and allows the ones the layer may use', async function () {
    assert.deepEqual(
      await problems(
        'src/core/choice/x.ts',
        "import { createGateway } from '../../gateway/create-gateway';\nexport const y = createGateway;\n",
      ),
      [
        "'../../gateway/create-gateway' import is restricted from being used by a pattern. src/core may import only core (eslint.config.mjs)",
      ],
    );
    assert.deepEqual(
      await problems(
        'src/compat/yaml/x.ts',
        "import { RedisStore } from '../../store/redis/redis-store';\nexport const s = RedisStore;\n",
      ),
      [
        "'../../store/redis/redis-store' import is restricted from being used by a pattern. src/compat may import only compat, core (eslint.config.mjs)",
      ],
    );
    assert.equal(
      (
        await problems(
          'src/core/x.ts',
          "import { parseYaml } from '../compat/yaml/yaml';\nexport const p = parseYaml;\n",
        )
      ).length,
      1,
    );
    assert.equal(
      (await problems('src/store/x.ts', "import { a } from '../gateway/metrics';\nexport const b = a;\n"))
        .length,
      1,
    );
    assert.deepEqual(
      await problems(
        'src/gateway/x.ts',
        "import { RedisStore } from '../store/redis/redis-store';\nexport const s = RedisStore;\n",
      ),
      [],
    );
    assert.deepEqual(
      await problems(
        'src/cli/x.ts',
        "import { createGateway } from '../gateway/create-gateway';\nexport const g = createGateway;\n",
      ),
      [],
    );
  });

  it('lets only its one file import a heavy library, type-only imports excepted', async function () {
    const valueImport = "import { Redis } from 'ioredis';\nexport const r = Redis;\n";
    assert.deepEqual(await problems('src/gateway/x.ts', valueImport), [
      "'ioredis' import is restricted from being used. import ioredis only in src/store/redis/redis-clients.ts: depend on what they export",
    ]);
    assert.deepEqual(await problems('src/store/redis/redis-clients.ts', valueImport), []);
    assert.deepEqual(
      await problems('src/gateway/x.ts', "import type { Redis } from 'ioredis';\nexport type R = Redis;\n"),
      [],
    );
    assert.equal(
      (await problems('src/events/x.ts', "import nunjucks from 'nunjucks';\nexport const n = nunjucks;\n"))
        .length,
      1,
    );
  });

  it('refuses a file over 300 lines and a function over 80, except in the two Python-language parsers', async function () {
    const sizes = ['max-lines', 'max-lines-per-function'];
    const body = Array.from({ length: 81 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const longFunction = `export function f(): number {\n${body}\n  return 0;\n}\n`;
    assert.deepEqual(await problems('src/gateway/x.ts', longFunction, sizes), [
      "Function 'f' has too many lines (84). Maximum allowed is 80.",
    ]);
    const longFile = Array.from({ length: 301 }, (_, i) => `export const c${i} = ${i};`).join('\n') + '\n';
    assert.deepEqual(await problems('bench/x.ts', longFile, sizes), [
      'File has too many lines (301). Maximum allowed is 300.',
    ]);
    assert.deepEqual(await problems('src/compat/jsonpath/jsonpath.ts', longFile + longFunction, sizes), []);
  });

  it('refuses an import cycle, type-only ones included (dependency-cruiser, .dependency-cruiser.mjs)', function () {
    const cruise = (path: string) =>
      spawnSync(
        process.execPath,
        [
          resolve(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
          path,
          '--config',
          '.dependency-cruiser.mjs',
        ],
        { cwd: ROOT, encoding: 'utf8' },
      );
    const cycle = cruise('test/fixtures/import-cycle');
    assert.notEqual(cycle.status, 0);
    assert.match(
      cycle.stdout,
      /error no-circular: test\/fixtures\/import-cycle\/line\.ts →\s+test\/fixtures\/import-cycle\/order\.ts →\s+test\/fixtures\/import-cycle\/line\.ts/,
    );
  });
});

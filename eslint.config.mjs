import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layering of src/, enforced here rather than described: each folder may import only the folders listed
 * for it (and itself). cli is the composition root and may import anything.
 */
const LAYERS = {
  core: [],
  compat: ['core'],
  config: ['core', 'compat'],
  http: ['core'],
  store: ['core', 'compat', 'config'],
  events: ['core', 'compat', 'config', 'http', 'store'],
  gateway: ['core', 'compat', 'config', 'http', 'store'],
};
const FOLDERS = [...Object.keys(LAYERS), 'cli'];

/**
 * Each heavy third-party library has its importers here, and only those files may import it (type-only imports
 * excepted): the rest of the code depends on what they export. Where more than one file is listed, they are
 * the adapter's files as they stand.
 */
const LIBRARIES = {
  ioredis: ['src/store/redis/redis-clients.ts'],
  nunjucks: ['src/compat/template/template-environment.ts'],
  'js-yaml': ['src/compat/yaml/yaml.ts', 'src/compat/yaml/yaml11-schema.ts'],
  undici: ['src/http/undici-pool.ts'],
  pino: ['src/gateway/json-logger.ts'],
  'prom-client': ['src/gateway/metrics.ts'],
  express: ['src/gateway/express-app.ts'],
  '@slack/bolt': ['src/gateway/create-gateway.ts', 'src/gateway/slack/bolt-logger.ts'],
};

const libraryRule = (allowedHere) =>
  Object.entries(LIBRARIES)
    .filter(([name]) => !allowedHere.includes(name))
    .map(([name, owners]) => ({
      name,
      allowTypeImports: true,
      message: `import ${name} only in ${owners.join(', ')}: depend on what they export`,
    }));

const layerPatterns = (folder) =>
  folder in LAYERS
    ? FOLDERS.filter((other) => other !== folder && !LAYERS[folder].includes(other)).map((other) => ({
        group: [`**/${other}`, `**/${other}/**`],
        message: `src/${folder} may import only ${[folder, ...LAYERS[folder]].join(', ')} (eslint.config.mjs)`,
      }))
    : [];

const restricted = (folder, allowedLibraries = []) => [
  'error',
  { paths: libraryRule(allowedLibraries), patterns: layerPatterns(folder) },
];

const owners = Object.entries(LIBRARIES).flatMap(([name, files]) => files.map((file) => [file, name]));
const ownedBy = (file) => owners.filter(([owner]) => owner === file).map(([, name]) => name);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // process.env is read only by the entry points (src/cli); everything else is handed its settings.
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read process.env only in src/cli entry points.' },
      ],
    },
  },
  { files: ['src/cli/**', 'test/**', 'bench/**', 'demo/**'], rules: { 'no-restricted-properties': 'off' } },
  {
    // Rules that need the types: a promise nobody awaits loses its error, a switch that misses a case does
    // the wrong thing silently.
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    // Small files named after what they export, functions that fit on a screen. The two parsers of Python's
    // languages (JSONPath, Jinja2's syntax) are one grammar each and read best whole.
    files: ['src/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/compat/jsonpath/jsonpath.ts', 'src/compat/template/template-python-syntax.ts'],
    rules: {
      'max-lines': ['error', { max: 300 }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  ...FOLDERS.map((folder) => ({
    files: [`src/${folder}/**/*.ts`],
    rules: { '@typescript-eslint/no-restricted-imports': restricted(folder) },
  })),
  ...[...new Set(owners.map(([file]) => file))].map((file) => ({
    files: [file],
    rules: { '@typescript-eslint/no-restricted-imports': restricted(file.split('/')[1], ownedBy(file)) },
  })),
);

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
);

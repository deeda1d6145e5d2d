/**
 * What eslint cannot see: import cycles (`npm run lint` cruises src/), type-only imports included (eslint.config.mjs has the
 * layering and the library owners). A cycle means two files are one module in two parts.
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'src/ has no import cycles, type-only ones included: move what both sides need into a file of its own',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

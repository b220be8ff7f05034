/**
 * Three projects, all run by `npm test`:
 * - `unit` (`npm run test:unit`): test/unit but the Pulumi program's tests; no local stack, runs in seconds;
 * - `infra` (`npm run test:infra`): test/unit/infra, the Pulumi program synthesized under mocks and the
 *   independent cfn-lint and moto checks of what it sends to AWS (Python tools; tens of seconds);
 * - `integration` (`npm run test:integration`): the tests that start the embedded local stack.
 */
const roots = ['shared', 'functions', 'statemachines', 'infra', 'local', 'cli', 'bench', 'chaos', 'test'];

/** @type {import('jest').Config} */
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  // middy, jose (and a few others) ship ESM only: let swc turn them into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|aws-local-stepfunctions|jose)/)'],
  // The package.json `imports` aliases (#shared/*, #infra/*, ...), one per source root.
  moduleNameMapper: Object.fromEntries(roots.map((root) => [`^#${root}/(.*)$`, `<rootDir>/${root}/$1`])),
  setupFilesAfterEnv: ['<rootDir>/test/helpers/jest-setup.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  // A global option (projects do not take it).
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/test/unit'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/infra/'],
      // No emulator of the local stack: a unit test that loads one fails, saying so.
      moduleNameMapper: {
        ...common.moduleNameMapper,
        '^(dynalite|kinesalite)$': '<rootDir>/test/helpers/no-local-stack.ts',
      },
    },
    { ...common, displayName: 'infra', roots: ['<rootDir>/test/unit/infra'], testMatch: ['**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.test.ts'],
    },
  ],
};

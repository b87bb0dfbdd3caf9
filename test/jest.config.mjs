import { fileURLToPath } from 'node:url';

const rootDir = fileURLToPath(new URL('..', import.meta.url));

// Jest in native ESM mode (--experimental-vm-modules) with @swc/jest: NestJS 12 is ESM-only.
const common = {
  rootDir,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          keepClassNames: true,
        },
        module: { type: 'es6' },
      },
    ],
  },
  // Jest on Node 20 cannot load CommonJS that require()s ESM: content-disposition is transformed.
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
};

/** Tests that stop databases, drive browsers, start processes or run several instances. */
const OPS = '/test/(faults|console|cache|embedded|reliability|alerts-delivery)\\.e2e-spec\\.ts$';

/**
 * Three tiers, all run by `npm test`: `unit` (pure logic beside the code; `npm run test:unit`,
 * no database), `e2e` (the API over HTTP on a real PostgreSQL, a database per file) and `ops`.
 */
export default {
  rootDir,
  // Migrates the template database the e2e and ops files copy; skipped when only unit tests run.
  globalSetup: '<rootDir>/test/global-setup.mjs',
  globalTeardown: '<rootDir>/test/global-teardown.mjs',
  testTimeout: 30_000,
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/src'], testRegex: '\\.spec\\.ts$' },
    { ...common, displayName: 'e2e', roots: ['<rootDir>/test'], testRegex: '\\.e2e-spec\\.ts$', testPathIgnorePatterns: [OPS] },
    { ...common, displayName: 'ops', roots: ['<rootDir>/test'], testRegex: OPS },
  ],
};

// Unit specs sit beside the code they test; integration specs (*.int.spec.ts) need the local stack.
const swc = ['@swc/jest', {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
}];

const moduleNameMapper = { '^@flowsentry/(contracts|messaging|storage|audit|telemetry|ml|config|runtime|threads)$': '<rootDir>/libs/$1/src/index.ts' };
const roots = ['<rootDir>/libs', '<rootDir>/services', '<rootDir>/tools', '<rootDir>/test'];
const common = { rootDir: __dirname, roots, moduleNameMapper, transform: { '^.+\\.ts$': swc }, testEnvironment: 'node', modulePathIgnorePatterns: ['/dist/'] };

module.exports = {
  testTimeout: 240000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'], testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '/node_modules/', '/dist/'] },
    { ...common, displayName: 'integration', testMatch: ['**/*.int.spec.ts'] },
  ],
};

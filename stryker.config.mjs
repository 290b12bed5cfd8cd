/* global process */
// StrykerJS over the security-critical paths (issue 10): `npm run mutation` (tests/mutation.ts picks a Node 22
// binary, which Stryker 10 needs, and the test certificate). Not in CI: the full run takes a long time on 2 cores.
// A narrower run: `STRYKER_SPEC='tests/unit/bot/proactive/*.test.ts' npm run mutation -- --mutate bot/proactive/messenger.ts`.
const narrowSpec = process.env.STRYKER_SPEC?.split(',').filter((s) => s !== '');

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'mocha',
  plugins: ['@stryker-mutator/mocha-runner'],
  mutate: [
    'services/approvals/**/*.ts',
    'services/audit/**/*.ts',
    'bot/auth*.ts',
    'bot/proactive/**/*.ts',
    'bot/middleware/**/*.ts',
    'bot/actions/sweep-download.ts',
    // "Was this you?": who may answer, once (issue 13).
    'services/confirm/decide.ts',
    'services/confirm/confirmations.ts',
  ],
  mochaOptions: {
    // In-process suites only: a mutant is switched on inside the test runner process, so tests that drive a
    // spawned bot (tests/e2e, child-process startup tests) could never see it and would only cost time.
    spec: narrowSpec ?? ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/property/**/*.test.ts'],
    ignore: ['tests/integration/server/startup.test.ts', 'tests/integration/playground/**'],
    // .mocharc.json (read by mocha itself) adds the 10 s test timeout.
    require: ['tsx/cjs'],
  },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 20000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['data', 'dist', 'reports', 'tests/.certs/mocharc.single.json'],
  thresholds: { high: 90, low: 85, break: null },
};

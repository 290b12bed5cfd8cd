import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoMessage, postActivity, startBotProcess, useBotProcessFixture } from '../../support/bot-process';
import { moduleReporter, TELEMETRY_MODULE } from '../../support/loaded-modules';
import { packageOf, readJsFiles, repoRoot, stageDeployment, undeclaredRequires } from '../../support/production-build';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

describe('production build: dist/bot/main.js under plain node', function () {
  this.timeout(120_000);
  const f = useBotProcessFixture();
  let main: string;

  before(() => {
    ({ main } = stageDeployment(join(f.dir, 'app')));
  });

  it('npm run build compiles tsconfig.build.json (CommonJS, bot/main.ts and what it imports) into dist/', () => {
    assert.match(pkg.scripts.build ?? '', /tsc -p tsconfig\.build\.json/);
    const config = JSON.parse(readFileSync(join(repoRoot, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { outDir: string; noEmit: boolean };
      files: string[];
    };
    assert.deepEqual(config.files, ['bot/main.ts']);
    assert.equal(config.compilerOptions.outDir, 'dist');
    assert.match(readFileSync(main, 'utf8'), /^"use strict";/, 'CommonJS output');
  });

  it('compiled code requires only node built-ins, its own files and packages in "dependencies"', () => {
    const files = readJsFiles(join(f.dir, 'app', 'dist'));
    assert.ok(files.length > 100, `expected the whole production closure, got ${files.length} files`);
    assert.deepEqual(undeclaredRequires(files, pkg.dependencies), []);
    // The demo and test tooling stay out of production: nothing under tests/ or bench/ is reachable from main.
    assert.ok(!files.some((f) => /^(tests|bench|manifest)\//.test(f.path)));
  });

  it('the require scan flags a devDependency, a deep import of one and a dynamic import()', () => {
    const dev = Object.keys(pkg.devDependencies);
    assert.ok(dev.includes('sinon') && dev.includes('@opentelemetry/sdk-trace-base'));
    const files = [
      {
        path: 'a.js',
        text: 'const s = require("sinon");\nconst ok = require("zod");\nrequire("node:fs"); require("fs");',
      },
      { path: 'b.js', text: "const m = await import('@opentelemetry/sdk-trace-base/build/src');" },
    ];
    assert.deepEqual(undeclaredRequires(files, pkg.dependencies), [
      { file: 'a.js', specifier: 'sinon' },
      { file: 'b.js', specifier: '@opentelemetry/sdk-trace-base/build/src' },
    ]);
    assert.equal(packageOf('@azure/identity/dist/x'), '@azure/identity');
  });

  it('starts in demo mode against the demo tenant, answers /healthz, /readyz and a turn, and exits 0 on SIGTERM', async () => {
    const { dir, tenant, connector } = f;
    const modules = moduleReporter(dir);
    const bot = (f.bot = await startBotProcess({
      args: ['--require', modules.preload, main],
      cwd: join(dir, 'app'),
      env: { DEMO_GRAPH_PORT: String(tenant.port), STORAGE_URL: `sqlite:${join(dir, 'secbot.db')}` },
    }));
    const health = await fetch(`${bot.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = (await (await fetch(`${bot.url}/readyz`)).json()) as { checks: Record<string, boolean> };
    assert.deepEqual(ready.checks, { storage: true, graph: true });
    // A turn end to end: cards, Graph client and the Bot Connector client all load and run without tsx.
    assert.equal(
      (await postActivity(bot.url, demoMessage(connector.serviceUrl, 'user meganb@example.com'))).status,
      200,
    );
    const [reply] = await connector.waitForRequests(1, 10_000);
    assert.match(JSON.stringify(reply?.body), /Megan Bowen/);
    assert.equal(await bot.stop('SIGTERM'), 0, bot.output());
    // Without APPLICATIONINSIGHTS_CONNECTION_STRING no OpenTelemetry or Azure Monitor module is loaded at all.
    const loaded = modules.loaded();
    assert.ok(loaded.some((m) => m.endsWith('/dist/bot/main.js')));
    assert.deepEqual(
      loaded.filter((m) => TELEMETRY_MODULE.test(m)),
      [],
    );
  });
});

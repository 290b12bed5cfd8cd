import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moduleReporter, TELEMETRY_MODULE } from '../../support/loaded-modules';
import { repoRoot } from '../../support/production-build';

/** Starts telemetry in a fresh process with `settings` and returns the telemetry modules it loaded. */
function telemetryModulesLoaded(dir: string, settings: Record<string, string>): string[] {
  const modules = moduleReporter(dir);
  const script =
    "const t = require('./services/telemetry/azure-monitor').startTelemetry(JSON.parse(process.argv[1]));" +
    "t.telemetry.add('graphThrottled', 1);";
  const result = spawnSync(
    process.execPath,
    ['--require', modules.preload, '--import', 'tsx', '-e', script, JSON.stringify(settings)],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        // Offline: no statsbeat or live metrics to Microsoft and no Azure VM metadata probe; the exporter never gets
        // to send (its endpoint is a closed loopback port anyway).
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({ enableLiveMetrics: false }),
        OTEL_NODE_RESOURCE_DETECTORS: 'env',
      },
    },
  );
  assert.equal(result.status, 0, result.stderr);
  return modules.loaded().filter((m) => TELEMETRY_MODULE.test(m));
}

// Without the setting, tests/integration/build checks that the production bot process loads none of these modules.
describe('services/telemetry/azure-monitor: the distro starts when APPLICATIONINSIGHTS_CONNECTION_STRING is set', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'secbot-telemetry-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the Azure Monitor distro and OpenTelemetry and accepts a metric', () => {
    const loaded = telemetryModulesLoaded(dir, {
      connectionString:
        'InstrumentationKey=0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0;IngestionEndpoint=http://127.0.0.1:9/;LiveEndpoint=http://127.0.0.1:9/',
    });
    assert.ok(
      loaded.some((m) => m.includes('/@azure/monitor-opentelemetry/')),
      loaded.slice(0, 5).join('\n'),
    );
    assert.ok(loaded.some((m) => m.includes('/@opentelemetry/api/')));
  });
});

import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { createRoutes } from '../../../bot/app';
import { createTurnHandler } from '../../../bot/turn';
import { createAlertStore } from '../../../services/alerts/alert-store';
import { createAlertsService } from '../../../services/alerts/alerts-service';
import { createAuditLog } from '../../../services/audit/audit-log';
import { silentLogger } from '../../../services/log';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import { ManualClock } from '../../fakes/manual-clock';
import { createRecordingLogger } from '../../fakes/recording-logger';
import { edgeDeps } from '../../support/edge-deps';

const TENANT = 'tenant-1';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

describe('alerts in the routing table', () => {
  it('registers `alerts`, the Snooze/Acknowledge verbs and an event route that follows install/uninstall', async () => {
    const clock = new ManualClock();
    const store = createAlertStore(createMemoryStorage());
    const service = createAlertsService({
      store,
      clock,
      logger: silentLogger,
      allowedServiceUrlHosts: ['smba.trafficmanager.net'],
    });
    const routes = createRoutes({
      mode: 'tenant',
      profiles: { readUserProfile: () => Promise.reject(new Error('unused')) },
      alerts: { service },
    });
    assert.ok(routes.commands.some((c) => c.name === 'alerts'));
    for (const verb of ['alert.ack', 'alert.snooze'])
      assert.ok(
        routes.verbs.some((v) => v.verb === verb),
        verb,
      );

    const channel = {
      conversationId: '19:general@thread.tacv2',
      conversationType: 'channel' as const,
      tenantId: TENANT,
      serviceUrl: SERVICE_URL,
      reference: {},
    };
    await service.subscribe(channel, 'Alex');
    const audit = createAuditLog(createMemoryStorage(), clock);
    const handler = createTurnHandler({
      ...edgeDeps({ audit, clock }),
      allowedTenantId: TENANT,
      routes,
      membership: {
        rolesOf: () => Promise.reject(new Error('no membership check for events')),
        forget: () => undefined,
      },
      audit,
      clock,
      logger: createRecordingLogger(),
    });
    const adapter = new TestAdapter(handler);
    const base = {
      channelId: 'msteams',
      serviceUrl: SERVICE_URL,
      channelData: { tenant: { id: TENANT } },
      conversation: { id: '19:general@thread.tacv2', conversationType: 'channel' },
    } as Partial<Activity>;
    await adapter.send({ ...base, type: 'installationUpdate', action: 'remove' }).startTest();
    const removed = (await store.subscriptions())[0];
    assert.equal(removed?.active, false);
    assert.equal(removed?.inactiveReason, 'bot removed');
    await adapter.send({ ...base, type: 'installationUpdate', action: 'add' }).startTest();
    assert.equal((await store.subscriptions())[0]?.active, true);
  });
});

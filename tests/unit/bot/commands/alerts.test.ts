import assert from 'node:assert/strict';
import { alertAction, alertDataSchema } from '../../../../bot/actions/alerts';
import type { CommandContext } from '../../../../bot/commands/command';
import type { Services } from '../../../../bot/commands/services';
import { createAlertStore } from '../../../../services/alerts/alert-store';
import { createAlertsService } from '../../../../services/alerts/alerts-service';
import type { DemoEmitter } from '../../../../services/alerts/demo-emitter';
import { silentLogger } from '../../../../services/log';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';
import { parseArgs, runCommand } from '../../../support/command-table';

const conversation = (type: ConversationRef['conversationType']): ConversationRef => ({
  conversationId: type === 'channel' ? '19:general@thread.tacv2;messageid=1' : 'a:personal',
  conversationType: type,
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
});

const ctx = (type: ConversationRef['conversationType']): CommandContext => ({
  caller: { aadObjectId: 'op-1', name: 'Alex' },
  correlationId: 'c',
  logger: silentLogger,
  now: 0,
  conversation: conversation(type),
  notify: () => Promise.resolve({ activityId: 'n' }),
  onWaiting: () => undefined,
});

function command(mode: 'demo' | 'tenant') {
  const emitted: string[] = [];
  const emitter: DemoEmitter = {
    emit: (scenario) => {
      emitted.push(scenario);
      return Promise.resolve({ scenario, user: 'lynner@example.com', records: 2 });
    },
  };
  const store = createAlertStore(createMemoryStorage());
  const alerts = createAlertsService({
    store,
    clock: new ManualClock(),
    logger: silentLogger,
    allowedServiceUrlHosts: ['smba.trafficmanager.net'],
  });
  const services: Services = { mode, alerts: { service: alerts, ...(mode === 'demo' ? { emitter } : {}) } };
  return { run: (text: string, c: CommandContext) => runCommand('alerts', text, services, c), emitted, store };
}

describe('alerts command', () => {
  it('parses on/off/status and refuses anything else with the usage', () => {
    for (const a of ['on', 'off', 'status', ' ON ']) assert.equal(parseArgs('alerts', a).ok, true, a);
    for (const a of ['', 'on now', 'flood']) {
      const parsed = parseArgs('alerts', a);
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? '' : parsed.message, /alerts on\|off\|status/);
    }
  });

  it('`alerts emit` accepts only known scenarios, and a bot without the demo emitter refuses it', async () => {
    assert.equal(parseArgs('alerts', 'emit risky-user').ok, true);
    assert.equal(parseArgs('alerts', 'emit everything').ok, false);
    const { run, emitted } = command('tenant');
    const tenant = await run('emit risky-user', ctx('channel'));
    assert.match(tenant.kind === 'text' ? tenant.text : '', /only in demo mode/);
    assert.deepEqual(emitted, []);
  });

  it('alerts on in a channel subscribes; in a personal chat it explains and stores nothing', async () => {
    const { run, store } = command('tenant');
    const personal = await run('on', ctx('personal'));
    assert.match(personal.kind === 'text' ? personal.text : '', /team channel/);
    assert.equal((await store.subscriptions()).length, 0);
    const channel = await run('on', ctx('channel'));
    assert.match(channel.kind === 'text' ? channel.text : '', /Alerts are on/);
    assert.equal((await store.subscriptions())[0]?.subscribedBy, 'Alex');
    const status = await run('status', ctx('channel'));
    assert.equal(status.kind, 'card');
  });

  it('demo emit calls the demo tenant', async () => {
    const { run, emitted } = command('demo');
    const reply = await run('emit stalled-registration', ctx('channel'));
    assert.deepEqual(emitted, ['stalled-registration']);
    assert.match(reply.kind === 'text' ? reply.text : '', /next poll/);
  });
});

describe('alert card verbs', () => {
  it('Acknowledge answers with the card showing who; Snooze with the snoozed card; refresh invokes change nothing', async () => {
    const { store } = command('tenant');
    const clock = new ManualClock();
    const alerts = createAlertsService({ store, clock, logger: silentLogger, allowedServiceUrlHosts: [] });
    const ack = { data: alertDataSchema, handle: alertAction('acknowledge') };
    const snooze = { handle: alertAction('snooze') };
    await store.saveAlert({
      id: 'AbCdEfGhIjKlMnOpQrStUv',
      rule: 'risky-user',
      severity: 'high',
      dedupeKey: 'k',
      occurredAt: new Date(clock.now()).toISOString(),
      subject: { id: 'u1', upn: 'adelev@example.com', displayName: null },
      actor: null,
      actorKind: 'unknown',
      ip: null,
      location: null,
      activity: 'riskLevel high',
      detail: null,
      sourceIds: ['u1'],
    });
    const vctx = (trigger: 'manual' | 'automatic') => ({ ...ctx('channel'), cardActivityId: 'm1', trigger });
    const data = ack.data.parse({ alertId: 'AbCdEfGhIjKlMnOpQrStUv' });
    assert.deepEqual(await ack.handle(vctx('automatic'), data, alerts), {});
    assert.equal((await store.alert('AbCdEfGhIjKlMnOpQrStUv'))?.acknowledged, null);
    const acked = await ack.handle(vctx('manual'), data, alerts);
    assert.match(JSON.stringify(acked.card), /Acknowledged/);
    assert.match(JSON.stringify(acked.card), /Alex/);
    const snoozed = await snooze.handle(vctx('manual'), data, alerts);
    assert.match(JSON.stringify(snoozed.card), /Snoozed/);
    assert.equal(ack.data.safeParse({ alertId: '../../etc' }).success, false);
  });
});

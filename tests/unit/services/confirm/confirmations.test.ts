import assert from 'node:assert/strict';
import { createAlertStore } from '../../../../services/alerts/alert-store';
import { queueAlert } from '../../../../services/alerts/queue-alert';
import type { Alert, AlertRecord } from '../../../../services/alerts/types';
import type { AuditEntry } from '../../../../services/audit/audit-log';
import { createConfirmations } from '../../../../services/confirm/confirmations';
import type { UserChatOutcome } from '../../../../services/confirm/ports';
import { CodedError } from '../../../../services/errors';
import { silentLogger } from '../../../../services/log';
import type { ConversationRef } from '../../../../services/messaging/port';
import { createMemoryStorage } from '../../../../services/storage/memory-storage';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingMessenger } from '../../../support/recording-messenger';
import { ALEX, MEGAN, ownSecurityInfoAlert } from './fixtures';

// CONFIRM_MINUTES = 45 (not the default 30), so a deadline that ignored the setting would fail.
const CONFIRM_MS = 45 * 60_000;
const channel: ConversationRef = {
  conversationId: '19:general@thread.tacv2',
  conversationType: 'channel',
  tenantId: 't',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: {},
};
const personal: ConversationRef = { ...channel, conversationId: 'a:alex-personal', conversationType: 'personal' };

async function setup(chat: UserChatOutcome = { ok: true, conversation: personal, via: 'remembered' }) {
  const clock = new ManualClock();
  const storage = createMemoryStorage();
  const alerts = createAlertStore(storage);
  const messenger = createRecordingMessenger();
  const audit: AuditEntry[] = [];
  const opened: string[] = [];
  const confirmations = createConfirmations({
    storage,
    alerts,
    clock,
    logger: silentLogger,
    audit: {
      append: (entry) => {
        audit.push(entry);
        return Promise.resolve({ ...entry, seq: audit.length, at: '', prevHash: '', hash: '' } as never);
      },
    },
    chats: {
      open: (user) => {
        opened.push(user.id);
        return Promise.resolve(chat);
      },
    },
    messenger,
    // Rendered as JSON so the tests can see what each card says.
    renderer: {
      question: (c) => ({ text: `question ${c.state} laterUsed=${String(c.laterUsed)}` }),
      alert: (r: AlertRecord) => ({ text: `alert ${r.alert.severity} ${r.confirmation?.state ?? 'none'}` }),
    },
    confirmMs: CONFIRM_MS,
  });
  const sub = await alerts.subscribe(channel, 'Adele', clock.now());
  const alert = ownSecurityInfoAlert();
  const queued = await queueAlert(alerts, alert, clock.now(), undefined, (a) => confirmations.onNewAlert(a));
  assert.equal(queued.kind, 'queued');
  // As delivery does once the card is posted: the channel copy's message id.
  await alerts.updateAlert(alert.id, (r) => ({ ...r, messages: { [sub.key]: 'channel-card-1' } }));
  return { clock, storage, alerts, messenger, audit, opened, confirmations, alert };
}

const alex = { aadObjectId: ALEX, name: 'Alex Wilber' };

describe('"was this you?" service: ask, answer, escalate', () => {
  it("a new own-change alert is recorded as pending, then asked in the user's chat with a deadline", async () => {
    const t = await setup();
    assert.equal((await t.alerts.alert(t.alert.id))?.confirmation?.state, 'pending');
    assert.equal(await t.confirmations.tick(), 1);
    assert.deepEqual(t.opened, [ALEX]);
    assert.equal(t.messenger.sent.length, 1);
    assert.equal(t.messenger.sent[0]?.to.conversationId, 'a:alex-personal');
    const c = await t.confirmations.get(t.alert.id);
    assert.equal(c?.state, 'asked');
    assert.equal(c?.deadline, t.clock.now() + CONFIRM_MS);
    const record = await t.alerts.alert(t.alert.id);
    assert.equal(record?.confirmation?.state, 'asked');
    // The channel card shows that the user was asked.
    assert.deepEqual(
      t.messenger.updates.map((u) => [u.to.conversationId, u.activityId, u.message.text]),
      [['19:general@thread.tacv2', 'channel-card-1', 'alert medium asked']],
    );
    assert.deepEqual(
      t.audit.map((a) => [a.action, a.outcome]),
      [['confirm:asked', 'remembered']],
    );
    // Nothing more is due: a second tick sends nothing.
    assert.equal(await t.confirmations.tick(), 0);
    assert.equal(t.messenger.sent.length, 1);
  });

  it('No from the user raises the channel alert to high; the first answer stands; audited', async () => {
    const t = await setup();
    await t.confirmations.tick();
    const outcome = await t.confirmations.answer(t.alert.id, 'no', alex, 'ref-1');
    assert.equal(outcome.kind, 'answered');
    const record = await t.alerts.alert(t.alert.id);
    assert.equal(record?.alert.severity, 'high');
    assert.equal(record?.confirmation?.state, 'denied');
    assert.equal(t.messenger.updates.at(-1)?.message.text, 'alert high denied');
    const again = await t.confirmations.answer(t.alert.id, 'yes', alex, 'ref-2');
    assert.deepEqual(again.kind === 'refused' && again.reason, 'closed');
    assert.equal((await t.confirmations.get(t.alert.id))?.state, 'denied');
    assert.deepEqual(
      t.audit.filter((a) => a.action === 'confirm:answer').map((a) => [a.outcome, a.actor.aadObjectId, a.target]),
      [
        ['no', ALEX, 'alexw@example.com'],
        ['refused:closed', ALEX, 'alexw@example.com'],
      ],
    );
  });

  it('an answer from anyone else is refused and audited, and changes nothing', async () => {
    const t = await setup();
    await t.confirmations.tick();
    const outcome = await t.confirmations.answer(t.alert.id, 'yes', { aadObjectId: MEGAN, name: 'Megan' }, 'r');
    assert.deepEqual(outcome.kind === 'refused' && outcome.reason, 'not-the-user');
    assert.equal((await t.confirmations.get(t.alert.id))?.state, 'asked');
    assert.equal((await t.alerts.alert(t.alert.id))?.confirmation?.state, 'asked');
    assert.deepEqual(t.audit.at(-1)?.outcome, 'refused:not-the-user');
    assert.equal(t.audit.at(-1)?.actor.aadObjectId, MEGAN);
  });

  it('two answers at once (two instances, a re-delivered click): exactly one is recorded', async () => {
    const t = await setup();
    await t.confirmations.tick();
    const outcomes = await Promise.all([
      t.confirmations.answer(t.alert.id, 'yes', alex, 'a'),
      t.confirmations.answer(t.alert.id, 'no', alex, 'b'),
    ]);
    assert.equal(outcomes.filter((o) => o.kind === 'answered').length, 1);
    assert.equal(outcomes.filter((o) => o.kind === 'refused').length, 1);
  });

  it('Yes marks the alert confirmed and suppresses the same kind of change by that user for 24 h', async () => {
    const t = await setup();
    await t.confirmations.tick();
    await t.confirmations.answer(t.alert.id, 'yes', alex, 'r');
    const record = await t.alerts.alert(t.alert.id);
    assert.equal(record?.confirmation?.state, 'confirmed');
    assert.equal(record?.alert.severity, 'medium');
    const hook = (a: Alert) => t.confirmations.onNewAlert(a);
    const next = (n: number, overrides: Partial<Alert> = {}): Alert =>
      ownSecurityInfoAlert({
        id: `alert-000000000${n}`,
        dedupeKey: `other-${n}`,
        sourceIds: [`audit-${n}`],
        ...overrides,
      });
    t.clock.advance(23 * 3600_000);
    assert.equal((await queueAlert(t.alerts, next(2), t.clock.now(), undefined, hook)).kind, 'suppressed');
    // An admin changing Alex's methods is another kind of event: still alerted (and nobody is asked).
    const byAdmin = next(3, { activity: 'Admin registered security info', actor: 'helpdesk@example.com' });
    assert.equal((await queueAlert(t.alerts, byAdmin, t.clock.now(), undefined, hook)).kind, 'queued');
    assert.equal((await t.alerts.alert(byAdmin.id))?.confirmation, undefined);
    // Another kind of change by Alex (a consent) is asked about.
    const consent = next(4, { rule: 'consent-granted', activity: 'Consent to application' });
    assert.equal((await queueAlert(t.alerts, consent, t.clock.now(), undefined, hook)).kind, 'queued');
    t.clock.advance(2 * 3600_000);
    assert.equal((await queueAlert(t.alerts, next(5), t.clock.now(), undefined, hook)).kind, 'queued');
    assert.equal((await t.alerts.alert(next(5).id))?.confirmation?.state, 'pending');
  });

  it('no answer within CONFIRM_MINUTES escalates: high severity, the question card says so', async () => {
    const t = await setup();
    await t.confirmations.tick();
    t.clock.advance(CONFIRM_MS - 1);
    assert.equal(await t.confirmations.tick(), 0);
    t.clock.advance(1);
    assert.equal(await t.confirmations.tick(), 1);
    const c = await t.confirmations.get(t.alert.id);
    assert.equal(c?.state, 'escalated');
    assert.match(c?.reason ?? '', /No answer within 45 minutes/);
    assert.deepEqual(
      t.audit.map((a) => a.action),
      ['confirm:asked', 'confirm:escalated'],
    );
    const record = await t.alerts.alert(t.alert.id);
    assert.equal(record?.alert.severity, 'high');
    assert.equal(record?.confirmation?.state, 'escalated');
    assert.ok(
      t.messenger.updates.some(
        (u) => u.activityId === 'act-1' && u.message.text === 'question escalated laterUsed=false',
      ),
    );
    const late = await t.confirmations.answer(t.alert.id, 'yes', alex, 'r');
    assert.deepEqual(late.kind === 'refused' && late.reason, 'closed');
  });

  it('Not now: asked again after 4 hours, without Not now, with a fresh deadline', async () => {
    const t = await setup();
    await t.confirmations.tick();
    assert.equal((await t.confirmations.answer(t.alert.id, 'later', alex, 'r')).kind, 'answered');
    // The old deadline no longer applies while postponed.
    t.clock.advance(CONFIRM_MS);
    assert.equal(await t.confirmations.tick(), 0);
    t.clock.advance(4 * 3600_000 - CONFIRM_MS);
    assert.equal(await t.confirmations.tick(), 1);
    assert.equal(t.messenger.sent.length, 2);
    assert.equal(t.messenger.sent[1]?.message.text, 'question asking laterUsed=true');
    const c = await t.confirmations.get(t.alert.id);
    assert.equal(c?.state, 'asked');
    assert.equal(c?.deadline, t.clock.now() + CONFIRM_MS);
    const second = await t.confirmations.answer(t.alert.id, 'later', alex, 'r');
    assert.deepEqual(second.kind === 'refused' && second.reason, 'later-used');
  });

  it('a user the bot cannot reach escalates at once, naming why', async () => {
    const t = await setup({ ok: false, reason: 'they have not written to the bot' });
    await t.confirmations.tick();
    const c = await t.confirmations.get(t.alert.id);
    assert.equal(c?.state, 'unreachable');
    assert.match(c?.reason ?? '', /have not written to the bot/);
    assert.equal((await t.alerts.alert(t.alert.id))?.alert.severity, 'high');
    assert.equal(t.messenger.sent.length, 0);
  });

  it('a send that fails is tried again later, and escalated after three attempts', async () => {
    const t = await setup();
    t.messenger.failSends = true;
    await t.confirmations.tick();
    assert.equal((await t.confirmations.get(t.alert.id))?.state, 'asking');
    for (let i = 0; i < 3; i++) {
      t.clock.advance(60_000);
      await t.confirmations.tick();
    }
    assert.equal((await t.confirmations.get(t.alert.id))?.state, 'unreachable');
  });

  it('Teams saying the chat is gone (403/404) escalates at once instead of retrying', async () => {
    const t = await setup();
    t.messenger.send = () =>
      Promise.reject(new CodedError('teams_gone', 'Teams answered 404', { status: 404, teamsCode: null }));
    await t.confirmations.tick();
    const c = await t.confirmations.get(t.alert.id);
    assert.equal(c?.state, 'unreachable');
    assert.match(c?.reason ?? '', /teams_gone/);
    assert.equal((await t.alerts.alert(t.alert.id))?.alert.severity, 'high');
  });

  it('waits for the alert record before asking (the poller writes it just after), at most 5 minutes', async () => {
    const t = await setup();
    const early = ownSecurityInfoAlert({ id: 'alert-0000000009', dedupeKey: 'early', sourceIds: ['audit-9'] });
    await t.confirmations.onNewAlert(early);
    await t.confirmations.tick();
    // The queued alert of setup() was asked; the one without a record yet was not.
    assert.equal((await t.confirmations.get(early.id))?.state, 'pending');
    t.clock.advance(5 * 60_000);
    await t.confirmations.tick();
    assert.equal((await t.confirmations.get(early.id))?.state, 'asked');
  });

  it('two instances ticking at once send one question', async () => {
    const t = await setup();
    const second = createConfirmations({
      storage: t.storage,
      alerts: t.alerts,
      clock: t.clock,
      logger: silentLogger,
      audit: { append: () => Promise.resolve({} as never) },
      chats: { open: () => Promise.resolve({ ok: true, conversation: personal, via: 'remembered' }) },
      messenger: t.messenger,
      renderer: { question: () => ({ text: 'q' }), alert: () => ({ text: 'a' }) },
      confirmMs: CONFIRM_MS,
    });
    await Promise.all([t.confirmations.tick(), second.tick()]);
    assert.equal(t.messenger.sent.length, 1);
  });

  it('a throttled send (Teams asks to wait) is retried later, not escalated', async () => {
    const t = await setup();
    t.messenger.send = () =>
      Promise.reject(new CodedError('teams_throttled', 'Teams throttled the bot', { status: 429 }));
    await t.confirmations.tick();
    assert.equal((await t.confirmations.get(t.alert.id))?.state, 'asking');
  });

  it('a final answer leaves the open list; an unknown question is not found; audit details name the alert', async () => {
    const t = await setup();
    await t.confirmations.tick();
    assert.equal((await t.storage.list('confirm/open/')).length, 1);
    await t.confirmations.answer(t.alert.id, 'yes', alex, 'r');
    assert.equal((await t.storage.list('confirm/open/')).length, 0);
    assert.deepEqual(await t.confirmations.answer('alert-unknown-0001', 'yes', alex, 'r'), { kind: 'not-found' });
    assert.deepEqual(t.audit.at(-1)?.details, {
      alertId: t.alert.id,
      rule: 'security-info-changed',
      kind: 'security-info',
    });
  });

  it('a channel that stopped receiving alerts is not updated', async () => {
    const t = await setup();
    const [sub] = await t.alerts.subscriptions();
    await t.alerts.updateSubscription(sub?.key ?? '', (x) => ({ ...x, active: false, inactiveReason: 'bot removed' }));
    await t.confirmations.tick();
    assert.deepEqual(t.messenger.updates, []);
  });

  it('the same alert re-read after a crash keeps its one confirmation', async () => {
    const t = await setup();
    await t.confirmations.tick();
    assert.deepEqual(await t.confirmations.onNewAlert(t.alert), {
      state: 'asked',
      at: new Date(t.clock.now() + CONFIRM_MS).toISOString(),
      reason: null,
    });
    assert.equal(await t.confirmations.tick(), 0);
    assert.equal(t.messenger.sent.length, 1);
  });
});

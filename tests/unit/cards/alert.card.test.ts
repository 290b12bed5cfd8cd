import assert from 'node:assert/strict';
import { alertDigestCards, DIGEST_MAX_BYTES } from '../../../cards/alert-digest.card';
import { alertStatusCard } from '../../../cards/alert-status.card';
import { alertCard } from '../../../cards/alert.card';
import type { Alert, AlertRecord } from '../../../services/alerts/types';
import { cardProblems, markdownSurfaces, textRuns } from '../../support/cards';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const EVIL = '[Reset your password](https://evil.example) **urgent**';

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'AbCdEfGhIjKlMnOpQrStUv',
    rule: 'unverified-registration',
    severity: 'high',
    dedupeKey: 'k',
    occurredAt: '2026-11-22T11:58:00Z',
    subject: { id: 'u1', upn: 'lynner@example.com', displayName: EVIL },
    actor: `${EVIL}@example.com`,
    actorKind: 'user',
    ip: '203.0.113.77',
    location: 'Lagos, NG',
    activity: 'User started security info registration',
    detail: EVIL,
    sourceIds: ['e1'],
    ...overrides,
  };
}

const record = (overrides: Partial<AlertRecord> = {}): AlertRecord => ({
  alert: alert(),
  acknowledged: null,
  snoozed: null,
  messages: {},
  ...overrides,
});

describe('cards/alert', () => {
  it('validates; what, who, when, from where, why; untrusted strings only in TextRuns', () => {
    const card = alertCard(record(), NOW);
    assert.deepEqual(cardProblems(card), []);
    const json = JSON.stringify(card);
    for (const part of ['Authenticator added but never verified', '2026-11-22 11:58 UTC', 'never finished']) {
      assert.ok(json.includes(part), part);
    }
    const runs = textRuns(card).join('\n');
    for (const part of ['lynner@example.com', '203.0.113.77', 'Lagos, NG', EVIL]) assert.ok(runs.includes(part), part);
    assert.ok(!markdownSurfaces(card).join('\n').includes('Reset your password'));
  });

  it('buttons: Investigate and Revoke run the commands for the UPN; Snooze and Acknowledge carry only the alert id', () => {
    const card = alertCard(record(), NOW);
    const actions = (card.actions ?? []) as { title: string; data: Record<string, unknown> }[];
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Investigate', 'Revoke sessions', 'Snooze 24 h', 'Acknowledge'],
    );
    assert.deepEqual(actions[0]?.data, { verb: 'command.run', command: 'investigate', args: 'lynner@example.com' });
    assert.deepEqual(actions[1]?.data, { verb: 'command.run', command: 'revoke', args: 'lynner@example.com' });
    assert.deepEqual(actions[2]?.data, { verb: 'alert.snooze', alertId: 'AbCdEfGhIjKlMnOpQrStUv' });
    assert.deepEqual(actions[3]?.data, { verb: 'alert.ack', alertId: 'AbCdEfGhIjKlMnOpQrStUv' });
  });

  it('an acknowledged card shows who acknowledged and drops the button', () => {
    const card = alertCard(record({ acknowledged: { by: 'Alex Wilber', at: '2026-11-22T11:59:00Z' } }), NOW);
    assert.ok(textRuns(card).some((r) => r.includes('Alex Wilber')));
    assert.ok(!JSON.stringify(card.actions).includes('Acknowledge'));
  });

  it('digests: every alert in exactly one card, each card under the size limit and valid', () => {
    const alerts = Array.from({ length: 700 }, (_, i) =>
      alert({ id: `id-${i}`, subject: { id: `u${i}`, upn: `${'x'.repeat(100)}${i}@example.com`, displayName: null } }),
    );
    const digests = alertDigestCards(alerts);
    assert.ok(digests.length > 1);
    const ids = digests.flatMap((d) => d.alertIds);
    assert.deepEqual(
      ids,
      alerts.map((a) => a.id),
    );
    for (const d of digests) {
      assert.ok(Buffer.byteLength(JSON.stringify(d.card)) <= DIGEST_MAX_BYTES, 'under the limit');
      assert.deepEqual(cardProblems(d.card), []);
    }
  });

  it('status card validates and shows lag, counts and inactive reasons', () => {
    const card = alertStatusCard({
      now: NOW,
      poller: {
        watermark: '2026-11-22T11:59:50Z',
        mirrorFrom: '2026-11-22T11:00:00Z',
        lastPollAt: '2026-11-22T11:59:50Z',
        lastPollOk: true,
        lastError: null,
        eventsRead: 12,
        alertsQueued: 3,
        suppressed: 0,
      },
      activePoller: 'pid-1',
      lagMs: 10_000,
      subscriptions: [
        {
          key: 'k',
          conversation: {
            conversationId: '19:x',
            conversationType: 'channel',
            tenantId: 't',
            serviceUrl: 's',
            reference: {},
          },
          active: false,
          subscribedBy: 'Alex',
          subscribedAt: '2026-11-22T10:00:00Z',
          inactiveReason: 'teams 403 BotNotInConversationRoster',
          delivered: 2,
          failed: 0,
          lastDeliveredAt: null,
          queued: 1,
        },
      ],
    });
    assert.deepEqual(cardProblems(card), []);
    const json = JSON.stringify(card);
    assert.ok(json.includes('10 s') && json.includes('1 queued') && json.includes('BotNotInConversationRoster'));
  });
});

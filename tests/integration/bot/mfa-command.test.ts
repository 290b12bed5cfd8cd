import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { startDemoTenant, type DemoTenant, type DemoTenantOptions } from '../../../demo/server';
import type { GraphClient } from '../../../services/graph';
import type { Upn } from '../../../services/ids';
import {
  alexSays,
  demoTurnHandler,
  graphMfaChecker,
  recordingGraphClient,
  scaledLimits,
} from '../../support/demo-turn';
import { textRuns } from '../../support/cards';
import { createRecordingMessenger } from '../../support/recording-messenger';
import { createBackgroundTasks } from '../../../bot/background';
import { silentLogger } from '../../../services/log';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const turnHandler = (client: GraphClient) => demoTurnHandler(client, { mfa: graphMfaChecker(client) });

function cardOf(reply: Partial<Activity>): { body: { text?: string }[] } {
  const card = reply.attachments?.[0]?.content as { body: { text?: string }[] } | undefined;
  assert.ok(card, `expected a card, got ${reply.text ?? ''}`);
  return card;
}

describe('integration: mfa command against the demo tenant', () => {
  let tenant: DemoTenant;
  const sent: string[] = [];
  const client = (base: DemoTenant, fetchImpl?: FetchLike) =>
    recordingGraphClient(base.url, sent, { limits: scaledLimits(5), ...(fetchImpl ? { fetch: fetchImpl } : {}) });

  before(async () => {
    tenant = await startDemoTenant({ port: 0, timeFactor: 0.01 });
  });
  after(async () => {
    await tenant.close();
  });

  it('gives mfatest1 and mfatest2 (identical Authenticator registrations) opposite verdicts from the audit trail', async () => {
    const c = graphMfaChecker(client(tenant));
    const one = await c.checkMfaUsability({ kind: 'upn', upn: 'mfatest1@example.com' as Upn });
    const two = await c.checkMfaUsability({ kind: 'upn', upn: 'mfatest2@example.com' as Upn });
    assert.equal(one.methods[0]?.family, 'authenticator');
    assert.equal(two.methods[0]?.family, 'authenticator');
    assert.equal(one.verdict.kind, 'usable');
    assert.equal(two.verdict.kind, 'registered-not-usable');
    const v1 = one.methods[0]?.verification;
    const v2 = two.methods[0]?.verification;
    assert.ok(v1?.kind === 'verified' && v1.source === 'audit', JSON.stringify(v1));
    assert.ok(v2?.kind === 'unverified' && v2.reason === 'device-without-method', JSON.stringify(v2));
  });

  it('judges the other seeded scenarios', async () => {
    const c = graphMfaChecker(client(tenant));
    const verdict = async (upn: string) => c.checkMfaUsability({ kind: 'upn', upn: upn as Upn });
    assert.equal((await verdict('nomfa@example.com')).verdict.kind, 'not-registered');
    const admin = await verdict('admin.sspr@example.com');
    assert.equal(admin.adminSsprLoop, true);
    assert.deepEqual(
      admin.strength.map((s) => [s.policyName, s.tooWeak]),
      [['Admins require phishing-resistant MFA', true]],
    );
    const quiet = await verdict('quiet.user@example.com');
    assert.equal(quiet.verdict.kind, 'usable');
    const qv = quiet.methods.find((m) => m.family === 'authenticator')?.verification;
    assert.ok(qv?.kind === 'verified' && qv.source === 'report' && qv.olderThanAudit, 'older than the audit window');
    const alex = await verdict('alexw@example.com');
    assert.deepEqual(
      alex.strength.map((s) => s.tooWeak),
      [false],
      'FIDO2 meets phishing-resistant',
    );
    const synced = await verdict('upntest@example.net');
    assert.ok(synced.synced && synced.verdict.kind === 'not-registered');
    const guest = await verdict('partner_contoso.com#EXT#@example.onmicrosoft.com');
    assert.ok(guest.verdict.kind === 'cant-tell' && guest.verdict.guest);
  });

  it('costs one $batch plus one audit read for a new UPN, and runs them together once the id is known', async () => {
    // Published limits on both sides, so no 429 (and no retried batch item) can blur the count; a latency long
    // enough that a read started after the batch's reply cannot be mistaken for one sent with it.
    const real = await startDemoTenant({ port: 0, latencyMs: 150 });
    after(() => real.close());
    const events: string[] = [];
    // The policy cache as the bot runs it: a repeat ask reads no Conditional Access policies, whose class
    // (Identity Protection & CA, 1 request/s per tenant) would otherwise hold the batch back a second.
    const c = graphMfaChecker(
      recordingGraphClient(real.url, sent, {
        fetch: async (input, init) => {
          const what = new URL(String(input)).pathname;
          events.push(`start ${what}`);
          const response = await fetch(input, init);
          events.push(`end ${what}`);
          return response;
        },
      }),
      60_000,
    );
    await c.checkMfaUsability({ kind: 'upn', upn: 'risky@example.com' as Upn });
    assert.deepEqual(events, [
      'start /v1.0/$batch',
      'end /v1.0/$batch',
      'start /v1.0/auditLogs/directoryAudits',
      'end /v1.0/auditLogs/directoryAudits',
    ]);
    const before = real.stats().byClass.reports ?? 0;
    events.length = 0;
    await c.checkMfaUsability({ kind: 'upn', upn: 'risky@example.com' as Upn });
    // One round trip: both requests are on the wire before either answer is back.
    assert.deepEqual(events.slice(0, 2).sort(), ['start /v1.0/$batch', 'start /v1.0/auditLogs/directoryAudits']);
    assert.equal(events.length, 4, events.join(', '));
    assert.equal(real.stats().throttled, 0);
    assert.equal((real.stats().byClass.reports ?? 0) - before, 2, 'two reports-class reads: report row + audit');
  });

  it('replies with the card through the whole turn, verdict first', async () => {
    const adapter = new TestAdapter(turnHandler(client(tenant)));
    await adapter.send(alexSays('mfa mfatest2@example.com')).assertReply((reply) => {
      const card = cardOf(reply);
      assert.match(card.body[0]?.text ?? '', /Registered but not usable/);
      assert.ok(textRuns(card).includes('Pixel 8'));
    });
  });

  it('names the missing Graph permission', async () => {
    const forbidCa: FetchLike = async (input, init) => {
      const res = await fetch(input, init);
      if (!(input instanceof Request ? input.url : input.toString()).endsWith('/$batch')) return res;
      const body = (await res.json()) as {
        responses: { id: string; status: number; headers: object; body: unknown }[];
      };
      for (const r of body.responses) {
        if (r.id === 'caPolicies') {
          r.status = 403;
          r.body = { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } };
        }
      }
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const adapter = new TestAdapter(turnHandler(client(tenant, forbidCa)));
    await adapter
      .send(alexSays('mfa mfatest1@example.com'))
      .assertReply((reply) => assert.match(reply.text ?? '', /missing Policy\.Read\.All/));
  });

  it('tells the user it is waiting when Graph throttles, and the answer still arrives', async () => {
    const options: DemoTenantOptions = { port: 0, timeFactor: 0.1, limits: { reportsPerWindow: 1 } };
    // The client believes 5 reports reads per 100 ms are fine; the tenant allows 1 per second, so it answers 429.
    const tight = await startDemoTenant(options);
    try {
      const messenger = createRecordingMessenger();
      const background = createBackgroundTasks(silentLogger);
      const c = client(tight);
      const adapter = new TestAdapter(demoTurnHandler(c, { mfa: graphMfaChecker(c) }, { messenger, background }));
      // Teams gets its answer now; the card replaces the waiting message when Graph lets the reads through.
      await adapter.send(alexSays('mfa mfatest1@example.com')).startTest();
      assert.equal(adapter.activeQueue.length, 0, 'Teams is answered without holding the request for a reply');
      await background.drain();
      const [waiting] = messenger.sent;
      assert.match(waiting?.message.text ?? '', /throttling the bot \(reports limit\), so I'm waiting/);
      const [update] = messenger.updates;
      assert.equal(update?.activityId, waiting?.activityId);
      assert.match(JSON.stringify(update?.message.card), /MFA is usable/);
      assert.ok(tight.stats().throttled >= 1, 'the tenant did throttle');
    } finally {
      await tight.close();
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestAdapter, type Activity } from 'botbuilder';
import { DEMO_GRAPH_TOKEN } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { systemClock } from '../../../services/clock';
import { createGraphClient, type GraphClient, type UserResolver } from '../../../services/graph';
import type { Upn } from '../../../services/ids';
import { createGraphAuditEvidenceSource } from '../../../services/identity/audit-evidence';
import { createConsumerAccountLookup } from '../../../services/identity/consumer-account-lookup';
import { readSignIns } from '../../../services/identity/sign-ins-read';
import { summarizeSignIns } from '../../../services/identity/sign-ins';
import { readSspr, SSPR_LOOKBACK_MS } from '../../../services/identity/sspr-read';
import { summarizeSspr } from '../../../services/identity/sspr';
import { alexSays, demoTurnHandler, recordingGraphClient, scaledLimits, withUsers } from '../../support/demo-turn';
import { createRecordingLogger } from '../../fakes/recording-logger';

const EMAILS = join(__dirname, '..', '..', 'fixtures', 'emails');
const upn = (u: string) => ({ kind: 'upn' as const, upn: u as Upn });

// signins, sspr, sspr-check and msa over real HTTP against the demo tenant's seeded scenarios.
describe('integration: signins, sspr, sspr-check, msa against the demo tenant', () => {
  let tenant: DemoTenant;
  const sent: string[] = [];

  before(async () => {
    tenant = await startDemoTenant({ port: 0, timeFactor: 0.01 });
  });
  after(async () => {
    await tenant.close();
  });

  function graph(): { client: GraphClient; users: UserResolver } {
    return withUsers(recordingGraphClient(tenant.url, sent, { limits: scaledLimits(25) }));
  }

  it('signins: the risky user, from Seattle then Lagos, in one $batch, by UPN the first time and by id after', async () => {
    const batches: string[][] = [];
    const reader = withUsers(
      recordingGraphClient(tenant.url, sent, {
        limits: scaledLimits(25),
        fetch: (input, init) => {
          if (String(input).endsWith('/$batch'))
            batches.push(
              (JSON.parse(init?.body as string) as { requests: { url: string }[] }).requests.map((r) => r.url),
            );
          return fetch(input, init);
        },
      }),
    );
    sent.length = 0;
    const input = await readSignIns(reader, upn('risky@example.com'));
    assert.deepEqual(sent, ['POST /v1.0/$batch'], 'the UPN filters need no resolution first');
    const summary = summarizeSignIns(
      input.signIns,
      input.risk.kind === 'read' ? input.risk.riskyUser : null,
      Date.now(),
    );
    assert.equal(summary.verdict, 'attention');
    assert.deepEqual(summary.usualCountries, ['US']);
    assert.deepEqual(summary.newCountries, ['NG']);
    assert.equal(summary.risk.kind === 'risky' && summary.risk.state, 'atRisk');
    const seattle = summary.signIns.find((v) => v.city === 'Seattle');
    assert.equal(seattle?.mfaMethod, 'Mobile app notification', 'the MFA method the log names');
    assert.equal(seattle?.mfaRequired, true);
    sent.length = 0;
    await readSignIns(reader, upn('risky@example.com'));
    assert.deepEqual(sent, ['POST /v1.0/$batch'], 'one round trip again');
    assert.ok(batches[0]?.some((url) => url.includes('risky%40example.com')));
    assert.ok(
      batches[1]?.every((url) => !url.includes('risky%40')) && batches[1].some((url) => url.includes(input.user.id)),
      'the second batch addresses the user by the id the first returned',
    );
  });

  it('signins: a user Identity Protection has no record of is not risky (404 is not an error)', async () => {
    const input = await readSignIns(graph(), upn('quiet.user@example.com'));
    assert.deepEqual(input.risk, { kind: 'read', riskyUser: null });
  });

  it('sspr: sspr.user entered SSPR from 203.0.113.45 and failed with insufficient methods; quiet.user has no attempts', async () => {
    const client = graph();
    const since = Date.now() - SSPR_LOOKBACK_MS;
    const input = await readSspr(client, upn('sspr.user@example.com'), since);
    const report = summarizeSspr(input.registration, input.records);
    assert.equal(report.status.kind, 'not-registered');
    assert.equal(report.attempts.length, 1);
    assert.equal(report.attempts[0]?.outcome, 'contact-admin');
    assert.equal(report.attempts[0]?.contactAdmin, 'insufficient-methods');
    assert.deepEqual(report.attempts[0]?.ipAddresses, ['203.0.113.45']);
    const quiet = await readSspr(client, upn('quiet.user@example.com'), since);
    assert.equal(summarizeSspr(quiet.registration, quiet.records).attempts.length, 0);
  });

  it('sspr: with an audit evidence source (mirror or Graph), the records come from it and the batch holds two reads', async () => {
    const client = graph();
    const since = Date.now() - SSPR_LOOKBACK_MS;
    await readSspr(client, upn('sspr.user@example.com'), since);
    const batches: unknown[] = [];
    const spying = createGraphClient({
      baseUrl: tenant.url,
      credential: { kind: 'static', token: DEMO_GRAPH_TOKEN },
      limits: scaledLimits(25),
      fetch: (input, init) => {
        if (String(input).endsWith('/$batch'))
          batches.push(JSON.parse(typeof init?.body === 'string' ? init.body : '{}'));
        return fetch(input, init);
      },
    });
    const input = await readSspr(
      withUsers(spying),
      upn('sspr.user@example.com'),
      since,
      createGraphAuditEvidenceSource(spying),
    );
    assert.deepEqual(
      (batches[0] as { requests: { id: string }[] }).requests.map((r) => r.id),
      ['user', 'registration'],
    );
    const report = summarizeSspr(input.registration, input.records);
    assert.equal(report.attempts[0]?.outcome, 'contact-admin');
    assert.equal(input.truncated, false);
  });

  it('msa: the demo login endpoints (both, personal only, work only, federated)', async () => {
    const lookup = createConsumerAccountLookup({
      baseUrl: tenant.url,
      clock: systemClock,
      logger: createRecordingLogger(),
    });
    assert.equal((await lookup.check('consumer@example.com')).verdict.kind, 'both');
    assert.equal((await lookup.check('someone.personal@outlook.com')).verdict.kind, 'personal-only');
    assert.equal((await lookup.check('alexw@example.com')).verdict.kind, 'work-only');
    const federated = await lookup.check('partner@contoso.com');
    assert.deepEqual(federated.verdict, { kind: 'cant-tell', why: ['federated'] });
  });

  describe('through the whole turn', () => {
    function adapter(): TestAdapter {
      const client = graph();
      return new TestAdapter(
        demoTurnHandler(client.client, {
          signIns: { readSignIns: (ref) => readSignIns(client, ref) },
          sspr: { readSspr: (ref, since) => readSspr(client, ref, since) },
          consumerAccounts: createConsumerAccountLookup({
            baseUrl: tenant.url,
            clock: systemClock,
            logger: createRecordingLogger(),
          }),
        }),
      );
    }
    const cardJson = (activity: Partial<Activity>): string =>
      JSON.stringify(activity.attachments?.[0]?.content ?? null);

    async function emailSentAfterTheSeededAttempt(): Promise<string> {
      const input = await readSspr(graph(), upn('sspr.user@example.com'), Date.now() - SSPR_LOOKBACK_MS);
      const start = Date.parse(input.records[input.records.length - 1]?.activityDateTime ?? '');
      const date = new Date(start + 10_000).toUTCString().replace('GMT', '+0000');
      return readFileSync(join(EMAILS, 'sspr-genuine.eml'), 'utf8').replace(/^Date: .*$/m, `Date: ${date}`);
    }

    it('sspr-check with the pasted genuine email about sspr.user: genuine', async () => {
      const email = await emailSentAfterTheSeededAttempt();
      await adapter()
        .send(alexSays(`sspr-check\n${email}`))
        .assertReply((reply) => {
          const json = cardJson(reply);
          assert.match(json, /\*\*Genuine\*\*/);
          assert.match(json, /203\.0\.113\.45/);
        });
    });

    it('sspr-check with the same email about quiet.user: suspicious', async () => {
      const email = (await emailSentAfterTheSeededAttempt()).replace(
        /sspr\.user@example\.com/g,
        'quiet.user@example.com',
      );
      await adapter()
        .send(alexSays(`sspr-check ${email}`))
        .assertReply((reply) => {
          const json = cardJson(reply);
          assert.match(json, /\*\*Suspicious\*\*/);
          assert.match(json, /did not enter self-service password reset/);
        });
    });

    it('signins, sspr and msa reply with their cards', async () => {
      const a = adapter();
      await a.send(alexSays('signins risky@example.com')).assertReply((r) => assert.match(cardJson(r), /Worth a look/));
      await a
        .send(alexSays('sspr sspr.user@example.com'))
        .assertReply((r) => assert.match(cardJson(r), /Failed → told to contact an admin/));
      await a
        .send(alexSays('msa consumer@example.com'))
        .assertReply((r) => assert.match(cardJson(r), /also has a personal Microsoft account/));
      await a
        .send(alexSays('signins nobody@example.com'))
        .assertReply((r) => assert.match(r.text ?? '', /No such user/));
    });
  });
});

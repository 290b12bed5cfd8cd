import { createExchangeAdminApi } from '../../../services/exchange/admin-api';
import assert from 'node:assert/strict';
import { investigationCard } from '../../../cards/investigation.card';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { systemClock } from '../../../services/clock';
import type { GraphClient, UserResolver } from '../../../services/graph';
import type { Upn } from '../../../services/ids';
import { createGraphAuditEvidenceSource } from '../../../services/identity/audit-evidence';
import { createInvestigator } from '../../../services/identity/investigation';
import { createPolicyCache } from '../../../services/identity/mfa-evidence';
import { createExchangeAdminReader } from '../../../services/mailbox/exchange-admin';
import { checkForwarding } from '../../../services/mailbox/forwarding-check';
import { recordingGraphClient, scaledLimits, withUsers } from '../../support/demo-turn';
import { COMPROMISED_IDS } from '../../../demo/seed/scenario-compromised';
import { cardProblems, markdownSurfaces, textRuns, visibleLines } from '../../support/cards';

describe('integration: investigate against the demo tenant', () => {
  let tenant: DemoTenant;
  const sent: string[] = [];
  before(async () => {
    tenant = await startDemoTenant({ port: 0, timeFactor: 0.01 });
  });
  after(async () => {
    await tenant.close();
  });

  // Shared like the bot's: CA policies and riskyUsers share Identity Protection's 1 request/s, so the policies are cached.
  const policies = createPolicyCache(60_000);
  // One Graph client for the default path, as in the bot: its schedulers must see every earlier request, or a
  // second client would send an Identity Protection read inside the first one's 1-per-window budget and get a 429.
  let shared: { client: GraphClient; users: UserResolver } | null = null;
  function investigator(fetchImpl?: typeof fetch) {
    const { client, users } = fetchImpl
      ? withUsers(recordingGraphClient(tenant.url, sent, { limits: scaledLimits(5), fetch: fetchImpl }))
      : (shared ??= withUsers(recordingGraphClient(tenant.url, sent, { limits: scaledLimits(5) })));
    const exchange = createExchangeAdminReader(
      createExchangeAdminApi({
        baseUrl: tenant.url,
        tenant: DEMO_TENANT_ID,
        tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
      }),
    );
    return createInvestigator({
      client,
      users,
      audit: createGraphAuditEvidenceSource(client),
      clock: systemClock,
      policies,
      auditDays: 30,
      // Bound as bot/actions/sweep-runtime.ts binds it: the same Graph client, no second one.
      forwarding: { checkForwarding: (ref) => checkForwarding({ graph: client, users, exchange }, ref) },
    });
  }

  const isBatch = (input: Parameters<typeof fetch>[0]) =>
    (input instanceof Request ? input.url : input.toString()).split('?')[0]?.endsWith('/$batch') ?? false;
  const isRules = (input: Parameters<typeof fetch>[0]) =>
    (input instanceof Request ? input.url : input.toString()).includes('/mailFolders/inbox/messageRules');
  // The forwarding check's own Graph reads: the user lookup, the verified domains, the rules and their folders.
  const forwardingRead = (r: string) => /^GET \/v1\.0\/(organization|users\/[^/]+(\/mailFolders\/.*)?)$/.test(r);

  it('shows the risky user: MFA, risk, new country, password and sessions, in one batch plus the audit read', async () => {
    await investigator().investigate({ kind: 'upn', upn: 'nomfa@example.com' as Upn });
    sent.length = 0;
    const inv = await investigator().investigate({ kind: 'upn', upn: 'risky@example.com' as Upn });
    // One $batch; the audit read may be repeated only if the tenant throttled it (its windows are 100 ms here).
    assert.equal(sent.filter((r) => r === 'POST /v1.0/$batch').length, 1, sent.join());
    // First ask by UPN: the grants filter on the object id, so they are read alongside the audit read.
    assert.ok(
      sent.every(
        (r) =>
          r === 'POST /v1.0/$batch' ||
          r === 'GET /v1.0/auditLogs/directoryAudits' ||
          r === 'GET /v1.0/oauth2PermissionGrants' ||
          forwardingRead(r),
      ),
      sent.join(),
    );
    assert.ok(sent.includes(`GET /v1.0/users/${inv.profile.id}/mailFolders/inbox/messageRules`), sent.join());
    assert.equal(inv.mfa.verdict.kind, 'usable');
    assert.ok(inv.signIns.kind === 'read');
    assert.ok(inv.signIns.value.risk.kind === 'risky' && inv.signIns.value.risk.open);
    assert.deepEqual(inv.signIns.value.newCountries, ['NG']);
    assert.ok(inv.profile.lastPasswordChange && inv.profile.sessionsValidFrom);
    assert.ok(inv.forwarding.kind === 'read' && inv.forwarding.report.kind === 'checked');
    assert.equal(inv.forwarding.report.severity, 'none');
    const card = investigationCard(inv, Date.now());
    assert.deepEqual(cardProblems(card), []);
    assert.ok(textRuns(card).some((t) => t.includes('Lagos')));
    assert.ok(markdownSurfaces(card).some((s) => s.startsWith('**Verdict: OK.**')));
    assert.ok(!markdownSurfaces(card).some((s) => /Not checked yet/.test(s)));
    const actions = (card.actions ?? []).map((a) => (a.data as { command: string; args: string }).command);
    assert.deepEqual(actions, ['revoke', 'disable', 'contain', 'mfa']);
  });

  it("lists mfatest1's security-info changes only when they are inside the 7-day window", async () => {
    const inv = await investigator().investigate({ kind: 'upn', upn: 'mfatest1@example.com' as Upn });
    assert.deepEqual(
      inv.recentChanges.map((e) => e.kind),
      ['started', 'strong-auth-update', 'registered', 'registered-all'],
    );
    const card = investigationCard(inv, Date.now());
    assert.ok(textRuns(card).includes('User registered security info'));
  });

  it('shows sign-ins without risk when Identity Protection is refused, naming the permission', async () => {
    const refuseRisk: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!(input instanceof Request ? input.url : input.toString()).endsWith('/$batch')) return res;
      const body = (await res.json()) as { responses: { id: string; status: number; body: unknown }[] };
      for (const r of body.responses) {
        if (r.id === 'risky') {
          r.status = 403;
          r.body = { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' } };
        }
      }
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const inv = await investigator(refuseRisk).investigate({ kind: 'upn', upn: 'risky@example.com' as Upn });
    assert.equal(inv.riskUnavailable, 'IdentityRiskyUser.Read.All');
    assert.ok(inv.signIns.kind === 'read' && inv.signIns.value.total > 0);
  });

  it('shows forwarder@example.com forwarding externally (rule and mailbox), read while the batch is still out', async () => {
    let rulesSent = false;
    let rulesSentBeforeBatchAnswered: boolean | null = null;
    const holdBatch: typeof fetch = async (input, init) => {
      if (isRules(input)) rulesSent = true;
      if (!isBatch(input)) return fetch(input, init);
      const res = await fetch(input, init);
      // Held until the rules are asked for (or 3 s): a check that waited for the batch would never ask in time.
      for (let waited = 0; !rulesSent && waited < 3_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      rulesSentBeforeBatchAnswered ??= rulesSent;
      return res;
    };
    const inv = await investigator(holdBatch).investigate({ kind: 'upn', upn: 'forwarder@example.com' as Upn });
    assert.equal(rulesSentBeforeBatchAnswered, true, 'the forwarding check ran concurrently with the batch');
    assert.ok(inv.forwarding.kind === 'read' && inv.forwarding.report.kind === 'checked');
    const report = inv.forwarding.report;
    assert.equal(report.severity, 'high');
    assert.ok(report.mailbox.kind === 'checked' && report.mailbox.smtp?.class.kind === 'external');
    const card = investigationCard(inv, Date.now());
    assert.deepEqual(cardProblems(card), []);
    const surfaces = markdownSurfaces(card).join('\n');
    assert.match(surfaces, /Verdict: HIGH\./);
    assert.match(surfaces, /Hidden inbox rules .* not returned by Graph/);
    assert.ok(!surfaces.includes('billing-collector'), 'addresses stay out of markdown');
    const runs = textRuns(card);
    assert.ok(runs.includes('.'), 'the rule named "." is shown');
    assert.ok(runs.filter((t) => t === 'ap-invoices@billing-collector.example.org').length >= 2, runs.join('|'));
    assert.ok(runs.some((t) => t.includes('Mailbox forwards (ForwardingSmtpAddress) to')));
    const dot = report.rules.find((r) => r.name === '.');
    assert.ok(JSON.stringify(card).includes(`"command":"disable-rule","args":"forwarder@example.com ${dot?.id}"`));
    // The investigation's own actions are unchanged.
    assert.deepEqual(
      (card.actions ?? []).map((a) => (a.data as { command: string }).command),
      ['revoke', 'disable', 'contain', 'mfa'],
    );
  });

  it('compromised@example.com: the consent, the device, the phone and the rule, on one timeline after the sign-in', async () => {
    // Asked once by UPN (grants read alongside the audit read), then again by the remembered id (grants in the batch).
    await investigator().investigate({ kind: 'upn', upn: 'compromised@example.com' as Upn });
    sent.length = 0;
    const inv = await investigator().investigate({ kind: 'upn', upn: 'compromised@example.com' as Upn });
    // Round trips: the batch (with the grants), the audit read and the mailbox reads alongside; then one batch of
    // the service principals the grants and assignments point at.
    assert.equal(sent.filter((r) => r === 'POST /v1.0/$batch').length, 2, sent.join());
    assert.ok(!sent.some((r) => r.startsWith('GET /v1.0/oauth2PermissionGrants')), sent.join());
    assert.ok(inv.apps.kind === 'read', JSON.stringify(inv.apps));
    const app = inv.apps.value.apps.find((a) => a.name === 'Mail Backup Pro');
    assert.ok(app, JSON.stringify(inv.apps.value.apps.map((a) => a.name)));
    assert.deepEqual(app.scopes, ['Mail.ReadWrite', 'offline_access', 'User.Read']);
    assert.deepEqual(app.highRiskScopes, ['Mail.ReadWrite']);
    assert.equal(app.offlineMail, true);
    assert.equal(app.firstParty, false);
    assert.equal(app.verifiedPublisher, null);
    assert.deepEqual(app.flags, ['high-risk-scopes', 'consented-in-window', 'unverified-third-party']);
    const zoom = inv.apps.value.apps.find((a) => a.name === 'Zoom');
    assert.ok(zoom && zoom.items.length === 0 && zoom.verifiedPublisher !== null && zoom.consentedAt !== null);
    const hr = inv.apps.value.apps.find((a) => a.name === 'Example HR Portal');
    assert.ok(hr?.ownOrganization && hr.assignments.length === 1 && hr.flags.length === 0, JSON.stringify(hr));

    assert.ok(inv.devices.kind === 'read');
    const device = inv.devices.value.find((d) => d.name === 'DESKTOP-7Q2K9XB');
    assert.ok(
      device?.inWindow && device.severity === 'high' && device.signIn?.country === 'RO',
      JSON.stringify(device),
    );
    assert.ok(inv.devices.value.some((d) => d.name === 'FIN-LT-0501' && d.severity === null));

    assert.deepEqual(
      inv.methodsAdded.map((m) => [m.family, m.item.kind]),
      [['phone', 'method']],
    );
    assert.ok(inv.changes.kind === 'read');
    assert.deepEqual(
      inv.changes.value.changes.map((c) => c.category),
      ['consent', 'method'],
    );
    assert.deepEqual(
      inv.flagged.map((i) => i.kind),
      ['grant', 'device', 'method'],
    );

    const t = inv.timeline;
    const first = t.firstSuspicious === null ? null : t.events[t.firstSuspicious];
    assert.equal(first?.what, 'Signed in from a new country', JSON.stringify(t.events, null, 1));
    const order = t.events.filter((e) => e.suspicious).map((e) => e.section);
    assert.deepEqual(order, ['sign-ins', 'risk', 'apps', 'devices', 'security-info', 'mailbox']);
    assert.ok(t.events.some((e) => e.section === 'mailbox' && e.at === null && e.suspicious));

    const card = investigationCard(inv, Date.now());
    assert.deepEqual(cardProblems(card), []);
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < 24 * 1024);
    assert.deepEqual(
      (card.actions ?? []).map((a) => (a as { verb: string }).verb),
      ['contain.pick', 'command.run', 'command.run', 'command.run', 'command.run'],
    );
    const lines = visibleLines(card);
    assert.ok(lines.some((l) => l.startsWith('➡️ FIRST SUSPICIOUS') && l.includes('Signed in from a new country')));
    assert.ok(
      lines.includes('1. App grant: Mail Backup Pro — Mail.ReadWrite offline_access User.Read'),
      lines.join('\n'),
    );
    assert.ok(lines.includes('2. Device: DESKTOP-7Q2K9XB'));
  });

  /** A fetch that answers Graph's 403 for the matching requests, inside a `$batch` (by item URL) or alone. */
  function refusing(matches: (url: string) => boolean): typeof fetch {
    const denied = {
      error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
    };
    return async (input, init) => {
      const url = input instanceof Request ? input.url : input.toString();
      if (matches(url))
        return new Response(JSON.stringify(denied), { status: 403, headers: { 'content-type': 'application/json' } });
      if (!isBatch(input)) return fetch(input, init);
      const request = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as {
        requests: { id: string; url: string }[];
      };
      const res = await fetch(input, init);
      const body = (await res.json()) as { responses: { id: string; status: number; body: unknown }[] };
      for (const r of body.responses) {
        const sentUrl = request.requests.find((q) => q.id === r.id)?.url ?? '';
        if (matches(sentUrl)) Object.assign(r, { status: 403, body: denied });
      }
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    };
  }

  it('refused grants leave the apps section unread, naming Directory.Read.All; devices and changes still show', async () => {
    const inv = await investigator(refusing((u) => u.includes('oauth2PermissionGrants'))).investigate({
      kind: 'upn',
      upn: 'compromised@example.com' as Upn,
    });
    assert.deepEqual(inv.apps, { kind: 'unavailable', permission: 'Directory.Read.All' });
    assert.ok(inv.devices.kind === 'read' && inv.devices.value.some((d) => d.severity === 'high'));
    assert.ok(inv.changes.kind === 'read' && inv.changes.value.changes.some((c) => c.category === 'consent'));
    // Without the apps section the consent still reaches the timeline, from the account's own changes.
    assert.ok(
      inv.timeline.events.some((e) => e.section === 'changes' && e.detail?.startsWith('Consent to application')),
    );
    const card = investigationCard(inv, Date.now());
    assert.deepEqual(cardProblems(card), []);
    assert.ok(visibleLines(card).some((l) => /^Not readable: .* missing Directory\.Read\.All\./.test(l)));
  });

  it('refused service principals keep the apps (by id, flagged by scope), naming Application.Read.All', async () => {
    const inv = await investigator(refusing((u) => /\/servicePrincipals\//.test(u))).investigate({
      kind: 'upn',
      upn: 'compromised@example.com' as Upn,
    });
    assert.ok(inv.apps.kind === 'read');
    assert.equal(inv.apps.value.publishersUnavailable, 'Application.Read.All');
    const bad = inv.apps.value.apps.find((a) => a.servicePrincipalId === COMPROMISED_IDS.mailBackupSp);
    assert.ok(bad && bad.firstParty === null && bad.flags.includes('high-risk-scopes') && bad.items.length === 1);
  });

  it('refused devices and audits degrade their own sections only', async () => {
    const inv = await investigator(
      refusing((u) => /registeredDevices|initiatedBy/.test(decodeURIComponent(u))),
    ).investigate({ kind: 'upn', upn: 'compromised@example.com' as Upn });
    assert.deepEqual(inv.devices, { kind: 'unavailable', permission: 'Directory.Read.All' });
    assert.deepEqual(inv.changes, { kind: 'unavailable', permission: 'AuditLog.Read.All + Directory.Read.All' });
    assert.ok(inv.apps.kind === 'read' && inv.apps.value.apps.some((a) => a.items.length > 0));
    assert.ok(
      inv.apps.value.apps.every((a) => a.consentedAt === null),
      'no consent times without the audit read',
    );
  });

  it('a 403 on the inbox rules degrades only the forwarding section, naming MailboxSettings.Read', async () => {
    const refuseRules: typeof fetch = async (input, init) => {
      if (!isRules(input)) return fetch(input, init);
      return new Response(
        JSON.stringify({ error: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials.' } }),
        { status: 403, headers: { 'content-type': 'application/json' } },
      );
    };
    const inv = await investigator(refuseRules).investigate({ kind: 'upn', upn: 'forwarder@example.com' as Upn });
    assert.deepEqual(inv.forwarding, { kind: 'unavailable', permission: 'MailboxSettings.Read' });
    assert.equal(inv.profile.upn, 'forwarder@example.com');
    assert.ok(inv.signIns.kind === 'read');
    assert.ok(inv.mfa.verdict.kind.length > 0);
    const card = investigationCard(inv, Date.now());
    assert.deepEqual(cardProblems(card), []);
    const surfaces = visibleLines(card);
    assert.ok(
      surfaces.some((s) => /^Not readable: .* missing MailboxSettings\.Read\./.test(s)),
      surfaces.join('\n'),
    );
    assert.ok(surfaces.includes('MFA') && surfaces.includes('Sign-ins and risk'));
  });
});

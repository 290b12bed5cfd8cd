import assert from 'node:assert/strict';
import { translateError } from '../../../bot/errors';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { systemClock } from '../../../services/clock';
import { CodedError, isCodedError } from '../../../services/errors';
import type { FetchLike } from '../../../services/graph/transport';
import type { Upn } from '../../../services/ids';
import { createInvestigator } from '../../../services/identity/investigation';
import { createMfaChecker } from '../../../services/identity/mfa-check';
import { createPolicyCache, type MfaEvidenceDeps } from '../../../services/identity/mfa-evidence';
import { silentLogger } from '../../../services/log';
import { recordingGraphClient, scaledLimits, withUsers } from '../../support/demo-turn';

type BatchBody = {
  requests?: { id: string; url: string }[];
  responses?: { id: string; status: number; body: unknown }[];
};

/**
 * Row 11, second half: a `userPrincipalName eq` look-up that returns more than one user must be refused with the
 * candidates named, not answered from whichever row came first. The demo tenant filters correctly, so a fetch
 * wrapper makes the chosen batch item return a second row, as a mis-parsed or injected filter would.
 */
function duplicating(itemId: string, requests: BatchBody[]): FetchLike {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!String(input).split('?')[0]?.endsWith('/$batch')) return response;
    requests.push(JSON.parse(init.body as string) as BatchBody);
    const body = (await response.json()) as BatchBody;
    for (const item of body.responses ?? []) {
      const page = item.body as { value?: Record<string, unknown>[] } | undefined;
      const first = page?.value?.[0];
      if (item.id === itemId && first)
        page.value = [first, { ...first, id: 'other', userPrincipalName: 'other@example.com' }];
    }
    return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
  };
}

describe('row 11: a look-up that matches more than one user is refused, naming the candidates', () => {
  let tenant: DemoTenant;
  before(async () => {
    tenant = await startDemoTenant({ port: 0, timeFactor: 0.01 });
  });
  after(async () => {
    await tenant.close();
  });

  function deps(fetchImpl: FetchLike): MfaEvidenceDeps {
    return {
      ...withUsers(recordingGraphClient(tenant.url, [], { limits: scaledLimits(5), fetch: fetchImpl })),
      audit: { securityInfoEvents: () => Promise.resolve({ events: [], coveredFrom: null }) },
      clock: systemClock,
      policies: createPolicyCache(60_000),
      auditDays: 30,
    };
  }
  const refusal = (upn: string) => (error: unknown) => {
    assert.ok(isCodedError(error, 'user_ambiguous'), String(error));
    assert.deepEqual(error.details.candidates, [upn, 'other@example.com']);
    const reply = translateError(error, 'ref1', silentLogger);
    assert.match(reply, /more than one user/);
    assert.ok(reply.includes(upn) && reply.includes('other@example.com'), reply);
    return true;
  };

  it('mfa: two rows from the registration report filter → refused', async () => {
    const upn = 'mfatest1@example.com';
    const requests: BatchBody[] = [];
    const checker = createMfaChecker(deps(duplicating('registration', requests)));
    await assert.rejects(checker.checkMfaUsability({ kind: 'upn', upn: upn as Upn }), refusal(upn));
    const registration = requests[0]?.requests?.find((r) => r.id === 'registration');
    assert.match(decodeURIComponent(registration?.url ?? ''), /\$filter=userPrincipalName eq 'mfatest1@example\.com'/);
  });

  it('investigate: two rows from the riskyUsers filter → refused', async () => {
    const upn = 'risky@example.com';
    const base = deps(duplicating('risky', []));
    const investigator = createInvestigator({
      ...base,
      forwarding: {
        checkForwarding: () => Promise.reject(new CodedError('graph_unavailable', 'not part of this test')),
      },
    });
    await assert.rejects(investigator.investigate({ kind: 'upn', upn: upn as Upn }), refusal(upn));
  });

  it("investigate addresses a `$`-UPN's licences in the ('…') key form, like every other user path", async () => {
    const requests: BatchBody[] = [];
    const investigator = createInvestigator({
      ...deps(duplicating('none', requests)),
      forwarding: {
        checkForwarding: () => Promise.reject(new CodedError('graph_unavailable', 'not part of this test')),
      },
    });
    await investigator.investigate({ kind: 'upn', upn: '$adm@example.com' as Upn }).catch(() => null);
    const urls = new Map(requests.flatMap((b) => b.requests ?? []).map((r) => [r.id, r.url]));
    assert.equal(urls.get('licenses'), "/users('$adm%40example.com')/licenseDetails");
    assert.equal(urls.get('user')?.split('?')[0], "/users('$adm%40example.com')");
  });
});

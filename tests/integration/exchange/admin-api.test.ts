import assert from 'node:assert/strict';
import { z } from 'zod';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID } from '../../../demo/constants';
import { EXCHANGE_PAGE_SIZE } from '../../../demo/routes/exchange-admin';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import {
  createExchangeAdminApi,
  EXCHANGE_PERMISSION,
  type ExchangeAdminOptions,
} from '../../../services/exchange/admin-api';
import { isCodedError } from '../../../services/errors';
import { ManualClock } from '../../fakes/manual-clock';

const mailbox = z.looseObject({ UserPrincipalName: z.string(), ExternalDirectoryObjectId: z.string() });
const token = { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) };

/** A fetch that answers from a script and records what was asked. */
function scripted(answers: (() => Response)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    const next = answers.shift();
    return next ? Promise.resolve(next()) : Promise.reject(new Error('no more answers'));
  };
  return { calls, fetch };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('integration: Exchange Online admin API client against the demo tenant', () => {
  let tenant: DemoTenant;
  const api = (extra: Partial<ExchangeAdminOptions> = {}) =>
    createExchangeAdminApi({ baseUrl: tenant.url, tenant: DEMO_TENANT_ID, tokens: token, ...extra });

  before(async () => {
    tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN, extraUsers: 2 * EXCHANGE_PAGE_SIZE });
  });
  after(async () => {
    await tenant.close();
  });

  it('a documented endpoint (v2.0 Mailbox) answers Get-Mailbox for one identity', async () => {
    const found = await api().run('Mailbox', {
      cmdlet: 'Get-Mailbox',
      parameters: { Identity: 'forwarder@example.com' },
      schema: mailbox,
    });
    assert.deepEqual(
      found.map((m) => m.UserPrincipalName),
      ['forwarder@example.com'],
    );
  });

  it('follows @odata.nextLink by posting the same body, collecting every page', async () => {
    const all = await api().run('Mailbox', { cmdlet: 'Get-Mailbox', schema: mailbox });
    assert.ok(all.length > 2 * EXCHANGE_PAGE_SIZE, `got ${all.length}`);
    assert.equal(new Set(all.map((m) => m.ExternalDirectoryObjectId)).size, all.length, 'no object twice');
  });

  it('an unknown identity is graph_not_found', async () => {
    await assert.rejects(
      api().run('Mailbox', { cmdlet: 'Get-Mailbox', parameters: { Identity: 'nobody@example.com' }, schema: mailbox }),
      (e: unknown) => isCodedError(e, 'graph_not_found'),
    );
  });

  it('refuses, before sending, a cmdlet that the documented endpoint does not serve', async () => {
    const { calls, fetch } = scripted([]);
    await assert.rejects(api({ fetch }).run('OrganizationConfig', { cmdlet: 'Get-Mailbox', schema: mailbox }));
    assert.equal(calls.length, 0);
  });

  it('the demo endpoint answers 400 for a cmdlet of another endpoint, as the documented API does', async () => {
    const res = await fetch(`${tenant.url}/adminapi/v2.0/${DEMO_TENANT_ID}/OrganizationConfig`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_GRAPH_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ CmdletInput: { CmdletName: 'Get-Mailbox' } }),
    });
    assert.equal(res.status, 400);
  });

  it('the InvokeCommand proxy runs any simulated cmdlet, and its refusal names the permission', async () => {
    const domains = await api().invoke({
      cmdlet: 'Get-AcceptedDomain',
      schema: z.looseObject({ DomainName: z.string() }),
    });
    assert.ok(domains.some((d) => d.DomainName === 'example.com'));
    tenant.state.exchangeProxyDisabled = true;
    try {
      await assert.rejects(
        api().invoke({ cmdlet: 'Get-AcceptedDomain', schema: z.unknown() }),
        (e: unknown) => isCodedError(e, 'graph_forbidden') && e.details.permission === EXCHANGE_PERMISSION,
      );
    } finally {
      tenant.state.exchangeProxyDisabled = false;
    }
  });
});

describe('Exchange admin API client: retries, writes and the token', () => {
  const base = 'https://outlook.example.test';
  const make = (fetch: ExchangeAdminOptions['fetch'], clock = new ManualClock()) =>
    createExchangeAdminApi({ baseUrl: base, tenant: 't', tokens: token, fetch, clock, random: () => 0.5 });

  it('a throttled read waits Retry-After, then succeeds with one logical answer', async () => {
    const clock = new ManualClock();
    const { calls, fetch } = scripted([json(429, {}, { 'retry-after': '3' }), json(200, { value: [{ a: 1 }] })]);
    const pending = make(fetch, clock).invoke({ cmdlet: 'Get-X', schema: z.looseObject({ a: z.number() }) });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(clock.sleeps, [3000]);
    clock.advance(3000);
    assert.deepEqual(await pending, [{ a: 1 }]);
    assert.equal(calls.length, 2);
  });

  it('a write is never replayed: 503 on Set-Mailbox is graph_outcome_unknown after one request', async () => {
    const { calls, fetch } = scripted([json(503, {}), json(200, { value: [] })]);
    await assert.rejects(
      make(fetch).run('Mailbox', {
        cmdlet: 'Set-Mailbox',
        write: true,
        parameters: { Identity: 'a' },
        schema: z.unknown(),
      }),
      (e: unknown) => isCodedError(e, 'graph_outcome_unknown'),
    );
    assert.equal(calls.length, 1);
  });

  it('a nextLink to another host is refused and never receives the token', async () => {
    const { calls, fetch } = scripted([
      json(200, {
        value: [],
        '@odata.nextLink': 'https://evil.example.net/adminapi/beta/t/InvokeCommand?$skiptoken=1',
      }),
    ]);
    await assert.rejects(make(fetch).invoke({ cmdlet: 'Get-X', schema: z.unknown() }), (e: unknown) =>
      isCodedError(e, 'unexpected_response'),
    );
    assert.equal(calls.length, 1);
    assert.ok(calls[0]?.url.startsWith(base));
  });

  it('an object of the wrong shape is refused with the cmdlet named, not passed on', async () => {
    const { fetch } = scripted([json(200, { value: [{ a: 'x' }] })]);
    await assert.rejects(
      make(fetch).invoke({ cmdlet: 'Get-Y', schema: z.looseObject({ a: z.number() }) }),
      (e: unknown) => isCodedError(e, 'unexpected_response') && e.message.includes('Get-Y'),
    );
  });
});

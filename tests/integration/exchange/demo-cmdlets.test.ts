import assert from 'node:assert/strict';
import { z } from 'zod';
import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID } from '../../../demo/constants';
import { exchangeSim } from '../../../demo/exchange/state';
import {
  ATTACKER_DOMAIN,
  COMPROMISED_UPN,
  COMPROMISE_SIGN_IN_AGO,
  FULL_ACCESS_DELEGATE_UPN,
  ROGUE_DEVICE_ID,
} from '../../../demo/seed/scenarios-exchange';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createExchangeAdminApi, type ExchangeAdminApi } from '../../../services/exchange/admin-api';
import { isCodedError } from '../../../services/errors';

const any = z.looseObject({});
const DAY = 24 * 3600_000;

describe('integration: the demo tenant simulates the delegate, device, trace and audit cmdlets', () => {
  let tenant: DemoTenant;
  let api: ExchangeAdminApi;
  before(async () => {
    tenant = await startDemoTenant({ port: 0, requireToken: DEMO_GRAPH_TOKEN });
    api = createExchangeAdminApi({
      baseUrl: tenant.url,
      tenant: DEMO_TENANT_ID,
      tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
    });
  });
  after(async () => {
    await tenant.close();
  });

  const invoke = (cmdlet: string, parameters: Record<string, unknown>, write = false) =>
    api.invoke({ cmdlet, parameters, schema: any, write });

  it('lists the seeded FullAccess delegate beside SELF, and removes it with Remove-MailboxPermission', async () => {
    const before = await invoke('Get-MailboxPermission', { Identity: COMPROMISED_UPN });
    assert.deepEqual(
      before.map((p) => p.User),
      ['NT AUTHORITY\\SELF', FULL_ACCESS_DELEGATE_UPN],
    );
    const audits = exchangeSim(tenant.state).adminAudit.length;
    await invoke(
      'Remove-MailboxPermission',
      { Identity: COMPROMISED_UPN, User: FULL_ACCESS_DELEGATE_UPN, AccessRights: ['FullAccess'], Confirm: false },
      true,
    );
    const after = await invoke('Get-MailboxPermission', { Identity: COMPROMISED_UPN });
    assert.deepEqual(
      after.map((p) => p.User),
      ['NT AUTHORITY\\SELF'],
    );
    assert.equal(exchangeSim(tenant.state).adminAudit.length, audits + 1, 'the removal is audited');
    // Undo: Add-MailboxPermission restores it.
    await invoke(
      'Add-MailboxPermission',
      { Identity: COMPROMISED_UPN, User: FULL_ACCESS_DELEGATE_UPN, AccessRights: ['FullAccess'] },
      true,
    );
    const restored = await invoke('Get-MailboxPermission', {
      Identity: COMPROMISED_UPN,
      User: FULL_ACCESS_DELEGATE_UPN,
    });
    assert.equal(restored.length, 1);
  });

  it('SendAs and SendOnBehalf: add, list, remove with @{remove=…}', async () => {
    await invoke(
      'Add-RecipientPermission',
      { Identity: COMPROMISED_UPN, Trustee: 'adelev@example.com', AccessRights: ['SendAs'], Confirm: false },
      true,
    );
    const sendAs = await invoke('Get-RecipientPermission', { Identity: COMPROMISED_UPN });
    assert.ok(sendAs.some((p) => p.Trustee === 'adelev@example.com'));
    await invoke(
      'Remove-RecipientPermission',
      { Identity: COMPROMISED_UPN, Trustee: 'adelev@example.com', AccessRights: ['SendAs'], Confirm: false },
      true,
    );
    assert.ok(
      !(await invoke('Get-RecipientPermission', { Identity: COMPROMISED_UPN })).some(
        (p) => p.Trustee === 'adelev@example.com',
      ),
    );

    const mailbox = async () =>
      (await api.run('Mailbox', { cmdlet: 'Get-Mailbox', parameters: { Identity: COMPROMISED_UPN }, schema: any }))[0]
        ?.GrantSendOnBehalfTo;
    assert.deepEqual(await mailbox(), ['meganb']);
    await invoke(
      'Set-Mailbox',
      {
        Identity: COMPROMISED_UPN,
        GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', add: ['adelev@example.com'] },
      },
      true,
    );
    assert.deepEqual(await mailbox(), ['meganb', 'adelev']);
    await invoke('Set-Mailbox', { Identity: COMPROMISED_UPN, GrantSendOnBehalfTo: { remove: 'adelev' } }, true);
    assert.deepEqual(await mailbox(), ['meganb']);
  });

  it('Get-Recipient says when an account was created and whether it is a guest', async () => {
    const [backup] = await invoke('Get-Recipient', { Identity: FULL_ACCESS_DELEGATE_UPN });
    assert.ok(Date.parse(String(backup?.WhenCreatedUTC)) > Date.now() - COMPROMISE_SIGN_IN_AGO - 3600_000);
    const [guest] = await invoke('Get-Recipient', { Identity: 'partner@contoso.com' });
    assert.equal(guest?.RecipientTypeDetails, 'GuestMailUser');
    await assert.rejects(invoke('Get-Recipient', { Identity: 'nobody@example.com' }), (e: unknown) =>
      isCodedError(e, 'graph_not_found'),
    );
  });

  it('Get-MobileDevice lists the partnerships, the rogue one first synced after the sign-in', async () => {
    const devices = await invoke('Get-MobileDevice', { Mailbox: COMPROMISED_UPN });
    const rogue = devices.find((d) => d.DeviceId === ROGUE_DEVICE_ID);
    assert.ok(rogue);
    assert.ok(Date.parse(String(rogue.FirstSyncTime)) > Date.now() - COMPROMISE_SIGN_IN_AGO);
    assert.equal(devices.length, 2);
  });

  it('Get-MessageTraceV2 filters by sender and window, refuses more than 10 days, and continues from a row', async () => {
    const now = Date.now();
    const window = { StartDate: new Date(now - 7 * DAY).toISOString(), EndDate: new Date(now).toISOString() };
    const all = await invoke('Get-MessageTraceV2', { SenderAddress: COMPROMISED_UPN, ...window, ResultSize: 5000 });
    assert.equal(all.length, 8);
    assert.equal(all.filter((r) => String(r.RecipientAddress).endsWith(`@${ATTACKER_DOMAIN}`)).length, 3);
    const times = all.map((r) => Date.parse(String(r.Received)));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
      'newest first',
    );
    const first = await invoke('Get-MessageTraceV2', { SenderAddress: COMPROMISED_UPN, ...window, ResultSize: 3 });
    const last = first[2];
    const rest = await invoke('Get-MessageTraceV2', {
      SenderAddress: COMPROMISED_UPN,
      StartDate: window.StartDate,
      EndDate: last?.Received,
      StartingRecipientAddress: last?.RecipientAddress,
      ResultSize: 5000,
    });
    assert.deepEqual(
      [...first, ...rest].map((r) => r.MessageTraceId),
      all.map((r) => r.MessageTraceId),
    );
    await assert.rejects(
      invoke('Get-MessageTraceV2', {
        StartDate: new Date(now - 11 * DAY).toISOString(),
        EndDate: new Date(now).toISOString(),
      }),
      (e: unknown) => isCodedError(e, 'graph_bad_request'),
    );
  });

  it('Search-UnifiedAuditLog finds the grant with the caller, time and parameters', async () => {
    const now = Date.now();
    const records = await invoke('Search-UnifiedAuditLog', {
      StartDate: new Date(now - 7 * DAY).toISOString(),
      EndDate: new Date(now).toISOString(),
      RecordType: 'ExchangeAdmin',
      Operations: ['Add-MailboxPermission'],
      ResultSize: 5000,
    });
    // The attacker's grant (the earlier test's undo left a later one by the app).
    const grant = records.find((r) => r.UserIds === COMPROMISED_UPN);
    assert.ok(grant && String(grant.AuditData).includes(FULL_ACCESS_DELEGATE_UPN));
    assert.ok(Date.parse(String(grant.CreationDate)) > now - COMPROMISE_SIGN_IN_AGO);
  });

  it('a cmdlet the app role does not cover answers 401 "not allowed to call", as Exchange does', async () => {
    exchangeSim(tenant.state).deniedCmdlets.add('Get-MobileDevice');
    try {
      const res = await fetch(`${tenant.url}/adminapi/beta/${DEMO_TENANT_ID}/InvokeCommand`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_GRAPH_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          CmdletInput: { CmdletName: 'Get-MobileDevice', Parameters: { Mailbox: COMPROMISED_UPN } },
        }),
      });
      assert.equal(res.status, 401);
      const body = (await res.json()) as { error: { message: string } };
      assert.match(body.error.message, /not allowed to call Get-MobileDevice/);
    } finally {
      exchangeSim(tenant.state).deniedCmdlets.delete('Get-MobileDevice');
    }
  });
});

import assert from 'node:assert/strict';
import type { CmdletCall, ExchangeAdminApi } from '../../../../services/exchange/admin-api';
import {
  delegateEvents,
  judgeDelegates,
  readGrants,
  type DelegateEvidence,
  type MailboxView,
} from '../../../../services/exchange/delegates';
import { exchangePersistence } from '../../../../services/exchange/investigation';
import { judgeMobileDevices, type MobileDevice } from '../../../../services/exchange/mobile-devices';
import {
  readSentMail,
  summarizeOutbound,
  TRACE_MAX_ROUNDS,
  TRACE_RESULT_SIZE,
} from '../../../../services/exchange/outbound-mail';

const T = Date.parse('2026-11-22T12:00:00Z');
const DAY = 24 * 3600_000;
const HOUR = 3600_000;
const window = { from: T - 7 * DAY, to: T };
const mailbox: MailboxView = {
  id: 'u1',
  upn: 'casey@example.com',
  primarySmtp: 'casey@example.com',
  alias: 'casey',
  displayName: 'Casey',
  sendOnBehalf: [],
};

/** A fake admin API answering invoke() per cmdlet from a function, recording the calls. */
function fakeApi(answer: (call: CmdletCall<unknown>) => unknown[]) {
  const calls: CmdletCall<unknown>[] = [];
  const api: ExchangeAdminApi = {
    run: () => Promise.reject(new Error('not used')),
    invoke: <T>(call: CmdletCall<T>) => {
      calls.push(call);
      return Promise.resolve(answer(call as CmdletCall<unknown>).map((x) => call.schema.parse(x)));
    },
    // eslint-disable-next-line require-yield
    pages: async function* () {
      await Promise.resolve();
      throw new Error('not used');
    },
  };
  return { api, calls };
}

function evidence(over: Partial<DelegateEvidence>): DelegateEvidence {
  return {
    mailbox,
    grants: [],
    recipients: new Map(),
    audit: { kind: 'read', records: [] },
    acceptedDomains: ['example.com'],
    manager: { id: 'mgr', upn: 'boss@example.com' },
    ...over,
  };
}

describe('Exchange delegates: reading and judging', () => {
  it('keeps explicit allowed grants only: not SELF, not inherited, not deny, not system SIDs', async () => {
    const { api } = fakeApi((call) =>
      call.cmdlet === 'Get-MailboxPermission'
        ? [
            {
              User: 'NT AUTHORITY\\SELF',
              AccessRights: ['FullAccess', 'ReadPermission'],
              IsInherited: false,
              Deny: false,
            },
            { User: 'admin@example.com', AccessRights: 'FullAccess, ReadPermission', IsInherited: true, Deny: false },
            { User: 'blocked@example.com', AccessRights: ['FullAccess'], IsInherited: false, Deny: true },
            { User: 'S-1-5-21-1234', AccessRights: ['FullAccess'], IsInherited: false, Deny: false },
            { User: 'reader@example.com', AccessRights: ['ReadPermission'], IsInherited: false, Deny: false },
            { User: 'helper@example.com', AccessRights: 'FullAccess', IsInherited: false, Deny: false },
          ]
        : [
            { Trustee: 'NT AUTHORITY\\SELF', AccessRights: ['SendAs'], AccessControlType: 'Allow', IsInherited: false },
            { Trustee: 'denied@example.com', AccessRights: ['SendAs'], AccessControlType: 'Deny', IsInherited: false },
            { Trustee: 'sender@example.com', AccessRights: ['SendAs'], AccessControlType: 'Allow', IsInherited: false },
          ],
    );
    const grants = await readGrants(api, { ...mailbox, sendOnBehalf: ['boss'] });
    assert.deepEqual(grants, [
      { right: 'FullAccess', trustee: 'helper@example.com' },
      { right: 'SendAs', trustee: 'sender@example.com' },
      { right: 'SendOnBehalf', trustee: 'boss' },
    ]);
  });

  it('the manager is expected; a guest is external; an unresolved holder and a non-manager are medium', () => {
    const report = judgeDelegates(
      evidence({
        grants: [
          { right: 'SendOnBehalf', trustee: 'boss' },
          { right: 'SendAs', trustee: 'partner_contoso.com#EXT#@example.onmicrosoft.com' },
          { right: 'FullAccess', trustee: 'ghost@example.com' },
          { right: 'FullAccess', trustee: 'assistant@example.com' },
        ],
        recipients: new Map([
          [
            'boss',
            { id: 'MGR', address: 'boss@example.com', displayName: 'Boss', type: 'UserMailbox', createdAt: null },
          ],
          [
            'partner_contoso.com#ext#@example.onmicrosoft.com',
            {
              id: 'g1',
              address: 'partner@contoso.com',
              displayName: 'Partner',
              type: 'GuestMailUser',
              createdAt: new Date(T - 400 * DAY).toISOString(),
            },
          ],
          ['ghost@example.com', null],
          [
            'assistant@example.com',
            {
              id: 'a1',
              address: 'assistant@example.com',
              displayName: 'Assistant',
              type: 'UserMailbox',
              createdAt: new Date(T - 400 * DAY).toISOString(),
            },
          ],
        ]),
      }),
      { window },
    );
    const by = new Map(report.findings.map((f) => [f.trustee, f]));
    assert.deepEqual([by.get('boss')?.severity, by.get('boss')?.isManager, by.get('boss')?.item], [null, true, null]);
    const guest = by.get('partner_contoso.com#EXT#@example.onmicrosoft.com');
    assert.deepEqual([guest?.severity, guest?.reasons], ['high', ['external', 'not-manager']]);
    assert.deepEqual(by.get('ghost@example.com')?.reasons, ['unresolved', 'not-manager']);
    assert.equal(by.get('ghost@example.com')?.severity, 'medium');
    assert.equal(by.get('assistant@example.com')?.severity, 'medium');
    assert.equal(report.findings[0]?.severity, 'high', 'high first');
    // contain removes delegates added in the window, external or new (high); a long-standing holder who is merely
    // not the manager, or unresolved, is for the operator to check with the user (remove-delegate), not removed.
    assert.deepEqual(guest?.item, {
      kind: 'delegate',
      delegate: 'partner_contoso.com#EXT#@example.onmicrosoft.com',
      right: 'SendAs',
    });
    assert.equal(by.get('assistant@example.com')?.item, null);
    assert.equal(by.get('ghost@example.com')?.item, null);
  });

  it('dates a grant from the audit only when the record names this mailbox and this holder', () => {
    const record = (mailboxName: string, trusteeText: string, at: number, operation = 'Add-MailboxPermission') => ({
      at: new Date(at).toISOString(),
      operation,
      caller: 'casey@example.com',
      clientIp: '203.0.113.201',
      mailbox: mailboxName,
      trusteeText,
    });
    const report = judgeDelegates(
      evidence({
        grants: [
          { right: 'FullAccess', trustee: 'x@example.com' },
          { right: 'SendOnBehalf', trustee: 'y' },
        ],
        recipients: new Map([
          [
            'x@example.com',
            { id: 'x', address: 'x@example.com', displayName: 'X', type: 'UserMailbox', createdAt: null },
          ],
          ['y', { id: 'y', address: 'y@example.com', displayName: 'Y', type: 'UserMailbox', createdAt: null }],
        ]),
        audit: {
          kind: 'read',
          records: [
            record('other@example.com', 'x@example.com', T - DAY),
            record('Casey', 'x@example.com', T - 2 * DAY, 'Add-RecipientPermission'),
            record('casey', 'x@example.com', T - 3 * DAY),
            record('casey@example.com', '@{Add=y@example.com}', T - 4 * DAY, 'Set-Mailbox'),
          ],
        },
        manager: undefined,
      }),
      { window },
    );
    const x = report.findings.find((f) => f.trustee === 'x@example.com');
    assert.equal(x?.addedAt, new Date(T - 3 * DAY).toISOString());
    assert.deepEqual(x?.reasons, ['added-in-window'], 'manager unknown: not judged');
    assert.equal(report.managerUnknown, true);
    assert.equal(report.findings.find((f) => f.trustee === 'y')?.addedAt, new Date(T - 4 * DAY).toISOString());
  });

  it('a grant of the window whose holder no longer has it (removed by contain) stays on the timeline', () => {
    const record = (trusteeText: string, at: number, operation = 'Add-MailboxPermission') => ({
      at: new Date(at).toISOString(),
      operation,
      caller: 'casey@example.com',
      clientIp: '203.0.113.201',
      mailbox: 'casey@example.com',
      trusteeText,
    });
    const report = judgeDelegates(
      evidence({
        grants: [{ right: 'FullAccess', trustee: 'kept@example.com' }],
        recipients: new Map([
          [
            'kept@example.com',
            { id: 'k', address: 'kept@example.com', displayName: 'K', type: 'UserMailbox', createdAt: null },
          ],
        ]),
        audit: {
          kind: 'read',
          records: [
            record('kept@example.com', T - DAY),
            record('gone@example.com', T - 2 * DAY),
            record('@{Add=sob@example.com}', T - 3 * DAY, 'Set-Mailbox'),
            // A removal logged as Set-Mailbox (contain's own) is no grant.
            record('@{Remove=sob@example.com}', T - HOUR, 'Set-Mailbox'),
            // Set-Mailbox without GrantSendOnBehalfTo (forwarding, quotas…): no holder named, no grant.
            record('', T - 2 * HOUR, 'Set-Mailbox'),
          ],
        },
      }),
      { window },
    );
    assert.deepEqual(
      delegateEvents(report).map((e) => [e.at, e.what, e.detail, e.suspicious]),
      [
        [
          new Date(T - DAY).toISOString(),
          'Mailbox FullAccess granted',
          'kept@example.com (by casey@example.com)',
          true,
        ],
        [
          new Date(T - 2 * DAY).toISOString(),
          'Mailbox FullAccess granted (no longer held)',
          'gone@example.com (by casey@example.com)',
          true,
        ],
        [
          new Date(T - 3 * DAY).toISOString(),
          'SendOnBehalf granted on the mailbox (no longer held)',
          'sob@example.com (by casey@example.com)',
          true,
        ],
      ],
    );
  });
});

describe('Exchange mobile devices: judging', () => {
  const device = (id: string, firstSync: string | null): MobileDevice => ({
    identity: id,
    deviceId: id,
    deviceType: 'Android',
    model: 'Phone',
    os: 'Android 14',
    friendlyName: null,
    userAgent: null,
    clientType: 'EAS',
    accessState: 'Allowed',
    firstSync,
  });

  it('high after the suspicious sign-in, medium earlier in the window, none before the window', () => {
    const out = judgeMobileDevices(
      [
        device('old', new Date(T - 30 * DAY).toISOString()),
        device('before', new Date(T - 3 * DAY).toISOString()),
        device('after', new Date(T - DAY).toISOString()),
        device('undated', null),
      ],
      { window, suspiciousSince: T - 2 * DAY },
    );
    assert.deepEqual(
      out.map((d) => [d.deviceId, d.severity]),
      [
        ['after', 'high'],
        ['before', 'medium'],
        ['old', null],
        ['undated', null],
      ],
    );
  });

  it('a flagged partnership already blocked for the mailbox is no item to contain (contain blocked it)', () => {
    const findings = judgeMobileDevices(
      [
        device('rogue', new Date(T - DAY).toISOString()),
        { ...device('blocked', new Date(T - DAY).toISOString()), accessState: 'Blocked' },
      ],
      { window, suspiciousSince: T - 2 * DAY },
    );
    assert.deepEqual(
      findings.map((d) => d.severity),
      ['high', 'high'],
      'both are still flagged on the card',
    );
    const items = exchangePersistence({
      window,
      delegates: { kind: 'not-checked', reason: { why: 'disabled' } },
      mobileDevices: { kind: 'read', value: findings },
      outboundMail: { kind: 'not-checked', reason: { why: 'disabled' } },
    });
    assert.deepEqual(items, [{ kind: 'mobile-device', deviceId: 'rogue', name: 'Phone (Android 14, EAS)' }]);
  });
});

describe('Exchange mail to outsiders: reading and grouping', () => {
  const row = (at: number, to: string, id: string) => ({
    Received: new Date(at).toISOString(),
    RecipientAddress: to,
    Status: 'Delivered',
    MessageTraceId: id,
  });

  it('groups external recipients by domain; a domain new after the sign-in and a look-alike are suspicious', () => {
    const since = T - 2 * DAY;
    const rows = [
      row(T - 5 * DAY, 'ap@fabrikam.com', 'm1'),
      row(T - DAY, 'ap@fabrikam.com', 'm2'),
      row(T - DAY, 'a@drop.example.org', 'm3'),
      row(T - DAY, 'b@drop.example.org', 'm3'),
      row(T - 6 * DAY, 'ceo@examp1e.com', 'm4'),
      row(T - DAY, 'colleague@example.com', 'm5'),
    ].map((r) => ({
      received: r.Received,
      recipient: r.RecipientAddress,
      status: r.Status,
      messageTraceId: r.MessageTraceId,
    }));
    const report = summarizeOutbound(
      { rows, truncated: false },
      { acceptedDomains: ['example.com'], suspiciousSince: since },
    );
    const by = new Map(report.domains.map((d) => [d.domain, d]));
    assert.deepEqual(
      [
        by.get('drop.example.org')?.messages,
        by.get('drop.example.org')?.recipients,
        by.get('drop.example.org')?.suspicious,
      ],
      [1, ['a@drop.example.org', 'b@drop.example.org'], true],
    );
    assert.equal(by.get('fabrikam.com')?.suspicious, false, 'written to before the sign-in');
    assert.equal(by.get('examp1e.com')?.lookalikeOf, 'example.com');
    assert.equal(by.get('examp1e.com')?.suspicious, true);
    assert.equal(by.has('example.com'), false);
    assert.deepEqual([report.total, report.external], [6, 5]);
  });

  it('continues a full page with StartingRecipientAddress + EndDate, and says when it stopped', async () => {
    const full = (n: number) =>
      Array.from({ length: TRACE_RESULT_SIZE }, (_, i) =>
        row(T - n * 3600_000 - i, `r${i}@out.example.org`, `p${n}-${i}`),
      );
    let page = 0;
    const { api, calls } = fakeApi(() => full(page++));
    const read = await readSentMail(api, 'casey@example.com', { from: T - 2 * DAY, to: T });
    assert.equal(calls.length, TRACE_MAX_ROUNDS);
    assert.equal(read.truncated, true);
    assert.equal(read.rows.length, TRACE_MAX_ROUNDS * TRACE_RESULT_SIZE);
    const second = calls[1]?.parameters ?? {};
    assert.equal(second.StartingRecipientAddress, `r${TRACE_RESULT_SIZE - 1}@out.example.org`);
    assert.equal(second.EndDate, new Date(T - (TRACE_RESULT_SIZE - 1)).toISOString());
  });

  it('splits a window longer than 10 days into slices of at most 10 days', async () => {
    const { api, calls } = fakeApi(() => []);
    await readSentMail(api, 'casey@example.com', { from: T - 25 * DAY, to: T });
    const spans = calls.map(
      (c) => Date.parse(String(c.parameters?.EndDate)) - Date.parse(String(c.parameters?.StartDate)),
    );
    assert.deepEqual(spans, [10 * DAY, 10 * DAY, 5 * DAY]);
  });
});

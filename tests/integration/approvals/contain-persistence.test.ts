import assert from 'node:assert/strict';
import { PHONE_MOBILE_ID } from '../../../demo/seed/methods';
import { methodsOf, type DemoState, type DemoUser } from '../../../demo/state';
import type { DelegateItem, MailboxDelegatePort } from '../../../services/approvals/ports';
import { persistenceKey, type PersistenceItem } from '../../../services/identity/persistence';
import { replyText, startHarness, type Harness } from './harness';

const UPN = 'risky@example.com';
const SP_BACKUP = '5ec0ba00-0000-4000-8000-0000000000a1';
const SP_GRAPH = '5ec0ba00-0000-4000-8000-0000000000a2';
const GRANT_ID = 'grant-mail-backup-pro';
const ASSIGNMENT_ID = 'ara-mail-backup-pro';
const DEVICE_ID = '5ec0de00-0000-4000-8000-0000000000d1';
const APP_ID = '5ec0a900-0000-4000-8000-0000000000e1';
const NEW_SECRET = '5ec0a900-0000-4000-8000-0000000000f2';

function userOf(state: DemoState, upn: string): DemoUser {
  const user = [...state.users.values()].find((u) => u.userPrincipalName.toLowerCase() === upn);
  if (!user) throw new Error(`no demo user ${upn}`);
  return user;
}

/** What an attacker left on the user, in the demo tenant's Graph state (the shapes Graph documents). */
function seedPersistence(state: DemoState): DemoUser {
  const user = userOf(state, UPN);
  state.permissionGrants.push(
    {
      id: GRANT_ID,
      clientId: SP_BACKUP,
      consentType: 'Principal',
      principalId: user.id,
      resourceId: SP_GRAPH,
      scope: 'Mail.ReadWrite offline_access',
    },
    // Another user's grant for the same app: never touched.
    {
      id: 'grant-someone-else',
      clientId: SP_BACKUP,
      consentType: 'Principal',
      principalId: 'another-user',
      resourceId: SP_GRAPH,
      scope: 'Mail.Read',
    },
  );
  state.appRoleAssignments.push({
    id: ASSIGNMENT_ID,
    appRoleId: '00000000-0000-0000-0000-000000000000',
    createdDateTime: new Date(state.startedAt - 3_600_000).toISOString(),
    principalDisplayName: user.displayName,
    principalId: user.id,
    principalType: 'User',
    resourceDisplayName: 'Mail Backup Pro',
    resourceId: SP_BACKUP,
  });
  state.devices.set(DEVICE_ID, {
    id: DEVICE_ID,
    deviceId: 'b1c2d3e4-0000-4000-8000-000000000001',
    displayName: 'DESKTOP-7Q2LAGOS',
    operatingSystem: 'Windows',
    operatingSystemVersion: '10.0.22631',
    trustType: 'Workplace',
    registrationDateTime: new Date(state.startedAt - 3_000_000).toISOString(),
    accountEnabled: true,
  });
  state.deviceLinks.push({ deviceObjectId: DEVICE_ID, userId: user.id, relation: 'registered' });
  state.applications.set(APP_ID, {
    id: APP_ID,
    appId: '5ec0a900-0000-4000-8000-0000000000e2',
    displayName: 'Rita Sales Reports',
    passwordCredentials: [
      { keyId: '5ec0a900-0000-4000-8000-0000000000f1', displayName: 'ci', secretText: null, hint: 'abc' },
      { keyId: NEW_SECRET, displayName: 'backup', secretText: null, hint: 'xyz' },
    ],
    keyCredentials: [],
  });
  state.applicationOwners.push({ appObjectId: APP_ID, userId: user.id });
  return user;
}

const ITEMS: PersistenceItem[] = [
  {
    kind: 'grant',
    id: GRANT_ID,
    app: 'Mail Backup Pro',
    clientId: SP_BACKUP,
    scopes: ['Mail.ReadWrite', 'offline_access'],
  },
  { kind: 'app-role-assignment', id: ASSIGNMENT_ID, app: 'Mail Backup Pro', resourceId: SP_BACKUP },
  { kind: 'delegate', delegate: 'attacker@evil.example', right: 'FullAccess' },
  { kind: 'device', id: DEVICE_ID, name: 'DESKTOP-7Q2LAGOS' },
  { kind: 'method', id: PHONE_MOBILE_ID, methodType: 'phoneMethods', label: 'Mobile phone +1 4255550303' },
  { kind: 'app-credential', appObjectId: APP_ID, keyId: NEW_SECRET, credential: 'password', app: 'Rita Sales Reports' },
];

/** The Exchange side as the exchange module's DelegatePort answers it (in memory here). */
function memoryDelegates(): MailboxDelegatePort & { held: DelegateItem[]; removed: number } {
  const same = (a: DelegateItem, b: DelegateItem): boolean =>
    a.delegate.toLowerCase() === b.delegate.toLowerCase() && a.right === b.right;
  const port = {
    held: [{ kind: 'delegate', delegate: 'attacker@evil.example', right: 'FullAccess' } as DelegateItem],
    removed: 0,
    holds: (_mailbox: string, item: DelegateItem) => Promise.resolve(port.held.some((h) => same(h, item))),
    remove: (_mailbox: string, item: DelegateItem) => {
      port.removed++;
      port.held = port.held.filter((h) => !same(h, item));
      return Promise.resolve({ requestId: null });
    },
    restore: (_mailbox: string, item: DelegateItem) => {
      port.held.push(item);
      return Promise.resolve({ requestId: null });
    },
  };
  return port;
}

async function approveAndRun(h: Harness, card?: { requestId: string; hash: string }): Promise<void> {
  const data = card ?? h.lastCardData();
  assert.match(replyText(await h.click('megan', 'approval.approve', data)), /Approved by Megan Bowen/);
  await h.worker.runOnce();
  await h.worker.idle();
}

describe('integration: contain removes persistence (demo tenant over HTTP)', function () {
  this.timeout(30_000);
  let h: Harness;
  let delegates: ReturnType<typeof memoryDelegates>;
  let flagged: PersistenceItem[];
  afterEach(async () => {
    await h?.close();
  });
  beforeEach(() => {
    delegates = memoryDelegates();
    flagged = [...ITEMS];
  });
  const start = () =>
    startHarness({ flagged: { flagged: () => Promise.resolve(flagged) }, delegates }).then((started) => {
      h = started;
      return seedPersistence(h.tenant.state);
    });

  it('lists every item on the approval card, removes each exactly once after approval, verified and audited', async () => {
    const user = await start();
    await h.say('alex', 'approvals here', 'group');
    const asked = replyText(await h.say('alex', `contain ${UPN} phishing, attacker consent and device`));
    assert.match(asked, /went to the approvals group chat/);
    const card = JSON.stringify(h.messenger.sent.at(-1)?.message);
    for (const shown of [
      'Mail Backup Pro',
      'Mail.ReadWrite offline_access',
      'attacker@evil.example',
      'FullAccess',
      'DESKTOP-7Q2LAGOS',
      PHONE_MOBILE_ID,
      NEW_SECRET,
      "Revoke the app's delegated permission grant",
      'Disable the device',
    ])
      assert.ok(card.includes(shown), shown);

    await approveAndRun(h);
    const state = h.tenant.state;
    assert.equal(h.writes(`/oauth2PermissionGrants/${GRANT_ID}`), 1);
    assert.equal(h.writes(`/appRoleAssignments/${ASSIGNMENT_ID}`), 1);
    assert.equal(h.writes(`/devices/${DEVICE_ID}`), 1);
    assert.equal(h.writes(`/applications/${APP_ID}/removePassword`), 1);
    assert.equal(h.writes(`/phoneMethods/${PHONE_MOBILE_ID}`), 1);
    assert.equal(delegates.removed, 1);
    assert.ok(!state.permissionGrants.some((g) => g.id === GRANT_ID));
    assert.ok(
      state.permissionGrants.some((g) => g.id === 'grant-someone-else'),
      "another user's grant stays",
    );
    assert.ok(!state.appRoleAssignments.some((a) => a.id === ASSIGNMENT_ID));
    assert.equal(state.devices.get(DEVICE_ID)?.accountEnabled, false);
    assert.deepEqual(
      (state.applications.get(APP_ID)?.passwordCredentials as { keyId: string }[]).map((c) => c.keyId),
      ['5ec0a900-0000-4000-8000-0000000000f1'],
    );
    assert.ok(!methodsOf(state, user).some((m) => m.id === PHONE_MOBILE_ID));
    assert.ok(methodsOf(state, user).some((m) => m.id === 'a3a3a3a3-0000-4000-8000-000000000303'));
    assert.deepEqual(delegates.held, []);

    const [done] = (await h.service.pending()).length === 0 ? [await h.service.get(h.lastCardData().requestId)] : [];
    assert.equal(done?.state, 'done');
    const results = done?.execution?.results ?? [];
    assert.equal(results.length, 3 + ITEMS.length, 'revoke, disable, reset, and the items');
    for (const r of results.slice(-ITEMS.length)) assert.deepEqual(r.reasons, ['applied', 'verified'], r.step.kind);
    assert.equal(results.at(-ITEMS.length)?.before?.item?.kind, 'grant');
    const updated = JSON.stringify(h.messenger.updates.at(-1)?.message);
    assert.match(updated, /done/);
    assert.match(updated, /verified by reading it back/);

    // The audit record of the execution names every item and keeps what each was before.
    const requested = (await h.audit.list()).find((r) => r.action === 'approval.requested');
    for (const item of ITEMS) assert.ok(String(requested?.details?.items).includes(persistenceKey(item)));
    const audit = (await h.audit.list()).find((r) => r.action === 'approval.done');
    const details = JSON.stringify(audit?.details);
    for (const item of ITEMS) assert.ok(details.includes(persistenceKey(item)), persistenceKey(item));
    assert.match(details, /Mail.ReadWrite offline_access/);
    assert.ok((await h.audit.verify()).ok);
    // The demo tenant recorded the app's writes as a real tenant would.
    assert.ok(state.audits.some((a) => a.activityDisplayName === 'Remove delegated permission grant'));

    // Exactly once: another worker pass writes nothing more.
    const before = h.tenant.stats().writes.length;
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(h.tenant.stats().writes.length, before);
  });

  it('contain.pick: the picked items only, re-checked against a fresh read; stale keys refuse the request', async () => {
    await start();
    await h.say('alex', 'approvals here', 'group');
    const picked = [persistenceKey(ITEMS[0] as PersistenceItem), persistenceKey(ITEMS[3] as PersistenceItem)];
    const ask = replyText(await h.click('alex', 'contain.pick', { upn: UPN, items: picked }));
    assert.match(ask, /Input.Text/, 'a justification is asked for first');
    assert.match(ask, /contain.pick/);
    assert.deepEqual(await h.service.pending(), []);

    const stale = replyText(
      await h.click('alex', 'contain.pick', { upn: UPN, items: [...picked, 'grant:not-flagged'], justification: 'x' }),
    );
    assert.match(stale, /no longer flagged/);
    assert.deepEqual(await h.service.pending(), []);

    const made = replyText(
      await h.click('alex', 'contain.pick', { upn: UPN, items: picked.join(','), justification: 'phishing' }),
    );
    assert.match(made, /Your request|Approval requested/);
    const [request] = await h.service.pending();
    assert.deepEqual(
      request?.steps.flatMap((s) => (s.item ? [persistenceKey(s.item)] : [])),
      picked,
    );
    // Asked from the approvals chat itself, so the card went there as the answer to this click.
    await approveAndRun(h, { requestId: request?.id ?? '', hash: request?.hash ?? '' });
    assert.equal(h.writes('/oauth2PermissionGrants/'), 1);
    assert.equal(h.writes('/devices/'), 1);
    assert.equal(h.writes('/appRoleAssignments/'), 0, 'not picked, not removed');
    assert.equal(delegates.removed, 0);
  });

  it('single actions: revoke-grant, disable-device and remove-delegate, each approval-gated', async () => {
    await start();
    await h.say('alex', 'approvals here', 'group');
    assert.match(
      replyText(await h.say('alex', `revoke-grant ${UPN} grant-someone-else consent phishing`)),
      /not one of this user/,
    );
    await h.say('alex', `revoke-grant ${UPN} ${GRANT_ID} consent phishing`);
    await approveAndRun(h);
    assert.equal(h.writes('/oauth2PermissionGrants/'), 1);

    await h.say('alex', `disable-device ${UPN} ${DEVICE_ID} registered from Lagos`);
    await approveAndRun(h);
    assert.equal(h.tenant.state.devices.get(DEVICE_ID)?.accountEnabled, false);

    // The undo Graph allows, offered on the finished card.
    assert.match(JSON.stringify(h.messenger.updates.at(-1)?.message), /Undo step 1: .*enable-device risky@example.com/);
    await h.say('alex', `enable-device ${UPN} ${DEVICE_ID} false positive, the user's own PC`);
    await approveAndRun(h);
    assert.equal(h.tenant.state.devices.get(DEVICE_ID)?.accountEnabled, true);
    assert.equal(h.writes(`/devices/${DEVICE_ID}`), 2);

    await h.say('alex', `remove-delegate ${UPN} attacker@evil.example delegate added by the attacker`);
    await approveAndRun(h);
    assert.deepEqual(delegates.held, []);
    assert.equal(delegates.removed, 1);
  });
});

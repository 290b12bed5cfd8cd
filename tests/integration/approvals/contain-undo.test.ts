import assert from 'node:assert/strict';
import { ATTACKER_PHONE, COMPROMISED_IDS, COMPROMISED_UPN } from '../../../demo/seed/scenario-compromised';
import { FULL_ACCESS_DELEGATE_UPN } from '../../../demo/seed/scenarios-exchange';
import { methodsOf } from '../../../demo/state';
import { compromisedSources } from './compromised-sources';
import { approveLast, replyText, startHarness, undoLine, type Harness } from './harness';

/**
 * The undo of `contain compromised@example.com` over the demo tenant: the finished card names the exact command,
 * which goes through the same approval, re-creates the grant / app role assignment / phone from the before-state the
 * removing request kept, and reads it back.
 */
describe('integration: undo of contain — restore-grant, restore-method, restore-delegate, restore-app-role', function () {
  this.timeout(60_000);
  let h: Harness;
  const sources = compromisedSources(() => h.tenant.url);
  after(async () => {
    await h?.close();
  });

  it('contain, then the Undo lines put the grant, the phone, the delegate and an app role assignment back, read back', async () => {
    h = await startHarness({
      tenant: { timeFactor: 0.01 },
      flagged: sources.flagged,
      delegates: sources.delegates,
      mobileDevices: sources.mobileDevices,
    });
    const state = h.tenant.state;
    const user = state.users.get(COMPROMISED_IDS.user);
    assert.ok(user);
    const grantOf = () =>
      state.permissionGrants.filter((g) => g.clientId === COMPROMISED_IDS.mailBackupSp && g.principalId === user.id);
    const original = grantOf()[0];
    assert.ok(original);
    await h.say('alex', 'approvals here', 'group');
    assert.match(replyText(await h.say('alex', `contain ${COMPROMISED_UPN} phished`)), /went to/);
    const containId = await approveLast(h);
    assert.equal(grantOf().length, 0, 'contain revoked the grant');
    assert.equal(methodsOf(state, user).filter((m) => m.phoneType === 'mobile').length, 0, 'and the phone');

    // The grant: the Undo line names request and grant; the re-created grant has a new id and the same fields.
    const restoreGrant = undoLine(h, 'restore-grant');
    assert.equal(restoreGrant, `restore-grant ${COMPROMISED_UPN} ${containId} ${COMPROMISED_IDS.mailBackupGrant}`);
    assert.match(replyText(await h.say('alex', `${restoreGrant} false positive, the user's own backup app`)), /went/);
    const pending = JSON.stringify(h.messenger.sent.at(-1)?.message);
    assert.ok(pending.includes('Mail Backup Pro') && pending.includes(containId), 'the approver sees what comes back');
    const grantUndo = await h.service.get(await approveLast(h));
    assert.deepEqual(grantUndo?.execution?.results[0]?.reasons, ['applied', 'verified']);
    // Audited: which request it undoes and what it put back.
    const { records } = await h.audit.forTarget([COMPROMISED_IDS.user], 100);
    const done = records.find((r) => r.details?.approvalId === grantUndo?.id && r.outcome === 'done');
    assert.equal(done?.details?.undoes, containId);
    assert.match(String(done?.details?.restores), /"scope":"Mail.ReadWrite offline_access User.Read"/);
    const back = grantOf();
    assert.equal(back.length, 1);
    assert.notEqual(back[0]?.id, original.id);
    assert.deepEqual(
      [back[0]?.consentType, back[0]?.resourceId, back[0]?.scope],
      [original.consentType, original.resourceId, original.scope],
    );
    assert.equal(h.writes('/oauth2PermissionGrants'), 2, 'one DELETE, one POST');

    // The phone the contain removed.
    const restorePhone = undoLine(h, 'restore-method');
    assert.ok(restorePhone.includes(containId));
    assert.match(replyText(await h.say('alex', `${restorePhone} the user's own number after all`)), /went/);
    const phoneUndo = await h.service.get(await approveLast(h));
    assert.deepEqual(phoneUndo?.execution?.results[0]?.reasons, ['applied', 'verified']);
    assert.equal(methodsOf(state, user).find((m) => m.phoneType === 'mobile')?.phoneNumber, ATTACKER_PHONE);

    // The FullAccess delegate, through the Exchange admin API simulation (Add-MailboxPermission), read back.
    const fullAccess = { kind: 'delegate', delegate: FULL_ACCESS_DELEGATE_UPN, right: 'FullAccess' } as const;
    assert.equal(await sources.delegates.holds(COMPROMISED_UPN, fullAccess), false);
    const restoreDelegate = undoLine(h, 'restore-delegate');
    assert.equal(restoreDelegate, `restore-delegate ${COMPROMISED_UPN} ${containId} ${FULL_ACCESS_DELEGATE_UPN}`);
    await h.say('alex', `${restoreDelegate} the backup service account is legitimate`);
    const delegateUndo = await h.service.get(await approveLast(h));
    assert.deepEqual(delegateUndo?.execution?.results[0]?.reasons, ['applied', 'verified']);
    assert.equal(await sources.delegates.holds(COMPROMISED_UPN, fullAccess), true);

    // An app role assignment: removed by the single action, put back by its Undo line.
    const assignmentsOf = () =>
      state.appRoleAssignments.filter((a) => a.principalId === user.id && a.resourceId === COMPROMISED_IDS.hrPortalSp);
    await h.say('alex', `revoke-grant ${COMPROMISED_UPN} ${COMPROMISED_IDS.hrPortalAssignment} unknown assignment`);
    const removeId = await approveLast(h);
    assert.equal(assignmentsOf().length, 0);
    const restoreRole = undoLine(h, 'restore-app-role');
    assert.equal(restoreRole, `restore-app-role ${COMPROMISED_UPN} ${removeId} ${COMPROMISED_IDS.hrPortalAssignment}`);
    await h.say('alex', `${restoreRole} HR confirmed the assignment`);
    const roleUndo = await h.service.get(await approveLast(h));
    assert.deepEqual(roleUndo?.execution?.results[0]?.reasons, ['applied', 'verified']);
    assert.deepEqual(
      assignmentsOf().map((a) => a.appRoleId),
      ['00000000-0000-0000-0000-000000000000'],
    );

    // Graph's refusal when the grant is already back: the undo is not sent again.
    await h.say('alex', `${restoreGrant} twice`);
    const again = await h.service.get(await approveLast(h));
    assert.deepEqual(again?.execution?.results[0]?.reasons, ['already-in-state']);
    assert.equal(h.writes('/oauth2PermissionGrants'), 2);
  });
});

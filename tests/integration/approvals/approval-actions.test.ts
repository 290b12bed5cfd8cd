import assert from 'node:assert/strict';
import { methodsOf, rulesOf } from '../../../demo/state';
import { createApprovalService } from '../../../services/approvals/approval-service';
import { createApprovalStore } from '../../../services/approvals/approval-store';
import { CodedError } from '../../../services/errors';
import { createMemoryStorage, createMemoryStore } from '../../../services/storage/memory-storage';
import type { Storage } from '../../../services/storage/port';
import { replyText, startHarness, USERS, type Harness } from './harness';

function userOf(h: Harness, upn: string) {
  const user = [...h.tenant.state.users.values()].find((u) => u.userPrincipalName.toLowerCase() === upn);
  if (!user) throw new Error(`no demo user ${upn}`);
  return user;
}

async function approveAndRun(h: Harness): Promise<void> {
  const data = h.lastCardData();
  assert.match(replyText(await h.click('megan', 'approval.approve', data)), /Approved by Megan Bowen/);
  await h.worker.runOnce();
  await h.worker.idle();
}

/** A storage that can be switched off, to stand for a database that is down. */
function switchableStorage(): { storage: Storage; down: (v: boolean) => void } {
  const inner = createMemoryStorage(createMemoryStore());
  let off = false;
  const gate = <T>(work: () => Promise<T>): Promise<T> =>
    off ? Promise.reject(new CodedError('storage_unavailable', 'storage is down (test)')) : work();
  return {
    down: (v) => (off = v),
    storage: {
      get: (k) => gate(() => inner.get(k)),
      put: (k, v, c) => gate(() => inner.put(k, v, c)),
      delete: (k, c) => gate(() => inner.delete(k, c)),
      list: (p, o) => gate(() => inner.list(p, o)),
      ping: () => gate(() => inner.ping()),
      close: () => inner.close(),
    },
  };
}

describe('integration: response actions and target rules', function () {
  this.timeout(20_000);
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('refuses with instructions when no approvals conversation is designated', async () => {
    h = await startHarness();
    assert.match(
      replyText(await h.say('alex', 'revoke risky@example.com phishing')),
      /No approvals conversation is set/,
    );
    assert.match(replyText(await h.say('alex', 'approvals here')), /go to a channel or group chat/);
    assert.deepEqual(await h.service.pending(), []);
  });

  it('asks for a justification with a card before any request exists, then requests with it', async () => {
    h = await startHarness();
    await h.say('alex', 'approvals here', 'group');
    const ask = replyText(await h.say('alex', 'revoke risky@example.com'));
    assert.match(ask, /Input.Text/);
    assert.match(ask, /approval.justify/);
    assert.deepEqual(await h.service.pending(), []);
    const submitted = replyText(
      await h.click('alex', 'approval.justify', {
        command: 'revoke',
        args: 'risky@example.com',
        justification: 'impossible travel, user confirmed',
      }),
    );
    assert.match(submitted, /Approval requested/);
    const [pending] = await h.service.pending();
    assert.equal(pending?.justification, 'impossible travel, user confirmed');
  });

  it('a request made in the approvals chat posts the card there; `approvals` lists it', async () => {
    h = await startHarness();
    await h.say('alex', 'approvals here', 'group');
    const replies = replyText(await h.say('alex', 'disable risky@example.com confirmed compromise', 'group'));
    assert.match(replies, /Approval: Block sign-in/);
    assert.match(replies, /Approval requested/);
    assert.match(replyText(await h.say('adele', 'approvals')), /disable.*risky@example.com.*pending/);
  });

  it('row 25: refuses admins (active and eligible) and the protected group at request time', async () => {
    h = await startHarness();
    await h.say('alex', 'approvals here', 'group');
    for (const upn of ['admin.sspr@example.com', 'meganb@example.com'])
      assert.match(replyText(await h.say('alex', `revoke ${upn} test`)), /holds an admin role/);
    assert.match(replyText(await h.say('alex', 'disable breakglass@example.onmicrosoft.com test')), /protected group/);
    assert.deepEqual(await h.service.pending(), []);
  });

  it('row 25: re-checks at execution: a target that became an eligible admin is refused without a write', async () => {
    h = await startHarness();
    await h.say('alex', 'approvals here', 'group');
    await h.say('alex', 'revoke risky@example.com phishing');
    h.tenant.state.roleEligibilitySchedules.push({
      id: 'e1',
      principalId: userOf(h, 'risky@example.com').id,
      roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10',
    });
    await approveAndRun(h);
    assert.equal(h.writes('revokeSignInSessions'), 0);
    const card = JSON.stringify(h.messenger.updates.at(-1)?.message);
    assert.match(card, /did not complete/);
    assert.match(card, /holds an admin role/);
  });

  it('synced users: block warns it is mastered on-premises; password reset is refused without writeback', async () => {
    h = await startHarness();
    await h.say('alex', 'approvals here', 'group');
    assert.match(replyText(await h.say('alex', 'reset-password upntest@example.net lost phone')), /PASSWORD_WRITEBACK/);
    await h.say('alex', 'disable upntest@example.net lost laptop');
    assert.match(JSON.stringify(h.messenger.sent.at(-1)?.message), /mastered on-premises/);
  });

  it('guests: revoke warns it has no effect', async () => {
    h = await startHarness();
    await h.say('alex', 'approvals here', 'group');
    await h.say('alex', 'revoke partner_contoso.com#EXT#@example.onmicrosoft.com odd sign-ins');
    assert.match(JSON.stringify(h.messenger.sent.at(-1)?.message), /Guest account: revoking sessions/);
  });

  it('row 41: two instances on one store decide once and execute once', async () => {
    h = await startHarness();
    await h.say('alex', 'approvals here', 'group');
    await h.say('alex', 'revoke risky@example.com phishing');
    const data = h.lastCardData();
    const other = createApprovalService({
      store: createApprovalStore(h.storage),
      tenant: h.deps.tenant as never,
      audit: h.audit,
      clock: h.clock,
      policy: { allowAdminTargets: false, passwordWriteback: false, ttlMs: 1_800_000, dryRun: false },
    });
    const by = { aadObjectId: USERS.megan.aadObjectId, name: 'Megan Bowen' };
    const results = await Promise.all([
      h.service.decide({ id: data.requestId, hash: data.hash, decision: 'approve', by, correlationId: 'a' }),
      other.decide({ id: data.requestId, hash: data.hash, decision: 'reject', by, correlationId: 'b' }),
    ]);
    const kinds = results.map((r) => r.kind).sort();
    assert.deepEqual(kinds, ['already-decided', 'decided']);
    const decisions = (await h.audit.list()).filter((r) => /approval\.(approved|rejected)$/.test(r.action));
    assert.equal(decisions.length, 1);
    await Promise.all([h.worker.runOnce(), h.worker.runOnce()]);
    await h.worker.idle();
    assert.ok(h.writes('revokeSignInSessions') <= 1);
    assert.equal(h.writes('revokeSignInSessions'), decisions[0]?.action === 'approval.approved' ? 1 : 0);
  });

  it('row 42: storage unavailable at the decision → an error answer and no Graph write', async () => {
    const s = switchableStorage();
    h = await startHarness({ storage: s.storage });
    await h.say('alex', 'approvals here', 'group');
    await h.say('alex', 'revoke risky@example.com phishing');
    const data = h.lastCardData();
    s.down(true);
    assert.match(
      replyText(await h.click('megan', 'approval.approve', data)),
      /storage is unavailable, so nothing was done/,
    );
    await assert.rejects(h.worker.runOnce());
    s.down(false);
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(h.writes('revokeSignInSessions'), 0);
    assert.equal((await h.service.get(data.requestId))?.state, 'pending');
  });

  it('DRY_RUN: the flow runs and is audited, the card says dry run, no Graph write', async () => {
    h = await startHarness({ dryRun: true });
    await h.say('alex', 'approvals here', 'group');
    await h.say('alex', 'contain forwarder@example.com forwarding to a collector');
    assert.match(JSON.stringify(h.messenger.sent.at(-1)?.message), /DRY RUN/);
    await approveAndRun(h);
    assert.equal(h.tenant.stats().writes.length, 0);
    assert.match(JSON.stringify(h.messenger.updates.at(-1)?.message), /dry run: no change made/);
    const done = (await h.audit.list()).find((r) => r.action === 'approval.done');
    assert.equal(done?.details?.dryRun, true);
  });

  it('contain: one approval, per-step results; the forwarding rule is disabled and its before-state kept', async () => {
    h = await startHarness();
    await h.say('alex', 'approvals here', 'group');
    await h.say('alex', 'contain forwarder@example.com external forwarding found');
    await approveAndRun(h);
    assert.equal(h.writes('revokeSignInSessions'), 1);
    assert.equal(h.writes('messageRules'), 1);
    const user = userOf(h, 'forwarder@example.com');
    assert.equal(user.accountEnabled, false);
    const forwarding = rulesOf(h.tenant.state, user).filter((r) => JSON.stringify(r.actions).includes('forwardTo'));
    assert.ok(forwarding.length > 0);
    assert.ok(forwarding.every((r) => r.isEnabled === false));
    const record = (await h.audit.list()).find((r) => r.action === 'approval.done');
    assert.match(
      String(record?.details?.steps),
      /revoke:applied\+verified; disable:applied\+verified; reset-password:applied\+delivered; disable-rule/,
    );
    const requestId = String(record?.details?.approvalId);
    const stored = await h.service.get(requestId);
    const ruleStep = stored?.execution?.results.find((r) => r.step.kind === 'disable-rule');
    assert.equal(ruleStep?.before?.ruleEnabled, true);
    assert.equal(stored?.execution?.results.find((r) => r.step.kind === 'disable')?.before?.accountEnabled, true);
  });

  it('reset-password: the temporary password goes only to the requester personal chat, once, and is kept nowhere', async () => {
    const store = createMemoryStore();
    h = await startHarness({ store });
    await h.say('alex', 'approvals here', 'group');
    await h.say('alex', 'reset-password risky@example.com user locked out, identity verified by phone');
    await approveAndRun(h);
    const secretCards = h.messenger.sent.filter((s) => JSON.stringify(s.message).includes('Temporary password'));
    assert.equal(secretCards.length, 1);
    assert.equal(secretCards[0]?.to.conversationType, 'personal');
    assert.equal(secretCards[0]?.to.conversationId, `personal-${USERS.alex.playgroundId}`);
    const password = /"text":"([^"]{16})","weight":"Bolder","fontType":"Monospace"/.exec(
      JSON.stringify(secretCards[0]?.message),
    )?.[1];
    assert.ok(password, 'the card carries the password');
    const everywhere = [
      JSON.stringify([...store.items.values()]),
      JSON.stringify(h.logger.lines),
      JSON.stringify(h.messenger.updates),
      JSON.stringify(h.messenger.sent.filter((s) => s.to.conversationType !== 'personal')),
    ].join('\n');
    assert.ok(!everywhere.includes(password), 'the password is in no storage, log, audit or channel message');
    assert.match(JSON.stringify(h.messenger.updates.at(-1)?.message), /sent to the requester in a personal chat/);
  });

  it('tap: without any personal chat to deliver to, nothing is created and the outcome says so', async () => {
    h = await startHarness();
    await h.say('alex', 'approvals here', 'group');
    const posted = replyText(await h.say('alex', 'tap risky@example.com re-register after phone loss', 'group'));
    const [, requestId, hash] = /"requestId":"([^"]+)","hash":"([0-9a-f]{64})"/.exec(posted) ?? [];
    await h.click('megan', 'approval.approve', { requestId, hash });
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(h.writes('temporaryAccessPassMethods'), 0);
    assert.match(JSON.stringify(h.messenger.updates.at(-1)?.message), /no personal chat with the requester/);
  });

  it('disable-rule then enable-rule restore the rule; remove-method deletes by id', async () => {
    h = await startHarness();
    await h.say('alex', 'approvals here', 'group');
    const user = userOf(h, 'forwarder@example.com');
    const ruleId = String(rulesOf(h.tenant.state, user)[0]?.id);
    await h.say('alex', `disable-rule forwarder@example.com ${ruleId} forwards to a collector`);
    await approveAndRun(h);
    assert.equal(rulesOf(h.tenant.state, user)[0]?.isEnabled, false);
    await h.say('alex', `enable-rule forwarder@example.com ${ruleId} false positive, the user confirmed it`);
    await approveAndRun(h);
    assert.equal(rulesOf(h.tenant.state, user)[0]?.isEnabled, true);
    assert.match(
      replyText(await h.say('alex', 'disable-rule forwarder@example.com nosuchrule test')),
      /rule id is not on this user/,
    );
    const methods = methodsOf(h.tenant.state, userOf(h, 'mfatest2@example.com'));
    const authenticator = methods.find((m) => String(m['@odata.type']).includes('microsoftAuthenticator'));
    await h.say('alex', `remove-method mfatest2@example.com ${String(authenticator?.id)} never verified`);
    await approveAndRun(h);
    assert.equal(h.writes('microsoftAuthenticatorMethods'), 1);
  });
});

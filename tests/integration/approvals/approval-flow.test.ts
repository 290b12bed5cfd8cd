import assert from 'node:assert/strict';
import { replyText, startHarness, USERS, type Harness } from './harness';
import { visibleLines } from '../../support/cards';

const TARGET = 'risky@example.com';

async function designateAndRequest(h: Harness, command = `revoke ${TARGET} reported phishing, confirmed by phone`) {
  assert.match(
    replyText(await h.say('alex', 'approvals here', 'group')),
    /Approval cards now come to this conversation/,
  );
  const reply = replyText(await h.say('alex', command));
  assert.match(reply, /went to the approvals group chat/);
  return h.lastCardData();
}

// reliability-security.md §8 rows 15–22, 25, 41, 42 against the demo tenant over real HTTP.
describe('integration: approval flow (demo tenant, turn handler, worker)', function () {
  this.timeout(20_000);
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('walks request → approve → executed once, verified, card updated, audit chain valid', async () => {
    h = await startHarness();
    const data = await designateAndRequest(h);
    const answer = replyText(await h.click('megan', 'approval.approve', data));
    assert.match(answer, /Approved by Megan Bowen — running/);
    assert.equal(h.writes('revokeSignInSessions'), 0, 'nothing written before the worker runs');
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(h.writes('revokeSignInSessions'), 1);
    const update = visibleLines(h.messenger.updates.at(-1)?.message).join('\n');
    assert.match(update, /Approved by Megan Bowen — done/);
    assert.match(update, /verified by reading it back/);
    const chain = await h.audit.verify();
    assert.ok(chain.ok);
    const actions = (await h.audit.list()).map((r) => r.action);
    for (const a of ['approval.requested', 'approval.approved', 'approval.executing', 'approval.done'])
      assert.ok(actions.includes(a), `${a} in ${actions.join()}`);
    const done = (await h.audit.list()).find((r) => r.action === 'approval.done');
    assert.match(String(done?.details?.graphRequestIds), /^[0-9a-f-]{36}$/);
    assert.equal(done?.details?.decidedBy, USERS.megan.aadObjectId);
    assert.equal(done?.details?.requester, USERS.alex.aadObjectId);
  });

  it('row 15: a double click (two concurrent invokes) makes one decision and one Graph write', async () => {
    h = await startHarness();
    const data = await designateAndRequest(h);
    const [a, b] = await Promise.all([
      h.click('megan', 'approval.approve', data),
      h.click('megan', 'approval.approve', data),
    ]);
    // Replies of concurrent turns share the adapter's queue, so they are checked together.
    const answers = [...a, ...b].filter((r) => r.type === 'invokeResponse');
    assert.equal(answers.length, 2);
    for (const r of answers) assert.match(replyText([r]), /Approved by Megan Bowen/);
    await h.worker.runOnce();
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(h.writes('revokeSignInSessions'), 1);
    assert.equal((await h.audit.list()).filter((r) => r.action === 'approval.approved').length, 1);
  });

  it('row 16: two approvers at once → one execution, both cards name the first approver', async () => {
    h = await startHarness();
    await h.say('adele', 'approvals here', 'group');
    await h.say('adele', `revoke ${TARGET} phishing report`);
    const data = h.lastCardData();
    const [m, a] = await Promise.all([
      h.click('megan', 'approval.approve', data),
      h.click('alex', 'approval.approve', data),
    ]);
    const decided = (await h.service.get(data.requestId))?.decision?.by.name ?? '';
    assert.ok(decided === 'Megan Bowen' || decided === 'Alex Wilber');
    const answers = [...m, ...a].filter((r) => r.type === 'invokeResponse');
    assert.equal(answers.length, 2);
    for (const r of answers) assert.match(replyText([r]), new RegExp(`Approved by ${decided}`));
    await Promise.all([h.worker.runOnce(), h.worker.runOnce()]);
    await h.worker.idle();
    assert.equal(h.writes('revokeSignInSessions'), 1);
  });

  it('row 17: the requester cannot approve their own request (refused, state unchanged, audited)', async () => {
    h = await startHarness();
    const data = await designateAndRequest(h);
    const answer = replyText(await h.click('alex', 'approval.approve', data));
    assert.match(answer, /You made this request, so you cannot decide it/);
    assert.equal((await h.service.get(data.requestId))?.state, 'pending');
    assert.ok((await h.audit.list()).some((r) => r.outcome === 'denied-self'));
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(h.writes('revokeSignInSessions'), 0);
  });

  it('row 18: a non-approver forging an approver id in the card data is refused', async () => {
    h = await startHarness();
    const data = await designateAndRequest(h);
    const forged = {
      ...data,
      aadObjectId: USERS.megan.aadObjectId,
      by: USERS.megan.aadObjectId,
      approver: 'Megan Bowen',
    };
    const answer = replyText(await h.click('isaiah', 'approval.approve', forged));
    assert.match(answer, /Only members of the approvers group/);
    const adele = replyText(await h.click('adele', 'approval.approve', forged));
    assert.match(adele, /Only members of the approvers group/);
    assert.equal((await h.service.get(data.requestId))?.state, 'pending');
  });

  it('row 19: approval after expiry is refused and nothing runs', async () => {
    h = await startHarness();
    const data = await designateAndRequest(h);
    h.clock.advance(30 * 60_000 + 1);
    const answer = replyText(await h.click('megan', 'approval.approve', data));
    assert.match(answer, /Expired/);
    assert.doesNotMatch(answer, /Approved by/);
    assert.equal((await h.service.get(data.requestId))?.state, 'expired');
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(h.writes('revokeSignInSessions'), 0);
  });

  it('expiry is enforced by the worker too: the card is updated to say so', async () => {
    h = await startHarness();
    const data = await designateAndRequest(h);
    h.clock.advance(30 * 60_000);
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal((await h.service.get(data.requestId))?.state, 'expired');
    assert.match(JSON.stringify(h.messenger.updates.at(-1)?.message), /Expired: nobody decided in time/);
  });

  it('row 20: a stale or altered card (wrong hash, rejected request) is refused', async () => {
    h = await startHarness();
    const data = await designateAndRequest(h);
    const altered = { ...data, hash: data.hash.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) };
    assert.match(replyText(await h.click('megan', 'approval.approve', altered)), /does not match the stored request/);
    assert.match(replyText(await h.click('megan', 'approval.reject', data)), /Rejected by Megan Bowen/);
    assert.match(replyText(await h.click('megan', 'approval.approve', data)), /Rejected by Megan Bowen/);
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(h.writes('revokeSignInSessions'), 0);
  });

  it('row 21: refresh invokes (trigger automatic) only show state, even on the approve verb', async () => {
    h = await startHarness();
    const data = await designateAndRequest(h);
    const refresh = replyText(await h.click('isaiah', 'approval.refresh', data, 'automatic'));
    assert.match(refresh, /Waiting for an approver/);
    const auto = replyText(await h.click('megan', 'approval.approve', data, 'automatic'));
    assert.match(auto, /Waiting for an approver/);
    assert.equal((await h.service.get(data.requestId))?.state, 'pending');
    await h.worker.runOnce();
    await h.worker.idle();
    assert.equal(h.writes('revokeSignInSessions'), 0);
  });

  it('row 22: a 20-second Graph write: the invoke is answered at once, a repeated invoke is a no-op', async function () {
    this.timeout(30_000);
    // writeDelayMs 20 s scaled by timeFactor 0.2: the write lands, then the answer takes 4 s.
    h = await startHarness({ tenant: { writeDelayMs: 20_000, timeFactor: 0.2 } });
    const data = await designateAndRequest(h);
    const started = Date.now();
    const answer = replyText(await h.click('megan', 'approval.approve', data));
    await h.worker.runOnce();
    assert.ok(Date.now() - started < 2_000, `answered in ${Date.now() - started} ms`);
    assert.match(answer, /running/);
    const again = replyText(await h.click('megan', 'approval.approve', data));
    assert.match(again, /Approved by Megan Bowen — running/);
    await h.worker.runOnce();
    assert.ok(Date.now() - started < 2_000);
    await h.worker.idle();
    assert.ok(Date.now() - started >= 3_500, 'the slow write really was slow');
    assert.equal(h.writes('revokeSignInSessions'), 1);
    assert.match(JSON.stringify(h.messenger.updates.at(-1)?.message), /done/);
  });
});

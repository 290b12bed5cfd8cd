import assert from 'node:assert/strict';
import { connectorBodies, startBotHarness, type BotHarness } from './bot-harness';

const REVOKE = 'revoke risky@example.com reported phishing, confirmed by phone';

async function designate(h: BotHarness): Promise<void> {
  const answer = await h.post(h.activity('alex', { text: 'approvals here' }, 'group'));
  assert.equal(answer.status, 200);
}

function approvalCards(h: BotHarness): string[] {
  return connectorBodies(h.connector).filter((b) => b.includes('approval.approve'));
}

function cardData(h: BotHarness): { requestId: string; hash: string } {
  const match = /"requestId":"([^"]+)","hash":"([0-9a-f]{64})"/.exec(approvalCards(h).at(-1) ?? '');
  assert.ok(match, 'an approval card was posted');
  return { requestId: match[1] ?? '', hash: match[2] ?? '' };
}

// issue 10 item 11: Teams re-sends an activity it thinks went unanswered, with the same id.
describe('integration: re-delivered activities run once (real HTTP, demo tenant)', function () {
  this.timeout(20_000);
  let h: BotHarness;
  afterEach(async () => {
    await h?.close();
  });

  for (const copies of [2, 3]) {
    it(`the same message posted ${copies} times at once makes one approval request`, async () => {
      h = await startBotHarness();
      await designate(h);
      const message = h.activity('alex', { text: REVOKE });
      const answers = await Promise.all(Array.from({ length: copies }, () => h.post(message)));
      assert.deepEqual(
        answers.map((a) => a.status),
        Array<number>(copies).fill(200),
      );
      await h.background.drain();
      assert.equal((await h.approvals.routeDeps.service.pending()).length, 1);
      assert.equal(approvalCards(h).length, 1);
      const requested = (await h.audit.list()).filter((r) => r.action === 'approval.requested');
      assert.equal(requested.length, 1);
      // The copies got no reply of their own: one "went to the approvals group chat" answer in the personal chat.
      assert.equal(connectorBodies(h.connector).filter((b) => b.includes('went to the approvals')).length, 1);
    });
  }

  it('a re-delivered Approve invoke makes one decision (also guarded by the versioned decision) and gets the first answer', async () => {
    h = await startBotHarness();
    await designate(h);
    await h.post(h.activity('alex', { text: REVOKE }));
    const data = cardData(h);
    const click = h.activity(
      'megan',
      {
        type: 'invoke',
        name: 'adaptiveCard/action',
        replyToId: 'card-1',
        value: { action: { type: 'Action.Execute', verb: 'approval.approve', data } },
      },
      'group',
    );
    const [first, second] = await Promise.all([h.post(click), h.post(click)]);
    const third = await h.post(click);
    for (const answer of [first, second, third]) assert.equal(answer?.status, 200);
    // The decider's name is its own (untrusted) TextRun after our wording.
    assert.match(first?.text ?? '', /"Approved by ".*"Megan Bowen"/);
    assert.equal(third.text, first?.text, 'a later copy gets the stored answer of the first');
    await h.approvals.worker.runOnce();
    await h.approvals.worker.idle();
    const actions = (await h.audit.list()).map((r) => r.action);
    assert.equal(actions.filter((a) => a === 'approval.approved').length, 1);
    assert.equal(h.tenant.stats().writes.filter((w) => w.path.includes('revokeSignInSessions')).length, 1);
  });

  it('a re-delivered card button that asks for approval (the justification card) makes one request', async () => {
    h = await startBotHarness();
    await designate(h);
    const submit = h.activity('alex', {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: {
        action: {
          type: 'Action.Execute',
          verb: 'approval.justify',
          data: { command: 'revoke', args: 'risky@example.com', justification: 'reported phishing' },
        },
      },
    });
    const answers = await Promise.all([h.post(submit), h.post(submit), h.post(submit)]);
    for (const answer of answers) assert.equal(answer.status, 200);
    assert.equal((await h.approvals.routeDeps.service.pending()).length, 1);
    assert.equal(approvalCards(h).length, 1);
  });

  it('a new activity id in the same conversation runs again (only copies are deduped)', async () => {
    h = await startBotHarness();
    await designate(h);
    await h.post(h.activity('alex', { text: REVOKE }));
    await h.post(h.activity('alex', { text: REVOKE }));
    assert.equal((await h.approvals.routeDeps.service.pending()).length, 2);
  });
});

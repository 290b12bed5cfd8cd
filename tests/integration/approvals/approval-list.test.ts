import assert from 'node:assert/strict';
import { GROUP, replyText, startHarness, USERS, type Harness } from './harness';

// issue 10 item 15: the approvals list pages instead of outgrowing Teams' message limit.
describe('integration: the approvals list pages (demo tenant, turn handler)', function () {
  this.timeout(30_000);
  let h: Harness;
  after(async () => {
    await h?.close();
  });

  it('shows 30 pending requests as two pages of 25 and 5; Next replaces the card with page 2', async () => {
    h = await startHarness();
    // Stored through the service (one target read), so the test spends its time on the list, not 30 requests.
    const plan = await h.service.prepare({ action: 'revoke', target: 'risky@example.com' });
    assert.equal(plan.kind, 'ready');
    if (plan.kind !== 'ready') return;
    const requester = { aadObjectId: USERS.alex.aadObjectId, name: USERS.alex.displayName };
    for (let i = 0; i < 30; i += 1)
      await h.service.create({
        plan,
        action: 'revoke',
        justification: `report ${i}`,
        requester,
        origin: GROUP,
        correlationId: `c${i}`,
      });
    const list = replyText(await h.say('alex', 'approvals'));
    assert.match(list, /Open approval requests \(30\) — page 1 of 2/);
    assert.match(list, /"title":"Next"/);
    const next = replyText(await h.click('alex', 'approvals.page', { page: 1 }));
    assert.match(next, /page 2 of 2/);
    assert.match(next, /"title":"Previous"/);
    assert.doesNotMatch(next, /"title":"Next"/);
  });

  it('refuses the page button to a caller outside the operators group', async () => {
    h ??= await startHarness();
    assert.match(replyText(await h.click('megan', 'approvals.page', { page: 1 })), /operators group/);
  });
});

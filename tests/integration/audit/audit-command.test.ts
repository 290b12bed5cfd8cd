import assert from 'node:assert/strict';
import type { AuditRecord } from '../../../services/audit/audit-log';
import { createMemoryStorage } from '../../../services/storage/memory-storage';
import type { Storage } from '../../../services/storage/port';
import { replyText, startHarness, type Harness } from '../approvals/harness';

// `audit <upn>` and `audit verify` through the turn handler, against the demo tenant.
describe('integration: the audit command', function () {
  this.timeout(20_000);
  let h: Harness;
  const lists: string[] = [];
  const inner = createMemoryStorage();
  const storage: Storage = { ...inner, list: (prefix, options) => (lists.push(prefix), inner.list(prefix, options)) };

  before(async () => {
    h = await startHarness({ storage });
    for (const upn of ['risky@example.com', 'adelev@example.com', 'risky@example.com'])
      await h.say('alex', `user ${upn}`);
  });
  after(async () => {
    await h?.close();
  });

  it("shows the user's own records with the chain checked, without listing the whole trail", async () => {
    lists.length = 0;
    const card = replyText(await h.say('alex', 'audit risky@example.com'));
    assert.match(card, /Hash chain verified/);
    // The reply text carries each line twice (as seen and in the card), so records are counted by their number.
    const shown = new Set([...card.matchAll(/#(\d+) command:user/g)].map((m) => m[1]));
    assert.deepEqual([...shown], ['3', '1'], 'the two look-ups of risky, not the one of adele');
    assert.ok(!lists.includes('audit/log/'), `listed ${lists.join(', ')}`);
  });

  it('checks the whole chain on `audit verify`', async () => {
    assert.match(
      replyText(await h.say('alex', 'audit verify')),
      /Audit trail checked from the first record: \d+ records, hash chain intact/,
    );
  });

  it('reports a tampered record in both forms', async () => {
    const [first] = (await inner.get<AuditRecord[]>('audit/log/000000000001'))?.value ?? [];
    assert.ok(first);
    await inner.put('audit/log/000000000001', [{ ...first, outcome: 'denied' }], { overwrite: true });
    assert.match(replyText(await h.say('alex', 'audit verify')), /BROKEN at record 1 \(record altered\)/);
    assert.match(replyText(await h.say('alex', 'audit risky@example.com')), /BROKEN at record 1/);
  });
});

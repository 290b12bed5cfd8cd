import assert from 'node:assert/strict';
import { APPROVAL_LIST_PAGE_SIZE, approvalListCard } from '../../../cards/approval-list.card';
import type { ApprovalRecord } from '../../../services/approvals/types';
import { cardProblems, textRuns } from '../../support/cards';

const NOW = Date.parse('2026-11-22T12:00:00Z');
// Teams refuses a message above about 28 KB (the card JSON plus the activity around it).
const TEAMS_LIMIT_BYTES = 28 * 1024;
const LONG = 'x'.repeat(300);

function pending(i: number): ApprovalRecord {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    action: 'disable-rule',
    target: {
      id: '5eed0000-0000-4000-8000-000000000201',
      upn: `${LONG}${i}@example.com`,
      displayName: LONG,
      accountEnabled: true,
      synced: false,
      guest: false,
      adminRoles: [],
      protectedMember: false,
    },
    steps: [{ kind: 'disable-rule', ruleId: 'AQAAAJ5dZqA=', ruleName: LONG }],
    justification: LONG,
    requester: { aadObjectId: 'a1', name: `${LONG}\u202e` },
    createdAt: NOW - i * 1000,
    expiresAt: NOW + 30 * 60_000,
    hash: 'a'.repeat(64),
    dryRun: false,
    warnings: [],
    state: 'pending',
  };
}

function buttons(card: ReturnType<typeof approvalListCard>): { title: string; page: number }[] {
  return (card.actions ?? []).map((a) => ({
    title: String(a.title),
    page: (a.data as { page: number; verb: string }).page,
  }));
}

// issue 10 item 15: at 100 pending the list was 31.7 KB, at 200 63 KB; Teams takes about 28 KB.
describe('cards/approval-list.card: paged', () => {
  const records = Array.from({ length: 200 }, (_, i) => pending(i));

  it('splits 200 pending requests with the longest names into pages well under Teams’ limit', () => {
    const pages = Math.ceil(200 / APPROVAL_LIST_PAGE_SIZE);
    for (let page = 0; page < pages; page += 1) {
      const card = approvalListCard(records, NOW, page);
      const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
      assert.ok(bytes < TEAMS_LIMIT_BYTES * 0.75, `page ${page + 1} is ${bytes} bytes`);
      assert.deepEqual(cardProblems(card), []);
      assert.ok(textRuns(card).every((t) => !t.includes('\u202e')));
    }
    const all = Array.from({ length: pages }, (_, p) => approvalListCard(records, NOW, p));
    const rows = all.flatMap((c) => c.body.filter((e) => e.type === 'RichTextBlock'));
    assert.equal(rows.length, 200, 'every request on exactly one page');
  });

  it('says which page it is and offers Previous / Next where there is one', () => {
    assert.match(
      JSON.stringify(approvalListCard(records, NOW, 0).body[0]),
      /Open approval requests \(200\) — page 1 of 8/,
    );
    assert.deepEqual(buttons(approvalListCard(records, NOW, 0)), [{ title: 'Next', page: 1 }]);
    assert.deepEqual(buttons(approvalListCard(records, NOW, 3)), [
      { title: 'Previous', page: 2 },
      { title: 'Next', page: 4 },
    ]);
    assert.deepEqual(buttons(approvalListCard(records, NOW, 99)), [{ title: 'Previous', page: 6 }], 'clamped');
    const card = approvalListCard(records, NOW, 1);
    assert.ok(card.actions?.every((a) => a.verb === 'approvals.page' && a.type === 'Action.Execute'));
  });

  it('a short list has one page and no buttons', () => {
    const card = approvalListCard(records.slice(0, 3), NOW);
    assert.match(JSON.stringify(card.body[0]), /Open approval requests \(3\)"/);
    assert.equal(card.actions, undefined);
  });
});

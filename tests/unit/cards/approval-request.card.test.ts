import assert from 'node:assert/strict';
import { approvalJustifyCard } from '../../../cards/approval-justify.card';
import { approvalAuditCard, approvalListCard } from '../../../cards/approval-list.card';
import { approvalRequestCard } from '../../../cards/approval-request.card';
import { approvalSecretCard } from '../../../cards/approval-secret.card';
import type { ApprovalRecord } from '../../../services/approvals/types';
import { cardProblems, markdownSurfaces, textRuns, visibleLines } from '../../support/cards';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const EVIL_RULE = '[Reset your password](https://example.org/reset)';
const EVIL_TEXT = 'ok\n\n**Approved by CISO** <at>Megan</at>';
const EVIL_NAME = '**Security Team**\u202e';

function record(overrides: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id: '8f0c8f57-64c2-4cf4-9f33-1b2f3c4d5e6f',
    action: 'contain',
    target: {
      id: '5eed0000-0000-4000-8000-000000000201',
      upn: 'markdown@example.com',
      displayName: EVIL_NAME,
      accountEnabled: true,
      synced: true,
      guest: false,
      adminRoles: [],
      protectedMember: false,
    },
    steps: [
      { kind: 'revoke' },
      { kind: 'disable' },
      { kind: 'disable-rule', ruleId: 'AQAAAJ5dZqA=', ruleName: EVIL_RULE },
    ],
    justification: EVIL_TEXT,
    requester: { aadObjectId: 'a1', name: EVIL_NAME },
    createdAt: NOW,
    expiresAt: NOW + 30 * 60_000,
    hash: 'a'.repeat(64),
    dryRun: false,
    warnings: ['synced-mastered-on-premises'],
    state: 'pending',
    ...overrides,
  };
}

describe('cards/approval-request.card', () => {
  it('validates, and untrusted strings appear only in TextRuns, stripped of newlines and bidi (rows 13, 14)', () => {
    const card = approvalRequestCard(record(), NOW);
    assert.deepEqual(cardProblems(card), []);
    const surfaces = markdownSurfaces(card).join('\n');
    for (const evil of ['Reset your password', 'Approved by CISO', 'Security Team', '<at>'])
      assert.ok(!surfaces.includes(evil), `${evil} must not reach markdown`);
    const runs = textRuns(card).join('\n');
    assert.ok(runs.includes(EVIL_RULE));
    assert.ok(runs.includes('ok  **Approved by CISO** <at>Megan</at>'));
    assert.ok(!runs.includes('\u202e'));
    assert.ok(textRuns(card).every((run) => !run.includes('\n')));
  });

  it('pending: Approve/Reject carry only the request id and hash, with Action.Submit fallbacks; refresh is manual', () => {
    const card = approvalRequestCard(record(), NOW);
    const actions = card.actions ?? [];
    assert.deepEqual(
      actions.map((a) => [a.verb, a.data, (a.fallback as { type: string }).type]),
      ['approval.approve', 'approval.reject'].map((verb) => [
        verb,
        { verb, requestId: record().id, hash: 'a'.repeat(64) },
        'Action.Submit',
      ]),
    );
    assert.deepEqual(card.refresh?.userIds, []);
  });

  it('decided, expired and finished cards have no buttons and say who decided', () => {
    const by = { aadObjectId: 'm', name: 'Megan Bowen' };
    const states: [Partial<ApprovalRecord>, RegExp][] = [
      [{ state: 'approved', decision: { kind: 'approved', by, at: NOW } }, /Approved by Megan Bowen — running/],
      [{ state: 'rejected', decision: { kind: 'rejected', by, at: NOW } }, /Rejected by Megan Bowen/],
      [{ state: 'expired' }, /Expired: nobody decided in time/],
      [{}, /Expired: this request can no longer be approved/],
      [
        {
          state: 'done',
          decision: { kind: 'approved', by, at: NOW },
          execution: {
            startedAt: NOW,
            results: [{ step: { kind: 'revoke' }, ok: true, reasons: ['applied', 'verified'], requestIds: ['r'] }],
          },
        },
        /done.*verified by reading it back/s,
      ],
    ];
    for (const [overrides, expected] of states) {
      const now = Object.keys(overrides).length === 0 ? NOW + 31 * 60_000 : NOW;
      const card = approvalRequestCard(record(overrides), now);
      assert.equal(card.actions, undefined, JSON.stringify(overrides));
      assert.match(visibleLines(card).join('\n'), expected);
    }
  });

  it('dry run is said at the top', () => {
    assert.match(JSON.stringify(approvalRequestCard(record({ dryRun: true }), NOW).body[0]), /DRY RUN/);
  });

  it('the justification, secret, list and audit cards validate and keep untrusted text in TextRuns', () => {
    const cards = [
      approvalJustifyCard('revoke', 'markdown@example.com'),
      approvalSecretCard({
        kind: 'password',
        targetUpn: 'a@example.com',
        secret: 'Xy7!abcdEFGH1234',
        approvalId: 'id',
      }),
      approvalListCard([record()], NOW),
      approvalAuditCard(
        'markdown@example.com',
        [
          {
            id: 'i',
            seq: 1,
            at: new Date(NOW).toISOString(),
            prevHash: '0',
            hash: '1',
            actor: { aadObjectId: 'a1', name: EVIL_NAME },
            action: 'approval.done',
            outcome: 'done',
            correlationId: 'c',
            details: { steps: EVIL_RULE },
          },
        ],
        { ok: true, count: 1 },
        NOW,
      ),
    ];
    for (const card of cards) {
      assert.deepEqual(cardProblems(card), []);
      const surfaces = markdownSurfaces(card).join('\n');
      assert.ok(!surfaces.includes('Security Team') && !surfaces.includes('Reset your password'));
    }
    assert.ok(textRuns(cards[1]).includes('Xy7!abcdEFGH1234'));
  });
});

import assert from 'node:assert/strict';
import { forwardingCard } from '../../../cards/forwarding.card';
import { messageRuleSchema } from '../../../services/graph/schemas/message-rule';
import { judgeMailboxForwarding, type ForwardingReport } from '../../../services/mailbox/forwarding-check';
import { judgeRule } from '../../../services/mailbox/rule-verdict';
import { cardProblems, markdownSurfaces, textRuns, visibleLines } from '../../support/cards';

const VERIFIED = ['example.com'];
const EVIL_NAME = '[Reset your password](https://example.org/reset)';
const EVIL_RECIPIENT = '**Security Team**';

function report(mailbox: Extract<ForwardingReport, { kind: 'checked' }>['mailbox']): ForwardingReport {
  const evil = messageRuleSchema.parse({
    id: 'rule-1',
    displayName: EVIL_NAME,
    sequence: 1,
    isEnabled: true,
    conditions: { subjectContains: ['invoice', '**urgent**'], hasAttachments: true },
    actions: { forwardTo: [{ emailAddress: { name: EVIL_RECIPIENT, address: 'drop@evil.example.org' } }] },
  });
  const benign = messageRuleSchema.parse({
    id: 'rule-2',
    displayName: 'Tidy',
    isEnabled: false,
    actions: { assignCategories: ['x'] },
  });
  return {
    kind: 'checked',
    userId: 'u1',
    user: 'markdown@example.com',
    rules: [judgeRule(evil, VERIFIED), judgeRule(benign, VERIFIED)],
    mailbox,
    severity: 'high',
  };
}

describe('cards/forwarding.card', () => {
  const card = forwardingCard(report({ kind: 'not-configured' }));

  it('is a valid Adaptive Card', () => assert.deepEqual(cardProblems(card), []));

  it('shows rule names and recipient names only as TextRuns, literally', () => {
    const runs = textRuns(card);
    assert.ok(runs.includes(EVIL_NAME));
    assert.ok(runs.includes(EVIL_RECIPIENT));
    for (const surface of markdownSurfaces(card)) {
      assert.ok(!surface.includes(EVIL_NAME) && !surface.includes('Security Team'), surface);
      assert.ok(!surface.includes('evil.example.org'), surface);
    }
  });

  it('says when a flagged rule fires, with the condition values as TextRuns', () => {
    const runs = textRuns(card);
    assert.ok(runs.includes('invoice, **urgent**'));
    assert.ok(runs.includes('subjectContains') && runs.includes('hasAttachments'));
    assert.ok(!markdownSurfaces(card).some((s) => s.includes('urgent')));
  });

  it('offers "Disable this rule" for a flagged rule only, via the disable-rule command', () => {
    const json = JSON.stringify(card);
    assert.ok(json.includes('"args":"markdown@example.com rule-1"'));
    assert.ok(!json.includes('rule-2"'));
    assert.ok(json.includes('"command":"disable-rule"'));
  });

  it('says mailbox forwarding was not checked and how to enable it, and that hidden rules are invisible', () => {
    const all = markdownSurfaces(card).join(' ');
    assert.match(all, /NOT checked/);
    assert.match(all, /EXCHANGE_ADMIN_ENABLED=true/);
    assert.match(all, /Exchange\.ManageAsApp/);
    assert.match(all, /Hidden inbox rules .* not returned by Graph/);
  });

  it('shows mailbox-level external forwarding when checked', () => {
    const view = judgeMailboxForwarding(
      {
        userId: 'u1',
        upn: 'markdown@example.com',
        forwardingSmtpAddress: 'smtp:ap@collector.example.org',
        forwardingAddress: null,
        deliverToMailboxAndForward: false,
      },
      VERIFIED,
    );
    assert.equal(view.kind === 'checked' && view.severity, 'high');
    const c = forwardingCard(report(view));
    assert.ok(textRuns(c).includes('ap@collector.example.org'));
    assert.match(markdownSurfaces(c).join(' '), /No copy is kept/);
  });

  it('says mailbox forwarding could not be checked, naming the Exchange permission', () => {
    const c = forwardingCard(report({ kind: 'failed', code: 'graph_forbidden', permission: 'Exchange.ManageAsApp' }));
    assert.match(
      visibleLines(c).join(' '),
      /could NOT be checked: Exchange refused the bot\. Grant Exchange\.ManageAsApp/,
    );
  });

  it('says "no mailbox" for a user without Exchange', () => {
    const c = forwardingCard({ kind: 'no-mailbox', userId: 'u', user: 'nomailbox@example.com' });
    assert.match(markdownSurfaces(c).join(' '), /No mailbox/);
  });
});

import assert from 'node:assert/strict';
import { isContainableRule, planSteps } from '../../../../services/approvals/plan';
import type { MethodView } from '../../../../services/approvals/ports';
import { messageRuleSchema } from '../../../../services/graph/schemas/message-rule';
import { fakeTenant } from './fakes';

// What `contain` disables (graph-api.md §6): any rule that forwards, forwards as attachment, redirects or deletes.
const to = [{ emailAddress: { address: 'drop@evil.example' } }];
const rule = (id: string, actions: Record<string, unknown>, isEnabled = true) =>
  messageRuleSchema.parse({ id, displayName: `rule ${id}`, isEnabled, actions });

describe('approvals/plan', () => {
  it('a rule is containable when it forwards, forwards as attachment, redirects or deletes; a move is not', () => {
    assert.equal(isContainableRule(rule('a', { forwardTo: to })), true);
    assert.equal(isContainableRule(rule('b', { forwardAsAttachmentTo: to })), true);
    assert.equal(isContainableRule(rule('c', { redirectTo: to })), true);
    assert.equal(isContainableRule(rule('d', { delete: true })), true);
    assert.equal(isContainableRule(rule('e', { permanentDelete: true })), true);
    assert.equal(isContainableRule(rule('f', { moveToFolder: 'x', markAsRead: true })), false);
  });

  it('contain disables every enabled containable rule and names it; disabled or harmless rules are left', async () => {
    const { tenant, user } = fakeTenant();
    tenant.listRules = () =>
      Promise.resolve([
        rule('fwd', { forwardAsAttachmentTo: to }),
        rule('redir', { redirectTo: to }),
        rule('off', { forwardTo: to }, false),
        rule('move', { moveToFolder: 'x' }),
      ]);
    const plan = await planSteps(tenant, user, { action: 'contain', target: user.upn });
    assert.equal(plan.kind, 'ready');
    assert.deepEqual(plan.kind === 'ready' ? plan.steps : null, [
      { kind: 'revoke' },
      { kind: 'disable' },
      { kind: 'reset-password' },
      { kind: 'disable-rule', ruleId: 'fwd', ruleName: 'rule fwd' },
      { kind: 'disable-rule', ruleId: 'redir', ruleName: 'rule redir' },
    ]);
  });

  it('remove-method needs a method the user has that can be deleted by type (not the password)', async () => {
    const { tenant, user, methods } = fakeTenant();
    const phone: MethodView = {
      id: 'm1',
      typeSegment: 'phoneMethods',
      odataType: '#microsoft.graph.phoneAuthenticationMethod',
      createdDateTime: null,
    };
    methods.push(phone, {
      ...phone,
      id: 'pw',
      typeSegment: null,
      odataType: '#microsoft.graph.passwordAuthenticationMethod',
    });
    const ok = await planSteps(tenant, user, { action: 'remove-method', target: user.upn, methodId: 'm1' });
    assert.deepEqual(ok.kind === 'ready' ? ok.steps : null, [
      { kind: 'remove-method', methodId: 'm1', methodType: 'phoneMethods' },
    ]);
    for (const methodId of ['pw', 'nope'])
      assert.equal(
        (await planSteps(tenant, user, { action: 'remove-method', target: user.upn, methodId })).kind,
        'method-not-found',
      );
  });

  it('a rule step needs a rule that exists; its name is carried for the card', async () => {
    const { tenant, user } = fakeTenant();
    const found = await planSteps(tenant, user, { action: 'disable-rule', target: user.upn, ruleId: 'r1' });
    assert.deepEqual(found.kind === 'ready' ? found.steps : null, [
      { kind: 'disable-rule', ruleId: 'r1', ruleName: 'fwd' },
    ]);
    assert.equal(
      (await planSteps(tenant, user, { action: 'enable-rule', target: user.upn, ruleId: 'r9' })).kind,
      'rule-not-found',
    );
    assert.equal((await planSteps(tenant, user, { action: 'enable-rule', target: user.upn })).kind, 'rule-not-found');
  });
});

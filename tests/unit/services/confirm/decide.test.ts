import assert from 'node:assert/strict';
import {
  canonicalId,
  confirmKindOf,
  decideAnswer,
  dueStep,
  LATER_MS,
  newConfirmation,
  sameUser,
  YES_SUPPRESS_MS,
} from '../../../../services/confirm/decide';
import type { Confirmation } from '../../../../services/confirm/types';
import { ALEX, MEGAN, ownSecurityInfoAlert } from './fixtures';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const alex = { aadObjectId: ALEX, name: 'Alex Wilber' };

function asked(overrides: Partial<Confirmation> = {}): Confirmation {
  return {
    ...newConfirmation(ownSecurityInfoAlert(), 'security-info', NOW),
    state: 'asked',
    askedAt: NOW,
    deadline: NOW + 30 * 60_000,
    attempts: 1,
    question: {
      conversation: {
        conversationId: 'a:personal',
        conversationType: 'personal',
        tenantId: 't',
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        reference: {},
      },
      activityId: 'q1',
    },
    ...overrides,
  };
}

describe('"was this you?": which alerts ask the user', () => {
  it("asks about the user's own security-info change, not about an admin's", () => {
    assert.equal(confirmKindOf(ownSecurityInfoAlert()), 'security-info');
    const byAdmin = ownSecurityInfoAlert({
      activity: 'Admin registered security info',
      actor: 'helpdesk@example.com',
      severity: 'high',
    });
    assert.equal(confirmKindOf(byAdmin), null);
    // The activity says "User …" but someone else did it: not the user's to confirm.
    assert.equal(confirmKindOf(ownSecurityInfoAlert({ actor: 'mallory@example.com' })), null);
    assert.equal(confirmKindOf(ownSecurityInfoAlert({ actorKind: 'app', actor: 'Some app' })), null);
  });

  it('asks about a consent and a device registration by the user, and a new forwarding rule in their mailbox', () => {
    const consent = ownSecurityInfoAlert({ rule: 'consent-granted', activity: 'Consent to application' });
    assert.equal(confirmKindOf(consent), 'consent');
    const device = ownSecurityInfoAlert({ rule: 'device-registered', activity: 'Register device' });
    assert.equal(confirmKindOf(device), 'device');
    const rule = ownSecurityInfoAlert({ rule: 'external-forwarding', actor: null, actorKind: 'unknown' });
    assert.equal(confirmKindOf(rule), 'forwarding-rule');
  });

  it("never asks about tenant-wide events or alerts without the user's object id", () => {
    assert.equal(confirmKindOf(ownSecurityInfoAlert({ rule: 'conditional-access-changed' })), null);
    assert.equal(confirmKindOf(ownSecurityInfoAlert({ rule: 'risky-user' })), null);
    const noId = ownSecurityInfoAlert({ subject: { id: null, upn: 'alexw@example.com', displayName: null } });
    assert.equal(confirmKindOf(noId), null);
  });
});

describe('"was this you?": answers', () => {
  it('compares object ids canonically: case and braces do not matter, other ids never match', () => {
    assert.equal(canonicalId(`{${ALEX.toUpperCase()}}`), ALEX);
    assert.ok(sameUser(ALEX.toUpperCase(), `{${ALEX}}`));
    assert.ok(!sameUser(ALEX, MEGAN));
    assert.ok(!sameUser('', ''));
  });

  it('takes the answer only from the user the question is about', () => {
    const c = asked();
    assert.deepEqual(decideAnswer(c, 'yes', { aadObjectId: MEGAN, name: 'Megan' }, NOW), {
      ok: false,
      reason: 'not-the-user',
    });
    const upper = decideAnswer(c, 'no', { aadObjectId: ALEX.toUpperCase(), name: null }, NOW);
    assert.ok(upper.ok);
  });

  it('Yes confirms and suppresses the same kind of alert for 24 h; No raises it; the first answer stands', () => {
    const yes = decideAnswer(asked(), 'yes', alex, NOW + 1000);
    assert.ok(yes.ok);
    assert.equal(yes.next.state, 'confirmed');
    assert.deepEqual(yes.effect, { kind: 'confirmed', suppressUntil: NOW + 1000 + YES_SUPPRESS_MS });
    assert.equal(yes.next.answer?.by, ALEX);
    assert.deepEqual(decideAnswer(yes.next, 'no', alex, NOW + 2000), { ok: false, reason: 'closed' });

    const no = decideAnswer(asked(), 'no', alex, NOW);
    assert.ok(no.ok);
    assert.equal(no.next.state, 'denied');
    assert.deepEqual(no.effect, { kind: 'denied' });
  });

  it('Not now postpones once, by 4 hours; a second Not now is refused, Yes/No still count', () => {
    const later = decideAnswer(asked(), 'later', alex, NOW);
    assert.ok(later.ok);
    assert.equal(later.next.state, 'later');
    assert.equal(later.next.laterUntil, NOW + LATER_MS);
    assert.equal(later.next.deadline, null);
    const again = { ...later.next, state: 'asked' as const, deadline: NOW + LATER_MS + 30 * 60_000 };
    assert.deepEqual(decideAnswer(again, 'later', alex, NOW + LATER_MS), { ok: false, reason: 'later-used' });
    assert.ok(decideAnswer(again, 'no', alex, NOW + LATER_MS).ok);
  });

  it('nothing to answer before the question was sent, or after it escalated', () => {
    const pending = newConfirmation(ownSecurityInfoAlert(), 'security-info', NOW);
    assert.deepEqual(decideAnswer(pending, 'yes', alex, NOW), { ok: false, reason: 'not-asked' });
    assert.deepEqual(decideAnswer(asked({ state: 'escalated' }), 'yes', alex, NOW), { ok: false, reason: 'closed' });
  });
});

describe('"was this you?": what is due', () => {
  it('asks a pending one, escalates an unanswered one at its deadline, asks again when Not now runs out', () => {
    const pending = newConfirmation(ownSecurityInfoAlert(), 'security-info', NOW);
    assert.equal(dueStep(pending, NOW), 'ask');
    const c = asked();
    assert.equal(dueStep(c, NOW + 30 * 60_000 - 1), null);
    assert.equal(dueStep(c, NOW + 30 * 60_000), 'escalate');
    const later = asked({ state: 'later', laterUsed: true, laterUntil: NOW + LATER_MS, deadline: null });
    assert.equal(dueStep(later, NOW + LATER_MS - 1), null);
    assert.equal(dueStep(later, NOW + LATER_MS), 'ask-again');
    assert.equal(dueStep(asked({ state: 'confirmed' }), NOW + 10 * LATER_MS), null);
  });

  it('a send that died is tried again once stale, and given up after three attempts', () => {
    const sending = asked({ state: 'asking', attemptAt: NOW, attempts: 1, question: null });
    assert.equal(dueStep(sending, NOW + 1000), null);
    assert.equal(dueStep(sending, NOW + 60_000), 'ask');
    assert.equal(dueStep({ ...sending, attempts: 3 }, NOW + 60_000), 'escalate');
  });
});

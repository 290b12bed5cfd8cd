import assert from 'node:assert/strict';
import { alertCard } from '../../../cards/alert.card';
import { confirmQuestionCard } from '../../../cards/confirm-question.card';
import type { AlertRecord } from '../../../services/alerts/types';
import { newConfirmation } from '../../../services/confirm/decide';
import type { Confirmation } from '../../../services/confirm/types';
import { cardProblems, markdownSurfaces, visibleLines } from '../../support/cards';
import { ownSecurityInfoAlert } from '../services/confirm/fixtures';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const EVIL = '[Click](https://evil.example) **now**';

function question(overrides: Partial<Confirmation> = {}): Confirmation {
  return {
    ...newConfirmation(ownSecurityInfoAlert({ detail: EVIL }), 'security-info', NOW),
    state: 'asked',
    deadline: NOW + 30 * 60_000,
    ...overrides,
  };
}

/** The verb data of each button: what a click sends. */
function buttons(card: object): { title: string; answer: unknown; confirmationId: unknown }[] {
  const actions = (card as { actions?: { title: string; data: Record<string, unknown> }[] }).actions ?? [];
  return actions.map((a) => ({ title: a.title, answer: a.data.answer, confirmationId: a.data.confirmationId }));
}

describe('cards/confirm-question: "was this you?"', () => {
  it('says what, when and from where, with Yes / No / Not now for this question; untrusted text as TextRuns', () => {
    const card = confirmQuestionCard(question(), NOW);
    assert.deepEqual(cardProblems(card), []);
    const lines = visibleLines(card).join('\n');
    for (const part of [
      'Was this you?',
      'security info',
      'User registered security info',
      '2026-11-22 11:58 UTC',
      '203.0.113.77',
    ])
      assert.ok(lines.includes(part), part);
    assert.ok(!markdownSurfaces(card).join('\n').includes('evil.example'));
    assert.deepEqual(buttons(card), [
      { title: 'Yes, it was me', answer: 'yes', confirmationId: 'alert-0000000001' },
      { title: "No, it wasn't me", answer: 'no', confirmationId: 'alert-0000000001' },
      { title: 'Not now (ask again in 4 h)', answer: 'later', confirmationId: 'alert-0000000001' },
    ]);
    // The answering user's identity is never in the card data: it comes from the authenticated activity.
    assert.ok(!JSON.stringify(card.actions).includes('aadObjectId'));
  });

  it('after Not now was used, only Yes and No remain', () => {
    const card = confirmQuestionCard(
      question({ laterUsed: true, state: 'later', laterUntil: NOW + 4 * 3600_000 }),
      NOW,
    );
    assert.deepEqual(
      buttons(card).map((b) => b.answer),
      ['yes', 'no'],
    );
    assert.match(visibleLines(card).join('\n'), /ask again 2026-11-22 16:00 UTC/);
  });

  it('once answered or escalated: no buttons, and what was recorded', () => {
    const yes = confirmQuestionCard(
      question({ state: 'confirmed', answer: { value: 'yes', by: 'x', byName: null, at: NOW } }),
      NOW,
    );
    assert.equal(buttons(yes).length, 0);
    assert.match(visibleLines(yes).join('\n'), /You answered \*\*Yes, it was me\*\*/);
    const no = confirmQuestionCard(
      question({ state: 'denied', answer: { value: 'no', by: 'x', byName: null, at: NOW } }),
      NOW,
    );
    assert.match(visibleLines(no).join('\n'), /security team has been alerted/);
    const late = confirmQuestionCard(question({ state: 'escalated' }), NOW);
    assert.equal(buttons(late).length, 0);
    assert.match(visibleLines(late).join('\n'), /No answer was recorded in time/);
  });
});

describe("cards/alert: the user's answer", () => {
  const record = (confirmation: AlertRecord['confirmation']): AlertRecord => ({
    alert: ownSecurityInfoAlert(),
    acknowledged: null,
    snoozed: null,
    messages: {},
    ...(confirmation ? { confirmation } : {}),
  });
  const titles = (r: AlertRecord): string[] =>
    ((alertCard(r, NOW).actions ?? []) as { title: string }[]).map((a) => a.title);

  it('shows that the user was asked, and until when', () => {
    const card = alertCard(record({ state: 'asked', at: '2026-11-22T12:30:00Z', reason: null }), NOW);
    assert.deepEqual(cardProblems(card), []);
    assert.match(visibleLines(card).join('\n'), /Asked the user "was this you\?"; escalates 2026-11-22 12:30 UTC/);
    assert.ok(!titles(record({ state: 'asked', at: null, reason: null })).includes('Contain'));
  });

  it('confirmed by the user: says so, no Contain', () => {
    const r = record({ state: 'confirmed', at: '2026-11-22T12:05:00Z', reason: null });
    assert.match(visibleLines(alertCard(r, NOW)).join('\n'), /Confirmed by the user/);
    assert.ok(!titles(r).includes('Contain'));
  });

  it('denied or escalated: Investigate and Contain (the approval flow), with the reason', () => {
    for (const state of ['denied', 'escalated', 'unreachable'] as const) {
      const r = record({ state, at: '2026-11-22T12:30:00Z', reason: 'No answer within 30 minutes.' });
      assert.deepEqual(cardProblems(alertCard(r, NOW)), []);
      assert.ok(titles(r).includes('Investigate'), state);
      assert.ok(titles(r).includes('Contain'), state);
      const contain = JSON.stringify((alertCard(r, NOW).actions ?? []).find((a) => a.title === 'Contain'));
      assert.match(contain, /"command":"contain","args":"alexw@example.com"/);
    }
    const denied = visibleLines(alertCard(record({ state: 'denied', at: null, reason: null }), NOW)).join('\n');
    assert.match(denied, /says it was \*\*not\*\* them/);
    const escalated = record({ state: 'escalated', at: null, reason: 'No answer within 30 minutes.' });
    assert.match(visibleLines(alertCard(escalated, NOW)).join('\n'), /Escalated .*No answer within 30 minutes/);
  });
});

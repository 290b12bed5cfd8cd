import assert from 'node:assert/strict';
import { alertCard } from '../../../../cards/alert.card';
import { confirmQuestionCard } from '../../../../cards/confirm-question.card';
import { createConfirmRenderer } from '../../../../bot/proactive/confirm-renderer';
import { createAlertRenderer } from '../../../../bot/proactive/alert-renderer';
import { alertConfirmation, newConfirmation } from '../../../../services/confirm/decide';
import type { AlertRecord } from '../../../../services/alerts/types';
import { ManualClock } from '../../../fakes/manual-clock';
import { ownSecurityInfoAlert } from '../../services/confirm/fixtures';

describe('bot/proactive/confirm-renderer: the "was this you?" cards at the clock\'s time', () => {
  const clock = new ManualClock(Date.parse('2026-11-22T12:10:00Z'));
  const alert = ownSecurityInfoAlert();
  const asked = { ...newConfirmation(alert, 'security-info', clock.now()), state: 'asked' as const };
  const record: AlertRecord = {
    alert,
    acknowledged: null,
    snoozed: null,
    messages: {},
    confirmation: alertConfirmation(asked),
  };

  it('the question is the confirm-question card, the channel copy is the alert card showing the confirmation', () => {
    const renderer = createConfirmRenderer(clock);
    assert.deepEqual(renderer.question(asked), { card: confirmQuestionCard(asked, clock.now()) });
    const channel = renderer.alert(record);
    assert.deepEqual(channel, { card: alertCard(record, clock.now()) });
    assert.match(JSON.stringify(channel.card), /Was this you\?|asked/i);
  });

  it('the same record renders the same channel card as the alert loop posts (one look for both updates)', () => {
    assert.deepEqual(createConfirmRenderer(clock).alert(record), createAlertRenderer(clock).alert(record));
  });
});

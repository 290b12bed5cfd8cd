import { alertCard } from '../../cards/alert.card';
import { confirmQuestionCard } from '../../cards/confirm-question.card';
import type { Clock } from '../../services/clock';
import type { ConfirmRenderer } from '../../services/confirm/ports';

/** The "was this you?" question and the channel alert card, for services/confirm. */
export function createConfirmRenderer(clock: Clock): ConfirmRenderer {
  return {
    question: (c) => ({ card: confirmQuestionCard(c, clock.now()) }),
    alert: (record) => ({ card: alertCard(record, clock.now()) }),
  };
}

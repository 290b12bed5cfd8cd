import type { z } from 'zod';
import { confirmQuestionCard, type confirmAnswerDataSchema } from '../../cards/confirm-question.card';
import type { Confirmations } from '../../services/confirm/confirmations';
import type { AnswerRefusal } from '../../services/confirm/decide';
import type { VerbContext, VerbResult } from '../commands/command';

/** What the confirmation verb needs from the service. */
export type ConfirmRouteDeps = Pick<Confirmations, 'answer' | 'get'>;

const REFUSED: Record<Exclude<AnswerRefusal, 'closed'>, string> = {
  'not-the-user': 'Only the person this question is about can answer it.',
  'later-used': '"Not now" can be used once: please answer Yes or No.',
  'not-asked': 'That question is not open.',
};

/**
 * Yes / No / Not now on a "was this you?" card. The answer counts only from the user the question is about (the
 * caller is the authenticated activity's), once; the clicked card is replaced by what was recorded.
 */
export async function answerConfirmation(
  ctx: VerbContext,
  data: z.output<typeof confirmAnswerDataSchema>,
  deps: ConfirmRouteDeps,
): Promise<VerbResult> {
  if (ctx.trigger === 'automatic') return {};
  const outcome = await deps.answer(data.confirmationId, data.answer, ctx.caller, ctx.correlationId);
  if (outcome.kind === 'not-found') return { reply: { kind: 'text', text: 'That question is no longer stored.' } };
  if (outcome.kind === 'refused') {
    // The first answer stands: a second click (or a re-delivered one) sees what was recorded.
    if (outcome.reason === 'closed') return { card: confirmQuestionCard(outcome.confirmation, ctx.now) };
    return { reply: { kind: 'text', text: REFUSED[outcome.reason] } };
  }
  return { card: confirmQuestionCard(outcome.confirmation, ctx.now) };
}

import { z } from 'zod';
import { containPickJustifyCard } from '../../cards/contain-pick.card';
import { sanitizeUntrusted } from '../../cards/text';
import { userRefSchema } from '../../services/ids';
import type { VerbContext, VerbResult } from '../commands/command';
import { requestAction } from '../commands/response-actions';
import type { ApprovalRouteDeps } from './approval-deps';

const key = z.string().min(1).max(400);

/**
 * What the investigate card's "Contain selected" button (and the justification card after it) carries: the user, the
 * persistence keys picked (persistenceKey; a list, or the comma-separated value of a multi-select input) and, from
 * the justification card, the typed justification.
 */
export const containPickDataSchema = z.object({
  upn: z.string().min(1).max(320),
  items: z.union([
    z.array(key).max(100),
    z
      .string()
      .max(40_000)
      .transform((s) =>
        s
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean),
      ),
  ]),
  justification: z.string().max(1000).default(''),
});
export type ContainPickData = z.output<typeof containPickDataSchema>;

/**
 * "Contain selected": a `contain` request with exactly the picked items. The investigation is read again and each
 * picked key must still be flagged there (planSteps refuses stale or unknown keys); the picked list is never taken
 * as the items themselves, only as a choice among what the fresh read flags.
 */
export async function containPicked(
  ctx: VerbContext,
  data: ContainPickData,
  deps: ApprovalRouteDeps,
): Promise<VerbResult> {
  // A refresh invoke reaches every viewer on its own: it never requests anything.
  if (ctx.trigger === 'automatic') return {};
  const target = userRefSchema.safeParse(data.upn);
  if (!target.success)
    return { reply: { kind: 'text', text: 'That card names no valid user; nothing was requested.' } };
  const items = [...new Set(data.items)];
  if (items.length === 0)
    return {
      reply: {
        kind: 'text',
        text: 'Nothing was picked, so nothing was requested: tick the items to contain on the investigate card.',
      },
    };
  const justification = sanitizeUntrusted(data.justification, 1000).trim();
  // A new message, so the investigate card stays where it is.
  if (justification === '') return { reply: { kind: 'card', card: containPickJustifyCard({ upn: data.upn, items }) } };
  const reply = await requestAction(
    ctx,
    { name: 'contain' },
    { target: target.data, justification, head: data.upn },
    deps,
    items,
  );
  return { reply };
}

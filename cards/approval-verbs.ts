import { z } from 'zod';

/** What the approval card's buttons carry (verbs approval.approve, .reject, .refresh in bot/commands/table.ts): the request id and the hash the decision must match. */
export const decisionDataSchema = z.object({
  requestId: z.uuid(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DecisionData = z.infer<typeof decisionDataSchema>;

/** What the justification card submits: the command to run and the typed justification. */
export const justifyDataSchema = z.object({
  command: z.string().max(32),
  args: z.string().max(512),
  justification: z.string().max(1000).default(''),
});
export type JustifyData = z.infer<typeof justifyDataSchema>;

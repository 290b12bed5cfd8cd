import { z } from 'zod';

/** Card verbs of the approval flow, declared once (bot/app.ts routes them). */
export const APPROVAL_VERBS = {
  approve: 'approval.approve',
  reject: 'approval.reject',
  refresh: 'approval.refresh',
  justify: 'approval.justify',
} as const;

/** What Approve/Reject/Refresh buttons carry: the request id and the hash the decision must match. */
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

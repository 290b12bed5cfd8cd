import type { AdaptiveCard } from '../../cards/elements';
import type { ConversationRef } from '../../services/messaging/port';
import { z } from 'zod';
import { textReply, type Caller, type CommandContext, type Reply, type VerbContext, type VerbResult } from './command';

/** What a tenant-wide background job (the forwarding sweep, the MFA report) answers when asked to start. */
export type JobStart<S> =
  | { kind: 'started'; jobId: string }
  | { kind: 'already-running'; view: { requesterName: string | null; startedAt: number; scope: S; jobId: string } };

/** A job that runs once per tenant, posting its progress card in the conversation that asked. */
export interface BackgroundJob<S> {
  start(request: {
    scope: S;
    requester: Caller;
    conversation: ConversationRef;
    post: (card: object) => Promise<{ activityId: string }>;
  }): Promise<JobStart<S>>;
  cancel(jobId: string, by: Caller): Promise<{ kind: 'cancelling' | 'not-running' }>;
}

/** Starts `job` over `scope`: "started" with where the result comes, or who runs the one already running. */
export async function startBackgroundJob<S>(
  ctx: CommandContext,
  scope: S,
  job: Pick<BackgroundJob<S>, 'start'>,
  words: { started: string; running: string; label: (scope: S) => string; result: string },
): Promise<Reply> {
  const result = await job.start({
    scope,
    requester: ctx.caller,
    conversation: ctx.conversation,
    // A job only posts cards built by its own cards/ module.
    post: (card) => ctx.notify({ kind: 'card', card: card as AdaptiveCard }),
  });
  if (result.kind === 'started')
    return textReply(
      `${words.started} started over ${words.label(scope)}. The card above updates as it goes; ${words.result} follows at the end.`,
    );
  const v = result.view;
  const who = v.requesterName ?? 'another operator';
  const at = new Date(v.startedAt).toISOString().slice(0, 16).replace('T', ' ');
  return textReply(
    `${words.running} is already running (started by ${who} at ${at} UTC over ${words.label(v.scope)}, job ${v.jobId}). Only one runs per tenant: wait for it, or cancel it from its card.`,
  );
}

/** What the Cancel button of a job's progress card carries. */
export const jobCancelDataSchema = z.object({ jobId: z.uuid() });

/** A job's cancel verb: stops it from its progress card (operators only; identity from the activity). */
export async function cancelBackgroundJob(
  ctx: VerbContext,
  data: z.output<typeof jobCancelDataSchema>,
  job: Pick<BackgroundJob<unknown>, 'cancel'>,
  words: { cancelling: string; notRunning: string },
): Promise<VerbResult> {
  if (ctx.trigger === 'automatic') return {};
  const result = await job.cancel(data.jobId, ctx.caller);
  return { reply: textReply(result.kind === 'cancelling' ? words.cancelling : words.notRunning) };
}

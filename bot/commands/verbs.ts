import { z } from 'zod';
import { approvalListPageSchema } from '../../cards/approval-list.card';
import { decisionDataSchema } from '../../cards/approval-verbs';
import { alertAction, alertDataSchema } from '../actions/alerts';
import { decide, justifiedCommandSchema, viewRequest } from '../actions/approval-verbs';
import { containPickDataSchema, containPicked } from '../actions/contain-pick';
import { cancelSweep, sweepCancelDataSchema } from '../actions/sweep';
import { confirmAnswerDataSchema } from '../../cards/confirm-question.card';
import { answerConfirmation } from '../actions/confirm';
import { cancelMfaReport, reportCancelDataSchema } from '../actions/mfa-report';
import { showApprovalPage } from './approvals';
import { rerun, verb, type VerbSpec } from './define';

/**
 * Every card verb (a button on one of the bot's cards), declared once: who may press it, the data it carries (parsed
 * with zod before the handler runs) and the services its handler uses. `rerun` verbs run a command of
 * bot/commands/table.ts with that command's own checks. Cards name verbs through VerbName and VerbData.
 */
export const VERBS = [
  rerun({
    verb: 'command.run',
    data: z.object({ command: z.string().max(64), args: z.string().max(1024).default('') }),
  }),
  verb({
    verb: 'approval.approve',
    access: 'approver',
    data: decisionDataSchema,
    needs: ['approvals'],
    handle: (ctx, data, { approvals }) => decide('approve')(ctx, data, approvals),
  }),
  verb({
    verb: 'approval.reject',
    access: 'approver',
    data: decisionDataSchema,
    needs: ['approvals'],
    handle: (ctx, data, { approvals }) => decide('reject')(ctx, data, approvals),
  }),
  verb({
    verb: 'approval.refresh',
    access: 'member',
    data: decisionDataSchema,
    needs: ['approvals'],
    handle: (ctx, data, { approvals }) => viewRequest(ctx, data, approvals),
  }),
  rerun({ verb: 'approval.justify', data: justifiedCommandSchema }),
  verb({
    verb: 'approvals.page',
    access: 'operator',
    data: approvalListPageSchema,
    needs: ['approvals'],
    handle: (ctx, data, { approvals }) => showApprovalPage(ctx, data.page, approvals),
  }),
  verb({
    verb: 'alert.ack',
    access: 'operator',
    data: alertDataSchema,
    needs: ['alerts'],
    handle: (ctx, data, { alerts }) => alertAction('acknowledge')(ctx, data, alerts.service),
  }),
  verb({
    verb: 'alert.snooze',
    access: 'operator',
    data: alertDataSchema,
    needs: ['alerts'],
    handle: (ctx, data, { alerts }) => alertAction('snooze')(ctx, data, alerts.service),
  }),
  // "Was this you?": any tenant member may press it, but only the user the question is about is heard (the handler
  // compares the authenticated caller with the question's user).
  verb({
    verb: 'confirm.answer',
    access: 'member',
    data: confirmAnswerDataSchema,
    needs: ['confirmations'],
    handle: (ctx, data, { confirmations }) => answerConfirmation(ctx, data, confirmations),
  }),
  verb({
    verb: 'contain.pick',
    access: 'operator',
    data: containPickDataSchema,
    needs: ['approvals'],
    handle: (ctx, data, { approvals }) => containPicked(ctx, data, approvals),
  }),
  verb({
    verb: 'sweep.cancel',
    access: 'operator',
    data: sweepCancelDataSchema,
    needs: ['sweeper'],
    handle: (ctx, data, { sweeper }) => cancelSweep(ctx, data, sweeper),
  }),
  verb({
    verb: 'mfaReport.cancel',
    access: 'operator',
    data: reportCancelDataSchema,
    needs: ['mfaReport'],
    handle: (ctx, data, { mfaReport }) => cancelMfaReport(ctx, data, mfaReport),
  }),
] as const;

export type VerbName = (typeof VERBS)[number]['verb'];
/** What a button for `verb` must carry (the input of its data schema). */
export type VerbData<V extends VerbName> = z.input<Extract<(typeof VERBS)[number], { verb: V }>['data']>;

/** The verbs as the runner sees them: one shape for every row. */
export const VERB_TABLE: readonly VerbSpec[] = VERBS;

import type { ThrottleClass } from '../../services/graph/classify';
import type { WaitNotice } from '../../services/graph/waiting-notice';

const BUDGET: Record<ThrottleClass, string> = {
  reports: 'reports budget (sign-in and audit logs)',
  identity: 'directory budget',
  identityProtection: 'Identity Protection budget',
  outlook: 'mailbox budget',
  other: 'budget',
};

/** Where the answer will appear: in place of the "working on it" message, or below a clicked button. */
export type AnswerPlace = 'replaces' | 'follows';

/**
 * The "working on it" message of an answer that is not ready within Teams' time: where the work waits (Graph
 * throttling, or our queue for one of Graph's budgets) and for about how long, when that is known.
 */
export function waitingText(notice: WaitNotice | null, place: AnswerPlace): string {
  const tail =
    place === 'replaces'
      ? ' The answer will replace this message.'
      : ' The answer will be posted in this conversation.';
  if (!notice) return `Working on it: Microsoft Graph is slow to answer.${tail}`;
  const seconds = notice.untilMs === null ? null : Math.max(1, Math.ceil((notice.untilMs - notice.nowMs) / 1000));
  const when = seconds === null ? '' : ` for about ${seconds} s`;
  if (notice.throttled !== false)
    return `Microsoft Graph is throttling the bot (${notice.classes.join(', ')} limit), so I'm waiting${when}.${tail}`;
  const budgets = notice.classes.map((c) => BUDGET[c]).join(' and ');
  const queued = notice.queued ?? 0;
  const position = queued > 0 ? ` (${queued} request${queued === 1 ? '' : 's'} in the queue)` : '';
  const about = seconds === null ? '' : `, about ${seconds} s`;
  return `Working on it: queued for Microsoft Graph's ${budgets}${position}${about}.${tail}`;
}

/** What readers take so a command can tell the caller it is waiting on Graph. */
export interface WaitingOptions {
  onWaiting?: (notice: WaitNotice) => void;
}

import type { WaitNotice } from '../../services/graph/waiting-notice';
import type { CommandContext } from './command';

/** The interim message while Graph throttling holds a check back; the answer follows in the same conversation. */
export function waitingText(notice: WaitNotice): string {
  const seconds = notice.untilMs === null ? null : Math.max(1, Math.ceil((notice.untilMs - notice.nowMs) / 1000));
  const when = seconds === null ? '' : ` for about ${seconds} s`;
  return `Microsoft Graph is throttling the bot (${notice.classes.join(', ')} limit), so I'm waiting${when}. The answer will follow here.`;
}

/** Calls ctx.notify once, logging (not throwing) if the interim message cannot be sent. */
export function notifyWaiting(ctx: CommandContext): (notice: WaitNotice) => void {
  return (notice) => {
    ctx.notify({ kind: 'text', text: waitingText(notice) }).catch((error: unknown) => {
      ctx.logger.warn({ err: error }, 'could not send the throttling notice');
    });
  };
}

/** What readers take so a command can tell the caller it is waiting on Graph throttling. */
export interface WaitingOptions {
  onWaiting?: (notice: WaitNotice) => void;
}

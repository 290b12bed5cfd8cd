import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { Messenger } from '../messaging/port';
import type { RunState } from './sweep-runner';
import { topDomains, totalFindings } from './sweep-store';
import type { SweepCards, SweepJob, SweepProgressView, SweepSummaryView } from './sweep-types';

/** The progress card's numbers: done/total, findings, and the rate and ETA of this process's run. */
export function progressView(s: RunState, now: number): SweepProgressView {
  const elapsed = now - s.runStart.at;
  const doneHere = s.counters.done - s.runStart.done;
  const perMs = elapsed > 0 && doneHere > 0 ? doneHere / elapsed : null;
  const remaining = s.job.total === null ? null : Math.max(0, s.job.total - s.counters.done);
  return {
    jobId: s.job.id,
    scope: s.job.scope,
    state: s.job.state,
    requesterName: s.job.requester.name,
    done: s.counters.done,
    total: s.job.total,
    findings: totalFindings(s.counters),
    flaggedMailboxes: s.counters.flaggedMailboxes,
    ratePerMinute: perMs === null ? null : perMs * 60_000,
    etaMs: perMs === null || remaining === null ? null : remaining / perMs,
    startedAt: s.job.startedAt,
    now,
  };
}

/** Posts the sweep's progress updates and its end (final card, summary, CSV link to the requester). */
export interface SweepReporter {
  update(job: SweepJob, card: object): Promise<void>;
  finish(job: SweepJob, state: RunState): Promise<void>;
}

export function createSweepReporter(deps: {
  messenger: Messenger;
  cards: SweepCards;
  clock: Clock;
  logger: Logger;
  csvLink?: (job: SweepJob) => Promise<string | null>;
}): SweepReporter {
  const log = deps.logger;
  async function update(job: SweepJob, card: object): Promise<void> {
    if (!job.progressActivityId) return;
    try {
      await deps.messenger.update(job.conversation, job.progressActivityId, { card });
    } catch (error) {
      // A missed progress update is cosmetic; the sweep goes on.
      log.warn({ err: error }, 'progress card update failed');
    }
  }
  return {
    update,
    async finish(job, s) {
      const view = progressView(s, deps.clock.now());
      let csvUrl: string | null = null;
      if (deps.csvLink && job.state !== 'failed') csvUrl = await deps.csvLink(job);
      const summary: SweepSummaryView = {
        ...view,
        mailboxes: s.counters.mailboxes,
        noMailbox: s.counters.noMailbox,
        errors: s.counters.errors,
        findingsBySeverity: { ...s.counters.findingsBySeverity },
        topDomains: topDomains(s.counters),
        mailboxForwardingChecked: s.mailboxForwardingChecked,
        failure: job.failure,
        cancelledBy: job.cancelledBy,
        // The link is a bearer token for the requester: it goes in the summary only in their personal chat.
        csvUrl: job.conversation.conversationType === 'personal' ? csvUrl : null,
      };
      await update(job, deps.cards.progress(view));
      try {
        await deps.messenger.send(job.conversation, { card: deps.cards.summary(summary) });
        if (csvUrl && job.conversation.conversationType !== 'personal') {
          const chat = await deps.messenger.personalChat(job.conversation, job.requester);
          await deps.messenger.send(chat, { card: deps.cards.summary({ ...summary, csvUrl }) });
        }
      } catch (error) {
        log.error({ err: error }, 'sweep summary could not be posted');
      }
    },
  };
}

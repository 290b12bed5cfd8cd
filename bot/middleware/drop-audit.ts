import type { AuditLog } from '../../services/audit/audit-log';
import type { Clock } from '../../services/clock';
import type { Logger } from '../../services/log';
import { sanitizeUntrusted } from '../../cards/text';

/** Why the bot refused an activity or a caller before anything ran. */
export type DropReason =
  | 'invalid_activity'
  | 'wrong_channel'
  | 'no_tenant'
  | 'wrong_tenant'
  | 'no_caller'
  | 'not_operator'
  | 'not_approver'
  | 'bad_card_data'
  | 'unknown_verb'
  | 'rate_limited';

/** Records drops in the audit log, one record per reason per minute with a count, so a flood cannot flood the log. */
export interface DropAuditor {
  /** `sample` says who or what (tenant, caller, field), kept for the first few distinct drops of the minute. */
  record(reason: DropReason, sample: string, correlationId: string): void;
  /** Writes what has been counted so far (shutdown, tests). */
  flush(): Promise<void>;
}

const WINDOW_MS = 60_000;
const MAX_SAMPLES = 5;

interface Tally {
  count: number;
  firstAt: number;
  lastAt: number;
  samples: string[];
  correlationId: string;
}

export function createDropAuditor(deps: { audit: AuditLog; clock: Clock; logger: Logger }): DropAuditor {
  let window: number | null = null;
  let tallies = new Map<DropReason, Tally>();
  let timer: AbortController | null = null;
  let writing: Promise<void> = Promise.resolve();

  // Appends run one after another, so records of consecutive minutes keep their order in the chain.
  function write(minute: number, counted: Map<DropReason, Tally>): Promise<void> {
    writing = writing.then(async () => {
      for (const [reason, t] of counted) {
        try {
          await deps.audit.append({
            actor: { aadObjectId: null, name: 'activity guard' },
            action: `drop:${reason}`,
            outcome: 'dropped',
            correlationId: t.correlationId,
            details: {
              count: t.count,
              minute: new Date(minute * WINDOW_MS).toISOString(),
              firstAt: new Date(t.firstAt).toISOString(),
              lastAt: new Date(t.lastAt).toISOString(),
              samples: t.samples.join('; '),
            },
          });
        } catch (error) {
          deps.logger.error({ err: error, reason, count: t.count }, 'could not audit dropped activities');
        }
      }
    });
    return writing;
  }

  function close(): Promise<void> {
    timer?.abort();
    timer = null;
    const counted = tallies;
    const minute = window;
    tallies = new Map();
    window = null;
    return minute === null || counted.size === 0 ? writing : write(minute, counted);
  }

  return {
    record(reason, sample, correlationId) {
      const now = deps.clock.now();
      const minute = Math.floor(now / WINDOW_MS);
      if (window !== null && window !== minute) void close();
      if (window === null) {
        window = minute;
        const abort = new AbortController();
        timer = abort;
        deps.clock.sleep((minute + 1) * WINDOW_MS - now, abort.signal).then(
          () => {
            if (timer === abort) void close();
          },
          () => undefined, // aborted: an earlier close already wrote this minute
        );
      }
      const tally = tallies.get(reason) ?? { count: 0, firstAt: now, lastAt: now, samples: [], correlationId };
      tally.count += 1;
      tally.lastAt = now;
      const clean = sanitizeUntrusted(sample, 120);
      if (tally.samples.length < MAX_SAMPLES && !tally.samples.includes(clean)) tally.samples.push(clean);
      tallies.set(reason, tally);
    },
    flush: close,
  };
}

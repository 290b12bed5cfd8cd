import type { AuditLog } from '../../services/audit/audit-log';
import type { Clock } from '../../services/clock';
import type { Logger } from '../../services/log';
import type { Storage } from '../../services/storage/port';
import type { BackgroundTasks } from '../background';
import { createCallerRateLimiter, type CallerRateLimiter } from './caller-rate';
import { createDropAuditor, type DropAuditor } from './drop-audit';
import { createInboundDedupe, type InboundDedupe } from './inbound-dedupe';

/** The per-activity guards of the edge: drop auditing, re-delivery dedupe, per-caller rate limit. */
export interface EdgeGuards {
  drops: DropAuditor;
  dedupe: InboundDedupe;
  rate: CallerRateLimiter;
}

export function createEdgeGuards(deps: {
  storage: Storage;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  background: BackgroundTasks;
  callerRatePerMinute: number;
}): EdgeGuards {
  const logger = deps.logger.child({ component: 'edge' });
  return {
    drops: createDropAuditor({ audit: deps.audit, clock: deps.clock, logger }),
    dedupe: createInboundDedupe({
      storage: deps.storage,
      clock: deps.clock,
      logger,
      background: (work) => deps.background.track(work),
    }),
    rate: createCallerRateLimiter({ perMinute: deps.callerRatePerMinute, clock: deps.clock }),
  };
}

import { createBackgroundTasks, type BackgroundTasks } from '../../bot/background';
import { createEdgeGuards } from '../../bot/middleware/edge-guards';
import type { TurnDeps } from '../../bot/turn';
import type { AuditLog } from '../../services/audit/audit-log';
import type { Clock } from '../../services/clock';
import type { Logger } from '../../services/log';
import { silentLogger } from '../../services/log';
import type { Messenger } from '../../services/messaging/port';
import { createMemoryStorage } from '../../services/storage/memory-storage';
import type { Storage } from '../../services/storage/port';
import { createRecordingMessenger } from './recording-messenger';

/** The edge part of TurnDeps for tests: guards over `storage`, a messenger for late answers, background tasks. */
export function edgeDeps(options: {
  audit: AuditLog;
  clock: Clock;
  storage?: Storage;
  logger?: Logger;
  messenger?: Messenger;
  callerRatePerMinute?: number;
  background?: BackgroundTasks;
}): Pick<TurnDeps, 'idShape' | 'guards' | 'messenger' | 'background'> {
  const logger = options.logger ?? silentLogger;
  const background = options.background ?? createBackgroundTasks(logger);
  return {
    idShape: 'demo',
    guards: createEdgeGuards({
      storage: options.storage ?? createMemoryStorage(),
      audit: options.audit,
      clock: options.clock,
      logger,
      background,
      callerRatePerMinute: options.callerRatePerMinute ?? 1_000,
    }),
    messenger: options.messenger ?? createRecordingMessenger(),
    background,
  };
}

import type { AuditLog } from '../../services/audit/audit-log';
import type { Clock } from '../../services/clock';
import type { GraphClient } from '../../services/graph';
import type { Logger } from '../../services/log';
import type { Messenger } from '../../services/messaging/port';
import type { Storage } from '../../services/storage/port';
import type { Config } from '../config';

/** What every background runtime of the bot process (sweep, approvals, MFA report) is built from (bot/main.ts). */
export interface RuntimeDeps {
  config: Config;
  storage: Storage;
  graph: GraphClient;
  audit: AuditLog;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
}

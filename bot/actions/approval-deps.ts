import type { AuditLog } from '../../services/audit/audit-log';
import type { ApprovalService } from '../../services/approvals/approval-service';
import type { ApprovalStore } from '../../services/approvals/approval-store';
import type { TenantPort } from '../../services/approvals/ports';
import type { Messenger } from '../../services/messaging/port';

/** What the approval commands and verbs need (built in bot/main.ts). */
export interface ApprovalRouteDeps {
  service: ApprovalService;
  store: ApprovalStore;
  tenant: Pick<TenantPort, 'readTarget'>;
  audit: AuditLog;
  messenger: Messenger;
}

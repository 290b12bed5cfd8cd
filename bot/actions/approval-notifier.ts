import { approvalRequestCard } from '../../cards/approval-request.card';
import type { ApprovalNotifier } from '../../services/approvals/ports';
import type { Clock } from '../../services/clock';
import type { Messenger } from '../../services/messaging/port';

/** Updates the approval card in place (for everyone in the approvals conversation) after the worker acts. */
export function createApprovalNotifier(deps: { messenger: Messenger; clock: Clock }): ApprovalNotifier {
  return {
    async updated(record) {
      if (!record.card) return;
      await deps.messenger.update(record.card.conversation, record.card.activityId, {
        card: approvalRequestCard(record, deps.clock.now()),
      });
    },
    post: (to, record) => deps.messenger.send(to, { card: approvalRequestCard(record, deps.clock.now()) }),
  };
}

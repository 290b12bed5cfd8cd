import { approvalSecretCard } from '../../cards/approval-secret.card';
import type { ApprovalStore } from '../../services/approvals/approval-store';
import type { SecretChannel } from '../../services/approvals/ports';
import type { Logger } from '../../services/log';
import type { Messenger } from '../../services/messaging/port';

/**
 * Where a temporary password or TAP goes: the requester's personal chat with the bot, never a channel.
 * The remembered reference from their last personal message comes first (the Agents Playground cannot create
 * conversations); otherwise Teams is asked to create the 1:1 chat.
 */
export function createSecretChannel(deps: {
  store: ApprovalStore;
  messenger: Messenger;
  logger: Logger;
}): SecretChannel {
  return {
    async open(requester, hint) {
      const remembered = await deps.store.personalChat(requester.aadObjectId);
      if (remembered) return remembered;
      if (hint?.conversationType === 'personal') return hint;
      const via = hint ?? (await deps.store.conversation())?.conversation;
      if (!via) return null;
      try {
        return await deps.messenger.personalChat(via, { aadObjectId: requester.aadObjectId });
      } catch (error) {
        deps.logger.warn({ err: error }, 'could not open a personal chat with the requester');
        return null;
      }
    },
    async send(to, message) {
      if (to.conversationType !== 'personal') throw new Error('secrets only go to a personal chat');
      await deps.messenger.send(to, { card: approvalSecretCard(message) });
    },
  };
}

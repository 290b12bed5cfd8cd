import { approvalSecretCard } from '../../cards/approval-secret.card';
import type { ApprovalStore } from '../../services/approvals/approval-store';
import type { SecretChannel } from '../../services/approvals/ports';
import type { Logger } from '../../services/log';
import type { Messenger } from '../../services/messaging/port';
import { sanitizeUntrusted } from '../../cards/text';

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
        // Created with isGroup false and the requester as the only member: a 1:1 chat, whatever the reply omits.
        const created = await deps.messenger.personalChat(via, { aadObjectId: requester.aadObjectId });
        return { ...created, conversationType: 'personal' };
      } catch (error) {
        deps.logger.warn({ err: error }, 'could not open a personal chat with the requester');
        return null;
      }
    },
    async announce(to, notice) {
      if (to.conversationType !== 'personal') throw new Error('secrets only go to a personal chat');
      const what = notice.kind === 'password' ? 'temporary password' : 'Temporary Access Pass';
      await deps.messenger.send(to, {
        text: `Request ${notice.approvalId} was approved: the ${what} for ${sanitizeUntrusted(notice.targetUpn, 120)} will be shown here, once.`,
      });
    },
    async send(to, message) {
      if (to.conversationType !== 'personal') throw new Error('secrets only go to a personal chat');
      await deps.messenger.send(to, { card: approvalSecretCard(message) });
    },
  };
}

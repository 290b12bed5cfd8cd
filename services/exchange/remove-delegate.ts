/**
 * Removing a mailbox delegate (issue 13, contain and the `remove-delegate` action): `Remove-MailboxPermission`
 * (FullAccess), `Remove-RecipientPermission` (SendAs) or `Set-Mailbox -GrantSendOnBehalfTo @{Remove=…}`
 * (SendOnBehalf) through the InvokeCommand proxy, made at most once per re-read (guardedWrite: an unknown outcome is
 * re-read, never blindly resent) and verified by reading the permissions back. `restoreDelegate` is the undo.
 */
import { z } from 'zod';
import type { Clock } from '../clock';
import { guardedWrite } from '../approvals/guarded-write';
import type { RetryNote, StepReason } from '../approvals/types';
import type { WriteReceipt } from '../approvals/ports';
import { isCodedError, type ErrorCode } from '../errors';
import type { PersistenceItem } from '../identity/persistence';
import type { ExchangeAdminApi } from './admin-api';
import { readGrants, readMailbox, readRecipient } from './delegates';

export type DelegateItem = Extract<PersistenceItem, { kind: 'delegate' }>;

/** The Exchange side of delegate removal: read, remove, restore. `mailbox` is the user's UPN. */
export interface DelegatePort {
  /** Whether the holder still has the right on the mailbox (read back from Exchange). */
  holds(mailbox: string, item: DelegateItem): Promise<boolean>;
  remove(mailbox: string, item: DelegateItem): Promise<WriteReceipt>;
  /** Grants the right again (the undo of a removal). */
  restore(mailbox: string, item: DelegateItem): Promise<WriteReceipt>;
}

const none = z.unknown();

/** The port over the Exchange admin API. Writes are marked as writes, so the client never replays them. */
export function createDelegatePort(api: ExchangeAdminApi): DelegatePort {
  const write = async (cmdlet: string, mailbox: string, parameters: Record<string, unknown>): Promise<WriteReceipt> => {
    await api.invoke({
      cmdlet,
      parameters: { Identity: mailbox, ...parameters },
      schema: none,
      write: true,
      anchorMailbox: `UPN:${mailbox}`,
    });
    return { requestId: null };
  };
  return {
    async holds(mailbox, item) {
      const view = await readMailbox(api, mailbox);
      if (!view) return false;
      const grants = await readGrants(api, view);
      const wanted = item.delegate.toLowerCase();
      const matching = grants.filter((g) => g.right === item.right);
      if (matching.some((g) => g.trustee.toLowerCase() === wanted)) return true;
      // SendOnBehalf lists names; the item may carry another of the holder's identities (address, UPN).
      if (item.right !== 'SendOnBehalf' || matching.length === 0) return false;
      const target = await readRecipient(api, item.delegate);
      if (!target?.id) return false;
      const holders = await Promise.all(matching.map((g) => readRecipient(api, g.trustee)));
      return holders.some((h) => h?.id?.toLowerCase() === target.id?.toLowerCase());
    },
    remove(mailbox, item) {
      switch (item.right) {
        case 'FullAccess':
          return write('Remove-MailboxPermission', mailbox, {
            User: item.delegate,
            AccessRights: ['FullAccess'],
            InheritanceType: 'All',
            Confirm: false,
          });
        case 'SendAs':
          return write('Remove-RecipientPermission', mailbox, {
            Trustee: item.delegate,
            AccessRights: ['SendAs'],
            Confirm: false,
          });
        case 'SendOnBehalf':
          return write('Set-Mailbox', mailbox, {
            GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', Remove: [item.delegate] },
          });
      }
    },
    restore(mailbox, item) {
      switch (item.right) {
        case 'FullAccess':
          return write('Add-MailboxPermission', mailbox, {
            User: item.delegate,
            AccessRights: ['FullAccess'],
            InheritanceType: 'All',
            AutoMapping: false,
          });
        case 'SendAs':
          return write('Add-RecipientPermission', mailbox, {
            Trustee: item.delegate,
            AccessRights: ['SendAs'],
            Confirm: false,
          });
        case 'SendOnBehalf':
          return write('Set-Mailbox', mailbox, {
            GrantSendOnBehalfTo: { '@odata.type': '#Exchange.GenericHashTable', Add: [item.delegate] },
          });
      }
    },
  };
}

export interface DelegateChange {
  /** The step result's reasons, in the executor's vocabulary (services/approvals/types.ts). */
  reasons: StepReason[];
  ok: boolean;
  /** Held before the change: what an undo restores. */
  before: { held: boolean };
  requestIds: string[];
  errorCode?: ErrorCode;
}

export interface DelegateChangeContext {
  /** Called before every write attempt; throws when this worker's approval claim is gone. */
  fence: () => Promise<void>;
  clock: Clock;
  onRetry?: (note: Omit<RetryNote, 'step'>) => void;
  random?: () => number;
  dryRun?: boolean;
}

/** Removes (or, with `restore`, re-grants) one delegate right: read first, write at most once per re-read, verify. */
async function change(
  port: DelegatePort,
  mailbox: string,
  item: DelegateItem,
  want: 'absent' | 'present',
  ctx: DelegateChangeContext,
): Promise<DelegateChange> {
  const held = await port.holds(mailbox, item);
  const before = { held };
  if (held === (want === 'present')) return { reasons: ['already-in-state'], ok: true, before, requestIds: [] };
  if (ctx.dryRun) return { reasons: ['dry-run'], ok: true, before, requestIds: [] };
  const inState = async (): Promise<boolean> => (await port.holds(mailbox, item)) === (want === 'present');
  try {
    const outcome = await guardedWrite({
      write: () => (want === 'absent' ? port.remove(mailbox, item) : port.restore(mailbox, item)),
      applied: inState,
      fence: ctx.fence,
      clock: ctx.clock,
      onRetry: ctx.onRetry ?? (() => undefined),
      ...(ctx.random ? { random: ctx.random } : {}),
    });
    switch (outcome.kind) {
      case 'written': {
        const ok = await inState();
        return { reasons: ['applied', ok ? 'verified' : 'not-verified'], ok, before, requestIds: [] };
      }
      case 'confirmed-by-read':
        return { reasons: ['applied', 'confirmed-by-read'], ok: true, before, requestIds: [] };
      case 'not-applied':
        return {
          reasons: ['not-applied-retryable'],
          ok: false,
          before,
          requestIds: [],
          errorCode: outcome.error.code,
        };
    }
  } catch (error) {
    // A refusal (403, 400, a missing role) is this step's failure; the claim's loss and bugs propagate.
    if (isCodedError(error) && error.code !== 'approval_claim_lost')
      return { reasons: ['graph-error'], ok: false, before, requestIds: [], errorCode: error.code };
    throw error;
  }
}

/** Removes a delegate right from the user's mailbox, verified by reading back; already absent is success. */
export function removeDelegate(
  port: DelegatePort,
  mailbox: string,
  item: DelegateItem,
  ctx: DelegateChangeContext,
): Promise<DelegateChange> {
  return change(port, mailbox, item, 'absent', ctx);
}

/** The undo: grants the right again, verified by reading back. */
export function restoreDelegate(
  port: DelegatePort,
  mailbox: string,
  item: DelegateItem,
  ctx: DelegateChangeContext,
): Promise<DelegateChange> {
  return change(port, mailbox, item, 'present', ctx);
}

/**
 * Blocking an Exchange mobile-device partnership (issue 13, contain and `block-mobile-device`): the device id goes
 * on the mailbox's `ActiveSyncBlockedDeviceIDs` with `Set-CASMailbox -ActiveSyncBlockedDeviceIDs @{Add=…}` (a
 * multi-valued property, so `@{Remove=…}` is the undo, `unblock-mobile-device`), read back with `Get-CASMailbox`.
 * `Remove-MobileDevice` alone is not used: the device would simply sync again with its token. Through the
 * InvokeCommand proxy (EXCHANGE_ADMIN_ENABLED); writes are marked as writes, so the client never replays them.
 */
import { z } from 'zod';
import type { MobileDevicePort } from '../approvals/ports';
import type { ExchangeAdminApi } from './admin-api';
import { deviceLabel, readMobileDevices } from './mobile-devices';

const casMailboxSchema = z.looseObject({
  ActiveSyncBlockedDeviceIDs: z.array(z.string()).nullable().optional(),
});

const none = z.unknown();

export function createMobileDevicePort(api: ExchangeAdminApi): MobileDevicePort {
  const setBlocked = async (mailbox: string, change: 'Add' | 'Remove', deviceId: string) => {
    await api.invoke({
      cmdlet: 'Set-CASMailbox',
      parameters: {
        Identity: mailbox,
        ActiveSyncBlockedDeviceIDs: { '@odata.type': '#Exchange.GenericHashTable', [change]: [deviceId] },
      },
      schema: none,
      write: true,
      anchorMailbox: `UPN:${mailbox}`,
    });
    return { requestId: null };
  };
  return {
    async partnerships(mailbox) {
      const devices = await readMobileDevices(api, mailbox);
      return devices.flatMap((d) =>
        d.deviceId ? [{ deviceId: d.deviceId, name: deviceLabel(d), accessState: d.accessState }] : [],
      );
    },
    async blockedIds(mailbox) {
      const [cas] = await api.invoke({
        cmdlet: 'Get-CASMailbox',
        parameters: { Identity: mailbox },
        schema: casMailboxSchema,
        anchorMailbox: `UPN:${mailbox}`,
      });
      return cas?.ActiveSyncBlockedDeviceIDs ?? [];
    },
    block: (mailbox, deviceId) => setBlocked(mailbox, 'Add', deviceId),
    unblock: (mailbox, deviceId) => setBlocked(mailbox, 'Remove', deviceId),
  };
}

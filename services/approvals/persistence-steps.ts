import type { PersistenceItem } from '../identity/persistence';
import type { MailboxDelegatePort, MobileDevicePort, PersistencePort, WriteReceipt } from './ports';
import type { PersistenceBefore, StepReason } from './types';

/** The ports persistence steps use; each is optional because a deployment may not have it (Exchange admin API). */
export interface PersistencePorts {
  persistence?: PersistencePort;
  delegates?: MailboxDelegatePort;
  /** Mobile-device partnerships through the Exchange admin API; absent when EXCHANGE_ADMIN_ENABLED is off. */
  mobileDevices?: MobileDevicePort;
}

/** How the item stands now, read from the tenant before the write (and, for `gone`, after it). */
export type ItemState =
  | { state: 'present'; before: PersistenceBefore }
  /** Nothing to do: the item is gone (or, for a device, already disabled). */
  | { state: 'gone'; reasons: StepReason[] }
  /** The id now names something else than the approver saw (another user's grant, another app): not touched. */
  | { state: 'changed' }
  /** The port this item needs is not configured (Exchange admin API off): nothing is written. */
  | { state: 'unavailable'; reason: StepReason };

/** Reads, removes and re-reads one item of persistence. */
export interface ItemProbe {
  read(): Promise<ItemState>;
  remove(): Promise<WriteReceipt>;
  /** True once the item no longer gives access (deleted, or the device disabled). */
  gone(): Promise<boolean>;
}

/** Graph and Exchange ids and addresses compare case-insensitively. */
export const same = (a: string | null | undefined, b: string | null | undefined): boolean =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

const missing: ItemState = { state: 'gone', reasons: ['item-missing', 'already-in-state'] };

function unavailable(reason: StepReason): ItemProbe {
  const no = (): Promise<never> => Promise.reject(new Error('unavailable'));
  return {
    read: () => Promise.resolve({ state: 'unavailable', reason }),
    remove: no,
    gone: () => Promise.resolve(false),
  };
}

/**
 * The probe for an item of persistence of the user `userId` (`upn` for the mailbox). `method` items are handled
 * by the remove-method step (it also keeps the user's last method), so they have no probe here.
 */
export function probeFor(
  item: Exclude<PersistenceItem, { kind: 'method' }>,
  user: { id: string; upn: string },
  ports: PersistencePorts,
): ItemProbe {
  if (item.kind === 'delegate') {
    const delegates = ports.delegates;
    if (!delegates) return unavailable('exchange-not-enabled');
    const held = (): Promise<boolean> => delegates.holds(user.upn, item);
    return {
      read: async () =>
        (await held())
          ? { state: 'present', before: { kind: 'delegate', delegate: item.delegate, right: item.right } }
          : missing,
      remove: () => delegates.remove(user.upn, item),
      gone: async () => !(await held()),
    };
  }
  if (item.kind === 'mobile-device') {
    const port = ports.mobileDevices;
    if (!port) return unavailable('exchange-not-enabled');
    return mobileDeviceProbe(item, user.upn, port, true);
  }
  const graph = ports.persistence;
  if (!graph) return unavailable('graph-error');
  switch (item.kind) {
    case 'grant':
      return {
        async read() {
          const grant = await graph.getGrant(item.id);
          if (!grant) return missing;
          // Only the user's own grant for the same app: an id that now names another grant is not touched.
          if (!same(grant.principalId, user.id) || !same(grant.clientId, item.clientId)) return { state: 'changed' };
          return {
            state: 'present',
            before: {
              kind: 'grant',
              clientId: grant.clientId,
              consentType: grant.consentType,
              principalId: grant.principalId,
              resourceId: grant.resourceId,
              scope: grant.scope,
            },
          };
        },
        remove: () => graph.deleteGrant(item.id),
        gone: async () => (await graph.getGrant(item.id)) === null,
      };
    case 'app-role-assignment': {
      const find = async () => (await graph.listAppRoleAssignments(user.id)).find((a) => same(a.id, item.id));
      return {
        async read() {
          const found = await find();
          if (!found) return missing;
          if (!same(found.resourceId, item.resourceId)) return { state: 'changed' };
          return {
            state: 'present',
            before: {
              kind: 'app-role-assignment',
              principalId: found.principalId,
              resourceId: found.resourceId,
              appRoleId: found.appRoleId,
            },
          };
        },
        remove: () => graph.deleteAppRoleAssignment(user.id, item.id),
        gone: async () => (await find()) === undefined,
      };
    }
    case 'device':
      return deviceProbe(item, user, graph, false);
    case 'app-credential': {
      const find = async () => {
        const app = await graph.getAppCredentials(item.appObjectId);
        if (!app) return { app: null, cred: undefined };
        const list = item.credential === 'password' ? app.passwordCredentials : app.keyCredentials;
        return { app, cred: list.find((c) => same(c.keyId, item.keyId)) };
      };
      return {
        async read() {
          const { cred } = await find();
          if (!cred) return missing;
          // Only an app the user still owns: its credentials are the ones an attacker with the account can add.
          const owned = await graph.listOwnedApplications(user.id);
          if (!owned.some((id) => same(id, item.appObjectId))) return { state: 'changed' };
          return {
            state: 'present',
            before: {
              kind: 'app-credential',
              credential: item.credential,
              keyId: cred.keyId,
              displayName: cred.displayName,
              startDateTime: cred.startDateTime,
              endDateTime: cred.endDateTime,
            },
          };
        },
        async remove() {
          if (item.credential === 'password') return graph.removeAppPassword(item.appObjectId, item.keyId);
          // The keys to keep are read right before the PATCH, so a key added meanwhile is kept too.
          const { app } = await find();
          const keep = (app?.keyCredentials ?? []).filter((k) => !same(k.keyId, item.keyId));
          return graph.setAppKeys(item.appObjectId, keep);
        },
        gone: async () => (await find()).cred === undefined,
      };
    }
  }
}

/**
 * A device's sign-in switch: `enabled` false disables it (contain, disable-device), true enables it again (the undo,
 * enable-device). "present" means the device is not yet in the wanted state.
 */
export function deviceProbe(
  item: Extract<PersistenceItem, { kind: 'device' }>,
  user: { id: string },
  graph: PersistencePort,
  enabled: boolean,
): ItemProbe {
  return {
    async read() {
      const device = await graph.getDevice(item.id);
      if (!device) return missing;
      // Only a device of this user (registered or owned): a device id of someone else's device is refused.
      const mine = (await graph.listUserDevices(user.id)).some((d) => same(d.id, item.id));
      if (!mine) return { state: 'changed' };
      if ((device.accountEnabled !== false) === enabled) return { state: 'gone', reasons: ['already-in-state'] };
      // Graph lets an app (app-only) change accountEnabled of Windows devices only: no doomed write for others.
      if (!/^windows/i.test(device.operatingSystem ?? ''))
        return { state: 'unavailable', reason: 'device-not-windows' };
      return {
        state: 'present',
        before: {
          kind: 'device',
          accountEnabled: device.accountEnabled,
          deviceId: device.deviceId,
          operatingSystem: device.operatingSystem,
        },
      };
    },
    remove: () => graph.setDeviceEnabled(item.id, enabled),
    gone: async () => {
      const now = (await graph.getDevice(item.id))?.accountEnabled;
      return enabled ? now === true : now === false;
    },
  };
}

/**
 * A mobile device's block for the mailbox `upn`: `block` true puts the device id on ActiveSyncBlockedDeviceIDs
 * (contain, block-mobile-device), false takes it off again (the undo, unblock-mobile-device). "present" means the
 * list is not yet as wanted. The partnership's access state is kept for the audit when Exchange lists it.
 */
export function mobileDeviceProbe(
  item: Extract<PersistenceItem, { kind: 'mobile-device' }>,
  upn: string,
  port: MobileDevicePort,
  block: boolean,
): ItemProbe {
  const isBlocked = async (): Promise<boolean> => (await port.blockedIds(upn)).some((id) => same(id, item.deviceId));
  return {
    async read() {
      const blocked = await isBlocked();
      if (blocked === block) return { state: 'gone', reasons: ['already-in-state'] };
      const partnership = (await port.partnerships(upn)).find((d) => same(d.deviceId, item.deviceId));
      return {
        state: 'present',
        before: {
          kind: 'mobile-device',
          deviceId: item.deviceId,
          blocked,
          accessState: partnership?.accessState ?? null,
        },
      };
    },
    remove: () => (block ? port.block(upn, item.deviceId) : port.unblock(upn, item.deviceId)),
    gone: async () => (await isBlocked()) === block,
  };
}

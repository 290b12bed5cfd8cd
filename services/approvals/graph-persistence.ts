import { CodedError, isCodedError } from '../errors';
import type { GraphClient, GraphRequestSpec, GraphResponse } from '../graph/client';
import { permissionText } from '../graph/endpoint';
import { endpoints } from '../graph/endpoints';
import { encodeRfc3986, userPath } from '../graph/odata';
import { readAll, readBatch, readOne, readRest } from '../graph/read';
import type { Device } from '../graph/schemas/access';
import { writes } from '../graph/writes';
import type { UserId, UserRef } from '../ids';
import type { AppCredentialView, DeviceView, PersistencePort, WriteReceipt } from './ports';
import { observed } from './graph-tenant';

const byId = (id: string): UserRef => ({ kind: 'id', id: id as UserId });

function receipt(res: GraphResponse): WriteReceipt {
  return { requestId: res.headers['request-id'] ?? null };
}

/** A 404 of a read-back is the answer "it is gone", not a fault. */
async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isCodedError(error, 'graph_not_found')) return null;
    throw error;
  }
}

function deviceView(d: Device): DeviceView {
  return {
    id: d.id,
    deviceId: d.deviceId,
    displayName: d.displayName,
    accountEnabled: d.accountEnabled,
    operatingSystem: d.operatingSystem,
  };
}

/**
 * The persistence reads and writes over the one Graph client: reads are declared in endpoints.ts, writes in
 * writes.ts (never replayed by the client after an unknown outcome: the step re-reads instead, guarded-write.ts).
 */
export function createGraphPersistence(client: GraphClient): PersistencePort {
  const write = async (
    declaration: (typeof writes)[keyof typeof writes],
    spec: Omit<GraphRequestSpec, 'method' | 'permission' | 'throttleClass'>,
  ): Promise<WriteReceipt> =>
    receipt(
      await client.request({
        priority: 'interactive',
        method: declaration.method,
        permission: permissionText(declaration),
        throttleClass: declaration.throttle,
        ...spec,
      }),
    );
  const app = (id: string): string => `/applications/${encodeRfc3986(id)}`;

  return {
    withRetryObserver: (onRetry) => createGraphPersistence(observed(client, onRetry)),
    async getGrant(grantId) {
      const grant = await orNull(() => readOne(client, endpoints.permissionGrant.at({ grant: grantId })));
      if (!grant) return null;
      return {
        id: grant.id,
        clientId: grant.clientId,
        consentType: grant.consentType,
        principalId: grant.principalId,
        resourceId: grant.resourceId,
        scope: grant.scope ?? '',
      };
    },
    deleteGrant: (grantId) =>
      write(writes.deletePermissionGrant, { path: `/oauth2PermissionGrants/${encodeRfc3986(grantId)}` }),
    async listAppRoleAssignments(userId) {
      const list = await readAll(client, endpoints.userAppRoleAssignments.at({ user: byId(userId) }), {
        priority: 'interactive',
        maxItems: 500,
      });
      return list.items.map((a) => ({
        id: a.id,
        principalId: a.principalId ?? '',
        resourceId: a.resourceId,
        appRoleId: a.appRoleId ?? '',
        resourceDisplayName: a.resourceDisplayName,
      }));
    },
    deleteAppRoleAssignment: (userId, assignmentId) =>
      write(writes.deleteUserAppRoleAssignment, {
        path: `${userPath(byId(userId))}/appRoleAssignments/${encodeRfc3986(assignmentId)}`,
      }),
    async listUserDevices(userId) {
      // Both relations in one $batch; a relation with more than a page follows its nextLink.
      const reads = {
        registered: endpoints.registeredDevices.at({ user: byId(userId) }),
        owned: endpoints.ownedDevices.at({ user: byId(userId) }),
      };
      const replies = await readBatch(client, reads);
      const all: Device[] = [];
      for (const key of ['registered', 'owned'] as const) {
        const page = replies.value(key);
        all.push(...page.value);
        const next = page['@odata.nextLink'];
        if (next) all.push(...(await readRest(client, reads[key], next, { maxItems: 500 })).items);
      }
      const seen = new Map<string, DeviceView>();
      // Other directory object types in these relations (rare) carry no device fields and are skipped.
      for (const d of all)
        if (!d['@odata.type'] || d['@odata.type'] === '#microsoft.graph.device') seen.set(d.id, deviceView(d));
      return [...seen.values()];
    },
    async getDevice(deviceObjectId) {
      const device = await orNull(() => readOne(client, endpoints.device.at({ device: deviceObjectId })));
      return device ? deviceView(device) : null;
    },
    setDeviceEnabled: (deviceObjectId, enabled) =>
      write(writes.setDeviceEnabled, {
        path: `/devices/${encodeRfc3986(deviceObjectId)}`,
        body: { accountEnabled: enabled },
      }),
    async listOwnedApplications(userId) {
      const list = await readAll(client, endpoints.ownedApplications.at({ user: byId(userId) }), {
        priority: 'interactive',
        maxItems: 500,
      });
      return list.items.map((a) => a.id);
    },
    async getAppCredentials(appObjectId) {
      const found = await orNull(() => readOne(client, endpoints.applicationCredentials.at({ app: appObjectId })));
      if (!found) return null;
      const view = (c: AppCredentialView): AppCredentialView => c;
      return {
        id: found.id,
        displayName: found.displayName,
        passwordCredentials: found.passwordCredentials.map((c) =>
          view({
            keyId: c.keyId,
            displayName: c.displayName,
            startDateTime: c.startDateTime,
            endDateTime: c.endDateTime,
          }),
        ),
        keyCredentials: found.keyCredentials.map((c) =>
          view({
            keyId: c.keyId,
            displayName: c.displayName,
            startDateTime: c.startDateTime,
            endDateTime: c.endDateTime,
            type: c.type,
            usage: c.usage,
            customKeyIdentifier: c.customKeyIdentifier,
          }),
        ),
      };
    },
    removeAppPassword: (appObjectId, keyId) =>
      write(writes.removeApplicationPassword, { path: `${app(appObjectId)}/removePassword`, body: { keyId } }),
    async listUserGrants(userId) {
      const list = await readAll(client, endpoints.permissionGrants.at({ userId }), {
        priority: 'interactive',
        maxItems: 500,
      });
      return list.items.map((g) => ({
        id: g.id,
        clientId: g.clientId,
        consentType: g.consentType,
        principalId: g.principalId,
        resourceId: g.resourceId,
        scope: g.scope ?? '',
      }));
    },
    createGrant: (grant) =>
      write(writes.createPermissionGrant, {
        path: '/oauth2PermissionGrants',
        body: {
          clientId: grant.clientId,
          consentType: grant.consentType ?? 'Principal',
          principalId: grant.principalId,
          resourceId: grant.resourceId,
          scope: grant.scope,
        },
      }),
    createAppRoleAssignment: (userId, a) =>
      write(writes.createUserAppRoleAssignment, {
        path: `${userPath(byId(userId))}/appRoleAssignments`,
        body: { principalId: a.principalId, resourceId: a.resourceId, appRoleId: a.appRoleId },
      }),
    createPhoneMethod: (userId, phone) =>
      write(writes.createPhoneMethod, {
        path: `${userPath(byId(userId))}/authentication/phoneMethods`,
        body: { phoneNumber: phone.phoneNumber, phoneType: phone.phoneType },
      }),
    createEmailMethod: (userId, emailAddress) =>
      write(writes.createEmailMethod, {
        path: `${userPath(byId(userId))}/authentication/emailMethods`,
        body: { emailAddress },
      }),
    async setAppKeys(appObjectId, keep) {
      if (keep.some((k) => !k.type || !k.usage))
        throw new CodedError('unexpected_response', 'a key credential to keep lacks its type or usage', {});
      // Keys kept are named by keyId with `key` null: Graph keeps their certificates (PATCH replaces the collection).
      const keyCredentials = keep.map((k) => ({
        keyId: k.keyId,
        type: k.type,
        usage: k.usage,
        displayName: k.displayName,
        startDateTime: k.startDateTime,
        endDateTime: k.endDateTime,
        customKeyIdentifier: k.customKeyIdentifier ?? null,
        key: null,
      }));
      return write(writes.setApplicationKeys, { path: app(appObjectId), body: { keyCredentials } });
    },
  };
}

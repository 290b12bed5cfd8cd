import { z } from 'zod';
import { CodedError } from '../errors';
import type { GraphClient, GraphResponse } from '../graph/client';
import { endpoints } from '../graph/endpoints';
import { userPath } from '../graph/odata';
import { readAll, readOne } from '../graph/read';
import { checkMemberGroups, readUserProfile } from '../graph/users';
import { userRefSchema, type UserId, type UserRef } from '../ids';
import { readAdminRoles } from './admin-roles';
import type { MethodView, TenantPort, WriteReceipt } from './ports';
import type { RetryNote } from './types';

const tapSchema = z.looseObject({
  temporaryAccessPass: z.string(),
  lifetimeInMinutes: z.number().nullable().optional(),
});

function receipt(res: GraphResponse): WriteReceipt {
  return { requestId: res.headers['request-id'] ?? null };
}

function badShape(res: GraphResponse, what: string): CodedError {
  return new CodedError('unexpected_response', `unexpected ${what} shape from Graph`, {
    requestId: res.headers['request-id'],
  });
}

/** The client with `onRetry` set on every request it makes (an observer per execution, over the one client). */
export function observed(client: GraphClient, onRetry: (note: Omit<RetryNote, 'step'>) => void): GraphClient {
  return {
    ...client,
    request: (spec, budget) =>
      client.request(
        {
          ...spec,
          onRetry: (e) => {
            spec.onRetry?.(e);
            onRetry({ reason: e.reason, status: e.status, waitMs: e.waitMs });
          },
        },
        budget,
      ),
  };
}

/** The approval flow's Graph reads and writes, over the one Graph client (writes are never replayed by it). */
export function createGraphTenant(client: GraphClient, options: { protectedGroupId?: string }): TenantPort {
  const byId = (id: string): UserRef => ({ kind: 'id', id: id as UserId });
  const path = (id: string): string => userPath(byId(id));
  const rules = (id: string): string => `${path(id)}/mailFolders/inbox/messageRules`;
  const write = (spec: Parameters<GraphClient['request']>[0]) => client.request({ priority: 'interactive', ...spec });

  async function listMethods(userId: string): Promise<MethodView[]> {
    const list = await readAll(client, endpoints.authenticationMethods.at({ user: byId(userId) }), {
      priority: 'interactive',
      maxItems: 100,
    });
    return list.items.map((m) => ({
      id: m.id,
      typeSegment: m.kind === 'password' || m.kind === 'unknown' ? null : `${m.kind}Methods`,
      odataType: m.kind === 'unknown' ? m.odataType : `#microsoft.graph.${m.kind}AuthenticationMethod`,
      createdDateTime: 'createdDateTime' in m && typeof m.createdDateTime === 'string' ? m.createdDateTime : null,
      // What re-registering a removed phone or email method needs (restore-method).
      ...(m.kind === 'phone' ? { phoneNumber: m.phoneNumber ?? null, phoneType: m.phoneType ?? null } : {}),
      ...(m.kind === 'email' ? { emailAddress: m.emailAddress ?? null } : {}),
    }));
  }

  return {
    withRetryObserver: (onRetry) => createGraphTenant(observed(client, onRetry), options),
    async readTarget(idOrUpn) {
      const parsed = userRefSchema.safeParse(idOrUpn);
      if (!parsed.success) throw new CodedError('internal', 'expected a UPN or an object id');
      const profile = await readUserProfile(client, parsed.data, { priority: 'interactive' });
      // Not userIdSchema: the Playground's mock users have ids that are not GUIDs.
      const id = profile.user.id.toLowerCase();
      const [roles, protectedMember] = await Promise.all([
        readAdminRoles(client, id),
        options.protectedGroupId
          ? checkMemberGroups(client, id, [options.protectedGroupId]).then((found) => found.length > 0)
          : false,
      ]);
      const active = profile.directoryRoles.map((r) => r.displayName ?? r.roleTemplateId ?? r.id);
      return {
        id,
        upn: profile.user.userPrincipalName,
        displayName: profile.user.displayName,
        accountEnabled: profile.user.accountEnabled,
        synced: profile.user.onPremisesSyncEnabled === true,
        guest: profile.user.userType === 'Guest',
        adminRoles: [...new Set([...active, ...roles])],
        protectedMember,
        sessionsValidFrom: profile.user.signInSessionsValidFromDateTime,
        lastPasswordChange: profile.user.lastPasswordChangeDateTime,
      };
    },
    async listRules(userId) {
      const list = await readAll(client, endpoints.inboxRules.at({ user: byId(userId) }), {
        priority: 'interactive',
        maxItems: 500,
      });
      return list.items;
    },
    async getRule(userId, ruleId) {
      try {
        return await readOne(client, endpoints.inboxRule.at({ user: byId(userId), rule: ruleId }), {
          priority: 'interactive',
        });
      } catch (error) {
        // Graph's 404 for a missing rule is on a /users/… path, so it maps to user_not_found; the user was read just before.
        if (error instanceof CodedError && (error.code === 'graph_not_found' || error.code === 'user_not_found'))
          return null;
        throw error;
      }
    },
    listMethods,
    async revokeSessions(userId) {
      return receipt(await write({ method: 'POST', path: `${path(userId)}/revokeSignInSessions` }));
    },
    async setAccountEnabled(userId, enabled) {
      return receipt(
        await write({
          method: 'PATCH',
          path: path(userId),
          body: { accountEnabled: enabled },
          permission: 'User.EnableDisableAccount.All',
        }),
      );
    },
    async setPassword(userId, password) {
      return receipt(
        await write({
          method: 'PATCH',
          path: path(userId),
          body: { passwordProfile: { password, forceChangePasswordNextSignIn: true } },
          permission: 'User-PasswordProfile.ReadWrite.All',
        }),
      );
    },
    async deleteMethod(userId, typeSegment, methodId) {
      return receipt(
        await write({
          method: 'DELETE',
          path: `${path(userId)}/authentication/${encodeURIComponent(typeSegment)}/${encodeURIComponent(methodId)}`,
        }),
      );
    },
    async createTap(userId) {
      const res = await write({
        method: 'POST',
        path: `${path(userId)}/authentication/temporaryAccessPassMethods`,
        body: { isUsableOnce: true, lifetimeInMinutes: 60 },
      });
      const parsed = tapSchema.safeParse(res.body);
      if (!parsed.success) throw badShape(res, 'temporary access pass');
      return {
        ...receipt(res),
        pass: parsed.data.temporaryAccessPass,
        lifetimeInMinutes: parsed.data.lifetimeInMinutes ?? 60,
      };
    },
    async setRuleEnabled(userId, ruleId, enabled) {
      return receipt(
        await write({
          method: 'PATCH',
          path: `${rules(userId)}/${encodeURIComponent(ruleId)}`,
          body: { isEnabled: enabled },
        }),
      );
    },
  };
}

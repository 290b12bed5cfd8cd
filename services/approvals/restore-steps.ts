/**
 * The undo of a removal, where Graph allows one (issue 13): a revoked delegated grant, a removed app role assignment,
 * a removed phone or email method, a removed mailbox permission (Exchange) are created again from the before-state the removing request kept (its approval
 * record). App passwords (the secret is gone) and other authentication methods (the user must register them on their
 * device) cannot be put back by the bot; the finished card says so (cards/approval-request.card.ts).
 */
import { same, type PersistencePorts } from './persistence-steps';
import type { TenantPort, WriteReceipt } from './ports';
import type { PersistenceBefore } from './types';

/** How the thing to put back stands now: not there, there again (nothing to do), or its slot taken by another. */
export type RestoreState = 'absent' | 'present' | 'conflict';

export interface RestoreProbe {
  read(): Promise<RestoreState>;
  create(): Promise<WriteReceipt>;
}

/** Graph formats phone numbers as `+{country} {number}`: compared by their digits (and extension). */
const digits = (phone: string | null | undefined): string => (phone ?? '').replace(/[^0-9x]/gi, '').toLowerCase();

/** The format Graph takes a phone number in: `+{country code} {number}x{extension}`. */
const PHONE = /^\+\d{1,3} \d{4,17}(x\d{1,10})?$/;

const scopes = (scope: string): string[] => scope.split(' ').filter(Boolean);

/** Which kind of method a before-state can re-create (phone or email), else null (the others cannot be). */
export function restorableMethod(before: PersistenceBefore): 'phone' | 'email' | null {
  if (before.kind !== 'method') return null;
  // A number Graph showed masked (`+1 55XXXXXX34`, as some admin roles see it) cannot be registered again.
  if (/phoneAuthenticationMethod$/.test(before.odataType) && PHONE.test(before.phoneNumber ?? '') && before.phoneType)
    return 'phone';
  if (/emailAuthenticationMethod$/.test(before.odataType) && before.emailAddress) return 'email';
  return null;
}

/**
 * The probe that reads, re-creates and reads back one removed thing of the user (`upn` for the mailbox); null if it
 * cannot be restored here (not restorable, or the port it needs is not configured).
 */
export function restoreProbe(
  before: PersistenceBefore,
  user: { id: string; upn: string },
  ports: PersistencePorts,
  tenant: TenantPort,
): RestoreProbe | null {
  const userId = user.id;
  if (before.kind === 'delegate') {
    const delegates = ports.delegates;
    if (!delegates) return null;
    const right = (['FullAccess', 'SendAs', 'SendOnBehalf'] as const).find((r) => r === before.right);
    if (!right) return null;
    const item = { kind: 'delegate' as const, delegate: before.delegate, right };
    return {
      read: async () => ((await delegates.holds(user.upn, item)) ? 'present' : 'absent'),
      create: () => delegates.restore(user.upn, item),
    };
  }
  const graph = ports.persistence;
  if (!graph) return null;
  switch (before.kind) {
    case 'grant': {
      if (!same(before.principalId, userId)) return null;
      return {
        async read() {
          const mine = (await graph.listUserGrants(userId)).filter(
            (g) => same(g.clientId, before.clientId) && same(g.resourceId, before.resourceId),
          );
          if (mine.length === 0) return 'absent';
          const want = scopes(before.scope).map((s) => s.toLowerCase());
          const has = new Set(mine.flatMap((g) => scopes(g.scope).map((s) => s.toLowerCase())));
          // A grant of the same app and API with other scopes: Graph would refuse a second one (409); not touched.
          return want.every((s) => has.has(s)) ? 'present' : 'conflict';
        },
        create: () => graph.createGrant(before),
      };
    }
    case 'app-role-assignment':
      if (!same(before.principalId, userId)) return null;
      return {
        async read() {
          const all = await graph.listAppRoleAssignments(userId);
          return all.some((a) => same(a.resourceId, before.resourceId) && same(a.appRoleId, before.appRoleId))
            ? 'present'
            : 'absent';
        },
        create: () =>
          graph.createAppRoleAssignment(userId, {
            principalId: userId,
            resourceId: before.resourceId,
            appRoleId: before.appRoleId,
          }),
      };
    case 'method': {
      const kind = restorableMethod(before);
      if (kind === 'phone') {
        const phoneNumber = before.phoneNumber ?? '';
        const phoneType = before.phoneType ?? '';
        return {
          async read() {
            // One phone per type: the slot is free, holds this number again, or holds another number.
            const slot = (await tenant.listMethods(userId)).find(
              (m) => m.typeSegment === 'phoneMethods' && same(m.phoneType, phoneType),
            );
            if (!slot) return 'absent';
            return digits(slot.phoneNumber) === digits(phoneNumber) ? 'present' : 'conflict';
          },
          create: () => graph.createPhoneMethod(userId, { phoneNumber, phoneType }),
        };
      }
      if (kind === 'email') {
        const address = before.emailAddress ?? '';
        return {
          async read() {
            const email = (await tenant.listMethods(userId)).find((m) => m.typeSegment === 'emailMethods');
            if (!email) return 'absent';
            return same(email.emailAddress, address) ? 'present' : 'conflict';
          },
          create: () => graph.createEmailMethod(userId, address),
        };
      }
      return null;
    }
    default:
      return null;
  }
}

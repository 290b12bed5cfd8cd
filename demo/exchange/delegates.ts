/**
 * Simulated mailbox-delegate cmdlets: FullAccess (`Get/Add/Remove-MailboxPermission`), SendAs
 * (`Get/Add/Remove-RecipientPermission`), SendOnBehalf (`Set-Mailbox -GrantSendOnBehalfTo`), and `Get-Recipient`.
 * Writes change the side table, are logged in `state.writes` and leave an ExchangeAdmin audit record, as Exchange does.
 */
import { recordWrite, type DemoUser, type GraphObject } from '../state';
import type { HandlerContext } from '../http/types';
import type { Cmdlet, CmdletResult } from './cmdlets';
import {
  aliasOf,
  findMailbox,
  findRecipient,
  objectNotFound,
  parameterError,
  recipientObject,
  trusteeName,
} from './recipients';
import { adminAuditRecord, exchangeSim, type MailboxPermissionEntry } from './state';

const SELF = 'NT AUTHORITY\\SELF';
/** The app's own identity in the audit records its writes leave. */
const APP_CALLER = 'SecOps bot (app)';

/** `AccessRights` as a list: Exchange accepts one value, an array, or a comma-separated string. */
function rights(value: unknown): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return list
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function audit(
  ctx: HandlerContext,
  operation: string,
  mailboxUpn: string,
  parameters: Record<string, string>,
): void {
  const sim = exchangeSim(ctx.state);
  sim.adminAudit.push(
    adminAuditRecord({
      id: `a0d1${sim.adminAudit.length.toString(16).padStart(4, '0')}-0000-4000-8000-${ctx.requestId
        .replace(/[^0-9a-f]/gi, '')
        .slice(0, 12)
        .padEnd(12, '0')}`,
      at: ctx.now(),
      operation,
      caller: APP_CALLER,
      objectId: mailboxUpn,
      parameters: { Identity: mailboxUpn, ...parameters },
    }),
  );
  recordWrite(ctx.state, 'POST', `InvokeCommand ${operation} ${mailboxUpn}`, ctx.now());
}

function permissionObject(upn: string, e: MailboxPermissionEntry): GraphObject {
  return {
    Identity: upn,
    User: e.user,
    AccessRights: e.accessRights,
    IsInherited: e.isInherited,
    Deny: e.deny,
    InheritanceType: 'All',
  };
}

const getMailboxPermission: Cmdlet = (ctx, p) => {
  const mailbox = findMailbox(ctx, p.Identity);
  if (!mailbox) return objectNotFound(ctx, p.Identity);
  const entries = exchangeSim(ctx.state).mailboxPermissions.filter((e) => e.mailboxId === mailbox.id);
  const self: MailboxPermissionEntry = {
    mailboxId: mailbox.id,
    user: SELF,
    accessRights: ['FullAccess', 'ReadPermission'],
    isInherited: false,
    deny: false,
  };
  const items = [self, ...entries]
    .filter((e) => typeof p.User !== 'string' || e.user.toLowerCase() === trusteeName(ctx, p.User).toLowerCase())
    .map((e) => permissionObject(mailbox.userPrincipalName, e));
  return { ok: true, items };
};

const addMailboxPermission: Cmdlet = (ctx, p) => {
  const mailbox = findMailbox(ctx, p.Identity);
  if (!mailbox) return objectNotFound(ctx, p.Identity);
  const trustee = findRecipient(ctx, p.User);
  if (!trustee) return objectNotFound(ctx, p.User);
  const wanted = rights(p.AccessRights);
  if (wanted.length === 0) return parameterError(ctx, "Cannot bind argument to parameter 'AccessRights'.");
  const sim = exchangeSim(ctx.state);
  const entry = sim.mailboxPermissions.find(
    (e) => e.mailboxId === mailbox.id && e.user === trustee.userPrincipalName && !e.isInherited && !e.deny,
  );
  if (entry) entry.accessRights = [...new Set([...entry.accessRights, ...wanted])];
  else
    sim.mailboxPermissions.push({
      mailboxId: mailbox.id,
      user: trustee.userPrincipalName,
      accessRights: wanted,
      isInherited: false,
      deny: false,
    });
  audit(ctx, 'Add-MailboxPermission', mailbox.userPrincipalName, {
    User: trustee.userPrincipalName,
    AccessRights: wanted.join(', '),
  });
  return {
    ok: true,
    items: [
      permissionObject(mailbox.userPrincipalName, {
        mailboxId: mailbox.id,
        user: trustee.userPrincipalName,
        accessRights: wanted,
        isInherited: false,
        deny: false,
      }),
    ],
  };
};

/** Removes the named rights; removing an entry that is not there is a warning in Exchange, not an error. */
const removeMailboxPermission: Cmdlet = (ctx, p) => {
  const mailbox = findMailbox(ctx, p.Identity);
  if (!mailbox) return objectNotFound(ctx, p.Identity);
  if (typeof p.User !== 'string') return parameterError(ctx, "Cannot bind argument to parameter 'User'.");
  const wanted = rights(p.AccessRights);
  if (wanted.length === 0) return parameterError(ctx, "Cannot bind argument to parameter 'AccessRights'.");
  const user = trusteeName(ctx, p.User).toLowerCase();
  const sim = exchangeSim(ctx.state);
  for (const e of sim.mailboxPermissions)
    if (e.mailboxId === mailbox.id && e.user.toLowerCase() === user && !e.isInherited)
      e.accessRights = e.accessRights.filter((r) => !wanted.includes(r));
  sim.mailboxPermissions = sim.mailboxPermissions.filter((e) => e.accessRights.length > 0);
  audit(ctx, 'Remove-MailboxPermission', mailbox.userPrincipalName, {
    User: p.User,
    AccessRights: wanted.join(', '),
  });
  return { ok: true, items: [] };
};

const getRecipientPermission: Cmdlet = (ctx, p) => {
  const mailbox = findMailbox(ctx, p.Identity);
  if (!mailbox) return objectNotFound(ctx, p.Identity);
  const self = { mailboxId: mailbox.id, trustee: SELF, accessRights: ['SendAs'] };
  const entries = exchangeSim(ctx.state).recipientPermissions.filter((e) => e.mailboxId === mailbox.id);
  const items = [self, ...entries]
    .filter(
      (e) => typeof p.Trustee !== 'string' || e.trustee.toLowerCase() === trusteeName(ctx, p.Trustee).toLowerCase(),
    )
    .map((e) => ({
      Identity: mailbox.userPrincipalName,
      Trustee: e.trustee,
      AccessControlType: 'Allow',
      AccessRights: e.accessRights,
      IsInherited: false,
      InheritanceType: 'None',
    }));
  return { ok: true, items };
};

const addRecipientPermission: Cmdlet = (ctx, p) => {
  const mailbox = findMailbox(ctx, p.Identity);
  if (!mailbox) return objectNotFound(ctx, p.Identity);
  const trustee = findRecipient(ctx, p.Trustee);
  if (!trustee) return objectNotFound(ctx, p.Trustee);
  if (!rights(p.AccessRights).includes('SendAs'))
    return parameterError(ctx, "Cannot bind parameter 'AccessRights': only SendAs is supported.");
  const sim = exchangeSim(ctx.state);
  if (!sim.recipientPermissions.some((e) => e.mailboxId === mailbox.id && e.trustee === trustee.userPrincipalName))
    sim.recipientPermissions.push({
      mailboxId: mailbox.id,
      trustee: trustee.userPrincipalName,
      accessRights: ['SendAs'],
    });
  audit(ctx, 'Add-RecipientPermission', mailbox.userPrincipalName, {
    Trustee: trustee.userPrincipalName,
    AccessRights: 'SendAs',
  });
  return { ok: true, items: [] };
};

const removeRecipientPermission: Cmdlet = (ctx, p) => {
  const mailbox = findMailbox(ctx, p.Identity);
  if (!mailbox) return objectNotFound(ctx, p.Identity);
  if (typeof p.Trustee !== 'string') return parameterError(ctx, "Cannot bind argument to parameter 'Trustee'.");
  const trustee = trusteeName(ctx, p.Trustee).toLowerCase();
  const sim = exchangeSim(ctx.state);
  sim.recipientPermissions = sim.recipientPermissions.filter(
    (e) => !(e.mailboxId === mailbox.id && e.trustee.toLowerCase() === trustee),
  );
  audit(ctx, 'Remove-RecipientPermission', mailbox.userPrincipalName, { Trustee: p.Trustee, AccessRights: 'SendAs' });
  return { ok: true, items: [] };
};

type MultiValuedChange = { add: string[]; remove: string[]; replace: string[] | null };

/** `@{Add=…; Remove=…}` as the REST module sends it, or a plain list (which replaces). */
function multiValuedChange(value: unknown): MultiValuedChange | null {
  const list = (v: unknown): string[] =>
    (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).filter((x): x is string => typeof x === 'string');
  if (Array.isArray(value) || typeof value === 'string') return { add: [], remove: [], replace: list(value) };
  if (value === null) return { add: [], remove: [], replace: [] };
  if (typeof value !== 'object') return null;
  const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => !k.startsWith('@odata'));
  const pick = (name: string) => list(entries.find(([k]) => k.toLowerCase() === name)?.[1]);
  if (entries.some(([k]) => !['add', 'remove'].includes(k.toLowerCase()))) return null;
  return { add: pick('add'), remove: pick('remove'), replace: null };
}

/**
 * The shared front of a Set-* cmdlet that changes one multi-valued property of a mailbox: the mailbox, unknown
 * parameters refused as PowerShell does, and the change parsed — or the error answer.
 */
export function multiValuedSet(
  ctx: HandlerContext,
  p: Record<string, unknown>,
  property: string,
): { mailbox: DemoUser; change: MultiValuedChange } | CmdletResult {
  const mailbox = findMailbox(ctx, p.Identity);
  if (!mailbox) return objectNotFound(ctx, p.Identity);
  const other = Object.keys(p).filter((k) => !['Identity', property, 'Confirm'].includes(k));
  if (other.length > 0)
    return parameterError(ctx, `A parameter cannot be found that matches parameter name '${other[0] ?? ''}'.`);
  const change = multiValuedChange(p[property]);
  if (!change) return parameterError(ctx, `Cannot bind parameter '${property}'.`);
  return { mailbox, change };
}

/** Set-Mailbox: only GrantSendOnBehalfTo is simulated; any other parameter is refused as unknown. */
const setMailbox: Cmdlet = (ctx, p) => {
  const set = multiValuedSet(ctx, p, 'GrantSendOnBehalfTo');
  if ('ok' in set) return set;
  const { mailbox, change } = set;
  const resolve = (names: string[]): string[] | CmdletResult => {
    const out: string[] = [];
    for (const name of names) {
      const r = findRecipient(ctx, name);
      if (!r) return objectNotFound(ctx, name);
      out.push(aliasOf(r));
    }
    return out;
  };
  const sim = exchangeSim(ctx.state);
  let current = sim.sendOnBehalf.get(mailbox.id) ?? [];
  const replace = change.replace ? resolve(change.replace) : null;
  const add = resolve(change.add);
  const remove = resolve(change.remove);
  for (const r of [replace, add, remove]) if (r && !Array.isArray(r)) return r;
  if (Array.isArray(replace)) current = replace;
  if (Array.isArray(add)) current = [...current, ...add.filter((a) => !current.includes(a))];
  if (Array.isArray(remove)) current = current.filter((c) => !remove.includes(c));
  sim.sendOnBehalf.set(mailbox.id, current);
  audit(ctx, 'Set-Mailbox', mailbox.userPrincipalName, { GrantSendOnBehalfTo: current.join(', ') });
  return { ok: true, items: [] };
};

const getRecipient: Cmdlet = (ctx, p) => {
  const user = findRecipient(ctx, p.Identity);
  return user ? { ok: true, items: [recipientObject(user)] } : objectNotFound(ctx, p.Identity);
};

export const DELEGATE_CMDLETS: Readonly<Record<string, Cmdlet>> = {
  'Get-MailboxPermission': getMailboxPermission,
  'Add-MailboxPermission': addMailboxPermission,
  'Remove-MailboxPermission': removeMailboxPermission,
  'Get-RecipientPermission': getRecipientPermission,
  'Add-RecipientPermission': addRecipientPermission,
  'Remove-RecipientPermission': removeRecipientPermission,
  'Set-Mailbox': setMailbox,
  'Get-Recipient': getRecipient,
};

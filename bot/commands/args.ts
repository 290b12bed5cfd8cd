import { z } from 'zod';
import { DEMO_ALERT_SCENARIOS, demoScenarioSchema, type DemoAlertScenario } from '../../services/alerts/demo-emitter';
import { upnSchema, userRefSchema, type Upn, type UserRef } from '../../services/ids';
import { TEAMS_MESSAGE_LIMIT_BYTES } from '../../services/mail/paste';
import type { SweepScope } from '../../services/mailbox/sweep-types';
import type { ReportScope } from '../../services/identity/mfa-report/types';
import { sanitizeUntrusted } from '../../cards/text';

/**
 * Argument schemas of the command table: each turns the text after the command name into a typed value, or fails
 * with a message written for the user (the runner adds the command's usage line).
 */

/** Quotes user input back to them safely: stripped, capped, and never markdown (replies are plain text). */
export function quoteInput(value: string): string {
  return `"${sanitizeUntrusted(value, 64)}"`;
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

/** A schema over the argument text: `parse` returns the value or the message for the user. */
function argsSchema<A>(parse: (text: string) => { ok: true; value: A } | { ok: false; message: string }) {
  return z.string().transform((text, ctx): A => {
    const result = parse(text);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.message });
    return z.NEVER;
  });
}

const ok = <A>(value: A) => ({ ok: true as const, value });
const fail = (message: string) => ({ ok: false as const, message });

/** Anything after the name is ignored (`help`). */
export const noArgs = z.string().transform((): null => null);

function userRefOf(word: string): { ok: true; value: UserRef } | { ok: false; message: string } {
  const parsed = userRefSchema.safeParse(word);
  if (parsed.success) return ok(parsed.data);
  return fail(`${quoteInput(word)} is not a user: ${parsed.error.issues[0]?.message ?? 'invalid user'}.`);
}

function oneUserOf(text: string): { ok: true; value: UserRef } | { ok: false; message: string } {
  const parts = words(text);
  if (parts.length === 0) return fail('Which user?');
  if (parts.length > 1) return fail(`Expected one user, got ${parts.length} words.`);
  return userRefOf(parts[0] ?? '');
}

/** One `<upn>` or object id. */
export const oneUser = argsSchema(oneUserOf);

export function describeUserRef(ref: UserRef): string {
  return ref.kind === 'upn' ? ref.upn : ref.id;
}

/** `audit <upn>` or `audit verify`. */
export const auditArgs = argsSchema((text): { ok: true; value: UserRef | 'verify' } | { ok: false; message: string } =>
  text.trim().toLowerCase() === 'verify' ? ok('verify' as const) : oneUserOf(text),
);

/** One email address (`msa`). */
export const oneEmail = argsSchema((text) => {
  const parts = words(text);
  if (parts.length !== 1) return fail('Expected one email address.');
  const parsed = upnSchema.safeParse(parts[0]);
  return parsed.success ? ok(parsed.data) : fail(`${quoteInput(parts[0] ?? '')} is not an email address.`);
});

/** A pasted email (`sspr-check`): not empty, and no larger than Teams can deliver. */
export const pastedEmail = argsSchema((raw) => {
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > TEAMS_MESSAGE_LIMIT_BYTES)
    return fail(
      `That paste is ${Math.ceil(bytes / 1024)} KB, above Teams' message limit of about 28 KB, so it cannot be the email as Teams delivered it. Paste the header block and the text of the email only (no attachments or images).`,
    );
  if (raw.trim().length === 0)
    return fail(
      'Paste the email after the command, in the same message. In Outlook, File → Properties (or View → View message source) shows the headers; paste them with the body.',
    );
  return ok({ raw, bytes });
});

/** Arguments of a response action: the target, the method/rule id where needed, and the justification. */
export interface ActionArgs {
  target: UserRef;
  id?: string;
  /** The undo actions: the finished request whose removal is undone (its id comes before the item's). */
  from?: string;
  justification: string;
  /** The arguments before the justification, for the justification card to re-run. */
  head: string;
}

const ID = /^[A-Za-z0-9=+/_\-.:]{1,200}$/;
/** A mailbox delegate as Exchange names it: a UPN or SMTP address (or an account name). */
const DELEGATE = /^[A-Za-z0-9=+/_\-.:@'!#$%&*?^`{|}~]{1,320}$/;

/** What the id of a response action names (the word after the user). */
export type ActionIdKind = 'method' | 'rule' | 'grant' | 'device' | 'delegate' | 'undo' | 'mobile-device';

/** `<upn> [<id>] <justification…>`; an empty justification is allowed here and asked for by a card. */
export function actionArgs(needsId?: ActionIdKind) {
  return argsSchema((text): { ok: true; value: ActionArgs } | { ok: false; message: string } => {
    const all = words(text);
    const first = all[0];
    if (first === undefined) return fail('Which user?');
    const target = userRefSchema.safeParse(first);
    if (!target.success) return fail(`${quoteInput(first)} is not a user.`);
    let rest = all.slice(1);
    let id: string | undefined;
    let from: string | undefined;
    if (needsId === 'undo') {
      // `<requestId> <itemId>`, as the finished approval card's Undo line writes them.
      from = rest[0];
      if (from === undefined || !ID.test(from))
        return fail('Which request? Copy the Undo line of the finished approval card (request id, then item id).');
      rest = rest.slice(1);
    }
    if (needsId) {
      id = rest[0];
      // An undo names a delegate by address too.
      if (id === undefined || !(needsId === 'delegate' || needsId === 'undo' ? DELEGATE : ID).test(id))
        return fail(
          needsId === 'delegate'
            ? 'Which delegate? Give their address as the investigate card shows it.'
            : needsId === 'undo'
              ? 'Which item? Copy the Undo line of the finished approval card (request id, then item id).'
              : needsId === 'mobile-device'
                ? 'Which mobile device? Give its device id as the investigate card shows it.'
                : `Which ${needsId}? Give its id as shown on the card.`,
        );
      rest = rest.slice(1);
    }
    const justification = sanitizeUntrusted(rest.join(' '), 1000).trim();
    const head = [first, ...(from ? [from] : []), ...(id ? [id] : [])].join(' ');
    return ok({ target: target.data, ...(id ? { id } : {}), ...(from ? { from } : {}), justification, head });
  });
}

/** `approvals [here]`. */
export const approvalsArgs = argsSchema((text) => {
  const word = text.trim().toLowerCase();
  if (word === '') return ok('list' as const);
  if (word === 'here') return ok('here' as const);
  return fail(`${quoteInput(word)} is not an option.`);
});

export type AlertsArgs =
  { action: 'on' | 'off' | 'status' } | { action: 'emit'; scenario: DemoAlertScenario; user?: Upn };

/** `alerts on|off|status`, and `alerts emit <scenario> [upn]` (which only a demo bot runs). */
export const alertsArgs = argsSchema((text): { ok: true; value: AlertsArgs } | { ok: false; message: string } => {
  const [action = '', scenario, ...rest] = text.trim().toLowerCase().split(/\s+/);
  if ((action === 'on' || action === 'off' || action === 'status') && scenario === undefined) return ok({ action });
  if (action === 'emit') {
    const parsed = demoScenarioSchema.safeParse(scenario);
    const user = rest.length === 1 ? upnSchema.safeParse(rest[0]) : null;
    if (parsed.success && rest.length === 0) return ok({ action, scenario: parsed.data });
    if (parsed.success && user?.success) return ok({ action, scenario: parsed.data, user: user.data });
    return fail(`In demo mode: alerts emit <${DEMO_ALERT_SCENARIOS.join('|')}> [user upn].`);
  }
  return fail('Say on, off or status.');
});

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** `forwarding` or `forwarding <group object id>`. */
export const sweepArgs = argsSchema((text): { ok: true; value: SweepScope } | { ok: false; message: string } => {
  const parts = words(text);
  if (parts[0]?.toLowerCase() !== 'forwarding') return fail('Which sweep? Only the forwarding sweep exists.');
  if (parts.length === 1) return ok({ kind: 'all' });
  const group = parts[1] ?? '';
  if (parts.length > 2 || !GUID.test(group)) return fail(`${quoteInput(group)} is not a group object id (GUID).`);
  return ok({ kind: 'group', groupId: group.toLowerCase() });
});

/** `mfa` or `mfa <group object id>` (the `report` command's only report so far). */
export const reportArgs = argsSchema((text): { ok: true; value: ReportScope } | { ok: false; message: string } => {
  const parts = words(text);
  if (parts[0]?.toLowerCase() !== 'mfa')
    return fail('Which report? Only the MFA report exists: report mfa [group id].');
  if (parts.length === 1) return ok({ kind: 'all' });
  const group = parts[1] ?? '';
  if (parts.length > 2 || !GUID.test(group)) return fail(`${quoteInput(group)} is not a group object id (GUID).`);
  return ok({ kind: 'group', groupId: group.toLowerCase() });
});

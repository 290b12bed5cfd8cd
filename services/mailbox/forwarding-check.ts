import { isCodedError } from '../errors';
import type { GraphClient } from '../graph/client';
import { getOrganization } from '../graph/organization';
import type { UserResolver } from '../graph/user-resolver';
import type { UserRef } from '../ids';
import { classifyAddress, type AddressClass } from './domains';
import type { MailboxForwarding, MailboxForwardingReader } from './exchange-admin';
import { readFolders, readInboxRules } from './mailbox-reads';
import { foldersToName, judgeRule, maxSeverity, type RuleVerdict, type Severity } from './rule-verdict';

/** Mailbox-level forwarding as far as we could check it. */
export type MailboxForwardingView =
  | { kind: 'not-configured' }
  | { kind: 'no-exchange-mailbox' }
  /** The Exchange read failed (the rules are still judged); `permission` when Exchange answered 403. */
  | { kind: 'failed'; code: string; permission: string | null }
  | {
      kind: 'checked';
      smtp: { address: string; class: AddressClass } | null;
      /** A recipient object (contact, mail user); its external address is not resolved here. */
      recipient: string | null;
      deliverToMailboxAndForward: boolean;
      severity: Severity;
    };

/** The `forwarding <upn>` answer: each rule judged, mailbox forwarding, and the overall verdict. */
export type ForwardingReport =
  | { kind: 'no-mailbox'; userId: string; user: string }
  | {
      kind: 'checked';
      userId: string;
      user: string;
      rules: RuleVerdict[];
      mailbox: MailboxForwardingView;
      severity: Severity;
    };

/** Judges mailbox-level forwarding: an external SMTP target is high, an internal one or a recipient object medium. */
export function judgeMailboxForwarding(
  f: MailboxForwarding | null,
  verified: readonly string[],
): MailboxForwardingView {
  if (f === null) return { kind: 'no-exchange-mailbox' };
  const smtp = f.forwardingSmtpAddress
    ? {
        address: f.forwardingSmtpAddress.replace(/^smtp:/i, ''),
        class: classifyAddress(f.forwardingSmtpAddress, verified),
      }
    : null;
  const smtpSeverity: Severity = smtp === null ? 'none' : smtp.class.kind === 'internal' ? 'medium' : 'high';
  const recipientSeverity: Severity = f.forwardingAddress ? 'medium' : 'none';
  return {
    kind: 'checked',
    smtp,
    recipient: f.forwardingAddress,
    deliverToMailboxAndForward: f.deliverToMailboxAndForward,
    severity: maxSeverity(smtpSeverity, recipientSeverity),
  };
}

export interface ForwardingCheckDeps {
  graph: GraphClient;
  users: UserResolver;
  /** Undefined when EXCHANGE_ADMIN_ENABLED is off. */
  exchange?: MailboxForwardingReader;
}

/** Reads the verified domains once (they rarely change; a sweep reads them at its start). */
export async function readVerifiedDomains(graph: GraphClient): Promise<string[]> {
  const org = await getOrganization(graph);
  return org.verifiedDomains.map((d) => d.name.toLowerCase());
}

/** The Exchange read, with its failure kept as a result: the inbox rules are worth showing without it. */
async function readMailboxForwarding(
  exchange: MailboxForwardingReader,
  userId: string,
): Promise<{ forwarding: MailboxForwarding | null } | { failed: Extract<MailboxForwardingView, { kind: 'failed' }> }> {
  try {
    return { forwarding: await exchange.read(userId) };
  } catch (error) {
    if (!isCodedError(error)) throw error;
    const permission = typeof error.details.permission === 'string' ? error.details.permission : null;
    return { failed: { kind: 'failed', code: error.code, permission } };
  }
}

/** `forwarding <upn>`: rules (with their target folders named), mailbox forwarding, verdicts. */
export async function checkForwarding(deps: ForwardingCheckDeps, ref: UserRef): Promise<ForwardingReport> {
  const userId = await deps.users.resolve(ref);
  const user = ref.kind === 'upn' ? ref.upn : userId;
  const [verified, rules, mailboxRaw] = await Promise.all([
    readVerifiedDomains(deps.graph),
    readInboxRules(deps.graph, userId),
    deps.exchange ? readMailboxForwarding(deps.exchange, userId) : Promise.resolve(undefined),
  ]);
  if (rules.kind === 'no-mailbox') return { kind: 'no-mailbox', userId, user };
  const folders = await readFolders(deps.graph, userId, foldersToName(rules.rules, false));
  const verdicts = [...rules.rules]
    .sort((a, b) => (a.sequence ?? Number.MAX_SAFE_INTEGER) - (b.sequence ?? Number.MAX_SAFE_INTEGER))
    .map((r) => judgeRule(r, verified, folders));
  const mailbox: MailboxForwardingView =
    mailboxRaw === undefined
      ? { kind: 'not-configured' }
      : 'failed' in mailboxRaw
        ? mailboxRaw.failed
        : judgeMailboxForwarding(mailboxRaw.forwarding, verified);
  const severity = maxSeverity(
    ...verdicts.map((v) => v.severity),
    mailbox.kind === 'checked' ? mailbox.severity : 'none',
  );
  return { kind: 'checked', userId, user, rules: verdicts, mailbox, severity };
}

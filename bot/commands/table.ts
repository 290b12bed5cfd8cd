import {
  alertsArgs,
  approvalsArgs,
  auditArgs,
  describeUserRef,
  noArgs,
  oneEmail,
  oneUser,
  pastedEmail,
  reportArgs,
  sweepArgs,
} from './args';
import { runAlerts } from './alerts';
import { runApprovals } from './approvals';
import { showAuditTrail } from './audit';
import { command, EVERYWHERE, type AnyCommand } from './define';
import { showHelp } from './help';
import {
  showConsumerAccount,
  showForwarding,
  showInvestigation,
  showMfa,
  showSignIns,
  showSspr,
  showUser,
} from './lookups';
import { approvalAction } from './response-actions';
import { checkPastedEmail } from './sspr-check';
import { startSweep } from './sweep';
import { startMfaReport } from './report';

export type { VerbData, VerbName } from './verbs';

/**
 * Every chat command of the bot, declared once, here (its card verbs are in ./verbs.ts). Help, "did you mean", the
 * plain-language questions and the Teams manifest's command menu are generated from COMMANDS; card buttons name
 * commands through CommandName, so a button for a command missing here does not compile. Handlers get the services
 * they list in `needs` as their last parameter, so the table is built without any of them.
 *
 * To add a command: one entry below (name, usage, summary, argument schema from ./args.ts, access, where it runs, its
 * menu rank if any, the services it needs, the audit target) and its handler; `approvalAction` rows ask for approval.
 */
export const COMMANDS = [
  command({
    name: 'help',
    usage: 'help',
    summary: 'Show every command with its usage.',
    args: noArgs,
    access: 'operator',
    where: EVERYWHERE,
    menu: 1,
    needs: [],
    target: () => null,
    run: (_ctx, _args, services) => showHelp(COMMAND_TABLE, services),
  }),
  command({
    name: 'user',
    usage: 'user <upn>',
    summary:
      'Enabled, cloud or synced, UPN vs SMTP and proxies, admin roles, licences and advanced auditing, password and sessions.',
    args: oneUser,
    access: 'operator',
    where: EVERYWHERE,
    menu: 2,
    needs: ['profiles'],
    target: describeUserRef,
    run: (ctx, ref, { profiles }) => showUser(ctx, ref, profiles),
  }),
  command({
    name: 'mfa',
    usage: 'mfa <upn>',
    summary:
      'Is MFA usable? Each method: registered, allowed by policy, verified in the audit log; CA strength; the admin SSPR loop.',
    args: oneUser,
    access: 'operator',
    where: EVERYWHERE,
    menu: 4,
    needs: ['mfa'],
    target: describeUserRef,
    run: (ctx, ref, { mfa }) => showMfa(ctx, ref, mfa),
  }),
  command({
    name: 'investigate',
    usage: 'investigate <upn>',
    summary:
      'Compromised-account view: MFA verdict, security-info changes (7 days), sign-ins and risk, password, sessions, auditing, forwarding.',
    args: oneUser,
    access: 'operator',
    where: EVERYWHERE,
    menu: 3,
    needs: ['investigation'],
    target: describeUserRef,
    run: (ctx, ref, { investigation }) => showInvestigation(ctx, ref, investigation),
  }),
  command({
    name: 'signins',
    usage: 'signins <upn>',
    summary:
      'Newest sign-ins (result and error explained, location, IP, app, client, MFA method, risk), usual vs new countries, Identity Protection risk.',
    args: oneUser,
    access: 'operator',
    where: EVERYWHERE,
    menu: 5,
    needs: ['signIns'],
    target: describeUserRef,
    run: (ctx, ref, { signIns }) => showSignIns(ctx, ref, signIns),
  }),
  command({
    name: 'sspr',
    usage: 'sspr <upn>',
    summary:
      "SSPR status (enabled, registered, capable) and the user's recent reset attempts: each step, its reason, IP and time.",
    args: oneUser,
    access: 'operator',
    where: EVERYWHERE,
    menu: 6,
    needs: ['sspr'],
    target: describeUserRef,
    run: (ctx, ref, { sspr }) => showSspr(ctx, ref, sspr),
  }),
  command({
    name: 'sspr-check',
    usage: 'sspr-check <pasted "Request to reset user\'s password" email>',
    summary:
      'Paste the whole email (raw source with headers is best): checks its Authentication-Results, sender and link domains, and the SSPR audit trail of the user it names.',
    args: pastedEmail,
    access: 'operator',
    where: EVERYWHERE,
    menu: 10,
    needs: ['sspr'],
    // The paste is not recorded (it is the email's content); its size is, and the user it names appears in the card.
    target: (paste) => `pasted email (${paste.bytes} bytes)`,
    run: (ctx, paste, { sspr }) => checkPastedEmail(ctx, paste, sspr),
  }),
  command({
    name: 'msa',
    usage: 'msa <email>',
    summary:
      'Does this address also have a personal Microsoft account? Explains the "Microsoft account unusual sign-in activity" emails and what to tell the user.',
    args: oneEmail,
    access: 'operator',
    where: EVERYWHERE,
    menu: 14,
    needs: ['consumerAccounts'],
    target: (address) => address,
    run: (ctx, address, { consumerAccounts }) => showConsumerAccount(ctx, address, consumerAccounts),
  }),
  command({
    name: 'forwarding',
    usage: 'forwarding <upn>',
    summary:
      'Inbox rules that forward, redirect, delete or hide mail (external vs internal), mailbox-level forwarding, a verdict per rule.',
    args: oneUser,
    access: 'operator',
    where: EVERYWHERE,
    menu: 7,
    needs: ['forwarding'],
    target: describeUserRef,
    run: (ctx, ref, { forwarding }) => showForwarding(ctx, ref, forwarding),
  }),
  command({
    name: 'sweep',
    usage: 'sweep forwarding [group id]',
    summary:
      'Checks every mailbox (or a group’s members) for forwarding and hiding rules in the background, with a live progress card, a summary and a CSV.',
    args: sweepArgs,
    access: 'operator',
    where: EVERYWHERE,
    menu: 13,
    needs: ['sweeper'],
    target: (scope) => (scope.kind === 'all' ? 'forwarding: all mailboxes' : `forwarding: group ${scope.groupId}`),
    run: (ctx, scope, { sweeper }) => startSweep(ctx, scope, sweeper),
  }),
  command({
    name: 'report',
    usage: 'report mfa [group id]',
    summary:
      'Tenant-wide MFA that actually works: every enabled member (or a group) judged like `mfa`, in the background, with charts, admins first and a CSV.',
    args: reportArgs,
    access: 'operator',
    where: EVERYWHERE,
    menu: 15,
    needs: ['mfaReport'],
    target: (scope) => (scope.kind === 'all' ? 'mfa report: all users' : `mfa report: group ${scope.groupId}`),
    run: (ctx, scope, { mfaReport }) => startMfaReport(ctx, scope, mfaReport),
  }),
  approvalAction({
    name: 'revoke',
    usage: 'revoke <upn> <justification>',
    summary: 'Revoke all sign-in sessions (needs approval).',
    menu: 12,
  }),
  approvalAction({
    name: 'contain',
    usage: 'contain <upn> <justification>',
    summary: 'Compromised account: revoke, block, reset password, disable forwarding/delete rules, as one approval.',
    menu: 11,
  }),
  approvalAction({
    name: 'disable',
    usage: 'disable <upn> <justification>',
    summary: 'Block sign-in (needs approval).',
  }),
  approvalAction({
    name: 'enable',
    usage: 'enable <upn> <justification>',
    summary: 'Restore sign-in (needs approval).',
  }),
  approvalAction({
    name: 'reset-password',
    usage: 'reset-password <upn> <justification>',
    summary: 'Temporary password, change at next sign-in; shown once to the requester (needs approval).',
  }),
  approvalAction({
    name: 'remove-method',
    usage: 'remove-method <upn> <methodId> <justification>',
    summary: 'Delete an authentication method by the id the mfa card shows (needs approval).',
    needsId: 'method',
  }),
  approvalAction({
    name: 'tap',
    usage: 'tap <upn> <justification>',
    summary: 'Temporary Access Pass so the user can re-register; shown once to the requester (needs approval).',
  }),
  approvalAction({
    name: 'disable-rule',
    usage: 'disable-rule <upn> <ruleId> <justification>',
    summary: 'Disable an inbox rule by the id the forwarding card shows (needs approval).',
    needsId: 'rule',
  }),
  approvalAction({
    name: 'enable-rule',
    usage: 'enable-rule <upn> <ruleId> <justification>',
    summary: 'Re-enable an inbox rule disabled earlier (needs approval).',
    needsId: 'rule',
  }),
  command({
    name: 'approvals',
    usage: 'approvals [here]',
    summary: 'List open approval requests; "approvals here" makes this channel or group chat receive approval cards.',
    args: approvalsArgs,
    access: 'operator',
    where: EVERYWHERE,
    menu: 9,
    needs: ['approvals'],
    target: () => null,
    run: (ctx, mode, { approvals }) => runApprovals(ctx, mode, approvals),
  }),
  command({
    name: 'audit',
    usage: 'audit <upn> | audit verify',
    summary: "This bot's audit trail for a user: who asked, who approved, what ran, with the hash chain checked.",
    args: auditArgs,
    access: 'operator',
    where: EVERYWHERE,
    needs: ['approvals'],
    target: (arg) => (arg === 'verify' ? null : describeUserRef(arg)),
    run: (ctx, ref, { approvals }) => showAuditTrail(ctx, ref, approvals),
  }),
  command({
    name: 'alerts',
    usage: 'alerts on|off|status',
    summary: 'Post security alerts to this channel (on/off), or show the poller and delivery status.',
    args: alertsArgs,
    access: 'operator',
    where: ['channel'],
    menu: 8,
    needs: ['alerts'],
    target: (args) => (args.action === 'emit' ? `demo:${args.scenario}` : null),
    run: (ctx, args, { alerts }) => runAlerts(ctx, args, alerts),
  }),
] as const;

export type CommandName = (typeof COMMANDS)[number]['name'];

/** The table as the runner sees it: one shape for every row. */
export const COMMAND_TABLE: readonly AnyCommand[] = COMMANDS;

/** The command of this name, if any (names are lower case). */
export function findCommand(name: string): AnyCommand | undefined {
  return COMMAND_TABLE.find((c) => c.name === name);
}

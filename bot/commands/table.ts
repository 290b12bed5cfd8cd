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
  showPosture,
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
 * menu rank if any, the services it needs, the plain-language questions it answers (`asked`, bot/phrases/grammar.ts),
 * the audit target) and its handler; `approvalAction` rows ask for approval (`writes`: a question only proposes them).
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
    asked: [
      'what can you do',
      'what (commands|questions) [do you know|do you understand|do you take|are there|can i use|can i ask]',
      'how do i use (this|you|this bot|the bot)',
      'help [me]',
    ],
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
    asked: [
      'user [for|of|on] {user}',
      "who (is|'s) {user}",
      'tell me about {user}',
      '(look|looking) up {user}',
      'lookup {user}',
      'what do (we|you) know about {user}',
      '(info|information|details) (on|about|for) {user}',
      'show [me] [the] (user|profile|details|account) (for|of|on) {user}',
      'is {user} [account] (enabled|disabled|blocked|synced|a guest|an admin)',
    ],
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
    asked: [
      'mfa [for|of|on] {user}',
      'is {user} mfa (working|ok|okay|usable|broken|set up|fine)',
      'is mfa (working|ok|okay|usable|broken|set up) for {user}',
      'is [the] mfa (of|for) {user} (working|ok|okay|usable|broken|set up)',
      'can {user} (sign|log) in with mfa',
      'can {user} (do|use|pass|complete) mfa',
      "why (can't|cant|cannot|can not) {user} (do|use|pass|complete|get through) mfa",
      '(check|show) [me] [the] mfa (for|of|on) {user}',
      '(check|show) [me] {user} mfa [status|methods]',
      'does {user} have mfa [set up|registered|working]',
      'is {user} registered for mfa',
      'what mfa methods does {user} have',
      'mfa (status|methods) (for|of) {user}',
    ],
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
    asked: [
      'investigate {user}',
      'what happened to {user}',
      'look into {user}',
      '(is|was) {user} [account] (compromised|hacked|phished|breached)',
      'has {user} [account] been (compromised|hacked|phished|breached)',
      'did {user} [account] get (compromised|hacked|phished|breached)',
    ],
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
    asked: [
      'signins [for|of|by] {user}',
      'show [me] [the|all] [recent|latest|last] (signins|sign ins|logins|log ins) (for|of|by|from) {user}',
      '(signins|sign ins|logins|log ins) (for|of|by) {user}',
      'show [me] {user} [recent|latest|last] (signins|sign ins|logins|log ins)',
      'where (has|did|does) {user} (sign|signed|log|logged) in [from]',
      'when did {user} last (sign|log) in',
      '(has|did) {user} (sign|signed|log|logged) in [recently|today]',
    ],
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
    asked: [
      'sspr [for|of] {user}',
      'did {user} (reset|change) [their|his|her|the] password',
      '(has|have) {user} (reset|changed) [their|his|her|the] password',
      '(can|could) {user} reset [their|his|her|the] [own] password',
      '[show] [me] [the] (password reset|sspr|reset) (attempts|status|history) (for|of|by) {user}',
      'is sspr (working|enabled|set up) for {user}',
      'is {user} registered for (sspr|password reset|selfservice password reset)',
    ],
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
    asked: [
      'is this [password] reset (email|mail|message) (real|legit|legitimate|genuine|fake|phishing|a phish|a scam|safe) {paste}',
      'is this (email|mail|message) (real|legit|legitimate|genuine|fake|phishing|a phish|a scam|safe) {paste}',
      'check this [password] reset (email|mail|message) {paste}',
      '(is|was) this [password] reset (email|mail|message|request) (from|sent by) microsoft {paste}',
    ],
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
    asked: [
      'msa [for|of] {user}',
      'does {user} [also] have a personal [microsoft] account',
      'does {user} [also] have (an msa|a microsoft account|an outlook account|an outlook.com account)',
      'is {user} [also] a personal [microsoft] account',
      'is there a personal [microsoft] account (for|on|with) {user}',
      '(check|show) [the] msa (for|of) {user}',
    ],
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
    asked: [
      'forwarding [for|of|on] {user}',
      'check [the] (forwarding|inbox rules|mail rules|forwarding rules|rules) (for|of|on) {user}',
      'check {user} [mailbox|inbox|mail] for forwarding',
      'is {user} (forwarding|auto forwarding|autoforwarding) [mail|email|emails|his mail|her mail|their mail]',
      'is {user} (mail|email) being forwarded',
      'is [the] (mail|email) (of|for) {user} being forwarded',
      'does {user} have [any] (forwarding|inbox rules|mail rules|forwarding rules|hidden rules)',
      '(show|list) [me] [the] (inbox|mail|forwarding) rules (for|of|on) {user}',
      '(show|list) [me] {user} (inbox|mail|forwarding) rules',
      'where does {user} (mail|email) go',
    ],
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
    asked: [
      '(check|sweep|scan) (all|every) (mailboxes|mailbox) for forwarding => forwarding',
      'which mailboxes (forward|are forwarding) [mail|email] [externally|outside] => forwarding',
    ],
    run: (ctx, scope, { sweeper }) => startSweep(ctx, scope, sweeper),
  }),
  command({
    name: 'posture',
    usage: 'posture',
    summary:
      'The phishing checklist for the tenant: MFA for all, legacy auth, consent, admin SSPR, SSPR, forwarding, mailbox audit, SMTP/POP/IMAP, advanced auditing, Secure Score.',
    args: noArgs,
    access: 'operator',
    where: EVERYWHERE,
    needs: ['posture'],
    asked: [
      'how (secure|safe|protected|exposed) (is|are) (our|the) tenant',
      'is (our|the) tenant (secure|safe|protected|hardened)',
      "(what is|what 's|show) [me] [our|the] [tenant] [security] posture",
      '(check|show) [me] [our|the] [tenant] (security posture|phishing checklist)',
    ],
    target: () => 'tenant posture',
    run: (ctx, _args, { posture }) => showPosture(ctx, posture),
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
    asked: [
      "(how many|which) users (have no|lack|are missing|do not have|don't have|dont have) [working] mfa => mfa",
      '(check|report on) mfa (for|across) (all users|everyone|the tenant|every user) => mfa',
      '[show] [me] [the] mfa report => mfa',
      'report on mfa => mfa',
    ],
    target: (scope) => (scope.kind === 'all' ? 'mfa report: all users' : `mfa report: group ${scope.groupId}`),
    run: (ctx, scope, { mfaReport }) => startMfaReport(ctx, scope, mfaReport),
  }),
  approvalAction({
    name: 'revoke',
    usage: 'revoke <upn> <justification>',
    summary: 'Revoke all sign-in sessions (needs approval).',
    menu: 12,
    asked: [
      'revoke [all] [the] [sign in|signin] sessions (for|of|from) {user} {reason}',
      'revoke {user} [sign in|signin] sessions {reason}',
      'revoke {user} {reason}',
      '(sign|log|kick) {user} out [everywhere|of everything] {reason}',
      'end [all] {user} sessions {reason}',
    ],
  }),
  approvalAction({
    name: 'contain',
    usage: 'contain <upn> <justification>',
    summary:
      "Compromised account: revoke, block, reset password, disable forwarding/delete rules, and remove what the investigation flags (apps' grants, delegates, devices, mobile devices, methods, app credentials), as one approval; the finished card shows each undo.",
    menu: 11,
    asked: [
      'contain {user} [account] {reason}',
      'lock down {user} [account] {reason}',
      'secure {user} account {reason}',
    ],
  }),
  approvalAction({
    name: 'disable',
    usage: 'disable <upn> <justification>',
    summary: 'Block sign-in (needs approval).',
    asked: [
      'block {user} [from signing in|from logging in] {reason}',
      'block (sign in|signin|signins|login) (for|of) {user} {reason}',
      'disable {user} [account] {reason}',
      'disable [the] account (of|for) {user} {reason}',
      '(stop|prevent) {user} from (signing|logging) in {reason}',
      'lock {user} out {reason}',
    ],
  }),
  approvalAction({
    name: 'enable',
    usage: 'enable <upn> <justification>',
    summary: 'Restore sign-in (needs approval).',
    asked: ['unblock {user} {reason}', 'enable {user} [account] {reason}', '(let|allow) {user} sign in again {reason}'],
  }),
  approvalAction({
    name: 'reset-password',
    usage: 'reset-password <upn> <justification>',
    summary: 'Temporary password, change at next sign-in; shown once to the requester (needs approval).',
    asked: [
      'resetpassword [for|of] {user} {reason}',
      'reset [the] password (for|of) {user} {reason}',
      'reset {user} password {reason}',
      'give {user} a (new|temporary) password {reason}',
    ],
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
    asked: [
      'tap [for] {user} {reason}',
      '(give|issue|create|make) [a|an] (tap|temporary access pass) (for|to) {user} {reason}',
      '(give|issue|send) {user} a (tap|temporary access pass) {reason}',
    ],
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
  approvalAction({
    name: 'revoke-grant',
    usage: 'revoke-grant <upn> <grantId> <justification>',
    summary:
      "Revoke an app's delegated permission grant (or app role assignment) by the id the investigate card shows (needs approval).",
    needsId: 'grant',
  }),
  approvalAction({
    name: 'remove-delegate',
    usage: 'remove-delegate <upn> <delegate> <justification>',
    summary:
      "Remove every permission (FullAccess, SendAs, SendOnBehalf) the delegate holds on the user's mailbox (needs approval).",
    needsId: 'delegate',
  }),
  approvalAction({
    name: 'disable-device',
    usage: 'disable-device <upn> <deviceId> <justification>',
    summary: 'Disable a device the user registered or owns, by the id the investigate card shows (needs approval).',
    needsId: 'device',
  }),
  approvalAction({
    name: 'enable-device',
    usage: 'enable-device <upn> <deviceId> <justification>',
    summary: 'Enable again a device disabled earlier (the undo of disable-device and of contain; needs approval).',
    needsId: 'device',
  }),
  approvalAction({
    name: 'restore-delegate',
    usage: 'restore-delegate <upn> <requestId> <delegate> <justification>',
    summary:
      "Undo a removed mailbox delegate: give back every permission that request removed from them (the finished card's Undo line; needs approval).",
    needsId: 'undo',
  }),
  approvalAction({
    name: 'block-mobile-device',
    usage: 'block-mobile-device <upn> <deviceId> <justification>',
    summary:
      "Block a mobile device's mail sync for the user's mailbox, by the device id the investigate card shows (Exchange; needs approval).",
    needsId: 'mobile-device',
  }),
  approvalAction({
    name: 'unblock-mobile-device',
    usage: 'unblock-mobile-device <upn> <deviceId> <justification>',
    summary:
      'Unblock a mobile device blocked earlier (the undo of block-mobile-device and of contain; needs approval).',
    needsId: 'mobile-device',
  }),
  approvalAction({
    name: 'restore-grant',
    usage: 'restore-grant <upn> <requestId> <grantId> <justification>',
    summary:
      "Undo a revoked app grant: re-create it as the finished request's step read it before (the card's Undo line; needs approval).",
    needsId: 'undo',
  }),
  approvalAction({
    name: 'restore-app-role',
    usage: 'restore-app-role <upn> <requestId> <assignmentId> <justification>',
    summary:
      "Undo a removed app role assignment: assign the same app role again (the finished card's Undo line; needs approval).",
    needsId: 'undo',
  }),
  approvalAction({
    name: 'restore-method',
    usage: 'restore-method <upn> <requestId> <methodId> <justification>',
    summary:
      "Undo a removed phone or email method: register the same number or address again (the finished card's Undo line; needs approval).",
    needsId: 'undo',
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
    asked: [
      '(what|which) (approvals|requests|approval requests) are (open|pending|waiting)',
      '(show|list) [me] [the] [open|pending] (approvals|approval requests)',
      '(is|are) there anything (to approve|waiting for approval|pending approval)',
      'anything to approve',
      'what needs (approval|approving|my approval)',
    ],
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
    asked: [
      'audit [for|of|on] {user}',
      '(show|get) [me] [the] audit (trail|log|history) (for|of|on) {user}',
      'who (did|changed) what (to|on) {user}',
      'what did (we|the bot|you) do (to|with) {user}',
      '(verify|check) the audit (log|trail|chain) => verify',
    ],
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
    target: (args) => (args.action === 'emit' ? `demo:${args.scenario}${args.user ? ` ${args.user}` : ''}` : null),
    asked: [
      'are [the] [security] alerts (on|enabled|running|working) [here] => status',
      "(what is|what's|show) the alert status => status",
    ],
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

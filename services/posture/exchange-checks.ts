/** Checks 6–8 (automatic external forwarding, mailbox auditing, SMTP AUTH and POP/IMAP) over Exchange's answers: pure. */
import type { ForwardingCheck, MailboxAuditCheck, Named, SmtpPopImapCheck, Source } from './types';

/** Get-HostedOutboundSpamFilterPolicy's fields the check reads. */
export interface OutboundSpamPolicy {
  name: string;
  /** Automatic (now the same as Off: external forwarding blocked), On or Off. */
  autoForwardingMode: string | null;
  isDefault: boolean;
}

/** The last completed tenant-wide forwarding sweep, counted from its stored results. */
export interface LastSweep {
  finishedAt: number;
  mailboxes: number;
  externalForwarders: number;
}

/**
 * 6. Every outbound spam filter policy keeps automatic external forwarding off (`Automatic` or `Off`); `On` in any
 * policy lets its users forward outside. The last sweep's count says how many mailboxes forward outside today.
 */
export function checkAutoForwarding(
  policies: Source<OutboundSpamPolicy[]>,
  lastSweep: LastSweep | null,
): ForwardingCheck {
  const base = { id: 'auto-forwarding' as const, lastSweep };
  if (policies.kind === 'missing') return { ...base, policies: [], verdict: 'cant-tell', need: policies.need };
  const shown = policies.value.map((p) => ({
    name: p.name,
    mode: p.autoForwardingMode ?? 'Automatic',
    isDefault: p.isDefault,
  }));
  const open = shown.some((p) => p.mode.toLowerCase() === 'on');
  return { ...base, policies: shown, verdict: open ? 'fail' : 'pass', need: null };
}

/** 7. Auditing is on for the organisation (`AuditDisabled` false) and no mailbox has it turned off. */
export function checkMailboxAudit(
  organization: Source<{ auditDisabled: boolean | null }>,
  mailboxesOff: Source<Named[]>,
): MailboxAuditCheck {
  const auditDisabled = organization.kind === 'read' ? organization.value.auditDisabled : null;
  const off = mailboxesOff.kind === 'read' ? mailboxesOff.value : null;
  const base = { id: 'mailbox-audit' as const, auditDisabled, mailboxesOff: off };
  if (auditDisabled === true || (off !== null && off.length > 0)) return { ...base, verdict: 'fail', need: null };
  const missing = [organization, mailboxesOff].find((s) => s.kind === 'missing');
  if (missing?.kind === 'missing') return { ...base, verdict: 'cant-tell', need: missing.need };
  return { ...base, verdict: 'pass', need: null };
}

/** 8. SMTP client authentication is disabled at the transport level and no mailbox has POP or IMAP on. */
export function checkSmtpPopImap(
  transport: Source<{ smtpClientAuthenticationDisabled: boolean | null }>,
  popImap: Source<SmtpPopImapCheck['popImap'] & object>,
): SmtpPopImapCheck {
  const smtpAuthDisabled = transport.kind === 'read' ? transport.value.smtpClientAuthenticationDisabled : null;
  const mailboxes = popImap.kind === 'read' ? popImap.value : null;
  const base = { id: 'smtp-pop-imap' as const, smtpAuthDisabled, popImap: mailboxes };
  if (smtpAuthDisabled === false || (mailboxes !== null && mailboxes.length > 0))
    return { ...base, verdict: 'fail', need: null };
  const missing = [transport, popImap].find((s) => s.kind === 'missing');
  if (missing?.kind === 'missing') return { ...base, verdict: 'cant-tell', need: missing.need };
  return { ...base, verdict: smtpAuthDisabled === true ? 'pass' : 'cant-tell', need: null };
}

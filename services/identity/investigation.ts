/**
 * `investigate <upn>`: the compromised-account view, gathered in one `$batch` plus the audit port, judged purely; the
 * forwarding check runs alongside it.
 */
import { isCodedError, type ErrorCode } from '../errors';
import type { UserRef } from '../ids';
import { endpoints } from '../graph/endpoints';
import type { BatchReplies } from '../graph/read';
import type { LicenseDetail } from '../graph/schemas/license';
import type { ForwardingReport } from '../mailbox/forwarding-check';
import type { SignIn } from '../graph/schemas/sign-in';
import { gatherMfaInput, type MfaEvidenceDeps } from './mfa-evidence';
import type { TrailEntry } from './mfa-trail';
import { assessMfa, type MfaAssessment } from './mfa-verdict';
import { withWaitingNotice, type WaitNotice } from '../graph/waiting-notice';
import { refusedPermission, riskOf, signInReads, type RiskRead } from './sign-ins-read';
import { summarizeSignIns, type SignInSummary } from './sign-ins';
import { summarizeUser, type UserSummary } from './user-summary';
import {
  createExchangeInvestigator,
  firstSuspiciousSignIn,
  judgeExchange,
  type ExchangeInvestigation,
  type ExchangeInvestigator,
} from '../exchange/investigation';

/** How far back "recent security-info changes" reach. */
export const CHANGES_WINDOW_DAYS = 7;
const DAY = 24 * 3600_000;

/** A section that could not be read because a permission or licence is missing; the rest of the view still shows. */
export type Section<T> = { kind: 'read'; value: T } | { kind: 'unavailable'; permission: string };

export interface Investigation {
  profile: UserSummary;
  mfa: MfaAssessment;
  /** Security-info, SSPR and StrongAuthentication records of the last 7 days, oldest first. */
  recentChanges: TrailEntry[];
  signIns: Section<SignInSummary>;
  /** The permission Identity Protection needs, when its read was refused (the sign-ins still show). */
  riskUnavailable: string | null;
  /** Inbox rules and mailbox forwarding; a failure of that check degrades only this section. */
  forwarding: ForwardingSection;
  /** Mailbox delegates, mobile-device partnerships, mail sent outside (Exchange admin API; each degrades alone). */
  exchange: ExchangeInvestigation;
}

/** The forwarding check's report, or why it is missing: a refused permission (403), or another coded failure. */
export type ForwardingSection =
  | { kind: 'read'; report: ForwardingReport }
  | { kind: 'unavailable'; permission: string }
  | { kind: 'failed'; code: ErrorCode };

/** The per-user forwarding check (services/mailbox's checkForwarding, bound to the Graph client and Exchange reader). */
export interface ForwardingSource {
  checkForwarding(ref: UserRef): Promise<ForwardingReport>;
}

export interface InvestigationDeps extends MfaEvidenceDeps {
  forwarding: ForwardingSource;
  /** The Exchange sections' reads; absent, they say "not checked: EXCHANGE_ADMIN_ENABLED is off". */
  exchange?: ExchangeInvestigator;
}

/** The raw reads the investigation adds to the MFA batch, addressed like it (by id when known, else by UPN). */
function extraReads(address: UserRef) {
  return { licenses: endpoints.licenseDetails.at({ user: address }), ...signInReads(address) };
}

/** What the extra reads returned: a refused sign-ins read (403) leaves the rest of the card. */
interface InvestigationReads {
  licenses: LicenseDetail[];
  signIns: Section<SignIn[]>;
  risk: RiskRead;
}

function parseExtras(replies: BatchReplies<ReturnType<typeof extraReads>>): InvestigationReads {
  let signIns: Section<SignIn[]>;
  try {
    signIns = { kind: 'read', value: replies.value('signIns').value };
  } catch (error) {
    const permission = refusedPermission(error);
    if (permission === null) throw error;
    signIns = { kind: 'unavailable', permission };
  }
  return { licenses: replies.value('licenses').value, signIns, risk: riskOf(replies) };
}

/** Coded failures become the section's state so the rest of the investigation still shows; bugs still throw. */
async function readForwarding(source: ForwardingSource, ref: UserRef): Promise<ForwardingSection> {
  try {
    return { kind: 'read', report: await source.checkForwarding(ref) };
  } catch (error) {
    const permission = refusedPermission(error);
    if (permission !== null) return { kind: 'unavailable', permission };
    if (isCodedError(error)) return { kind: 'failed', code: error.code };
    throw error;
  }
}

export interface Investigator {
  investigate(ref: UserRef, opts?: { onWaiting?: (notice: WaitNotice) => void }): Promise<Investigation>;
}

export function createInvestigator(deps: InvestigationDeps): Investigator {
  return {
    async investigate(ref, opts = {}) {
      const started = deps.clock.now();
      const window = { from: started - CHANGES_WINDOW_DAYS * DAY, to: started };
      const exchange = deps.exchange ?? createExchangeInvestigator({});
      // Concurrent: the mailbox reads do not depend on the batch, so the card costs the slower of the two, not the sum.
      const [gathered, forwarding, exchangeReads] = await withWaitingNotice(
        deps.client,
        () =>
          Promise.all([
            gatherMfaInput(deps, ref, extraReads),
            readForwarding(deps.forwarding, ref),
            exchange.gather(ref, window),
          ]),
        opts.onWaiting,
      );
      const reads = parseExtras(gathered.extra);
      const now = deps.clock.now();
      const mfa = assessMfa(gathered.input);
      const profile = summarizeUser({
        user: gathered.data.user,
        directoryRoles: gathered.data.directoryRoles.map((displayName) => ({ displayName })),
        licenses: reads.licenses,
      });
      const signIns: Section<SignInSummary> =
        reads.signIns.kind === 'unavailable'
          ? reads.signIns
          : {
              kind: 'read',
              value: summarizeSignIns(
                reads.signIns.value,
                reads.risk.kind === 'read' ? reads.risk.riskyUser : null,
                now,
              ),
            };
      return {
        profile,
        mfa,
        recentChanges: mfa.trail.filter((e) => Date.parse(e.at) >= now - CHANGES_WINDOW_DAYS * DAY),
        signIns,
        riskUnavailable: reads.risk.kind === 'unavailable' ? reads.risk.permission : null,
        forwarding,
        exchange: judgeExchange(exchangeReads, {
          suspiciousSince: signIns.kind === 'read' ? firstSuspiciousSignIn(signIns.value.signIns, window) : null,
        }),
      };
    },
  };
}

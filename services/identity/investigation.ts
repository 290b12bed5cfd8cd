/**
 * `investigate <upn>`: the compromised-account view, gathered in one `$batch` plus the audit port, judged purely; the
 * forwarding check runs alongside it.
 */
import { isCodedError, type ErrorCode } from '../errors';
import type { UserRef } from '../ids';
import { batchItemValue, type BatchItem, type BatchItemResult } from '../graph/batch';
import { odataString, withQuery } from '../graph/odata';
import { onlyMatch } from '../graph/users';
import { collectionSchema, licenseDetailSchema, riskyUserSchema, signInSchema, type RiskyUser } from '../graph/schemas';
import type { LicenseDetail } from '../graph/schemas/license';
import type { ForwardingReport } from '../mailbox/forwarding-check';
import type { SignIn } from '../graph/schemas/sign-in';
import { gatherMfaInput, knownUserId, userBasePath, type MfaEvidenceDeps } from './mfa-evidence';
import type { TrailEntry } from './mfa-trail';
import { assessMfa, type MfaAssessment } from './mfa-verdict';
import { withWaitingNotice, type WaitNotice } from '../graph/waiting-notice';
import { summarizeSignIns, type SignInSummary } from './sign-ins';
import { summarizeUser, type UserSummary } from './user-summary';

/** How far back "recent security-info changes" reach. */
export const CHANGES_WINDOW_DAYS = 7;
const SIGN_INS_READ = 50;
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
}

/** The raw reads the investigation adds to the MFA batch. */
export interface InvestigationReads {
  licenses: LicenseDetail[];
  signIns: Section<SignIn[]>;
  riskyUser: Section<RiskyUser | null>;
}

function extraItems(deps: MfaEvidenceDeps, ref: UserRef): Record<'licenses' | 'signIns' | 'risky', BatchItem> {
  const id = knownUserId(deps.client, ref);
  const base = id === null ? null : encodeURIComponent(id);
  const upn = ref.kind === 'upn' ? ref.upn : '';
  // Without the id yet, the documented userPrincipalName filters address the same user in the same round trip.
  const userFilter = id === null ? `userPrincipalName eq ${odataString(upn)}` : `userId eq ${odataString(id)}`;
  return {
    licenses: { id: 'licenses', method: 'GET', url: `${userBasePath(deps.client, ref)}/licenseDetails` },
    signIns: {
      id: 'signIns',
      method: 'GET',
      url: withQuery('/auditLogs/signIns', { $filter: userFilter, $top: SIGN_INS_READ }),
    },
    risky:
      base === null
        ? {
            id: 'risky',
            method: 'GET',
            url: withQuery('/identityProtection/riskyUsers', { $filter: `userPrincipalName eq ${odataString(upn)}` }),
          }
        : { id: 'risky', method: 'GET', url: `/identityProtection/riskyUsers/${base}` },
  };
}

/** A 403 becomes an unavailable section naming the permission; every other failure still throws. */
function section<T>(read: () => T): Section<T> {
  try {
    return { kind: 'read', value: read() };
  } catch (error) {
    if (isCodedError(error, 'graph_forbidden')) {
      const permission = typeof error.details.permission === 'string' ? error.details.permission : 'a Graph permission';
      return { kind: 'unavailable', permission };
    }
    throw error;
  }
}

function parseExtras(
  results: Map<string, BatchItemResult>,
  items: Record<'licenses' | 'signIns' | 'risky', BatchItem>,
): InvestigationReads {
  const risky = results.get('risky');
  return {
    licenses: batchItemValue(results.get('licenses'), items.licenses, collectionSchema(licenseDetailSchema)).value,
    signIns: section(() => batchItemValue(results.get('signIns'), items.signIns, collectionSchema(signInSchema)).value),
    // Identity Protection answers 404 for a user it has no record of: not risky, not an error.
    riskyUser:
      risky?.status === 404
        ? { kind: 'read', value: null }
        : section(() =>
            items.risky.url.includes('$filter')
              ? onlyMatch(batchItemValue(risky, items.risky, collectionSchema(riskyUserSchema)).value, 'riskyUsers')
              : batchItemValue(risky, items.risky, riskyUserSchema),
          ),
  };
}

/** Coded failures become the section's state so the rest of the investigation still shows; bugs still throw. */
async function readForwarding(source: ForwardingSource, ref: UserRef): Promise<ForwardingSection> {
  try {
    return { kind: 'read', report: await source.checkForwarding(ref) };
  } catch (error) {
    if (isCodedError(error, 'graph_forbidden')) {
      const permission = typeof error.details.permission === 'string' ? error.details.permission : 'a Graph permission';
      return { kind: 'unavailable', permission };
    }
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
      const items = extraItems(deps, ref);
      // Concurrent: the mailbox reads do not depend on the batch, so the card costs the slower of the two, not the sum.
      const [gathered, forwarding] = await withWaitingNotice(
        deps.client,
        () => Promise.all([gatherMfaInput(deps, ref, Object.values(items)), readForwarding(deps.forwarding, ref)]),
        opts.onWaiting,
      );
      const reads = parseExtras(gathered.extra, items);
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
                reads.riskyUser.kind === 'read' ? reads.riskyUser.value : null,
                now,
              ),
            };
      return {
        profile,
        mfa,
        recentChanges: mfa.trail.filter((e) => Date.parse(e.at) >= now - CHANGES_WINDOW_DAYS * DAY),
        signIns,
        riskUnavailable: reads.riskyUser.kind === 'unavailable' ? reads.riskyUser.permission : null,
        forwarding,
      };
    },
  };
}

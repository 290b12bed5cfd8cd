/**
 * Is this user's MFA usable? Per registered method: registered × allowed by policy × verified by the audit trail or
 * the registration report; then the overall verdict, CA strength gaps and the admin SSPR loop. Pure: no I/O, no text.
 */
import type {
  AuthenticationMethod,
  AuthenticationMethodsPolicy,
  AuthorizationPolicy,
  ConditionalAccessPolicy,
  DirectoryAudit,
  UserRegistrationDetails,
} from '../graph/schemas';
import { meetsStrength, methodAllowance, strengthRequirements, type PolicyAllowance } from './mfa-policy';
import type { StrengthRequirement } from './mfa-policy';
import { decodeTrail, type MethodFamily, type TrailEntry } from './mfa-trail';
import { createdAtOf, familyOfMethod, labelOfMethod, MFA_FAMILIES } from './mfa-methods';
import { related, verify, type MissingEvidence, type Verification } from './mfa-verification';

export type { MissingEvidence, Verification } from './mfa-verification';

/** Everything the verdict reads, as parsed from Graph (and the audit port). */
export interface MfaInput {
  user: {
    id: string;
    userPrincipalName: string;
    displayName: string | null;
    userType: string | null;
    onPremisesSyncEnabled: boolean | null;
  };
  methods: AuthenticationMethod[];
  /** The registration report row; null when there is none (no row, or no P1/P2). */
  registration: UserRegistrationDetails | null;
  groupIds: string[];
  roleTemplateIds: string[];
  methodsPolicy: AuthenticationMethodsPolicy | null;
  authorizationPolicy: AuthorizationPolicy | null;
  caPolicies: ConditionalAccessPolicy[];
  audit: { events: DirectoryAudit[]; coveredFrom: string | null };
}

export type NotUsableReason =
  | 'disabled-by-policy'
  | 'not-targeted'
  | 'excluded-by-group'
  | 'never-verified'
  | 'not-an-mfa-method'
  | 'tap-not-usable';

export type Usability =
  | { kind: 'usable' }
  | { kind: 'not-usable'; reason: NotUsableReason }
  | { kind: 'cant-tell'; missing: MissingEvidence };

/** One registered method, judged. `label` (device name, phone number, address) is untrusted. */
export interface MethodAssessment {
  methodId: string;
  family: MethodFamily;
  odataType: string | null;
  label: string | null;
  createdAt: string | null;
  countsForMfa: boolean;
  allowance: PolicyAllowance;
  verification: Verification;
  usability: Usability;
  /** Audit records about this method's family, oldest first. */
  evidence: TrailEntry[];
}

export interface StrengthGap extends StrengthRequirement {
  /** True when no usable method meets this policy's strength. */
  tooWeak: boolean;
}

export type OverallVerdict =
  | { kind: 'usable' }
  | { kind: 'registered-not-usable'; reasons: NotUsableReason[] }
  | { kind: 'not-registered' }
  | { kind: 'cant-tell'; missing: MissingEvidence[]; guest: boolean };

export interface MfaAssessment {
  user: MfaInput['user'];
  verdict: OverallVerdict;
  methods: MethodAssessment[];
  /** CA policies with an authentication strength that apply to the user; tooWeak ones make "usable, but too weak". */
  strength: StrengthGap[];
  report: UserRegistrationDetails | null;
  auditCoveredFrom: string | null;
  /** Admin + SSPR enabled by the report + allowedToUseSSPR false: the "More information required" loop. */
  adminSsprLoop: boolean;
  isAdmin: boolean;
  synced: boolean;
  guest: boolean;
  /** The whole decoded trail, oldest first (the card shows it as evidence with times). */
  trail: TrailEntry[];
}

function usabilityOf(
  method: AuthenticationMethod,
  family: MethodFamily,
  allowance: PolicyAllowance,
  verification: Verification,
): Usability {
  if (allowance.kind === 'disabled') return { kind: 'not-usable', reason: 'disabled-by-policy' };
  if (allowance.kind === 'not-targeted') return { kind: 'not-usable', reason: 'not-targeted' };
  if (allowance.kind === 'excluded') return { kind: 'not-usable', reason: 'excluded-by-group' };
  if (family === 'temporaryAccessPass') {
    const usable = method.kind === 'temporaryAccessPass' && method.isUsable === true;
    return usable ? { kind: 'usable' } : { kind: 'not-usable', reason: 'tap-not-usable' };
  }
  if (verification.kind === 'not-needed') return { kind: 'not-usable', reason: 'not-an-mfa-method' };
  if (verification.kind === 'unverified') return { kind: 'not-usable', reason: 'never-verified' };
  if (verification.kind === 'unknown') return { kind: 'cant-tell', missing: verification.missing };
  if (allowance.kind === 'unknown')
    return { kind: 'cant-tell', missing: { kind: 'policy-unknown', config: allowance.config } };
  return { kind: 'usable' };
}

/** Judge a user's MFA from parsed Graph data; never "usable" without evidence. */
export function assessMfa(input: MfaInput): MfaAssessment {
  const trail = decodeTrail(input.audit.events);
  const groupIds = new Set(input.groupIds);
  const report = input.registration;
  const methods: MethodAssessment[] = input.methods
    .filter((m) => m.kind !== 'password')
    .map((m) => {
      const family = familyOfMethod(m);
      const allowance = methodAllowance(family, input.methodsPolicy, groupIds);
      const verification = verify(m, family, trail, report, input.audit.coveredFrom);
      return {
        methodId: m.id,
        family,
        odataType: m.kind === 'unknown' ? m.odataType : null,
        label: labelOfMethod(m),
        createdAt: createdAtOf(m),
        countsForMfa: MFA_FAMILIES.has(family) || family === 'unknown',
        allowance,
        verification,
        usability: usabilityOf(m, family, allowance, verification),
        evidence: trail.filter((e) => related(e, family)),
      };
    });

  const guest = (input.user.userType ?? '').toLowerCase() === 'guest';
  const mfa = methods.filter((m) => m.countsForMfa);
  const usable = mfa.filter((m) => m.usability.kind === 'usable');
  const unknown = mfa.flatMap((m) => (m.usability.kind === 'cant-tell' ? [m.usability.missing] : []));
  let verdict: OverallVerdict;
  if (usable.length > 0) verdict = { kind: 'usable' };
  else if (unknown.length > 0) verdict = { kind: 'cant-tell', missing: unknown, guest };
  else if (mfa.length > 0) {
    const reasons = [...new Set(mfa.flatMap((m) => (m.usability.kind === 'not-usable' ? [m.usability.reason] : [])))];
    verdict = { kind: 'registered-not-usable', reasons };
  } else if (guest) verdict = { kind: 'cant-tell', missing: [], guest: true };
  else verdict = { kind: 'not-registered' };

  const usableFamilies = usable.map((m) => m.family);
  const strength = strengthRequirements(input.caPolicies, {
    id: input.user.id,
    groupIds,
    roleTemplateIds: new Set(input.roleTemplateIds),
  }).map((r) => ({ ...r, tooWeak: !meetsStrength(r.allowedCombinations, usableFamilies) }));

  const isAdmin = (report?.isAdmin ?? false) || input.roleTemplateIds.length > 0;
  return {
    user: input.user,
    verdict,
    methods,
    strength,
    report,
    auditCoveredFrom: input.audit.coveredFrom,
    adminSsprLoop: isAdmin && report?.isSsprEnabled === true && input.authorizationPolicy?.allowedToUseSSPR === false,
    isAdmin,
    synced: input.user.onPremisesSyncEnabled === true,
    guest,
    trail,
  };
}

/**
 * One user's row of `report mfa`, from data read once for the whole tenant. The verdict is `mfa`'s own (assessMfa):
 * registered × allowed by policy × verified by evidence. Pure: no I/O.
 */
import type {
  AuthenticationMethod,
  AuthorizationPolicy,
  ConditionalAccessPolicy,
  DirectoryAudit,
  UserRegistrationDetails,
} from '../../graph/schemas';
import type { ReportUser } from '../../graph/schemas/user';
import type { TenantPolicies } from '../mfa-evidence';
import { configAllowance } from '../mfa-policy';
import type { MethodFamily } from '../mfa-trail';
import { assessMfa, type MethodAssessment, type MfaAssessment } from '../mfa-verdict';
import type { ChartMethod, MethodMark, ReportRow, UserCategory } from './types';

/** Guests, disabled accounts and users without a licence are counted apart (their methods are not read). */
export function apartCategory(user: ReportUser): Extract<UserCategory, 'guest' | 'disabled' | 'unlicensed'> | null {
  if ((user.userType ?? '').toLowerCase() === 'guest') return 'guest';
  if (user.accountEnabled === false) return 'disabled';
  if (user.assignedLicenses.length === 0) return 'unlicensed';
  return null;
}

/** The row of a user counted apart. */
export function apartRow(user: ReportUser, category: UserCategory): ReportRow {
  return {
    id: user.id.toLowerCase(),
    upn: user.userPrincipalName ?? user.id,
    name: user.displayName,
    category,
    admin: false,
    reasons: [],
    methods: {},
    caTargeted: null,
  };
}

const FAMILY_CHART: Partial<Record<MethodFamily, ChartMethod>> = {
  authenticator: 'authenticatorPush',
  fido2: 'fido2',
  softwareOath: 'oath',
  windowsHello: 'windowsHello',
  temporaryAccessPass: 'tap',
};

const MARK_RANK: Record<MethodMark, number> = { u: 2, c: 1, n: 0 };

function markOf(m: MethodAssessment): MethodMark {
  return m.usability.kind === 'usable' ? 'u' : m.usability.kind === 'cant-tell' ? 'c' : 'n';
}

/**
 * Per method type the user has registered: usable if any method of the type is, else can't tell, else not usable.
 * A phone is judged per configuration: usable for SMS when usable and the SMS configuration allows it (voice alike).
 */
export function methodMarks(
  assessment: MfaAssessment,
  methodsPolicy: TenantPolicies['methodsPolicy'] | null,
  groupIds: ReadonlySet<string>,
): Partial<Record<ChartMethod, MethodMark>> {
  const marks: Partial<Record<ChartMethod, MethodMark>> = {};
  const put = (type: ChartMethod, mark: MethodMark): void => {
    const before = marks[type];
    if (before === undefined || MARK_RANK[mark] > MARK_RANK[before]) marks[type] = mark;
  };
  for (const m of assessment.methods) {
    if (m.family === 'phone') {
      for (const [type, config] of [
        ['sms', 'Sms'],
        ['voice', 'Voice'],
      ] as const) {
        const base = markOf(m);
        const allowed = configAllowance(config, methodsPolicy, groupIds).kind === 'allowed';
        put(type, base === 'u' && !allowed ? 'n' : base);
      }
      continue;
    }
    const type = FAMILY_CHART[m.family];
    if (type) put(type, markOf(m));
  }
  return marks;
}

/** The user as Conditional Access targeting sees them in the report: id and the (expanded) groups they are in. */
export interface CaReportSubject {
  id: string;
  groupIds: ReadonlySet<string>;
}

const hit = (list: readonly string[], values: ReadonlySet<string>): boolean =>
  list.some((v) => values.has(v.toLowerCase()));

/**
 * Whether an enabled policy that requires MFA (the built-in control or an authentication strength) targets the
 * user through All, their id or a group. Role-only targets are not expanded by the report (counted as not targeted).
 */
export function targetedByMfaPolicy(policies: readonly ConditionalAccessPolicy[], subject: CaReportSubject): boolean {
  const mine = new Set<string>(['all', subject.id.toLowerCase(), ...subject.groupIds]);
  return policies.some((p) => {
    const users = p.conditions.users;
    const grant = p.grantControls;
    if (!users || !grant || (p.state ?? '').toLowerCase() !== 'enabled') return false;
    const requiresMfa =
      grant.authenticationStrength !== null || grant.builtInControls.some((c) => c.toLowerCase() === 'mfa');
    if (!requiresMfa) return false;
    const included = hit(users.includeUsers, mine) || hit(users.includeGroups, mine);
    const excluded = hit(users.excludeUsers, mine) || hit(users.excludeGroups, mine);
    return included && !excluded;
  });
}

/** Everything the row of one judged user needs. */
export interface JudgeInput {
  user: ReportUser;
  methods: AuthenticationMethod[];
  registration: UserRegistrationDetails | null;
  /** The expanded groups (of those the policies target) the user is in, lower case. */
  groupIds: ReadonlySet<string>;
  policies: { methodsPolicy: TenantPolicies['methodsPolicy'] | null; authorizationPolicy: AuthorizationPolicy | null };
  caPolicies: readonly ConditionalAccessPolicy[];
  events: DirectoryAudit[];
  coveredFrom: string | null;
}

/** The verdict of `mfa` for this user, as a report row. */
export function judgeUser(input: JudgeInput): ReportRow {
  const { user } = input;
  const assessment = assessMfa({
    user: {
      id: user.id,
      userPrincipalName: user.userPrincipalName ?? user.id,
      displayName: user.displayName,
      userType: user.userType,
      onPremisesSyncEnabled: null,
    },
    methods: input.methods,
    registration: input.registration,
    groupIds: [...input.groupIds],
    roleTemplateIds: [],
    methodsPolicy: input.policies.methodsPolicy,
    authorizationPolicy: input.policies.authorizationPolicy,
    caPolicies: [],
    audit: { events: input.events, coveredFrom: input.coveredFrom },
  });
  const v = assessment.verdict;
  return {
    id: user.id.toLowerCase(),
    upn: user.userPrincipalName ?? user.id,
    name: user.displayName,
    category: v.kind,
    admin: assessment.isAdmin,
    reasons: v.kind === 'registered-not-usable' ? v.reasons : [],
    methods: methodMarks(assessment, input.policies.methodsPolicy, input.groupIds),
    caTargeted: targetedByMfaPolicy(input.caPolicies, { id: user.id, groupIds: input.groupIds }),
  };
}

/** The groups whose members the report expands: methods-policy targets and CA user conditions (not "all_users"). */
export function targetGroupIds(policies: TenantPolicies): string[] {
  const out = new Set<string>();
  for (const c of policies.methodsPolicy.authenticationMethodConfigurations) {
    for (const t of [...c.includeTargets, ...c.excludeTargets]) {
      const id = t.id.toLowerCase();
      if (id !== 'all_users' && /^[0-9a-f-]{36}$/.test(id)) out.add(id);
    }
  }
  for (const p of policies.caPolicies) {
    const users = p.conditions.users;
    if (!users || (p.state ?? '').toLowerCase() !== 'enabled') continue;
    for (const g of [...users.includeGroups, ...users.excludeGroups]) {
      const id = g.toLowerCase();
      if (/^[0-9a-f-]{36}$/.test(id)) out.add(id);
    }
  }
  return [...out].sort();
}

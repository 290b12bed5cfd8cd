/** Is a method family allowed for this user by the authentication-methods policy, and which CA strengths apply. Pure. */
import type { AuthenticationMethodsPolicy, ConditionalAccessPolicy } from '../graph/schemas';
import type { MethodFamily } from './mfa-trail';

/** The include target that means every user in the methods policy. */
export const ALL_USERS_TARGET = 'all_users';

// Configuration ids of the authentication methods policy (graph-api.md §10); phone is allowed through SMS or voice.
const POLICY_CONFIGS: Readonly<Record<MethodFamily, readonly string[] | null>> = {
  authenticator: ['MicrosoftAuthenticator'],
  phone: ['Sms', 'Voice'],
  fido2: ['Fido2'],
  softwareOath: ['SoftwareOath'],
  email: ['Email'],
  temporaryAccessPass: ['TemporaryAccessPass'],
  // Windows Hello and platform credentials are not governed by a configuration in the v1.0 policy.
  windowsHello: [],
  platformCredential: [],
  password: [],
  unknown: null,
};

export type PolicyAllowance =
  | { kind: 'allowed'; config: string | null }
  | { kind: 'disabled'; config: string }
  | { kind: 'not-targeted'; config: string }
  | { kind: 'excluded'; config: string; groupId: string }
  | { kind: 'unknown'; config: string | null };

function allowanceFor(
  configId: string,
  policy: AuthenticationMethodsPolicy,
  groupIds: ReadonlySet<string>,
): PolicyAllowance {
  const config = policy.authenticationMethodConfigurations.find((c) => c.id.toLowerCase() === configId.toLowerCase());
  if (!config) return { kind: 'unknown', config: configId };
  if ((config.state ?? '').toLowerCase() !== 'enabled') return { kind: 'disabled', config: config.id };
  const member = (id: string) => id.toLowerCase() === ALL_USERS_TARGET || groupIds.has(id.toLowerCase());
  const excluded = config.excludeTargets.find((t) => member(t.id));
  if (excluded) return { kind: 'excluded', config: config.id, groupId: excluded.id };
  if (!config.includeTargets.some((t) => member(t.id))) return { kind: 'not-targeted', config: config.id };
  return { kind: 'allowed', config: config.id };
}

/** One configuration's answer (phone is judged per configuration for the report's SMS and voice bars). */
export function configAllowance(
  configId: string,
  policy: AuthenticationMethodsPolicy | null,
  groupIds: ReadonlySet<string>,
): PolicyAllowance {
  if (!policy) return { kind: 'unknown', config: configId };
  return allowanceFor(configId, policy, new Set([...groupIds].map((g) => g.toLowerCase())));
}

const RANK: Record<PolicyAllowance['kind'], number> = {
  allowed: 0,
  unknown: 1,
  excluded: 2,
  'not-targeted': 3,
  disabled: 4,
};

/** Whether the methods policy lets this user use the family; `groupIds` are the user's transitive groups. */
export function methodAllowance(
  family: MethodFamily,
  policy: AuthenticationMethodsPolicy | null,
  groupIds: ReadonlySet<string>,
): PolicyAllowance {
  const configs = POLICY_CONFIGS[family];
  if (configs === null) return { kind: 'unknown', config: null };
  if (configs.length === 0) return { kind: 'allowed', config: null };
  if (!policy) return { kind: 'unknown', config: configs[0] ?? null };
  const lowered = new Set([...groupIds].map((g) => g.toLowerCase()));
  const answers = configs.map((c) => allowanceFor(c, policy, lowered));
  // Any one configuration that allows it is enough (phone: SMS or voice).
  return answers.sort((a, b) => RANK[a.kind] - RANK[b.kind])[0] ?? { kind: 'unknown', config: null };
}

// Authentication-strength method modes each family can satisfy (allowedCombinations entries).
const STRENGTH_MODES: Readonly<Record<MethodFamily, readonly string[]>> = {
  authenticator: ['microsoftAuthenticatorPush'],
  phone: ['sms', 'voice'],
  fido2: ['fido2'],
  softwareOath: ['softwareOath'],
  windowsHello: ['windowsHelloForBusiness'],
  platformCredential: [],
  email: [],
  temporaryAccessPass: ['temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse'],
  password: ['password'],
  unknown: [],
};

/** A Conditional Access policy that applies to the user and requires an authentication strength. */
export interface StrengthRequirement {
  policyId: string;
  policyName: string;
  strengthName: string;
  allowedCombinations: string[];
}

/** The user as CA targeting sees them: id, transitive groups, directory role template ids. */
export interface CaSubject {
  id: string;
  groupIds: ReadonlySet<string>;
  roleTemplateIds: ReadonlySet<string>;
}

function hits(list: readonly string[], subject: CaSubject): boolean {
  return list.some((entry) => {
    const e = entry.toLowerCase();
    return e === 'all' || e === subject.id.toLowerCase() || subject.groupIds.has(e) || subject.roleTemplateIds.has(e);
  });
}

/** Enabled CA policies with an authentication strength that target the subject (report-only ones are skipped). */
export function strengthRequirements(
  policies: readonly ConditionalAccessPolicy[],
  subject: CaSubject,
): StrengthRequirement[] {
  const lowered: CaSubject = {
    id: subject.id,
    groupIds: new Set([...subject.groupIds].map((g) => g.toLowerCase())),
    roleTemplateIds: new Set([...subject.roleTemplateIds].map((r) => r.toLowerCase())),
  };
  const out: StrengthRequirement[] = [];
  for (const policy of policies) {
    const strength = policy.grantControls?.authenticationStrength;
    const users = policy.conditions.users;
    if (!strength || !users || (policy.state ?? '').toLowerCase() !== 'enabled') continue;
    const included =
      hits(users.includeUsers, lowered) || hits(users.includeGroups, lowered) || hits(users.includeRoles, lowered);
    const excluded =
      hits(users.excludeUsers, lowered) || hits(users.excludeGroups, lowered) || hits(users.excludeRoles, lowered);
    if (!included || excluded) continue;
    out.push({
      policyId: policy.id,
      policyName: policy.displayName ?? policy.id,
      strengthName: strength.displayName ?? strength.id,
      allowedCombinations: strength.allowedCombinations,
    });
  }
  return out;
}

/** Whether the usable families can complete one of the allowed combinations (password is always at hand). */
export function meetsStrength(combinations: readonly string[], families: readonly MethodFamily[]): boolean {
  const modes = new Set<string>(['password', ...families.flatMap((f) => STRENGTH_MODES[f])]);
  return combinations.some((combo) =>
    combo
      .split(',')
      .map((part) => part.trim())
      .every((part) => part !== '' && modes.has(part)),
  );
}

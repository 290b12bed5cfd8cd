import { conditionalAccessPolicySchema, authorizationPolicySchema } from '../../../../services/graph/schemas/policies';
import { userRegistrationDetailsSchema } from '../../../../services/graph/schemas/registration-details';
import type { Need, Source } from '../../../../services/posture/types';

export const read = <T>(value: T): Source<T> => ({ kind: 'read', value });
export const missing = (need: Need): Source<never> => ({ kind: 'missing', need });
export const POLICY_READ: Need = { kind: 'permission', name: 'Policy.Read.All' };

/** A CA policy as Graph returns it, parsed by the bot's schema. */
export function caPolicy(p: {
  name: string;
  state?: string;
  users?: string[];
  apps?: string[];
  clientAppTypes?: string[];
  grant?: string[];
  operator?: string;
  strength?: boolean;
  excludeUsers?: string[];
  excludeGroups?: string[];
  excludeRoles?: string[];
}) {
  return conditionalAccessPolicySchema.parse({
    id: `id-${p.name}`,
    displayName: p.name,
    state: p.state ?? 'enabled',
    conditions: {
      clientAppTypes: p.clientAppTypes ?? ['all'],
      applications: { includeApplications: p.apps ?? ['All'], excludeApplications: [] },
      users: {
        includeUsers: p.users ?? ['All'],
        excludeUsers: p.excludeUsers ?? [],
        includeGroups: [],
        excludeGroups: p.excludeGroups ?? [],
        includeRoles: [],
        excludeRoles: p.excludeRoles ?? [],
      },
    },
    grantControls: {
      operator: p.operator ?? 'OR',
      builtInControls: p.grant ?? ['mfa'],
      authenticationStrength: p.strength
        ? { id: 's', displayName: 'Phishing-resistant MFA', allowedCombinations: ['fido2'] }
        : null,
    },
  });
}

export function authorization(p: { adminSspr?: boolean | null; grants?: string[] }) {
  return authorizationPolicySchema.parse({
    id: 'authorizationPolicy',
    allowedToUseSSPR: p.adminSspr ?? true,
    defaultUserRolePermissions: {
      permissionGrantPoliciesAssigned: p.grants ?? ['ManagePermissionGrantsForSelf.microsoft-user-default-low'],
    },
  });
}

export function row(p: {
  upn: string;
  admin?: boolean;
  guest?: boolean;
  methods?: string[];
  ssprEnabled?: boolean;
  ssprRegistered?: boolean;
}) {
  return userRegistrationDetailsSchema.parse({
    id: `id-${p.upn}`,
    userPrincipalName: p.upn,
    userType: p.guest ? 'guest' : 'member',
    isAdmin: p.admin ?? false,
    isSsprEnabled: p.ssprEnabled ?? true,
    isSsprRegistered: p.ssprRegistered ?? true,
    methodsRegistered: p.methods ?? ['mobilePhone', 'microsoftAuthenticatorPush'],
  });
}

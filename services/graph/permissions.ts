/** Least-privileged application permission per Graph resource (graph-api.md §0), named in graph_forbidden errors. */

interface PermissionRule {
  methods: readonly string[] | 'read' | 'write' | 'any';
  pattern: RegExp;
  permission: string;
}

// Paths are version-relative, without the query; `[^/]+` is one segment (an id, a UPN, or the `('…')` key form).
const RULES: readonly PermissionRule[] = [
  {
    methods: 'read',
    pattern: /^\/users\/[^/]+\/authentication\/methods(\/|$)/i,
    permission: 'UserAuthenticationMethod.Read.All',
  },
  {
    methods: 'write',
    pattern: /^\/users\/[^/]+\/authentication\/methods(\/|$)/i,
    permission: 'UserAuthenticationMethod.ReadWrite.All',
  },
  {
    methods: 'read',
    pattern: /^\/reports\/authenticationMethods\/userRegistrationDetails/i,
    permission: 'AuditLog.Read.All',
  },
  { methods: 'read', pattern: /^\/auditLogs\/directoryAudits/i, permission: 'AuditLog.Read.All + Directory.Read.All' },
  { methods: 'read', pattern: /^\/auditLogs\/signIns/i, permission: 'AuditLog.Read.All' },
  { methods: ['POST'], pattern: /^\/users\/[^/]+\/revokeSignInSessions$/i, permission: 'User.RevokeSessions.All' },
  {
    methods: ['POST'],
    pattern: /^\/users\/[^/]+\/checkMember(Groups|Objects)$/i,
    permission: 'User.Read.All + GroupMember.Read.All',
  },
  {
    methods: 'read',
    pattern: /^\/users\/[^/]+\/(mailFolders|mailboxSettings)(\/|$)/i,
    permission: 'MailboxSettings.Read',
  },
  {
    methods: 'write',
    pattern: /^\/users\/[^/]+\/(mailFolders|mailboxSettings)(\/|$)/i,
    permission: 'MailboxSettings.ReadWrite',
  },
  { methods: 'read', pattern: /^\/users\/[^/]+\/licenseDetails/i, permission: 'LicenseAssignment.Read.All' },
  { methods: 'read', pattern: /^\/groups\/[^/]+\/(transitiveMembers|members)/i, permission: 'GroupMember.Read.All' },
  {
    methods: 'read',
    pattern: /^\/users\/[^/]+\/(transitiveMemberOf|memberOf)/i,
    permission: 'User.Read.All + GroupMember.Read.All',
  },
  {
    methods: ['PATCH'],
    pattern: /^\/users\/[^/]+$/i,
    permission:
      'User.EnableDisableAccount.All + User.Read.All (accountEnabled) or User-PasswordProfile.ReadWrite.All (passwordProfile)',
  },
  { methods: 'read', pattern: /^\/users(\/|\(|$)/i, permission: 'User.Read.All' },
  { methods: 'read', pattern: /^\/identityProtection\/riskyUsers/i, permission: 'IdentityRiskyUser.Read.All' },
  { methods: 'write', pattern: /^\/identityProtection\/riskyUsers/i, permission: 'IdentityRiskyUser.ReadWrite.All' },
  { methods: 'read', pattern: /^\/identityProtection\/riskDetections/i, permission: 'IdentityRiskEvent.Read.All' },
  { methods: 'read', pattern: /^\/(policies|identity\/conditionalAccess)\//i, permission: 'Policy.Read.All' },
  { methods: 'read', pattern: /^\/security\/secureScore/i, permission: 'SecurityEvents.Read.All' },
  { methods: 'read', pattern: /^\/(organization|domains)(\/|$)/i, permission: 'Organization.Read.All' },
];

const READ_METHODS = new Set(['GET', 'HEAD']);

/** The application permission a request needs, or undefined when the table has no entry. */
export function requiredPermission(method: string, path: string): string | undefined {
  const m = method.toUpperCase();
  const bare = path.split('?')[0] ?? path;
  for (const rule of RULES) {
    const methodOk =
      rule.methods === 'any' ||
      (rule.methods === 'read' && READ_METHODS.has(m)) ||
      (rule.methods === 'write' && !READ_METHODS.has(m)) ||
      (Array.isArray(rule.methods) && rule.methods.includes(m));
    if (methodOk && rule.pattern.test(bare)) return rule.permission;
  }
  return undefined;
}

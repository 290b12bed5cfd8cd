/**
 * The seeded posture: a tenant that passes some checks and fails others, so the `posture` card has something to say.
 * MFA for all passes (a CA policy, the protected group excluded); legacy authentication only has a report-only block;
 * the admin consent workflow is off; a Finance outbound spam policy allows automatic forwarding; SMTP AUTH is on and
 * two mailboxes have POP/IMAP; two mailboxes have auditing off; a VIP lacks Audit (Premium); Secure Score's
 * legacy-authentication and MFA-registration controls are short of their maximum.
 */
import { DEMO_VIP_GROUP_ID } from '../../bot/demo-defaults';
import { findUser, type DemoState } from '../state';
import { DAY, isoAgo } from './make-user';

const idOf = (state: DemoState, upn: string): string[] => {
  const user = findUser(state, upn);
  return user ? [user.id] : [];
};

function controlProfile(id: string, title: string, maxScore: number, rank: number, category: string) {
  return {
    id,
    azureTenantId: '',
    title,
    controlCategory: category,
    maxScore,
    rank,
    actionType: 'Config',
    service: 'AzureAD',
    tier: 'Core',
    userImpact: 'Moderate',
    implementationCost: 'Moderate',
    deprecated: false,
    remediation: '',
    remediationImpact: '',
    actionUrl: 'https://entra.microsoft.com/#view/Microsoft_AAD_ConditionalAccess/ConditionalAccessBlade/~/Policies',
    threats: ['AccountBreach'],
    complianceInformation: [],
    controlStateUpdates: [{ assignedTo: '', comment: '', state: 'Default', updatedBy: '', updatedDateTime: null }],
    vendorInformation: { provider: 'SecureScore', providerVersion: null, subProvider: null, vendor: 'Microsoft' },
  };
}

export function seedPosture(state: DemoState, t0: number): void {
  state.conditionalAccessPolicies.push({
    id: 'ca000003-0000-4000-8000-000000000003',
    displayName: 'Block legacy authentication',
    state: 'enabledForReportingButNotEnforced',
    createdDateTime: isoAgo(t0, 40 * DAY),
    modifiedDateTime: isoAgo(t0, 40 * DAY),
    sessionControls: null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: [],
      clientAppTypes: ['exchangeActiveSync', 'other'],
      applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [] },
      users: {
        includeUsers: ['All'],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
      },
    },
    grantControls: { operator: 'OR', builtInControls: ['block'], customAuthenticationFactors: [], termsOfUse: [] },
  });
  state.groups.set(DEMO_VIP_GROUP_ID, {
    id: DEMO_VIP_GROUP_ID,
    displayName: 'Executives (VIP)',
    description: 'Likely phishing targets: their mailbox access must be audited (MailItemsAccessed).',
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    members: new Set([...idOf(state, 'pattif@example.com'), ...idOf(state, 'noaudit@example.com')]),
  });
  const p = state.posture;
  p.outboundSpamPolicies = [
    { Identity: 'Default', Name: 'Default', IsDefault: true, AutoForwardingMode: 'Automatic', Enabled: true },
    {
      Identity: 'Finance partners',
      Name: 'Finance partners',
      IsDefault: false,
      AutoForwardingMode: 'On',
      Enabled: true,
    },
  ];
  p.auditDisabled = false;
  p.smtpClientAuthenticationDisabled = false;
  for (const id of [...idOf(state, 'forwarder@example.com'), ...idOf(state, 'quiet.user@example.com')])
    p.auditOffMailboxes.add(id);
  for (const id of idOf(state, 'isaiah@example.com')) p.popImap.set(id, { pop: true, imap: true });
  for (const id of idOf(state, 'mfatest1@example.com')) p.popImap.set(id, { pop: false, imap: true });
  const day = new Date(t0).toISOString().slice(0, 10);
  p.secureScores = [
    {
      id: `${state.tenantId}_${day}`,
      azureTenantId: state.tenantId,
      activeUserCount: state.users.size,
      createdDateTime: `${day}T00:00:00Z`,
      currentScore: 46.5,
      maxScore: 83,
      enabledServices: ['HasExchange', 'HasSharePoint', 'HasOD4B'],
      licensedUserCount: state.users.size,
      averageComparativeScores: [{ basis: 'AllTenants', averageScore: 35.7 }],
      controlScores: [
        { controlCategory: 'Identity', controlName: 'AdminMFAV2', description: '', score: 10 },
        { controlCategory: 'Identity', controlName: 'MFARegistrationV2', description: '', score: 5.5 },
        { controlCategory: 'Identity', controlName: 'BlockLegacyAuthentication', description: '', score: 0 },
        { controlCategory: 'Identity', controlName: 'SelfServicePasswordReset', description: '', score: 1 },
        { controlCategory: 'Identity', controlName: 'OneAdmin', description: '', score: 1 },
      ],
      vendorInformation: { provider: 'SecureScore', providerVersion: null, subProvider: null, vendor: 'Microsoft' },
    },
  ];
  p.secureScoreControlProfiles = [
    controlProfile(
      'AdminMFAV2',
      'Ensure multifactor authentication is enabled for all users in administrative roles',
      10,
      1,
      'Identity',
    ),
    controlProfile('MFARegistrationV2', 'Ensure multifactor authentication is enabled for all users', 9, 2, 'Identity'),
    controlProfile(
      'BlockLegacyAuthentication',
      'Enable Conditional Access policies to block legacy authentication',
      8,
      3,
      'Identity',
    ),
    controlProfile('SelfServicePasswordReset', 'Enable self-service password reset', 1, 10, 'Identity'),
    controlProfile('OneAdmin', 'Designate more than one global admin', 1, 20, 'Identity'),
  ];
}

/**
 * The Exchange side of the seeded compromised user (issue 13): after a risky sign-in from a new country, within the
 * hour, FullAccess to the user's mailbox granted to a freshly created account, an ActiveSync partnership first synced
 * from an unknown Android phone, and mail sent to a domain the user never wrote to. Alongside it the ordinary state
 * the investigation must not flag: the manager's SendOnBehalf, the user's own iPhone, a customer domain written to
 * before. The Graph side of the same user (sign-in, consent, device, phone method, rule) is seeded in demo/seed by
 * the investigation's scenarios; both time their events from COMPROMISE_SIGN_IN_AGO.
 */
import { exchangeSim, adminAuditRecord, type MessageTraceRow } from '../exchange/state';
import { addUser, findUser, type DemoState, type DemoUser } from '../state';
import { PLAYGROUND_USERS } from '../constants';
import { managersOf } from '../managers';
import { DAY, HOUR, makeUser, seedId } from './make-user';
import { PLACES } from './sign-ins';

export const COMPROMISED_UPN = 'compromised@example.com';
/** How long before the demo's start the risky new-country sign-in happened (the Graph scenario times from it too). */
export const COMPROMISE_SIGN_IN_AGO = 26 * HOUR;
const MINUTE = 60_000;

export const EXCHANGE_SCENARIO_IDS = {
  /** The account the attacker created and gave FullAccess to. */
  backupAccount: seedId(0xc02),
} as const;

/** The attacker's new account: created 20 minutes after the sign-in, FullAccess 35 minutes after the sign-in. */
export const FULL_ACCESS_DELEGATE_UPN = 'svc-mailbackup@example.com';
export const ATTACKER_DOMAIN = 'secure-docs-transfer.example.org';
export const ROGUE_DEVICE_ID = 'ANDR0ID5E11EB8C2F7A41';

function compromisedUser(state: DemoState): DemoUser {
  const user = findUser(state, COMPROMISED_UPN);
  // Seeded by scenario-compromised.ts, which seedTenant runs first.
  if (!user) throw new Error(`seedExchangeScenarios needs ${COMPROMISED_UPN}: seed the Graph scenario first`);
  return user;
}

function traceRow(n: number, at: number, from: string, to: string, subject: string): MessageTraceRow {
  const hex = n.toString(16).padStart(4, '0');
  return {
    Received: new Date(at).toISOString(),
    SenderAddress: from,
    RecipientAddress: to,
    Subject: subject,
    Status: 'Delivered',
    MessageId: `<${hex}.demo@example.com>`,
    MessageTraceId: `7ace${hex}-0000-4000-8000-00000000c0c1`,
    FromIP: null,
    ToIP: null,
    Size: 24_000 + n * 113,
  };
}

export function seedExchangeScenarios(state: DemoState, t0: number): void {
  const user = compromisedUser(state);
  const signIn = t0 - COMPROMISE_SIGN_IN_AGO;
  const sim = exchangeSim(state);
  const manager = PLAYGROUND_USERS[1]; // Megan Bowen: the manager, who legitimately sends on the user's behalf.
  managersOf(state).set(user.id, manager.aadObjectId);

  const backup = makeUser(t0, {
    id: EXCHANGE_SCENARIO_IDS.backupAccount,
    upn: FULL_ACCESS_DELEGATE_UPN,
    displayName: 'Mail Backup Service',
    createdAgo: COMPROMISE_SIGN_IN_AGO - 20 * MINUTE,
  });
  addUser(state, backup);

  // Delegates: the manager since long ago (no audit record in the window), the attacker's account after the sign-in.
  sim.sendOnBehalf.set(user.id, [manager.upn.split('@')[0] ?? manager.upn]);
  sim.mailboxPermissions.push({
    mailboxId: user.id,
    user: FULL_ACCESS_DELEGATE_UPN,
    accessRights: ['FullAccess'],
    isInherited: false,
    deny: false,
  });
  sim.adminAudit.push(
    adminAuditRecord({
      id: 'a0d10c01-0000-4000-8000-0000000c0c01',
      at: signIn + 35 * MINUTE,
      operation: 'Add-MailboxPermission',
      caller: COMPROMISED_UPN,
      objectId: COMPROMISED_UPN,
      parameters: {
        Identity: COMPROMISED_UPN,
        User: FULL_ACCESS_DELEGATE_UPN,
        AccessRights: 'FullAccess',
        InheritanceType: 'All',
      },
      clientIp: PLACES.lagos.ip,
    }),
  );

  // Mobile devices: the user's own iPhone (Outlook, long ago), and an ActiveSync phone first synced after the sign-in.
  sim.mobileDevices.set(user.id, [
    {
      Identity: `${COMPROMISED_UPN}\\ExchangeActiveSyncDevices\\Outlook§3F2504E0`,
      DeviceId: '3F2504E04F8911D39A0C0305E82C3301',
      DeviceType: 'Outlook',
      DeviceModel: 'Outlook for iOS and Android',
      DeviceOS: 'iOS 17.4',
      FriendlyName: 'iPhone 15',
      DeviceUserAgent: 'Outlook-iOS/2.0',
      ClientType: 'Outlook',
      DeviceAccessState: 'Allowed',
      FirstSyncTime: new Date(t0 - 240 * DAY).toISOString(),
      WhenCreatedUTC: new Date(t0 - 240 * DAY).toISOString(),
      UserDisplayName: user.displayName,
    },
    {
      Identity: `${COMPROMISED_UPN}\\ExchangeActiveSyncDevices\\Android§${ROGUE_DEVICE_ID}`,
      DeviceId: ROGUE_DEVICE_ID,
      DeviceType: 'Android',
      DeviceModel: 'SM-G991B',
      DeviceOS: 'Android 13',
      FriendlyName: null,
      DeviceUserAgent: 'Android-SAMSUNG-SM-G991B/101.130',
      ClientType: 'EAS',
      DeviceAccessState: 'Allowed',
      FirstSyncTime: new Date(signIn + 55 * MINUTE).toISOString(),
      WhenCreatedUTC: new Date(signIn + 55 * MINUTE).toISOString(),
      UserDisplayName: user.displayName,
    },
  ]);

  // Sent mail: internal, a customer written to before the sign-in and after, and the attacker's drop domain.
  const from = user.mail ?? COMPROMISED_UPN;
  const rows: [number, string, string][] = [
    [t0 - 5 * DAY, PLAYGROUND_USERS[0].upn, 'Invoice batch 14'],
    [t0 - 4 * DAY, 'ap@fabrikam.com', 'Remittance advice'],
    [t0 - 3 * DAY, 'ap@fabrikam.com', 'RE: Remittance advice'],
    [signIn + 62 * MINUTE, `invoices@${ATTACKER_DOMAIN}`, 'Fw: Vendor bank details'],
    [signIn + 63 * MINUTE, `invoices@${ATTACKER_DOMAIN}`, 'Fw: Q3 payment run'],
    [signIn + 70 * MINUTE, `archive@${ATTACKER_DOMAIN}`, 'Fw: Payroll export'],
    [signIn + 3 * HOUR, 'ap@fabrikam.com', 'Updated remittance'],
    [t0 - 2 * HOUR, manager.upn, 'Status'],
  ];
  rows.forEach(([at, to, subject], i) => sim.messageTrace.push(traceRow(i + 1, at, from, to, subject)));
}

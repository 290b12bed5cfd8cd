import { addUser, passwordMethod, type DemoState } from '../state';
import { DAY, HOUR, isoAgo, makeUser, seedId } from './make-user';
import { authenticatorMethod, phoneMethod } from './methods';
import { makeSignIn, PLACES } from './sign-ins';
import { SKU } from './skus';

export const IDENTITY_SCENARIO_IDS = {
  upntest: seedId(0x301),
  consumer: seedId(0x302),
  risky: seedId(0x303),
  noaudit: seedId(0x304),
  guest: seedId(0x305),
} as const;

/** Synced UPN ≠ mail, consumer-account overlap, a risky user, no advanced auditing, a guest. */
export function seedIdentityScenarios(state: DemoState, t0: number): void {
  addUser(
    state,
    makeUser(t0, {
      id: IDENTITY_SCENARIO_IDS.upntest,
      upn: 'upntest@example.net',
      displayName: 'UPN Test',
      mail: 'upntest@example.com',
      synced: true,
      proxyAddresses: ['SMTP:upntest@example.com', 'smtp:upntest@example.net', 'smtp:upntest@example.onmicrosoft.com'],
    }),
  );

  const consumer = makeUser(t0, {
    id: IDENTITY_SCENARIO_IDS.consumer,
    upn: 'consumer@example.com',
    displayName: 'Connie Consumer',
  });
  addUser(state, consumer);
  state.consumerAccounts.add('consumer@example.com');
  state.consumerAccounts.add('someone.personal@outlook.com');

  const risky = makeUser(t0, {
    id: IDENTITY_SCENARIO_IDS.risky,
    upn: 'risky@example.com',
    displayName: 'Rita Risky',
    department: 'Sales',
  });
  addUser(state, risky);
  state.methods.set(risky.id, [
    passwordMethod(),
    authenticatorMethod('a3a3a3a3-0000-4000-8000-000000000303', 'Galaxy S23', isoAgo(t0, 200 * DAY)),
    phoneMethod('+1 4255550303'),
  ]);
  state.signIns.set(risky.id, [
    makeSignIn(risky, {
      id: '5e000303-0000-4000-8000-000000000002',
      at: t0 - HOUR,
      place: PLACES.lagos,
      risk: 'high',
      browser: 'Chrome 125.0.0',
      os: 'Linux',
    }),
    makeSignIn(risky, {
      id: '5e000303-0000-4000-8000-000000000001',
      at: t0 - 2 * HOUR,
      place: PLACES.seattle,
      authenticationDetails: [
        { authenticationMethod: 'Password', succeeded: true },
        { authenticationMethod: 'Mobile app notification', succeeded: true },
      ],
    }),
  ]);
  state.riskyUsers.set(risky.id, {
    id: risky.id,
    isDeleted: false,
    isProcessing: false,
    riskLastUpdatedDateTime: isoAgo(t0, HOUR - 5 * 60_000),
    riskLevel: 'high',
    riskState: 'atRisk',
    riskDetail: 'none',
    userDisplayName: risky.displayName,
    userPrincipalName: risky.userPrincipalName,
  });
  const detection = (
    id: string,
    riskEventType: string,
    at: number,
    ip: string,
    city: string,
    country: string,
    timing: string,
  ) => ({
    id,
    requestId: `${id.slice(0, 8)}-req`,
    correlationId: `${id.slice(0, 8)}-cor`,
    riskEventType,
    riskType: riskEventType,
    riskLevel: 'high',
    riskState: 'atRisk',
    riskDetail: 'none',
    source: 'IdentityProtection',
    detectionTimingType: timing,
    activity: 'signin',
    tokenIssuerType: 'AzureAD',
    ipAddress: ip,
    location: { city, state: null, countryOrRegion: country, geoCoordinates: null },
    activityDateTime: new Date(at).toISOString(),
    detectedDateTime: new Date(at + 60_000).toISOString(),
    lastUpdatedDateTime: new Date(at + 120_000).toISOString(),
    userId: risky.id,
    userDisplayName: risky.displayName,
    userPrincipalName: risky.userPrincipalName,
    additionalInfo: JSON.stringify([{ Key: 'userAgent', Value: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/125.0' }]),
  });
  state.riskDetections.push(
    detection(
      'd0000303-0000-4000-8000-000000000001',
      'unfamiliarFeatures',
      t0 - HOUR,
      PLACES.lagos.ip,
      'Lagos',
      'NG',
      'realtime',
    ),
    detection(
      'd0000303-0000-4000-8000-000000000002',
      'unlikelyTravel',
      t0 - HOUR,
      PLACES.lagos.ip,
      'Lagos',
      'NG',
      'offline',
    ),
  );

  addUser(
    state,
    makeUser(t0, {
      id: IDENTITY_SCENARIO_IDS.noaudit,
      upn: 'noaudit@example.com',
      displayName: 'Nora Noaudit',
      skuIds: [SKU.e3.skuId],
    }),
  );

  addUser(
    state,
    makeUser(t0, {
      id: IDENTITY_SCENARIO_IDS.guest,
      upn: 'partner_contoso.com#EXT#@example.onmicrosoft.com',
      displayName: 'Pat Partner (Contoso)',
      mail: 'partner@contoso.com',
      guest: true,
      createdAgo: 45 * DAY,
    }),
  );
  state.federatedDomains.set('contoso.com', 'https://sts.contoso.com/adfs/ls/');
}

import type { DemoUser, GraphObject } from '../state';

export interface Place {
  city: string;
  state: string;
  countryOrRegion: string;
  latitude: number;
  longitude: number;
  ip: string;
}

export const PLACES = {
  seattle: {
    city: 'Seattle',
    state: 'Washington',
    countryOrRegion: 'US',
    latitude: 47.6062,
    longitude: -122.3321,
    ip: '198.51.100.24',
  },
  newYork: {
    city: 'New York',
    state: 'New York',
    countryOrRegion: 'US',
    latitude: 40.7128,
    longitude: -74.006,
    ip: '198.51.100.77',
  },
  london: {
    city: 'London',
    state: 'England',
    countryOrRegion: 'GB',
    latitude: 51.5072,
    longitude: -0.1276,
    ip: '203.0.113.18',
  },
  lagos: {
    city: 'Lagos',
    state: 'Lagos',
    countryOrRegion: 'NG',
    latitude: 6.5244,
    longitude: 3.3792,
    ip: '203.0.113.201',
  },
  bucharest: {
    city: 'Bucharest',
    state: 'Bucuresti',
    countryOrRegion: 'RO',
    latitude: 44.4268,
    longitude: 26.1025,
    ip: '203.0.113.150',
  },
  amsterdam: {
    city: 'Amsterdam',
    state: 'North Holland',
    countryOrRegion: 'NL',
    latitude: 52.3676,
    longitude: 4.9041,
    ip: '192.0.2.55',
  },
} as const satisfies Record<string, Place>;

export interface SignInSpec {
  id: string;
  at: number;
  place: Place;
  errorCode?: number;
  failureReason?: string | null;
  app?: { id: string; name: string };
  risk?: 'none' | 'low' | 'medium' | 'high';
  browser?: string;
  os?: string;
  /** The Entra device id the sign-in came from (deviceDetail.deviceId; '' when none). */
  deviceId?: string;
  /** The steps of the sign-in (beta's `authenticationDetails`; UNVERIFIED whether v1.0 returns it), when seeded. */
  authenticationDetails?: { authenticationMethod: string; succeeded: boolean }[];
}

const OFFICE = { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' };

/** A signIn in Graph's shape (graph-examples/auditLogs-signIns.json). */
export function makeSignIn(user: DemoUser, spec: SignInSpec): GraphObject {
  const app = spec.app ?? OFFICE;
  const risk = spec.risk ?? 'none';
  return {
    id: spec.id,
    createdDateTime: new Date(spec.at).toISOString(),
    userDisplayName: user.displayName,
    userPrincipalName: user.userPrincipalName,
    userId: user.id,
    appId: app.id,
    appDisplayName: app.name,
    ipAddress: spec.place.ip,
    clientAppUsed: 'Browser',
    correlationId: `c0${spec.id.slice(2)}`,
    conditionalAccessStatus: spec.errorCode === 53003 ? 'failure' : 'success',
    isInteractive: true,
    riskDetail: 'none',
    riskLevelAggregated: risk,
    riskLevelDuringSignIn: risk,
    riskState: risk === 'none' ? 'none' : 'atRisk',
    riskEventTypes: risk === 'none' ? [] : ['unfamiliarFeatures'],
    riskEventTypes_v2: risk === 'none' ? [] : ['unfamiliarFeatures'],
    resourceDisplayName: 'Office 365 Exchange Online',
    resourceId: '00000002-0000-0ff1-ce00-000000000000',
    status: { errorCode: spec.errorCode ?? 0, failureReason: spec.failureReason ?? null, additionalDetails: null },
    deviceDetail: {
      deviceId: spec.deviceId ?? '',
      displayName: null,
      operatingSystem: spec.os ?? 'Windows 10',
      browser: spec.browser ?? 'Edge 124.0.0',
      isCompliant: null,
      isManaged: null,
      trustType: null,
    },
    location: {
      city: spec.place.city,
      state: spec.place.state,
      countryOrRegion: spec.place.countryOrRegion,
      geoCoordinates: { altitude: null, latitude: spec.place.latitude, longitude: spec.place.longitude },
    },
    appliedConditionalAccessPolicies: [],
    ...(spec.authenticationDetails
      ? {
          authenticationRequirement: 'multiFactorAuthentication',
          authenticationDetails: spec.authenticationDetails.map((d, i) => ({
            authenticationStepDateTime: new Date(spec.at + i * 5_000).toISOString(),
            authenticationMethod: d.authenticationMethod,
            authenticationMethodDetail: null,
            succeeded: d.succeeded,
            authenticationStepResultDetail: d.succeeded ? 'MFA successfully completed' : 'MFA denied',
            authenticationStepRequirement: i === 0 ? 'Primary authentication' : 'Multi-factor authentication',
          })),
        }
      : {}),
  };
}

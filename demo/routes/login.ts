import type { DemoRequest, DemoResponse, HandlerContext, Route } from '../http/types';

/** Consumer mail domains whose addresses are personal Microsoft accounts only. */
const CONSUMER_DOMAINS = new Set(['outlook.com', 'hotmail.com', 'live.com', 'msn.com']);

interface Realm {
  kind: 'managed' | 'federated' | 'consumer' | 'unknown';
  exists: boolean;
  hasMsa: boolean;
  domain: string;
  authUrl?: string;
}

function realmOf(ctx: HandlerContext, login: string): Realm {
  const address = login.trim().toLowerCase();
  const domain = address.split('@')[1] ?? '';
  const hasMsa = ctx.state.consumerAccounts.has(address);
  if (ctx.state.verifiedDomains.includes(domain)) {
    return { kind: 'managed', exists: ctx.state.upnIndex.has(address), hasMsa, domain };
  }
  const authUrl = ctx.state.federatedDomains.get(domain);
  if (authUrl !== undefined) return { kind: 'federated', exists: true, hasMsa, domain, authUrl };
  if (CONSUMER_DOMAINS.has(domain)) return { kind: 'consumer', exists: hasMsa, hasMsa, domain };
  return { kind: 'unknown', exists: false, hasMsa, domain };
}

/** IfExistsResult: 0 work account, 1 not found, 5 MSA only, 6 both (graph-api.md §15). Federated domains always 0. */
function ifExists(realm: Realm): number {
  if (realm.kind === 'federated') return 0;
  if (realm.kind === 'managed') return realm.exists ? (realm.hasMsa ? 6 : 0) : realm.hasMsa ? 5 : 1;
  return realm.hasMsa ? 5 : 1;
}

const DOMAIN_TYPE = { unknown: 1, consumer: 2, managed: 3, federated: 4 } as const;

function getCredentialType(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const username =
    typeof body.username === 'string' ? body.username : typeof body.Username === 'string' ? body.Username : '';
  const realm = realmOf(ctx, username);
  return {
    status: 200,
    body: {
      Username: username,
      Display: username,
      IfExistsResult: username === '' ? 1 : ifExists(realm),
      IsUnmanaged: false,
      ThrottleStatus: 0,
      Credentials: {
        PrefCredential: 1,
        HasPassword: true,
        RemoteNgcParams: null,
        FidoParams: null,
        SasParams: null,
        CertAuthParams: null,
        GoogleParams: null,
        FacebookParams: null,
        ...(realm.authUrl ? { FederationRedirectUrl: realm.authUrl } : {}),
      },
      EstsProperties: { UserTenantBranding: null, DomainType: DOMAIN_TYPE[realm.kind], DesktopSsoEnabled: false },
      IsSignupDisallowed: true,
      apiCanary: 'demo',
    },
  };
}

function userRealm(ctx: HandlerContext, login: string): DemoResponse {
  const realm = realmOf(ctx, login);
  const base = { State: realm.kind === 'unknown' ? 4 : 3, UserState: 1, Login: login };
  const msa = { MicrosoftAccount: realm.hasMsa ? 0 : 1 };
  if (realm.kind === 'managed') {
    return {
      status: 200,
      body: {
        ...base,
        NameSpaceType: 'Managed',
        DomainName: realm.domain,
        IsConsumerDomain: false,
        FederationBrandName: ctx.state.tenantDisplayName,
        CloudInstanceName: 'microsoftonline.com',
        CloudInstanceIssuerUri: 'urn:federation:MicrosoftOnline',
        ...msa,
      },
    };
  }
  if (realm.kind === 'federated') {
    return {
      status: 200,
      body: {
        ...base,
        NameSpaceType: 'Federated',
        DomainName: realm.domain,
        FederationProtocol: 'WSTrust',
        AuthURL: `${realm.authUrl ?? ''}?username=${encodeURIComponent(login)}&wa=wsignin1.0&wtrealm=urn%3afederation%3aMicrosoftOnline`,
        CloudInstanceName: 'microsoftonline.com',
        ...msa,
      },
    };
  }
  return { status: 200, body: { ...base, NameSpaceType: 'Unknown', ...msa } };
}

function getUserRealmSrf(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  return userRealm(ctx, req.query.get('login') ?? '');
}

function getUserRealmV2(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  return userRealm(ctx, req.query.get('user') ?? req.query.get('login') ?? '');
}

const ROOT = [''] as const;

/** The login.microsoftonline.com look-ups the bot uses for the consumer-account check (not Graph). */
export const loginRoutes: Route[] = [
  {
    method: 'POST',
    pattern: 'common/GetCredentialType',
    versions: ROOT,
    throttle: 'login',
    handler: getCredentialType,
  },
  { method: 'GET', pattern: 'getuserrealm.srf', versions: ROOT, throttle: 'login', handler: getUserRealmSrf },
  { method: 'GET', pattern: 'common/userrealm', versions: ROOT, throttle: 'login', handler: getUserRealmV2 },
];

import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/identity';
import { CodedError } from '../errors';

/** How the bot authenticates to Graph. Parsed from settings in bot/config.ts; turned into a token source here. */
export type GraphCredentialSettings =
  | { kind: 'static'; token: string }
  | { kind: 'clientSecret'; tenantId: string; clientId: string; clientSecret: string; authorityHost?: string }
  | { kind: 'clientCertificate'; tenantId: string; clientId: string; certificatePath: string; authorityHost?: string }
  | { kind: 'managedIdentity'; clientId?: string };

/** Supplies the bearer token for each request; @azure/identity caches and refreshes behind it. */
export interface TokenSource {
  getToken(): Promise<string>;
  /** Drops the cached token (Graph answered 401), so the next getToken asks the identity provider again. */
  invalidate?(): void;
}

/** The app-only scope for a Graph root: national clouds have their own resource, anything else uses the global one. */
export function graphScopeFor(baseUrl: string): string {
  const host = new URL(baseUrl).hostname.toLowerCase();
  const known = [
    'graph.microsoft.com',
    'graph.microsoft.us',
    'dod-graph.microsoft.us',
    'microsoftgraph.chinacloudapi.cn',
  ];
  return known.includes(host) ? `https://${host}/.default` : 'https://graph.microsoft.com/.default';
}

/** Build the credential from explicit settings only (never from process.env, so config stays the one source). */
export function createCredential(settings: Exclude<GraphCredentialSettings, { kind: 'static' }>): TokenCredential {
  switch (settings.kind) {
    case 'clientSecret':
      return new ClientSecretCredential(
        settings.tenantId,
        settings.clientId,
        settings.clientSecret,
        authorityOptions(settings.authorityHost),
      );
    case 'clientCertificate':
      return new ClientCertificateCredential(
        settings.tenantId,
        settings.clientId,
        { certificatePath: settings.certificatePath },
        authorityOptions(settings.authorityHost),
      );
    case 'managedIdentity':
      return settings.clientId === undefined
        ? new ManagedIdentityCredential()
        : new ManagedIdentityCredential({ clientId: settings.clientId });
  }
}

// A custom authority (sovereign cloud, or a local token server in tests) is not in the instance-discovery list.
function authorityOptions(authorityHost: string | undefined): {
  authorityHost?: string;
  disableInstanceDiscovery?: boolean;
} {
  return authorityHost === undefined ? {} : { authorityHost, disableInstanceDiscovery: true };
}

/** A token source for the settings: a static token (demo mode) or an @azure/identity credential. */
export function createTokenSource(settings: GraphCredentialSettings, scope: string): TokenSource {
  if (settings.kind === 'static') {
    const token = settings.token;
    return { getToken: () => Promise.resolve(token) };
  }
  // @azure/identity has no "force refresh": its cache lives in the credential, so a new credential starts empty.
  let credential = createCredential(settings);
  return {
    invalidate() {
      credential = createCredential(settings);
    },
    async getToken() {
      let token: Awaited<ReturnType<TokenCredential['getToken']>>;
      try {
        token = await credential.getToken(scope);
      } catch (err) {
        throw new CodedError(
          'graph_unauthorized',
          `could not get a Graph token (${settings.kind}): ${errorName(err)}`,
          { credential: settings.kind },
          { cause: err },
        );
      }
      if (!token)
        throw new CodedError('graph_unauthorized', `the ${settings.kind} credential returned no token`, {
          credential: settings.kind,
        });
      return token.token;
    },
  };
}

function errorName(err: unknown): string {
  return err instanceof Error ? err.name : 'unknown error';
}

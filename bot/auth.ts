import { readFileSync } from 'node:fs';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { ConfigurationBotFrameworkAuthentication, StatusCodes } from 'botbuilder';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import {
  AuthenticationError,
  BotFrameworkAuthentication,
  MsalServiceClientCredentialsFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorFactory,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { Config } from './config';

// jsonwebtoken's own error classes. botbuilder rethrows them unwrapped (a forged signature surfaces as
// JsonWebTokenError "invalid signature"), and CloudAdapter would answer 500 instead of 401.
const JWT_ERROR_NAMES = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/** Delegates to botbuilder's authentication and turns token-library failures into 401 AuthenticationErrors. */
class InboundAuthentication extends BotFrameworkAuthentication {
  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateRequest(activity, authHeader);
    } catch (err) {
      throw asAuthenticationError(err);
    }
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
    } catch (err) {
      throw asAuthenticationError(err);
    }
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.inner.createConnectorFactory(claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }
}

function asAuthenticationError(err: unknown): unknown {
  if (err instanceof Error && JWT_ERROR_NAMES.has(err.name)) {
    return new AuthenticationError(`Unauthorized: ${err.message}`, StatusCodes.UNAUTHORIZED);
  }
  return err;
}

function isLoopbackHttps(url: string | undefined): url is string {
  if (url === undefined) return false;
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  return parsed?.protocol === 'https:' && (parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1');
}

/** botbuilder's settings object built from the parsed config only (never from process.env, whose extra keys re-point trust). */
export function botAuthenticationSettings(config: Config): ConfigurationBotFrameworkAuthenticationOptions {
  if (config.mode === 'demo') return {};
  const { bot } = config;
  return {
    MicrosoftAppId: bot.appId,
    MicrosoftAppType: bot.appType,
    ...(bot.appPassword !== undefined ? { MicrosoftAppPassword: bot.appPassword } : {}),
    ...(bot.appTenantId !== undefined ? { MicrosoftAppTenantId: bot.appTenantId } : {}),
    ...(bot.certificate !== undefined
      ? {
          CertificateThumbprint: bot.certificate.thumbprint,
          CertificatePrivateKey: readFileSync(bot.certificate.privateKeyPath, 'utf8'),
        }
      : {}),
    ...(config.authOverrides ?? {}),
  };
}

/**
 * Inbound (and outbound token) authentication for the CloudAdapter. Demo mode is anonymous; config.ts guarantees
 * demo mode is loopback-only and has no app id. Tenant mode always validates Bot Framework JWTs.
 */
export function createBotAuthentication(config: Config): BotFrameworkAuthentication {
  const settings = botAuthenticationSettings(config);
  const loginUrl = config.authOverrides?.ToChannelFromBotLoginUrl;
  let credentialsFactory: ServiceClientCredentialsFactory | undefined;
  if (config.mode === 'tenant' && config.bot.appPassword !== undefined && isLoopbackHttps(loginUrl)) {
    // Test-only (overrides are gated in config.ts): MSAL does instance discovery against the public cloud unless the
    // local authority is a known authority, and botbuilder never passes knownAuthorities itself.
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: config.bot.appId,
        clientSecret: config.bot.appPassword,
        authority: loginUrl,
        knownAuthorities: [new URL(loginUrl).host],
      },
    });
    // botframework-connector is typed against its bundled msal-node 2.x; the top-level 5.x client is call-compatible
    // (toolchain.md §2b), so the type is bridged here and nowhere else.
    const client = cca as unknown as ConstructorParameters<typeof MsalServiceClientCredentialsFactory>[1];
    credentialsFactory = new MsalServiceClientCredentialsFactory(config.bot.appId, client);
  }
  return new InboundAuthentication(new ConfigurationBotFrameworkAuthentication(settings, credentialsFactory));
}

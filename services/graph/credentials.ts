/** How the bot authenticates to Graph. Parsed from settings in bot/config.ts; turned into a token source here. */
export type GraphCredentialSettings =
  | { kind: 'static'; token: string }
  | { kind: 'clientSecret'; tenantId: string; clientId: string; clientSecret: string; authorityHost?: string }
  | { kind: 'clientCertificate'; tenantId: string; clientId: string; certificatePath: string; authorityHost?: string }
  | { kind: 'managedIdentity'; clientId?: string };

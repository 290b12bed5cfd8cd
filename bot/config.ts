import { existsSync } from 'node:fs';
import { z } from 'zod';
import {
  DEMO_APPROVERS_GROUP_ID,
  DEMO_GRAPH_TOKEN,
  DEMO_OPERATORS_GROUP_ID,
  DEMO_PORTS,
  DEMO_PROTECTED_GROUP_ID,
  DEMO_VIP_GROUP_ID,
  DEMO_TEAMS_APP_CATALOG_ID,
  DEMO_TENANT_ID,
  DEMO_WATCHED_MAILBOX,
} from './demo-defaults';
import { CodedError } from '../services/errors';
import { upnSchema, type Upn } from '../services/ids';
import type { GraphCredentialSettings } from '../services/graph/credentials';
import { describeStorage, parseStorageSettings, type StorageSettings } from '../services/storage/storage-url';

/** Where the bot runs: the offline demo (anonymous, loopback only) or a real tenant. */
export type Mode = 'demo' | 'tenant';
/** Bot Framework app types, spelled as botbuilder's MicrosoftAppType setting. */
export type BotAppType = 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
/** pino levels accepted by LOG_LEVEL. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Bot Framework settings that re-point token trust (OpenID metadata, issuers, login authority). Accepted only
 * with SECBOT_TEST_AUTH_OVERRIDES=true on a loopback host, so a stray variable can never change whose tokens we trust.
 */
export const AUTH_OVERRIDE_KEYS = [
  'BotOpenIdMetadata',
  'ChannelService',
  'OAuthApiEndpoint',
  'OAuthUrl',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'CallerId',
  'ValidateAuthority',
  'EmulateOAuthCards',
] as const;
/** One of the Bot Framework trust-override setting names. */
export type AuthOverrideKey = (typeof AUTH_OVERRIDE_KEYS)[number];

/** Bot Framework identity of the bot. An empty appId means anonymous, which only demo mode allows. */
export interface BotSettings {
  appId: string;
  appPassword?: string;
  appType: BotAppType;
  appTenantId?: string;
  /** Certificate credential (BOT_CERTIFICATE_THUMBPRINT + BOT_CERTIFICATE_KEY_PATH, a PEM private key file). */
  certificate?: { thumbprint: string; privateKeyPath: string };
}

/** The parsed, validated settings. Built only by loadConfig. */
export interface Config {
  mode: Mode;
  host: string;
  port: number;
  bot: BotSettings;
  graph: { baseUrl: string; credential: GraphCredentialSettings };
  loginBaseUrl: string;
  allowedTenantId: string;
  operatorsGroupId: string;
  approversGroupId: string;
  protectedGroupId?: string;
  /** VIP_GROUP_ID: executives and other likely targets whose advanced-auditing licences `posture` checks (optional). */
  vipGroupId?: string;
  /** STORAGE_URL with AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT_URL (services/storage/storage-url.ts). */
  storage: StorageSettings;
  dryRun: boolean;
  approvalTtlMinutes: number;
  allowAdminTargets: boolean;
  passwordWriteback: boolean;
  alertPollSeconds: number;
  /**
   * LEASE_SECONDS: how long the work one instance holds (alert polling and delivery, a sweep) stays its own after
   * that instance dies, before another instance takes it over.
   */
  leaseSeconds: number;
  stallMs: number;
  /** Commands one caller may run per minute (CALLER_RATE_PER_MINUTE). */
  callerRatePerMinute: number;
  exchangeAdminEnabled: boolean;
  /** USER_CONFIRMATIONS: ask the affected user "was this you?" about changes their own account made. */
  userConfirmations: boolean;
  /** CONFIRM_MINUTES: how long an asked user has before the alert escalates (ms). */
  confirmMs: number;
  /** TEAMS_APP_CATALOG_ID: the app's id in the org catalog, to install it for a user the bot must ask. */
  teamsAppCatalogId?: string;
  /** UPNs whose inbox rules the alert poller checks for new external forwarding (WATCHED_MAILBOXES). */
  watchedMailboxes: Upn[];
  /** The bot's public https root, for links it serves (the sweep's CSV download); demo mode uses its listen URL. */
  publicBaseUrl?: string;
  logLevel: LogLevel;
  /** Application Insights (APPLICATIONINSIGHTS_CONNECTION_STRING): OpenTelemetry traces and metrics when set. */
  applicationInsightsConnectionString?: string;
  /** How long SIGTERM waits for turns, send queues and outboxes to drain before leases are released (ms). */
  shutdownGraceMs: number;
  allowedServiceUrlHosts: string[];
  demo: { graphPort: number; playgroundPort: number };
  authOverrides?: Partial<Record<AuthOverrideKey, string>>;
}

type Env = Record<string, string | undefined>;

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

const portSchema = z.coerce.number().int().min(1).max(65535);
const listenPortSchema = z.coerce.number().int().min(0).max(65535);
const booleanSchema = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const httpUrlSchema = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
const modeSchema = z.enum(['demo', 'tenant']);
const appTypeSchema = z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']);
const logLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const guidSchema = z.string().regex(GUID);
const idSchema = z.string().min(1).max(200);
const hostListSchema = z.array(z.string().regex(/^[A-Za-z0-9.-]+$/)).min(1);
const appInsightsSchema = z.string().regex(/(^|;)\s*InstrumentationKey=[0-9a-fA-F-]{36}\s*(;|$)/);

function isLoopbackUrl(value: string): boolean {
  return URL.canParse(value) && LOOPBACK_HOSTS.has(new URL(value).hostname.replace(/^\[(.*)\]$/, '$1'));
}

/** Collects problems by key so one error can name every bad setting; messages carry key names, never values. */
class Issues {
  readonly list: string[] = [];
  add(key: string, problem: string): void {
    this.list.push(`${key} ${problem}`);
  }
}

function read(env: Env, key: string): string | undefined {
  const value = env[key]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function parse<T>(env: Env, issues: Issues, key: string, schema: z.ZodType<T>, problem: string): T | undefined {
  const raw = read(env, key);
  if (raw === undefined) return undefined;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  issues.add(key, problem);
  return undefined;
}

function required<T>(env: Env, issues: Issues, key: string, schema: z.ZodType<T>, problem: string): T | undefined {
  if (read(env, key) === undefined) {
    issues.add(key, 'is required');
    return undefined;
  }
  return parse(env, issues, key, schema, problem);
}

function bool(env: Env, issues: Issues, key: string, fallback: boolean): boolean {
  return parse(env, issues, key, booleanSchema, 'must be true, false, 1 or 0') ?? fallback;
}

/** Reads `.env` (if present) into process.env and returns it; the one place the process environment is read. */
export function readEnvironment(dotEnvPath = '.env'): Env {
  if (existsSync(dotEnvPath)) process.loadEnvFile(dotEnvPath);
  return { ...process.env };
}

/** Parses every setting; throws CodedError('config_invalid') naming every missing or invalid key. */
export function loadConfig(env: Env): Config {
  const issues = new Issues();
  const mode = parse(env, issues, 'SECBOT_MODE', modeSchema, 'must be demo or tenant') ?? 'tenant';
  const demo = mode === 'demo';

  const port = parse(env, issues, 'PORT', listenPortSchema, 'must be a port number (0-65535)') ?? DEMO_PORTS.bot;
  const graphPort = parse(env, issues, 'DEMO_GRAPH_PORT', portSchema, 'must be a port number') ?? DEMO_PORTS.graph;
  const playgroundPort =
    parse(env, issues, 'PLAYGROUND_PORT', portSchema, 'must be a port number') ?? DEMO_PORTS.playground;
  const hostRaw = read(env, 'HOST');
  const host = hostRaw ?? (demo ? '127.0.0.1' : '0.0.0.0');
  if (demo && !LOOPBACK_HOSTS.has(host))
    issues.add('HOST', 'must be a loopback address in demo mode (127.0.0.1, ::1, localhost)');

  const bot = parseBot(env, issues, demo);
  const authOverrides = parseAuthOverrides(env, issues, host);
  const credential = demo ? demoCredential(env) : tenantCredential(env, issues);
  const id = demo ? idSchema : guidSchema;
  const idProblem = demo ? 'must be a non-empty id' : 'must be a GUID';
  const demoDefault = (value: string): string | undefined => (demo ? value : undefined);
  const get = (key: string, fallback: string | undefined): string | undefined =>
    fallback === undefined
      ? required(env, issues, key, id, idProblem)
      : (parse(env, issues, key, id, idProblem) ?? fallback);

  const demoGraphUrl = `http://127.0.0.1:${graphPort}`;
  const urlProblem = 'must be an http(s) URL';
  const graphBaseUrl =
    parse(env, issues, 'GRAPH_BASE_URL', httpUrlSchema, urlProblem) ??
    (demo ? demoGraphUrl : 'https://graph.microsoft.com');
  const publicBaseUrl = parse(env, issues, 'PUBLIC_BASE_URL', httpUrlSchema, urlProblem);
  const applicationInsightsConnectionString = parse(
    env,
    issues,
    'APPLICATIONINSIGHTS_CONNECTION_STRING',
    appInsightsSchema,
    'must be an Application Insights connection string (InstrumentationKey=<GUID>;IngestionEndpoint=…)',
  );
  const loginBaseUrl =
    parse(env, issues, 'LOGIN_BASE_URL', httpUrlSchema, urlProblem) ??
    (demo ? demoGraphUrl : 'https://login.microsoftonline.com');

  if (demo) {
    // Demo mode is anonymous: pointed at a real Graph (with GRAPH_TOKEN) it would let anyone drive that tenant.
    for (const [key, value] of [
      ['GRAPH_BASE_URL', graphBaseUrl],
      ['LOGIN_BASE_URL', loginBaseUrl],
    ] as const) {
      if (!isLoopbackUrl(value)) issues.add(key, 'must be a loopback URL (127.0.0.1, ::1, localhost) in demo mode');
    }
  }

  const allowedTenantId = get('ALLOWED_TENANT_ID', demoDefault(DEMO_TENANT_ID));
  const operatorsGroupId = get('OPERATORS_GROUP_ID', demoDefault(DEMO_OPERATORS_GROUP_ID));
  const approversGroupId = get('APPROVERS_GROUP_ID', demoDefault(DEMO_APPROVERS_GROUP_ID));
  // Actions refuse members of this group (break-glass, executives). A tenant must say so explicitly, even to have none.
  const protectedRaw = read(env, 'PROTECTED_GROUP_ID');
  const protectedGroupId =
    protectedRaw?.toLowerCase() === 'none'
      ? undefined
      : protectedRaw === undefined && !demo
        ? (issues.add('PROTECTED_GROUP_ID', 'is required in tenant mode: the group actions refuse, or none'), undefined)
        : (parse(env, issues, 'PROTECTED_GROUP_ID', id, `${idProblem} or none`) ??
          demoDefault(DEMO_PROTECTED_GROUP_ID));

  const vipGroupId =
    parse(env, issues, 'VIP_GROUP_ID', id, idProblem) ?? (demo ? demoDefault(DEMO_VIP_GROUP_ID) : undefined);

  const wholeNumber = (key: string, min: number, max: number): number | undefined =>
    parse(env, issues, key, z.coerce.number().int().min(min).max(max), `must be a whole number from ${min} to ${max}`);
  const approvalTtlMinutes = wholeNumber('APPROVAL_TTL_MINUTES', 1, 24 * 60) ?? 30;
  const callerRatePerMinute = wholeNumber('CALLER_RATE_PER_MINUTE', 1, 10_000) ?? 30;
  // The reports budget (5 requests per 10 s) is shared with interactive checks: a real tenant polls at most every 5 s.
  const alertPollSeconds = wholeNumber('ALERT_POLL_SECONDS', demo ? 1 : 5, 3600) ?? (demo ? 10 : 60);
  const leaseSeconds = wholeNumber('LEASE_SECONDS', 2, 3600) ?? 60;
  const shutdownGraceSeconds = wholeNumber('SHUTDOWN_GRACE_SECONDS', 0, 300) ?? 20;
  const stallMinutes = wholeNumber('STALL_MINUTES', 1, 24 * 60);
  const confirmMinutes = wholeNumber('CONFIRM_MINUTES', 1, 24 * 60) ?? 30;
  const teamsAppCatalogId =
    parse(env, issues, 'TEAMS_APP_CATALOG_ID', id, idProblem) ?? demoDefault(DEMO_TEAMS_APP_CATALOG_ID);
  const stallMs = stallMinutes !== undefined ? stallMinutes * 60_000 : demo ? 20_000 : 15 * 60_000;

  const serviceHosts = read(env, 'ALLOWED_SERVICE_URL_HOSTS');
  const hostList = serviceHosts
    ?.split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  let allowedServiceUrlHosts = demo ? ['127.0.0.1', 'localhost'] : ['smba.trafficmanager.net'];
  if (hostList !== undefined) {
    const parsed = hostListSchema.safeParse(hostList);
    if (parsed.success) allowedServiceUrlHosts = parsed.data;
    else issues.add('ALLOWED_SERVICE_URL_HOSTS', 'must be a comma-separated list of host names');
  }

  // Mailboxes whose inbox rules the alert poller checks (rules are not in the directory audit log).
  const watchedRaw = read(env, 'WATCHED_MAILBOXES');
  const watchedList = (watchedRaw ?? (demo ? DEMO_WATCHED_MAILBOX : ''))
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  const watchedMailboxes: Upn[] = [];
  for (const entry of watchedList) {
    const parsed = upnSchema.safeParse(entry);
    if (parsed.success) watchedMailboxes.push(parsed.data);
    else issues.add('WATCHED_MAILBOXES', 'must be a comma-separated list of user principal names');
  }

  const storage = parseStorageSettings(
    {
      STORAGE_URL: read(env, 'STORAGE_URL'),
      AZURE_STORAGE_CONNECTION_STRING: read(env, 'AZURE_STORAGE_CONNECTION_STRING'),
      AZURE_STORAGE_ACCOUNT_URL: read(env, 'AZURE_STORAGE_ACCOUNT_URL'),
    },
    { volatileAllowed: demo },
  );
  if (!storage.ok) for (const { key, problem } of storage.problems) issues.add(key, problem);
  // The Blob adapter signs in with the bot's own identity; demo mode has none (its Graph token is static).
  if (storage.ok && storage.settings.kind === 'azure-blob' && storage.settings.account.kind === 'account-url' && demo)
    issues.add(
      'AZURE_STORAGE_ACCOUNT_URL',
      'needs an Azure identity, which demo mode has not; use AZURE_STORAGE_CONNECTION_STRING (Azurite)',
    );

  const config = {
    mode,
    host,
    port,
    bot,
    graph: { baseUrl: graphBaseUrl, credential },
    loginBaseUrl,
    allowedTenantId,
    operatorsGroupId,
    approversGroupId,
    ...(protectedGroupId !== undefined ? { protectedGroupId } : {}),
    ...(vipGroupId !== undefined ? { vipGroupId } : {}),
    storage: storage.ok ? storage.settings : ({ kind: 'memory' } as const),
    dryRun: bool(env, issues, 'DRY_RUN', false),
    approvalTtlMinutes,
    allowAdminTargets: bool(env, issues, 'ALLOW_ADMIN_TARGETS', false),
    passwordWriteback: bool(env, issues, 'PASSWORD_WRITEBACK', false),
    alertPollSeconds,
    leaseSeconds,
    stallMs,
    callerRatePerMinute,
    // The demo tenant simulates the Exchange admin API, so the demo shows mailbox-level forwarding too.
    exchangeAdminEnabled: bool(env, issues, 'EXCHANGE_ADMIN_ENABLED', demo),
    // The demo asks Alex about his own security-info change (npm run demo:emit -- security-info-registered alexw@…).
    userConfirmations: bool(env, issues, 'USER_CONFIRMATIONS', demo),
    confirmMs: confirmMinutes * 60_000,
    ...(teamsAppCatalogId !== undefined ? { teamsAppCatalogId } : {}),
    watchedMailboxes,
    ...(publicBaseUrl !== undefined ? { publicBaseUrl } : {}),
    logLevel:
      parse(
        env,
        issues,
        'LOG_LEVEL',
        logLevelSchema,
        'must be one of fatal, error, warn, info, debug, trace, silent',
      ) ?? 'info',
    ...(applicationInsightsConnectionString !== undefined ? { applicationInsightsConnectionString } : {}),
    shutdownGraceMs: shutdownGraceSeconds * 1000,
    allowedServiceUrlHosts,
    demo: { graphPort, playgroundPort },
    ...(authOverrides !== undefined ? { authOverrides } : {}),
  };

  if (
    issues.list.length > 0 ||
    credential === undefined ||
    allowedTenantId === undefined ||
    operatorsGroupId === undefined ||
    approversGroupId === undefined
  ) {
    throw new CodedError('config_invalid', `Invalid configuration (SECBOT_MODE=${mode}): ${issues.list.join('; ')}`, {
      problems: issues.list,
    });
  }
  return {
    ...config,
    graph: { baseUrl: graphBaseUrl, credential },
    allowedTenantId,
    operatorsGroupId,
    approversGroupId,
  };
}

function parseBot(env: Env, issues: Issues, demo: boolean): BotSettings {
  const appId = read(env, 'MicrosoftAppId');
  const appPassword = read(env, 'MicrosoftAppPassword');
  if (demo) {
    // Demo mode is anonymous: real credentials here mean someone is about to expose a bot without auth.
    if (appId !== undefined)
      issues.add('MicrosoftAppId', 'must be empty in demo mode (demo mode runs without Bot Framework auth)');
    if (appPassword !== undefined) issues.add('MicrosoftAppPassword', 'must be empty in demo mode');
    return { appId: '', appType: 'MultiTenant' };
  }
  // An empty MicrosoftAppId turns off inbound JWT validation in botbuilder, so it is mandatory outside demo.
  required(env, issues, 'MicrosoftAppId', guidSchema, 'must be a GUID');
  const appType =
    parse(env, issues, 'MicrosoftAppType', appTypeSchema, 'must be MultiTenant, SingleTenant or UserAssignedMSI') ??
    'MultiTenant';
  const appTenantId = parse(env, issues, 'MicrosoftAppTenantId', guidSchema, 'must be a GUID');
  const thumbprint = read(env, 'BOT_CERTIFICATE_THUMBPRINT');
  const privateKeyPath = read(env, 'BOT_CERTIFICATE_KEY_PATH');
  if ((thumbprint === undefined) !== (privateKeyPath === undefined)) {
    issues.add(
      thumbprint === undefined ? 'BOT_CERTIFICATE_THUMBPRINT' : 'BOT_CERTIFICATE_KEY_PATH',
      'is required when a bot certificate is configured',
    );
  }
  const certificate =
    thumbprint !== undefined && privateKeyPath !== undefined ? { thumbprint, privateKeyPath } : undefined;
  if (appType === 'UserAssignedMSI') {
    if (appPassword !== undefined) issues.add('MicrosoftAppPassword', 'must be empty for UserAssignedMSI');
  } else if (appPassword === undefined && certificate === undefined) {
    issues.add(
      'MicrosoftAppPassword',
      `is required for ${appType} (or set BOT_CERTIFICATE_THUMBPRINT and BOT_CERTIFICATE_KEY_PATH)`,
    );
  }
  if (appType !== 'MultiTenant' && appTenantId === undefined && read(env, 'MicrosoftAppTenantId') === undefined) {
    issues.add('MicrosoftAppTenantId', `is required for ${appType}`);
  }
  return {
    appId: appId ?? '',
    appType,
    ...(appPassword !== undefined ? { appPassword } : {}),
    ...(appTenantId !== undefined ? { appTenantId } : {}),
    ...(certificate !== undefined ? { certificate } : {}),
  };
}

function parseAuthOverrides(env: Env, issues: Issues, host: string): Config['authOverrides'] {
  const present = AUTH_OVERRIDE_KEYS.filter((key) => read(env, key) !== undefined);
  const flag = bool(env, issues, 'SECBOT_TEST_AUTH_OVERRIDES', false);
  if (!flag) {
    for (const key of present)
      issues.add(key, 'is a Bot Framework trust override and is refused (test-only: SECBOT_TEST_AUTH_OVERRIDES=true)');
    return undefined;
  }
  if (!LOOPBACK_HOSTS.has(host))
    issues.add('SECBOT_TEST_AUTH_OVERRIDES', 'is test-only and requires HOST to be a loopback address');
  const overrides: Partial<Record<AuthOverrideKey, string>> = {};
  for (const key of present) overrides[key] = read(env, key);
  return overrides;
}

function demoCredential(env: Env): GraphCredentialSettings {
  return { kind: 'static', token: read(env, 'GRAPH_TOKEN') ?? DEMO_GRAPH_TOKEN };
}

function tenantCredential(env: Env, issues: Issues): GraphCredentialSettings | undefined {
  if (read(env, 'GRAPH_TOKEN') !== undefined)
    issues.add('GRAPH_TOKEN', 'is demo-only; use AZURE_* credentials in tenant mode');
  const clientIdOptional = parse(env, issues, 'AZURE_CLIENT_ID', guidSchema, 'must be a GUID');
  if (bool(env, issues, 'AZURE_USE_MANAGED_IDENTITY', false)) {
    return { kind: 'managedIdentity', ...(clientIdOptional !== undefined ? { clientId: clientIdOptional } : {}) };
  }
  const tenantId = required(env, issues, 'AZURE_TENANT_ID', guidSchema, 'must be a GUID');
  if (read(env, 'AZURE_CLIENT_ID') === undefined)
    issues.add('AZURE_CLIENT_ID', 'is required (or set AZURE_USE_MANAGED_IDENTITY=true)');
  const authorityHost = parse(env, issues, 'AZURE_AUTHORITY_HOST', httpUrlSchema, 'must be an http(s) URL');
  const clientSecret = read(env, 'AZURE_CLIENT_SECRET');
  const certificatePath = read(env, 'AZURE_CLIENT_CERTIFICATE_PATH');
  if (clientSecret !== undefined && certificatePath !== undefined) {
    issues.add('AZURE_CLIENT_CERTIFICATE_PATH', 'must not be set together with AZURE_CLIENT_SECRET');
    return undefined;
  }
  if (clientSecret === undefined && certificatePath === undefined) {
    issues.add(
      'AZURE_CLIENT_SECRET',
      'or AZURE_CLIENT_CERTIFICATE_PATH is required (or set AZURE_USE_MANAGED_IDENTITY=true)',
    );
    return undefined;
  }
  if (tenantId === undefined || clientIdOptional === undefined) return undefined;
  const base = { tenantId, clientId: clientIdOptional, ...(authorityHost !== undefined ? { authorityHost } : {}) };
  return clientSecret !== undefined
    ? { kind: 'clientSecret', ...base, clientSecret }
    : { kind: 'clientCertificate', ...base, certificatePath: certificatePath ?? '' };
}

/** The bot's Azure identity alone (AZURE_* keys), for tools such as `npm run storage:copy`; names bad keys. */
export function loadAzureCredential(env: Env): Exclude<GraphCredentialSettings, { kind: 'static' }> {
  const issues = new Issues();
  const credential = tenantCredential(env, issues);
  if (issues.list.length > 0 || credential === undefined || credential.kind === 'static')
    throw new CodedError('config_invalid', `Invalid Azure credential settings: ${issues.list.join('; ')}`);
  return credential;
}

const SET = '[set]';

/** A loggable summary of the settings: every secret (passwords, client secrets, tokens, storage keys) is "[set]". */
export function describeConfig(config: Config): Record<string, unknown> {
  const { bot, graph, storage, applicationInsightsConnectionString, ...rest } = config;
  const credential = graph.credential;
  const safeCredential =
    credential.kind === 'static'
      ? { kind: credential.kind, token: SET }
      : credential.kind === 'clientSecret'
        ? { ...credential, clientSecret: SET }
        : credential;
  return {
    ...rest,
    bot: { ...bot, ...(bot.appPassword !== undefined ? { appPassword: SET } : {}) },
    graph: { baseUrl: graph.baseUrl, credential: safeCredential },
    // A connection string carries the account key; describeStorage shows only where the data is.
    storage: describeStorage(storage),
    // The instrumentation key lets anyone write into the Application Insights resource.
    ...(applicationInsightsConnectionString !== undefined ? { applicationInsightsConnectionString: SET } : {}),
  };
}

/** Entry point for main: loadConfig, or print the reason (key names only) to stderr and exit 1. */
export function loadConfigOrExit(env: Env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    const message =
      err instanceof CodedError ? err.message : 'Invalid configuration: unexpected error while reading settings';
    process.stderr.write(`secbot: ${message}\n`);
    process.exit(1);
  }
}

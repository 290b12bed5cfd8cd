import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../bot/config';
import { isCodedError } from '../../../services/errors';
import { repoRoot } from '../../support/production-build';

// Bicep cannot be compiled here (no Bicep CLI); these checks read the template as text.
const bicep = readFileSync(join(repoRoot, 'infra', 'main.bicep'), 'utf8');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

/** The body of the first `{ … }` after `marker`, braces balanced. */
function block(text: string, marker: string): string {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `${marker} not found in infra/main.bicep`);
  const open = text.indexOf('{', at);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces after ${marker}`);
}

/** The app settings the template gives the web app: name → Bicep expression. */
function appSettings(): Map<string, string> {
  const properties = block(block(bicep, "resource appSettings 'Microsoft.Web/sites/config@"), 'properties:');
  const settings = new Map<string, string>();
  for (const match of properties.matchAll(/^ {4}([A-Za-z_][A-Za-z0-9_]*): (.+)$/gm))
    settings.set(match[1] ?? '', (match[2] ?? '').trim());
  return settings;
}

/** The values an @allowed([...]) list gives the parameter declared right after it. */
function allowed(param: string): string[] {
  const match = new RegExp(`@allowed\\(\\[([^\\]]*)\\]\\)\\s*param ${param} `).exec(bicep);
  assert.ok(match, `param ${param} has no @allowed list`);
  return [...(match[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
}

/** The keys loadConfig names as missing for `env`: bot/config.ts is the only list of what tenant mode requires. */
function requiredKeys(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (!isCodedError(error, 'config_invalid')) throw error;
    const problems = error.details.problems as string[];
    return problems.filter((p) => / is required\b/.test(p)).map((p) => p.split(' ')[0] ?? '');
  }
  return [];
}

const literal = (expression: string | undefined): string | undefined => /^'([^']*)'$/.exec(expression ?? '')?.[1];

describe('infra/main.bicep', () => {
  const settings = appSettings();

  it('sets every setting bot/config.ts requires in tenant mode, for each bot app type the template offers', () => {
    const appTypes = allowed('botAppType');
    assert.deepEqual(appTypes.sort(), ['SingleTenant', 'UserAssignedMSI']);
    assert.equal(literal(settings.get('SECBOT_MODE')), 'tenant');
    assert.equal(settings.get('MicrosoftAppType'), 'botAppType');
    const managedIdentity = literal(settings.get('AZURE_USE_MANAGED_IDENTITY'));
    assert.equal(managedIdentity, 'true');
    for (const appType of appTypes) {
      const required = requiredKeys({
        SECBOT_MODE: 'tenant',
        MicrosoftAppType: appType,
        AZURE_USE_MANAGED_IDENTITY: managedIdentity ?? '',
      });
      assert.ok(required.includes('OPERATORS_GROUP_ID') && required.includes('MicrosoftAppId'), required.join());
      const missing = required.filter((key) => !settings.has(key));
      assert.deepEqual(missing, [], `${appType}: app settings missing from infra/main.bicep`);
    }
  });

  it('derives the required keys from config.ts: a key it requires that the template lacks is caught', () => {
    const required = requiredKeys({ SECBOT_MODE: 'tenant', MicrosoftAppType: 'SingleTenant' });
    // Without the managed identity, Graph needs a client secret or certificate that the template never sets.
    assert.ok(required.includes('AZURE_CLIENT_SECRET'), required.join());
    assert.ok(!settings.has('AZURE_CLIENT_SECRET'));
  });

  it('wires Azure: Blob storage, public URL, Application Insights and the shutdown grace', () => {
    assert.match(settings.get('STORAGE_URL') ?? '', /^'azure-blob:\$\{containerName\}'$/);
    assert.match(settings.get('AZURE_STORAGE_ACCOUNT_URL') ?? '', /primaryEndpoints\.blob/);
    assert.match(settings.get('PUBLIC_BASE_URL') ?? '', /defaultHostName/);
    assert.match(
      settings.get('APPLICATIONINSIGHTS_CONNECTION_STRING') ?? '',
      /appInsights\.properties\.ConnectionString/,
    );
    assert.equal(settings.get('SHUTDOWN_GRACE_SECONDS'), 'string(shutdownGraceSeconds)');
    // The platform's SIGKILL must come after the bot's own drain deadline.
    assert.equal(settings.get('WEBSITES_CONTAINER_STOP_TIME_LIMIT'), 'string(shutdownGraceSeconds + 10)');
    assert.match(
      settings.get('MicrosoftAppPassword') ?? '',
      /@Microsoft\.KeyVault\(VaultName=\$\{vault\.name\};SecretName=/,
    );
  });

  it('every app setting is one the bot reads, or a documented App Service platform setting', () => {
    const platform = new Set([
      'WEBSITES_CONTAINER_STOP_TIME_LIMIT',
      'WEBSITE_RUN_FROM_PACKAGE',
      'SCM_DO_BUILD_DURING_DEPLOYMENT',
    ]);
    // The storage track's Azure Blob adapter reads this one (issue 11); see docs/deploy.md.
    const storageTrack = new Set(['AZURE_STORAGE_ACCOUNT_URL']);
    const config = readFileSync(join(repoRoot, 'bot', 'config.ts'), 'utf8');
    const unknown = [...settings.keys()].filter(
      (key) => !platform.has(key) && !storageTrack.has(key) && !config.includes(`'${key}'`),
    );
    assert.deepEqual(unknown, []);
  });

  it('runs the production build on Node 22 LTS with the health check on /readyz and Always On', () => {
    const siteConfig = block(bicep, 'siteConfig:');
    assert.match(siteConfig, /linuxFxVersion: 'NODE\|22-lts'/);
    assert.match(siteConfig, /healthCheckPath: '\/readyz'/);
    assert.match(siteConfig, /alwaysOn: true/);
    const command = /appCommandLine: '([^']+)'/.exec(siteConfig)?.[1];
    assert.equal(command, pkg.scripts['start:prod']);
  });

  it('grants the managed identity Storage Blob Data Contributor and Key Vault Secrets User, nothing broader', () => {
    assert.match(bicep, /storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'/);
    assert.match(bicep, /keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'/);
    const roles = [...bicep.matchAll(/roleDefinitions', (\w+)\)/g)].map((m) => m[1]);
    assert.deepEqual(roles, ['storageBlobDataContributor', 'keyVaultSecretsUser']);
    assert.match(block(bicep, "resource storage 'Microsoft.Storage"), /allowSharedKeyAccess: false/);
  });

  it('registers the Azure Bot with the Teams channel and the App Service messaging endpoint', () => {
    const bot = block(bicep, "resource bot 'Microsoft.BotService/botServices@");
    assert.match(bot, /endpoint: 'https:\/\/\$\{site\.properties\.defaultHostName\}\/api\/messages'/);
    assert.match(bot, /msaAppType: botAppType/);
    assert.match(bot, /msaAppMSIResourceId: isMsi \? identity\.id : null/);
    assert.match(
      block(bicep, "resource teams 'Microsoft.BotService/botServices/channels@"),
      /channelName: 'MsTeamsChannel'/,
    );
  });

  it('main.parameters.json names only parameters the template declares, and every required one', () => {
    const parameters = JSON.parse(readFileSync(join(repoRoot, 'infra', 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, unknown>;
    };
    const declared = new Map(
      [...bicep.matchAll(/^param (\w+) \w+( = .+)?$/gm)].map((m) => [m[1] ?? '', m[2] !== undefined] as const),
    );
    for (const key of Object.keys(parameters.parameters)) assert.ok(declared.has(key), `unknown parameter ${key}`);
    for (const [key, hasDefault] of declared)
      if (!hasDefault) assert.ok(key in parameters.parameters, `required parameter ${key} missing`);
  });
});

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { COMMAND_TABLE } from '../../../bot/commands/table';
import { commandLists } from '../../../manifest/command-lists';
import { MANIFEST_DIR } from '../../../manifest/package';
import {
  MANIFEST_VERSION,
  MAX_COMMANDS_PER_SCOPE,
  SCHEMA_URL,
  validateManifest,
} from '../../../manifest/validate-manifest';

interface Command {
  title: string;
  description: string;
}
interface CommandList {
  scopes: string[];
  commands: Command[];
}
interface Bot {
  botId: string;
  scopes: string[];
  supportsFiles: boolean;
  isNotificationOnly: boolean;
  commandLists: CommandList[];
}
interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  name: { short: string; full?: string };
  description: { short: string; full: string };
  developer: Record<string, string>;
  bots: Bot[];
  [key: string]: unknown;
}

function loadManifest(): Manifest {
  return JSON.parse(readFileSync(join(MANIFEST_DIR, 'manifest.json'), 'utf8')) as Manifest;
}

function commandList(manifest: Manifest, scope: string): CommandList {
  const list = manifest.bots[0]?.commandLists.find((l) => l.scopes.includes(scope));
  assert.ok(list, `no commandList for scope ${scope}`);
  return list;
}

const SCOPES = ['personal', 'team', 'groupChat'];

describe('manifest/manifest.json', () => {
  it('targets the newest released schema bundled with @microsoft/app-manifest', () => {
    const root = dirname(require.resolve('@microsoft/app-manifest/package.json'));
    const versions = readdirSync(join(root, 'build', 'json-schemas', 'teams'))
      .map((d) => /^v(\d+)\.(\d+)$/.exec(d))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [Number(m[1]), Number(m[2])] as const)
      .sort((a, b) => b[0] - a[0] || b[1] - a[1]);
    const newest = versions[0];
    assert.ok(newest, 'no bundled Teams schemas found');
    assert.equal(MANIFEST_VERSION, `${newest[0]}.${newest[1]}`);
    const manifest = loadManifest();
    assert.equal(manifest.manifestVersion, MANIFEST_VERSION);
    assert.equal(manifest.$schema, SCHEMA_URL);
  });

  it('validates offline against the bundled schema with no errors', async () => {
    assert.deepEqual(await validateManifest(loadManifest()), []);
  });

  it('reports every schema error of a broken copy, so the validator is really running', async () => {
    const broken = loadManifest();
    broken.id = 'not-a-guid';
    broken.name.short = 'SecOps Bot with a name far too long for Teams';
    broken.description = { full: broken.description.full } as Manifest['description'];
    const bot = broken.bots[0];
    assert.ok(bot);
    bot.scopes = ['personal', 'channel'];
    const errors = await validateManifest(broken);
    const expected = [
      /^\/id must match pattern/,
      /^\/name\/short must NOT have more than 30 characters/,
      /^\/description must have required property 'short'/,
      /^\/bots\/0\/scopes\/1 must be equal to one of the allowed values/,
    ];
    for (const pattern of expected) {
      assert.ok(
        errors.some((e) => pattern.test(e)),
        `expected an error matching ${String(pattern)}, got:\n${errors.join('\n')}`,
      );
    }
  });

  it('refuses a manifest that declares another schema', async () => {
    const other = loadManifest();
    other.$schema = 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json';
    const errors = await validateManifest(other);
    assert.ok(
      errors.some((e) => e.startsWith('/$schema must be')),
      errors.join('\n'),
    );
  });

  it('refuses more than 10 commands in a scope, which the schema alone allows', async () => {
    const crowded = loadManifest();
    const list = commandList(crowded, 'personal');
    while (list.commands.length <= MAX_COMMANDS_PER_SCOPE) {
      list.commands.push({ title: `extra${list.commands.length}`, description: 'extra' });
    }
    const errors = await validateManifest(crowded);
    assert.ok(
      errors.some((e) => /has 11 commands for scope "personal"/.test(e)),
      errors.join('\n'),
    );
  });

  it('refuses two lists for one scope and a command listed twice', async () => {
    const manifest = loadManifest();
    const bot = manifest.bots[0];
    assert.ok(bot);
    const personal = commandList(manifest, 'personal');
    personal.commands.push({ title: 'help', description: 'help again' });
    bot.commandLists.push({ scopes: ['team'], commands: [{ title: 'help', description: 'help' }] });
    const errors = await validateManifest(manifest);
    assert.ok(
      errors.some((e) => /"help" more than once/.test(e)),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => /2 lists for scope "team"/.test(e)),
      errors.join('\n'),
    );
  });

  it('describes the SecOps bot and its developer', () => {
    const manifest = loadManifest();
    assert.equal(manifest.name.short, 'SecOps Bot');
    assert.ok(manifest.name.short.length <= 30);
    for (const topic of ['MFA', 'SSPR', 'personal Microsoft account', 'forward', 'approval', 'alert']) {
      assert.ok(manifest.description.full.includes(topic), `full description should mention ${topic}`);
    }
    for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
      const url = new URL(manifest.developer[key] ?? '');
      assert.equal(url.protocol, 'https:', key);
      assert.equal(url.hostname, 'example.com', key);
    }
  });

  it('declares one conversational bot in personal, team and group chat scopes', () => {
    const manifest = loadManifest();
    assert.equal(manifest.bots.length, 1);
    const bot = manifest.bots[0];
    assert.ok(bot);
    assert.deepEqual([...bot.scopes].sort(), [...SCOPES].sort());
    assert.equal(bot.supportsFiles, false);
    assert.equal(bot.isNotificationOnly, false);
    assert.equal(bot.botId, manifest.id);
  });

  it('lists at most 10 commands per scope, one list per scope', () => {
    const manifest = loadManifest();
    for (const scope of SCOPES) {
      const lists = manifest.bots[0]?.commandLists.filter((l) => l.scopes.includes(scope)) ?? [];
      assert.equal(lists.length, 1, `one commandList for ${scope}`);
      const count = lists[0]?.commands.length ?? 0;
      assert.ok(count > 0 && count <= MAX_COMMANDS_PER_SCOPE, `${scope} has ${count} commands`);
    }
  });

  it('describes each command starting with its usage', () => {
    for (const list of loadManifest().bots[0]?.commandLists ?? []) {
      for (const command of list.commands) {
        assert.match(command.description, new RegExp(`^${command.title}( |$)`), command.title);
        assert.match(command.description, / — \S/, `${command.title} has a usage and a summary`);
      }
    }
  });
});

describe('manifest commandLists from the command table', () => {
  it('manifest.json holds the lists generated from bot/commands/table.ts (npm run manifest rewrites them)', () => {
    assert.deepEqual(loadManifest().bots[0]?.commandLists, commandLists());
  });

  it('ranks the menu: at most 10 per scope, best first, only where the command runs', () => {
    const [personal, team] = commandLists();
    assert.deepEqual(
      personal?.commands.slice(0, 4).map((c) => c.title),
      ['help', 'user', 'investigate', 'mfa'],
    );
    assert.ok(!personal?.commands.some((c) => c.title === 'alerts'), 'alerts runs in channels only');
    assert.ok(team?.commands.some((c) => c.title === 'alerts'));
    const ranked = COMMAND_TABLE.filter((c) => c.menu !== undefined && c.where.includes('personal'));
    assert.ok(ranked.length > MAX_COMMANDS_PER_SCOPE, 'the table ranks more than fit, so the cut is exercised');
    assert.equal(personal?.commands.length, MAX_COMMANDS_PER_SCOPE);
  });
});

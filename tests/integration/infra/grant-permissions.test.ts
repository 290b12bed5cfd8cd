import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/production-build';

const SCRIPT = join(repoRoot, 'infra', 'grant-permissions.sh');
const PRINCIPAL = '3c2b1a09-8f7e-4d6c-9b5a-0f1e2d3c4b5a';
const ADMIN_UNIT = '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d';
const GRAPH_APP = '00000003-0000-0000-c000-000000000000';
const EXCHANGE_APP = '00000002-0000-0ff1-ce00-000000000000';
const PERMISSION = /^[A-Z][A-Za-z]*(-[A-Za-z]+)?(\.[A-Za-z][A-Za-z0-9]*)+$/;

/** Every permission named in backticks in README.md's permission table ("Running it in a real tenant"). */
function readmePermissions(): Set<string> {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Running it in a real tenant'));
  const table = section.slice(section.indexOf('| need | application permission |'));
  const rows = table.split('\n').filter((line, i) => i === 0 || line.trim().startsWith('|'));
  const rowsUntilEnd = rows.slice(0, rows.findIndex((l, i) => i > 0 && !l.trim().startsWith('|')) >>> 0);
  const names = [...rowsUntilEnd.join('\n').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
  return new Set(names.filter((n) => PERMISSION.test(n)));
}

interface AzCall {
  method: string;
  url: string;
  query?: string;
  body?: {
    principalId: string;
    resourceId?: string;
    appRoleId?: string;
    roleDefinitionId?: string;
    directoryScopeId?: string;
  };
}

/**
 * A stand-in for the Azure CLI on PATH: answers `az rest` as Graph would (each API's application permissions, the
 * principal's assignments) and records every call. Role ids are `role:<permission>`, service principal ids `sp:<appId>`.
 */
function fakeAz(dir: string, graphRoles: string[], existing: string[]): { calls(): AzCall[] } {
  const log = join(dir, 'az-calls.jsonl');
  writeFileSync(log, '');
  const roleLines = (names: string[]): string => names.map((r) => `${r}\trole:${r}`).join('\n');
  writeFileSync(join(dir, 'graph-roles.tsv'), `${roleLines(graphRoles)}\n`);
  writeFileSync(
    join(dir, 'exchange-roles.tsv'),
    `${roleLines(['Exchange.ManageAsApp', 'Exchange.ManageAsAppV2', 'full_access_as_app'])}\n`,
  );
  writeFileSync(join(dir, 'existing.tsv'), existing.map((r) => `role:${r}\n`).join(''));
  const az = join(dir, 'az');
  // bash, not node: the script calls az about twenty times a run, and a node start costs far more.
  writeFileSync(
    az,
    [
      '#!/usr/bin/env bash',
      "method='' url='' query='' body=null",
      'while [[ $# -gt 0 ]]; do',
      '  case "$1" in',
      '    --method) method="$2"; shift 2 ;;',
      '    --url) url="$2"; shift 2 ;;',
      '    --query) query="$2"; shift 2 ;;',
      '    --body) body="$2"; shift 2 ;;',
      '    *) shift ;;',
      '  esac',
      'done',
      `printf '{"method":"%s","url":"%s","query":"%s","body":%s}\\n' "$method" "$url" "$query" "$body" >> '${log}'`,
      'case "$method $url" in',
      `  "GET "*"servicePrincipals(appId='${GRAPH_APP}')")`,
      `    if [[ "$query" == id ]]; then echo 'sp:${GRAPH_APP}'; else cat '${dir}/graph-roles.tsv'; fi ;;`,
      `  "GET "*"servicePrincipals(appId='${EXCHANGE_APP}')")`,
      `    if [[ "$query" == id ]]; then echo 'sp:${EXCHANGE_APP}'; else cat '${dir}/exchange-roles.tsv'; fi ;;`,
      `  "GET "*/appRoleAssignments) cat '${dir}/existing.tsv' ;;`,
      '  "GET "* | "POST "*) ;;',
      '  *) exit 3 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(az, 0o755);
  return {
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AzCall),
  };
}

function grant(dir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('bash', [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { PATH: `${dir}:${process.env.PATH ?? ''}` },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const posts = (calls: AzCall[], suffix: string): AzCall[] =>
  calls.filter((c) => c.method === 'POST' && c.url.endsWith(suffix));

describe('infra/grant-permissions.sh (az rest against a fake Azure CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  const readme = readmePermissions();
  const graphRoles = [...readme]
    .filter((p) => !p.startsWith('Exchange.'))
    .concat(['Mail.Send', 'Directory.ReadWrite.All']);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secbot-grant-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('grants exactly the README table: every Graph permission, Exchange.ManageAsApp(V2) and the role in the unit', () => {
    assert.ok(readme.size >= 15, `README table parsed: ${[...readme].join(', ')}`);
    const az = fakeAz(dir, graphRoles, []);
    const result = grant(dir, [
      '--principal',
      PRINCIPAL,
      '--exchange',
      '--role',
      'helpdesk',
      '--admin-unit',
      ADMIN_UNIT,
    ]);
    assert.equal(result.status, 0, result.stderr);
    const assignments = posts(az.calls(), `/servicePrincipals/${PRINCIPAL}/appRoleAssignments`);
    const granted = assignments.map((c) => String(c.body?.appRoleId).replace(/^role:/, ''));
    assert.deepEqual(new Set(granted), readme);
    assert.equal(granted.length, readme.size, 'each permission once');
    for (const call of assignments) {
      assert.equal(call.body?.principalId, PRINCIPAL);
      const app = String(call.body?.appRoleId).startsWith('role:Exchange.') ? EXCHANGE_APP : GRAPH_APP;
      assert.equal(call.body?.resourceId, `sp:${app}`);
    }
    assert.deepEqual(
      posts(az.calls(), '/roleManagement/directory/roleAssignments').map((c) => c.body),
      [
        {
          principalId: PRINCIPAL,
          roleDefinitionId: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
          directoryScopeId: `/administrativeUnits/${ADMIN_UNIT}`,
        },
      ],
    );
  });

  it('--read-only grants no write permission and skips what is already granted', () => {
    const az = fakeAz(dir, graphRoles, ['User.Read.All']);
    const result = grant(dir, ['--principal', PRINCIPAL, '--read-only']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /already granted: User\.Read\.All/);
    const granted = posts(az.calls(), '/appRoleAssignments').map((c) => String(c.body?.appRoleId));
    assert.ok(granted.length >= 8, granted.join(', '));
    assert.ok(!granted.includes('role:User.Read.All'));
    for (const role of granted) assert.doesNotMatch(role, /ReadWrite|RevokeSessions|EnableDisable/);
  });

  it('--dry-run changes nothing, and a bad principal or an unknown permission stops it', () => {
    const az = fakeAz(dir, graphRoles, []);
    const dry = grant(dir, ['--principal', PRINCIPAL, '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /would grant: User-PasswordProfile\.ReadWrite\.All/);
    assert.deepEqual(posts(az.calls(), ''), []);
    assert.equal(grant(dir, ['--principal', 'bot@contoso.com']).status, 2);
    fakeAz(dir, ['User.Read.All'], []);
    const missing = grant(dir, ['--principal', PRINCIPAL]);
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /GroupMember\.Read\.All is not an application permission/);
  });
});

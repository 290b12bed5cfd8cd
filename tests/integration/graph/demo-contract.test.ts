import assert from 'node:assert/strict';
import type { z } from 'zod';
import { PLAYGROUND_USERS } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import {
  authenticationMethodSchema,
  batchResponseSchema,
  checkMemberGroupsSchema,
  collectionSchema,
  directoryAuditSchema,
  messageRuleSchema,
  revokeSignInSessionsResultSchema,
  riskyUserFields,
  signInSchema,
  userRegistrationDetailsSchema,
} from '../../../services/graph/schemas';
import { loadFixture } from '../../unit/services/graph/fixtures';

type Json = Record<string, unknown>;

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Compares a documented item with the demo tenant's items: every documented field must exist in the demo's
 * answer, with the same JSON type wherever both are non-null (one level into nested objects).
 */
function compareShapes(documented: Json, demo: Json[], where: string, skip: readonly string[] = []): string[] {
  const problems: string[] = [];
  for (const [key, docValue] of Object.entries(documented)) {
    if (skip.includes(key) || key.startsWith('@')) continue;
    const present = demo.filter((item) => key in item);
    if (present.length === 0) {
      problems.push(`${where}.${key} missing in the demo tenant`);
      continue;
    }
    const demoValue = present.map((item) => item[key]).find((v) => v !== null);
    if (docValue === null || demoValue === undefined) continue;
    if (jsonType(docValue) !== jsonType(demoValue)) {
      problems.push(`${where}.${key}: documented ${jsonType(docValue)}, demo ${jsonType(demoValue)}`);
    } else if (jsonType(docValue) === 'object') {
      problems.push(
        ...compareShapes(
          docValue as Json,
          present.map((i) => i[key]).filter((v): v is Json => jsonType(v) === 'object'),
          `${where}.${key}`,
        ),
      );
    }
  }
  return problems;
}

function itemsOf(body: unknown): Json[] {
  return (body as { value?: Json[] }).value ?? [];
}

interface Case {
  name: string;
  fixture: string;
  request: (tenant: DemoTenant) => Promise<unknown>;
  parser: z.ZodType | 'field-names-only';
  collection: boolean;
  skip?: readonly string[];
  /** Authentication methods differ by @odata.type: compare items of the same type. */
  byType?: boolean;
}

// The same resources from the documented examples and from the demo tenant go through the same parsers.
describe('contract: documented Graph examples vs the demo tenant', () => {
  let tenant: DemoTenant;
  const alex = PLAYGROUND_USERS[0].aadObjectId;
  const get = (path: string) => async (t: DemoTenant) => (await fetch(`${t.url}${path}`)).json();
  const post = (path: string, body: unknown) => async (t: DemoTenant) =>
    (
      await fetch(`${t.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json();

  before(async () => {
    tenant = await startDemoTenant({ port: 0 });
  });
  after(() => tenant.close());

  const cases: Case[] = [
    {
      name: 'directoryAudits',
      fixture: 'auditLogs-directoryAudits-filter-initiatedBy.json',
      request: get('/v1.0/auditLogs/directoryAudits?$top=50'),
      parser: collectionSchema(directoryAuditSchema),
      collection: true,
    },
    {
      name: 'directoryAudits (example 1)',
      fixture: 'auditLogs-directoryAudits.json',
      request: get('/v1.0/auditLogs/directoryAudits?$top=50'),
      parser: collectionSchema(directoryAuditSchema),
      collection: true,
      skip: ['targetResources'],
    },
    {
      name: 'signIns',
      fixture: 'auditLogs-signIns.json',
      request: get('/v1.0/auditLogs/signIns?$top=50'),
      parser: collectionSchema(signInSchema),
      collection: true,
    },
    {
      name: 'userRegistrationDetails',
      fixture: 'reports-authenticationMethods-userRegistrationDetails.json',
      request: get('/v1.0/reports/authenticationMethods/userRegistrationDetails'),
      parser: collectionSchema(userRegistrationDetailsSchema),
      collection: true,
    },
    {
      name: 'authentication methods',
      fixture: 'users-authentication-methods.json',
      request: get('/v1.0/users/mfatest1@example.com/authentication/methods'),
      parser: collectionSchema(authenticationMethodSchema),
      collection: true,
      byType: true,
    },
    {
      name: 'messageRules',
      fixture: 'users-mailFolders-inbox-messageRules.json',
      request: get('/v1.0/users/forwarder@example.com/mailFolders/inbox/messageRules'),
      parser: collectionSchema(messageRuleSchema),
      collection: true,
      skip: ['conditions', 'actions'],
    },
    {
      name: 'riskyUsers',
      fixture: 'identityProtection-riskyUsers.json',
      request: get('/v1.0/identityProtection/riskyUsers'),
      parser: 'field-names-only',
      collection: true,
    },
    {
      name: 'checkMemberGroups',
      fixture: 'users-checkMemberGroups.json',
      request: post(`/v1.0/users/${alex}/checkMemberGroups`, { groupIds: ['x'] }),
      parser: checkMemberGroupsSchema,
      collection: false,
    },
    {
      name: 'revokeSignInSessions',
      fixture: 'users-revokeSignInSessions.json',
      request: post('/v1.0/users/nomfa@example.com/revokeSignInSessions', {}),
      parser: revokeSignInSessionsResultSchema,
      collection: false,
    },
    {
      name: '$batch',
      fixture: 'batch-response.json',
      request: post('/v1.0/$batch', {
        requests: [
          { id: '1', method: 'GET', url: '/users/nomfa@example.com' },
          { id: '2', method: 'GET', url: '/users/nobody@example.com' },
        ],
      }),
      parser: batchResponseSchema,
      collection: false,
      skip: ['responses'],
    },
  ];

  for (const c of cases) {
    it(`${c.name}: the demo tenant's answer parses and matches the documented field names and types`, async () => {
      const demoBody = await c.request(tenant);
      const documented = loadFixture(c.fixture) as Json;
      if (c.parser !== 'field-names-only') {
        const parsed = c.parser.safeParse(demoBody);
        assert.ok(
          parsed.success,
          `${c.name}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`,
        );
      }
      const demoItems = c.collection ? itemsOf(demoBody) : [demoBody as Json];
      assert.ok(demoItems.length > 0, `${c.name}: the demo tenant returned no items`);
      const docItems = c.collection ? itemsOf(documented) : [documented];
      const problems: string[] = [];
      for (const doc of docItems) {
        const peers = c.byType ? demoItems.filter((d) => d['@odata.type'] === doc['@odata.type']) : demoItems;
        if (c.byType && peers.length === 0) continue;
        if (c.parser === 'field-names-only') {
          for (const key of Object.keys(doc))
            if (!key.startsWith('@') && !peers.some((p) => key in p)) problems.push(`${c.name}.${key} missing`);
        } else {
          problems.push(...compareShapes(doc, peers, c.name, c.skip));
        }
      }
      if (c.name === 'riskyUsers') {
        for (const field of riskyUserFields)
          if (!demoItems.some((i) => field in i)) problems.push(`riskyUsers.${field} missing`);
      }
      assert.deepEqual([...new Set(problems)], []);
    });
  }
});

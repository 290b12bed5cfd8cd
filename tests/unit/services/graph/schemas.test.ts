import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { requestIdOf } from '../../../../services/graph/errors';
import { selectOf } from '../../../../services/graph/schemas/fields';
import { reportUserSchema, reportUserSelect } from '../../../../services/graph/schemas/user';
import {
  authenticationMethodSchema,
  batchResponseSchema,
  checkMemberGroupsSchema,
  collectionSchema,
  directoryAuditSchema,
  directoryObjectSchema,
  graphErrorBodySchema,
  graphUserSchema,
  messageRuleSchema,
  passwordResetResponseSchema,
  revokeSignInSessionsResultSchema,
  riskyUserFields,
  signInPreferencesSchema,
  signInSchema,
  userRegistrationDetailsSchema,
} from '../../../../services/graph/schemas';
import { fixtureDir, fixtureNames, loadFixture } from './fixtures';

const parsers: Record<string, z.ZodType | 'field-names-only'> = {
  'auditLogs-directoryAudits-filter-initiatedBy.json': collectionSchema(directoryAuditSchema),
  'auditLogs-directoryAudits.json': collectionSchema(directoryAuditSchema),
  'auditLogs-signIns.json': collectionSchema(signInSchema),
  'batch-response.json': batchResponseSchema,
  'beta-users-authentication-signInPreferences.json': signInPreferencesSchema,
  'error-429-throttling.json': graphErrorBodySchema,
  'identityProtection-riskyUsers.json': 'field-names-only',
  'reports-authenticationMethods-userRegistrationDetails.json': collectionSchema(userRegistrationDetailsSchema),
  'users-authentication-methods-resetPassword-202.json': passwordResetResponseSchema,
  'users-authentication-methods.json': collectionSchema(authenticationMethodSchema),
  'users-checkMemberGroups.json': checkMemberGroupsSchema,
  'users-mailFolders-inbox-messageRules.json': collectionSchema(messageRuleSchema),
  'users-revokeSignInSessions.json': revokeSignInSessionsResultSchema,
};

function parse<T extends z.ZodType>(schema: T, name: string): z.infer<T> {
  const result = schema.safeParse(loadFixture(name));
  assert.ok(result.success, `${name}: ${result.success ? '' : JSON.stringify(result.error.issues.slice(0, 3))}`);
  return result.data;
}

describe('Graph parsers on the documented examples', () => {
  it('has a parser for every fixture, and every fixture parses', () => {
    assert.deepEqual(fixtureNames().sort(), Object.keys(parsers).sort());
    for (const [name, schema] of Object.entries(parsers)) if (schema !== 'field-names-only') parse(schema, name);
  });

  it('the signIns example is invalid JSON as documented; only the fixture loader repairs it', () => {
    assert.throws(() => JSON.parse(readFileSync(join(fixtureDir, 'auditLogs-signIns.json'), 'utf8')) as unknown);
    const page = parse(collectionSchema(signInSchema), 'auditLogs-signIns.json');
    assert.equal(page.value[0]?.appliedConditionalAccessPolicies.length, 2);
    assert.equal(page.value[0]?.status.errorCode, 0);
    assert.match(page['@odata.nextLink'] ?? '', /\$skiptoken=/);
  });

  it('reads targetResources type whatever its key case, and decodes modifiedProperties values', () => {
    const page = parse(collectionSchema(directoryAuditSchema), 'auditLogs-directoryAudits.json');
    const audit = page.value[0];
    assert.deepEqual(
      audit?.targetResources.map((t) => t.type),
      ['Group', 'User'],
    );
    assert.equal(audit?.targetResources[1]?.userPrincipalName, 'bob@contoso.com');
    const prop = audit?.targetResources[0]?.modifiedProperties[0];
    assert.equal(prop?.newValue, 'DirectorySync');
    assert.equal(prop?.newDecoded, 'DirectorySync');
    const encoded = directoryAuditSchema.parse({
      id: 'x',
      activityDisplayName: 'Update user',
      activityDateTime: '2025-01-01T00:00:00Z',
      targetResources: [
        {
          id: 'u',
          type: 'User',
          modifiedProperties: [
            {
              displayName: 'StrongAuthenticationMethod',
              oldValue: '[]',
              newValue: '[{"MethodType":6,"Default":true}]',
            },
          ],
        },
      ],
    });
    assert.deepEqual(encoded.targetResources[0]?.modifiedProperties[0]?.newDecoded, [{ MethodType: 6, Default: true }]);
  });

  it('discriminates authentication methods, fixes fido2 creationDateTime, keeps unknown types', () => {
    const page = parse(collectionSchema(authenticationMethodSchema), 'users-authentication-methods.json');
    const [fido, whfb] = page.value;
    assert.equal(fido?.kind, 'fido2');
    assert.equal(fido?.kind === 'fido2' ? fido.createdDateTime : null, '2020-08-10T06:44:09Z');
    assert.equal(whfb?.kind, 'windowsHelloForBusiness');
    const unknown = authenticationMethodSchema.parse({
      '@odata.type': '#microsoft.graph.qrCodePinAuthenticationMethod',
      id: 'q1',
      extra: 1,
    });
    assert.deepEqual(unknown.kind === 'unknown' ? [unknown.odataType, unknown.id] : [], [
      '#microsoft.graph.qrCodePinAuthenticationMethod',
      'q1',
    ]);
  });

  it('parses memberOf entries in the batch example by @odata.type and keeps header case-insensitive', () => {
    const reply = parse(batchResponseSchema, 'batch-response.json');
    const first = reply.responses[0];
    assert.equal(first?.headers['content-type']?.startsWith('application/json'), true);
    const body = collectionSchema(directoryObjectSchema).parse(first?.body);
    assert.equal(body.value[0]?.kind, 'directoryRole');
    assert.equal(
      directoryObjectSchema.parse({ '@odata.type': '#microsoft.graph.administrativeUnit', id: 'a' }).kind,
      'unknown',
    );
    assert.deepEqual(
      reply.responses.map((r) => r.status),
      [200, 403, 403, 405, 200],
    );
    const users = collectionSchema(
      graphUserSchema.pick({ id: true, userPrincipalName: true, displayName: true }),
    ).parse(reply.responses[4]?.body);
    assert.equal(users.value[0]?.userPrincipalName, 'LynneR@contoso.com');
  });

  it('finds the request-id in the documented 429 body', () => {
    assert.equal(
      requestIdOf({ headers: {}, body: loadFixture('error-429-throttling.json') }),
      '94fb3b52-452a-4535-a601-69e0a90e3aa2',
    );
  });

  it('riskyUsers example: placeholder values, so only the field names are checked', () => {
    const raw = loadFixture('identityProtection-riskyUsers.json') as { value: Record<string, unknown>[] };
    const documented = Object.keys(raw.value[0] ?? {}).filter((k) => !k.startsWith('@'));
    assert.deepEqual([...documented].sort(), [...riskyUserFields].sort());
  });

  it('message rules: forwardTo parsed, redirectTo accepted as object or array', () => {
    const page = parse(collectionSchema(messageRuleSchema), 'users-mailFolders-inbox-messageRules.json');
    assert.equal(page.value[1]?.actions.forwardTo[0]?.emailAddress.address, 'AlexW@contoso.onmicrosoft.com');
    assert.equal(page.value[0]?.actions.delete, true);
    const one = messageRuleSchema.parse({
      id: 'r',
      actions: { redirectTo: { emailAddress: { address: 'x@evil.example' } } },
    });
    const many = messageRuleSchema.parse({
      id: 'r',
      actions: { redirectTo: [{ emailAddress: { address: 'x@evil.example' } }] },
    });
    assert.deepEqual(one.actions.redirectTo, many.actions.redirectTo);
    assert.equal(one.actions.redirectTo.length, 1);
  });

  it('registration details: empty preferred method becomes null, methods are an open set', () => {
    const page = parse(
      collectionSchema(userRegistrationDetailsSchema),
      'reports-authenticationMethods-userRegistrationDetails.json',
    );
    assert.equal(page.value[1]?.userPreferredMethodForSecondaryAuthentication, null);
    assert.equal(
      userRegistrationDetailsSchema.parse({
        id: 'x',
        userPrincipalName: 'a',
        methodsRegistered: ['passKeyDeviceBound'],
      }).methodsRegistered[0],
      'passKeyDeviceBound',
    );
  });

  it('user: onPremisesSyncEnabled keeps null, unknown fields tolerated', () => {
    const user = graphUserSchema.parse({
      id: 'u',
      userPrincipalName: 'a@b.c',
      onPremisesSyncEnabled: null,
      somethingNew: 1,
    });
    assert.equal(user.onPremisesSyncEnabled, null);
    assert.deepEqual(user.proxyAddresses, []);
  });
});

describe('services/graph/schemas selectOf: a `$select` is its schema fields', () => {
  it('asks for every field the schema reads, in order, and no annotation', () => {
    assert.deepEqual(reportUserSelect, [
      'id',
      'displayName',
      'userPrincipalName',
      'accountEnabled',
      'userType',
      'assignedLicenses',
    ]);
    assert.deepEqual(selectOf(reportUserSchema), reportUserSelect);
    assert.ok(!reportUserSelect.includes('@odata.type'));
  });
});

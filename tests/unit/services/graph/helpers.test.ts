import assert from 'node:assert/strict';
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import type { Upn } from '../../../../services/ids';
import { classifyRequest } from '../../../../services/graph/classify';
import { createCredential, createTokenSource, graphScopeFor } from '../../../../services/graph/credentials';
import { odataString, buildQuery, userPath } from '../../../../services/graph/odata';
import { nextLinkPath } from '../../../../services/graph/paging';
import { requiredPermission } from '../../../../services/graph/permissions';
import { backoffDelay, parseRetryAfter } from '../../../../services/graph/retry-timing';

describe('graph helpers', () => {
  it('odataString doubles quotes; buildQuery encodes per RFC 3986 with $-options first', () => {
    assert.equal(odataString("o'brien"), "'o''brien'");
    assert.equal(buildQuery({ custom: "a b!'()*", $top: 5 }), '?$top=5&custom=a%20b%21%27%28%29%2A');
    assert.equal(buildQuery({ $select: ['id', 'mail'], $filter: undefined }), '?$select=id%2Cmail');
    assert.equal(userPath({ kind: 'upn', upn: "$o'x@contoso.com" as Upn }), "/users('$o''x%40contoso.com')");
    assert.equal(userPath({ kind: 'upn', upn: 'a/b%c@contoso.com' as Upn }), '/users/a%2Fb%25c%40contoso.com');
  });

  it('classifies by path and prices identity calls in resource units', () => {
    const c = (m: string, p: string) => classifyRequest(m, p);
    assert.equal(c('GET', '/auditLogs/signIns').throttleClass, 'reports');
    assert.equal(c('GET', '/reports/authenticationMethods/userRegistrationDetails').throttleClass, 'reports');
    assert.equal(c('GET', '/identityProtection/riskyUsers').throttleClass, 'identityProtection');
    assert.equal(c('GET', '/identity/conditionalAccess/policies').throttleClass, 'identityProtection');
    assert.equal(c('GET', '/users/x/mailFolders/inbox/messageRules').throttleClass, 'outlook');
    assert.equal(c('GET', '/users/x/mailboxSettings').throttleClass, 'outlook');
    assert.deepEqual(c('GET', '/users/x'), { throttleClass: 'identity', cost: 2 });
    assert.deepEqual(c('GET', '/users/x?$select=id'), { throttleClass: 'identity', cost: 1 });
    assert.deepEqual(c('POST', '/users/x/checkMemberGroups'), { throttleClass: 'identity', cost: 4 });
    assert.deepEqual(c('GET', '/users/x/licenseDetails'), { throttleClass: 'identity', cost: 2 });
    assert.deepEqual(c('GET', '/groups/g/transitiveMembers?$expand=x'), { throttleClass: 'identity', cost: 6 });
    assert.equal(c('GET', '/organization').throttleClass, 'identity');
    assert.equal(c('GET', '/security/secureScores').throttleClass, 'other');
  });

  it('parses Retry-After as fractional seconds or HTTP-date; backoff grows and is capped', () => {
    assert.equal(parseRetryAfter('2.128', 0), 2128);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', Date.UTC(2025, 0, 1)), 10_000);
    assert.equal(parseRetryAfter('soon', 0), undefined);
    assert.equal(parseRetryAfter(undefined, 0), undefined);
    const waits = [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, 1000, 8000, () => 0.3));
    assert.deepEqual(waits, [650, 1300, 2600, 5200, 5200, 5200, 5200]);
    assert.ok(backoffDelay(2, 1000, 8000, () => 0) >= backoffDelay(1, 1000, 8000, () => 0.999));
  });

  it('names the least-privileged permission for each resource', () => {
    assert.equal(requiredPermission('GET', '/users/x/authentication/methods'), 'UserAuthenticationMethod.Read.All');
    assert.equal(
      requiredPermission('DELETE', '/users/x/authentication/fido2Methods/1'),
      'UserAuthenticationMethod.ReadWrite.All',
    );
    assert.equal(
      requiredPermission('GET', '/reports/authenticationMethods/userRegistrationDetails?$filter=x'),
      'AuditLog.Read.All',
    );
    assert.equal(requiredPermission('POST', '/users/x/revokeSignInSessions'), 'User.RevokeSessions.All');
    assert.equal(requiredPermission('GET', '/users/x/mailFolders/inbox/messageRules'), 'MailboxSettings.Read');
    assert.equal(requiredPermission('GET', '/identityProtection/riskyUsers'), 'IdentityRiskyUser.Read.All');
    assert.equal(requiredPermission('POST', '/users/x/checkMemberGroups'), 'User.Read.All + GroupMember.Read.All');
    assert.equal(requiredPermission('GET', '/policies/authorizationPolicy'), 'Policy.Read.All');
    assert.equal(requiredPermission('GET', '/users/x/licenseDetails'), 'LicenseAssignment.Read.All');
    assert.equal(
      requiredPermission('GET', '/groups/g/transitiveMembers/microsoft.graph.user?$select=id'),
      'GroupMember.Read.All',
    );
  });

  it('rewrites nextLinks to version-relative paths', () => {
    assert.equal(
      nextLinkPath('https://graph.microsoft.com/v1.0/auditLogs/signIns?$top=1&$skiptoken=abc'),
      '/auditLogs/signIns?$top=1&$skiptoken=abc',
    );
    assert.equal(nextLinkPath('http://127.0.0.1:5/prefix/beta/users?$skiptoken=x'), '/users?$skiptoken=x');
  });

  it('builds each credential kind from explicit settings only', async () => {
    assert.ok(
      createCredential({ kind: 'clientSecret', tenantId: 't', clientId: 'c', clientSecret: 's' }) instanceof
        ClientSecretCredential,
    );
    assert.ok(
      createCredential({
        kind: 'clientCertificate',
        tenantId: 't',
        clientId: 'c',
        certificatePath: '/nonexistent.pem',
      }) instanceof ClientCertificateCredential,
    );
    assert.ok(createCredential({ kind: 'managedIdentity', clientId: 'c' }) instanceof ManagedIdentityCredential);
    assert.equal(await createTokenSource({ kind: 'static', token: 'demo' }, 'x').getToken(), 'demo');
    assert.equal(graphScopeFor('https://graph.microsoft.us'), 'https://graph.microsoft.us/.default');
    assert.equal(graphScopeFor('http://127.0.0.1:3000'), 'https://graph.microsoft.com/.default');
  });
});

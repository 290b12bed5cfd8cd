import { strict as assert } from 'node:assert';
import { checkFilterSupport, matchesFilter, UnsupportedFilterError } from '../../../../demo/odata/filter-eval';
import { FilterSyntaxError, parseFilter } from '../../../../demo/odata/filter-parse';

const users = [
  {
    userPrincipalName: 'alice@example.com',
    accountEnabled: true,
    proxyAddresses: ['SMTP:alice@example.com', 'smtp:al@example.net'],
  },
  { userPrincipalName: "a' or startswith(userPrincipalName,'", accountEnabled: false, proxyAddresses: [] },
  { userPrincipalName: 'bob@example.com', accountEnabled: false, proxyAddresses: ['SMTP:bob@example.com'] },
];

function run(filter: string): string[] {
  const node = parseFilter(filter);
  return users.filter((u) => matchesFilter(node, u)).map((u) => u.userPrincipalName);
}

describe('demo $filter parser and evaluator', () => {
  it('evaluates eq case-insensitively, startswith, and/or/not and booleans', () => {
    assert.deepEqual(run("userPrincipalName eq 'ALICE@example.com'"), ['alice@example.com']);
    assert.deepEqual(run("startswith(userPrincipalName,'b')"), ['bob@example.com']);
    assert.deepEqual(run("accountEnabled eq false and startswith(userPrincipalName,'b')"), ['bob@example.com']);
    assert.deepEqual(run("userPrincipalName eq 'x' or accountEnabled eq true"), ['alice@example.com']);
    assert.deepEqual(run('not (accountEnabled eq false)'), ['alice@example.com']);
  });

  it('evaluates any() over a primitive collection', () => {
    assert.deepEqual(run("proxyAddresses/any(p:p eq 'smtp:al@example.net')"), ['alice@example.com']);
    assert.deepEqual(run("proxyAddresses/any(p: startswith(p, 'SMTP:bob'))"), ['bob@example.com']);
  });

  it('reads a doubled quote as one quote: the injection literal matches only itself', () => {
    assert.deepEqual(run("userPrincipalName eq 'a'' or startswith(userPrincipalName,'''"), [
      "a' or startswith(userPrincipalName,'",
    ]);
    const node = parseFilter("userPrincipalName eq 'a'' or startswith(userPrincipalName,'''");
    assert.equal(node.kind, 'compare');
  });

  it('compares unquoted datetimes as instants', () => {
    const rows = [{ at: '2025-06-01T10:00:00Z' }, { at: '2025-06-02T10:00:00.1234567Z' }];
    const node = parseFilter('at ge 2025-06-02T00:00:00Z and at le 2025-06-03T00:00:00Z');
    assert.deepEqual(
      rows.filter((r) => matchesFilter(node, r)),
      [rows[1]],
    );
  });

  it('evaluates nested lambdas over objects (targetResources/any)', () => {
    const audit = { targetResources: [{ id: 'x' }, { id: 'y' }], initiatedBy: { user: { id: 'u1' } } };
    assert.equal(matchesFilter(parseFilter("targetResources/any(t: t/id eq 'y')"), audit), true);
    assert.equal(matchesFilter(parseFilter("targetResources/any(t: t/id eq 'z')"), audit), false);
    assert.equal(matchesFilter(parseFilter("initiatedBy/user/id eq 'u1'"), audit), true);
  });

  for (const bad of [
    "userPrincipalName eq 'x",
    'userPrincipalName eq',
    "userPrincipalName xx 'a'",
    "startswith(userPrincipalName 'a')",
    "(a eq 'b'",
    "a eq 'b')",
    '',
    "a eq 'b' and",
  ]) {
    it(`rejects the malformed filter ${JSON.stringify(bad)}`, () => {
      assert.throws(() => parseFilter(bad), FilterSyntaxError);
    });
  }

  it('rejects properties and operators a resource does not support', () => {
    const support = { userprincipalname: ['eq'], proxyaddresses: ['any'], 'proxyaddresses/$it': ['eq'] };
    checkFilterSupport(parseFilter("proxyAddresses/any(p:p eq 'a')"), support);
    assert.throws(
      () => checkFilterSupport(parseFilter("startswith(userPrincipalName,'a')"), support),
      UnsupportedFilterError,
    );
    assert.throws(() => checkFilterSupport(parseFilter("jobTitle eq 'a'"), support), UnsupportedFilterError);
  });
});

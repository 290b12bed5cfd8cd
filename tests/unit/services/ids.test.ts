import assert from 'node:assert/strict';
import { upnSchema, userRefSchema } from '../../../services/ids';

describe('services/ids', () => {
  const valid = [
    "o'brien@x",
    'alice@contoso.com',
    'partner_contoso.com#EXT#@example.onmicrosoft.com',
    'a.b-c@sub.example.net',
  ];
  const invalid = [
    'foo',
    '',
    '@contoso.com',
    'alice@',
    'a b@contoso.com',
    'a@b@c.com',
    `${'a'.repeat(300)}@x.com`,
    'alice@contoso.com/../x',
    "a' or startswith(userPrincipalName,'",
  ];

  for (const upn of valid) it(`accepts ${upn}`, () => assert.equal(upnSchema.safeParse(upn).success, true));
  for (const upn of invalid)
    it(`rejects ${JSON.stringify(upn.slice(0, 40))}`, () => assert.equal(upnSchema.safeParse(upn).success, false));

  it('reads an object id as an id, lower-cased', () => {
    assert.deepEqual(userRefSchema.parse('0A9B8C7D-1111-2222-3333-444455556666'), {
      kind: 'id',
      id: '0a9b8c7d-1111-2222-3333-444455556666',
    });
  });
});

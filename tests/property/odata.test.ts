import assert from 'node:assert/strict';
import fc from 'fast-check';
import { matchesFilter } from '../../demo/odata/filter-eval';
import { parseFilter } from '../../demo/odata/filter-parse';
import { odataString, userPath, withQuery } from '../../services/graph/odata';
import { upnSchema, type Upn } from '../../services/ids';
import { HOSTILE_PIECES } from './hostile';
import { runs } from './runs';

// Rows 10–12 as a property: whatever string is sent as a UPN, the demo tenant (which parses $filter the way Graph
// documents it) sees exactly that literal — one comparison, matching that user and no other — and a UPN path
// addresses exactly that user. Well-formed strings only: a lone surrogate cannot be percent-encoded, and the UPN
// validator (ASCII only) refuses it long before a filter is built.

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom(...'\'"()%$#/?&=+ ,:;@\\aZ0'), maxLength: 40 }),
  fc
    .array(fc.constantFrom(...HOSTILE_PIECES, "' or 1 eq 1 or '", "') or startswith(userPrincipalName,'"), {
      maxLength: 4,
    })
    .map((parts) => parts.join('')),
);

/** What the demo tenant's HTTP layer hands its filter parser for this request path. */
function filterAsReceived(path: string): string {
  return new URL(path, 'http://demo.invalid').searchParams.get('$filter') ?? '';
}

describe('property: OData escaping reaches the demo tenant as the exact literal (rows 10–12)', function () {
  this.timeout(60_000);

  it('any string in a userPrincipalName eq filter is one string literal equal to it, matching only that user', () => {
    fc.assert(
      fc.property(text, text, (upn, other) => {
        const path = withQuery('/users', { $filter: `userPrincipalName eq ${odataString(upn)}`, $select: ['id'] });
        const node = parseFilter(filterAsReceived(path));
        assert.deepEqual(node, {
          kind: 'compare',
          op: 'eq',
          path: ['userPrincipalName'],
          value: { kind: 'string', value: upn },
        });
        assert.ok(matchesFilter(node, { userPrincipalName: upn }));
        if (other.toLowerCase() !== upn.toLowerCase()) assert.ok(!matchesFilter(node, { userPrincipalName: other }));
      }),
      runs(500),
    );
  });

  it('any valid UPN addresses one path segment (or the ($…) key form) that decodes back to it', () => {
    const valid = fc
      .tuple(fc.stringMatching(/^[A-Za-z0-9'._\-!#^~$%&+=]{1,30}$/), fc.domain())
      .map(([local, domain]) => `${local}@${domain}`)
      .filter((s) => upnSchema.safeParse(s).success);
    fc.assert(
      fc.property(valid, (upn) => {
        const path = userPath({ kind: 'upn', upn: upn as Upn });
        const keyed = /^\/users\('(.*)'\)$/.exec(path);
        const segment = keyed ? (keyed[1] ?? '') : path.slice('/users/'.length);
        assert.ok(!segment.includes('/') && !segment.includes('?') && !segment.includes('#'), path);
        const decoded = decodeURIComponent(segment);
        assert.equal(keyed ? decoded.replace(/''/g, "'") : decoded, upn);
        assert.equal(keyed !== null, upn.startsWith('$'));
      }),
      runs(300),
    );
  });
});

import assert from 'node:assert/strict';
import { parseAuthenticationResults, resultFor } from '../../../../services/mail/authentication-results';
import { judgeDomain, linkHosts, MICROSOFT_LINK_DOMAINS } from '../../../../services/mail/domains';

describe('services/mail/authentication-results', () => {
  it("parses Exchange Online's form (no authserv-id, comments, folded lines)", () => {
    const ar = parseAuthenticationResults(
      'spf=pass (sender IP is 40.107.236.60)\r\n smtp.mailfrom=microsoftonline.com; dkim=pass (signature was verified)\r\n header.d=microsoftonline.com;dmarc=pass action=none\r\n header.from=microsoftonline.com;compauth=pass reason=100',
    );
    assert.equal(ar.authservId, null);
    assert.deepEqual(
      ar.results.map((r) => [r.method, r.result]),
      [
        ['spf', 'pass'],
        ['dkim', 'pass'],
        ['dmarc', 'pass'],
        ['compauth', 'pass'],
      ],
    );
    assert.equal(resultFor(ar, 'dkim')?.props['header.d'], 'microsoftonline.com');
    assert.equal(resultFor(ar, 'dmarc')?.props['header.from'], 'microsoftonline.com');
    assert.equal(resultFor(ar, 'compauth')?.props.reason, '100');
  });

  it('parses the RFC 8601 form with an authserv-id and a version', () => {
    const ar = parseAuthenticationResults(
      'mx.example.net 1; dkim=fail reason="bad sig" header.d=evil.example; spf=softfail smtp.mailfrom=a@evil.example',
    );
    assert.equal(ar.authservId, 'mx.example.net');
    assert.equal(resultFor(ar, 'dkim')?.result, 'fail');
    assert.equal(resultFor(ar, 'dkim')?.props.reason, 'bad sig');
    assert.equal(resultFor(ar, 'spf')?.props['smtp.mailfrom'], 'a@evil.example');
  });

  it('survives garbage and huge values without throwing', () => {
    for (const v of ['', ';;;', '(((', 'dkim', '=pass', 'x'.repeat(100_000), 'spf=pass (unterminated comment']) {
      const ar = parseAuthenticationResults(v);
      assert.ok(Array.isArray(ar.results));
    }
    assert.equal(resultFor(parseAuthenticationResults('dkim'), 'dkim'), null);
  });
});

describe('services/mail/domains', () => {
  const cases: [string, string][] = [
    ['microsoftonline.com', 'trusted'],
    ['az.westus.microsoftonline.com', 'trusted'],
    ['microsoftonIine.com', 'look-alike'],
    ['microsoftonline-support.com', 'look-alike'],
    ['rnicrosoftonline.com', 'look-alike'],
    ['micros0ft.com', 'look-alike'],
    ['xn--microsftonline-7kb.com', 'look-alike'],
    ['microsoftonline.com.evil.example', 'look-alike'],
    ['example.org', 'other'],
    ['contoso.com', 'other'],
  ];
  for (const [domain, judgement] of cases) {
    it(`sender ${domain} → ${judgement}`, () => assert.equal(judgeDomain(domain, ['microsoftonline.com']), judgement));
  }

  it('accepts the link domains Microsoft uses and flags others', () => {
    assert.equal(judgeDomain('entra.microsoft.com', MICROSOFT_LINK_DOMAINS), 'trusted');
    assert.equal(judgeDomain('aka.ms', MICROSOFT_LINK_DOMAINS), 'trusted');
    assert.equal(judgeDomain('go.microsoft.com', MICROSOFT_LINK_DOMAINS), 'trusted');
    assert.equal(judgeDomain('aka.ms.evil.example', MICROSOFT_LINK_DOMAINS), 'other');
    assert.equal(judgeDomain('portal-azure.example', MICROSOFT_LINK_DOMAINS), 'look-alike');
  });

  it('finds link hosts in text and HTML, without userinfo or port', () => {
    assert.deepEqual(
      linkHosts(
        'see https://aka.ms/sspr and http://user@evil.example:8443/x',
        '<a href="https://Entra.Microsoft.com/#view">x</a>',
      ),
      ['aka.ms', 'evil.example', 'entra.microsoft.com'],
    );
  });
});

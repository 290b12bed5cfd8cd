import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../../bot/log';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: createLogger('debug', sink), lines };
}

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJib3QiLCJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const SECRETS = {
  password: 'Pw-1-deep-secret',
  secret: 'Sc-2-deep-secret',
  token: 'Tk-3-deep-secret',
  client_secret: 'Cs-4-deep-secret',
  clientSecret: 'Cs-5-deep-secret',
  authorization: 'Bearer Az-6-deep-secret-value',
  Authorization: 'Basic QmFzaWMtNy1kZWVwLXNlY3JldA==',
  newPassword: 'Np-8-deep-secret',
  temporaryAccessPass: 'Tap-9-deep-secret',
  AZURE_CLIENT_SECRET: 'Env-10-deep-secret',
};

/** `value` nested `depth` objects deep, through an array halfway, under innocent keys. */
function nest(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  let node: Record<string, unknown> = { ...value, keep: 'visible-value' };
  for (let i = 0; i < depth; i++)
    node = i === Math.floor(depth / 2) ? { items: [node, { n: i }] } : { [`level${i}`]: node };
  return node;
}

describe('bot/log: secrets are redacted at any depth (row 43, issue 10 smaller items)', () => {
  for (const depth of [0, 1, 2, 4, 8]) {
    it(`censors every secret key ${depth} levels down and keeps the rest`, () => {
      const { logger, lines } = capture();
      logger.info({ request: nest({ ...SECRETS, headers: { ...SECRETS } }, depth) }, 'a nested object');
      const out = lines.join('');
      for (const secret of Object.values(SECRETS)) assert.ok(!out.includes(secret.split(' ').pop() ?? secret), out);
      assert.ok(out.includes('visible-value'));
      assert.ok(out.includes('[redacted]'));
    });
  }

  it('censors secrets inside an error (its own properties), in child-logger bindings and in message strings', () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error(`token request failed for ${JWT}`), {
      request: { headers: { authorization: `Bearer ${JWT}` }, body: { client_secret: 'Err-secret-11' } },
    });
    logger.child({ connection: { password: 'Bind-secret-12' } }).error({ err }, `sent Authorization: Bearer ${JWT}`);
    const out = lines.join('');
    for (const secret of [JWT, 'Err-secret-11', 'Bind-secret-12', 'eyJ']) assert.ok(!out.includes(secret), out);
    assert.match(out, /token request failed/);
    assert.match(out, /Bearer \[redacted\]/);
  });

  it('leaves ordinary lines untouched', () => {
    const { logger, lines } = capture();
    logger.info({ user: 'alice@example.com', count: 3, nested: { ok: true, list: [1, 'two'] } }, 'plain');
    const parsed = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    assert.deepEqual(parsed.nested, { ok: true, list: [1, 'two'] });
    assert.equal(parsed.user, 'alice@example.com');
    assert.equal(parsed.msg, 'plain');
  });
});

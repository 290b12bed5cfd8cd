import assert from 'node:assert/strict';
import { CodedError } from '../../../../services/errors';
import type { GraphClient, GraphRequestSpec } from '../../../../services/graph/client';
import { createUserResolver } from '../../../../services/graph/user-resolver';
import type { Upn, UserRef } from '../../../../services/ids';
import { silentLogger } from '../../../../services/log';
import { ManualClock } from '../../../fakes/manual-clock';

const upn = (u: string): UserRef => ({ kind: 'upn', upn: u as Upn });
const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
const BOB = 'bbbbbbbb-0000-4000-8000-000000000002';

/** A directory behind a fake client: GET /users/{upn or id} answers the user, or 404 as Graph does. */
function directory(clock: ManualClock) {
  const users = new Map<string, string>([[ALICE, 'alice@contoso.com']]);
  const paths: string[] = [];
  let hold: Promise<void> = Promise.resolve();
  const client = {
    clock,
    logger: silentLogger,
    async request(spec: GraphRequestSpec) {
      paths.push(spec.path);
      await hold;
      const key = decodeURIComponent(spec.path.split('?')[0]?.split('/')[2] ?? '').toLowerCase();
      const hit = [...users].find(([id, u]) => id === key || u === key);
      if (!hit) throw new CodedError('user_not_found', 'no such user', { status: 404 });
      return { status: 200, headers: {}, body: { id: hit[0], displayName: null, userPrincipalName: hit[1] } };
    },
  } as unknown as GraphClient;
  return {
    client,
    users,
    paths,
    holdUntil(p: Promise<void>) {
      hold = p;
    },
  };
}

describe('services/graph/user-resolver: UPN → id with a TTL and a cap', () => {
  it('reads a UPN once; later asks and concurrent asks share that read', async () => {
    const clock = new ManualClock();
    const dir = directory(clock);
    const resolver = createUserResolver({ client: dir.client, clock });
    let release = (): void => undefined;
    dir.holdUntil(new Promise((r) => (release = r)));
    const both = Promise.all([resolver.resolve(upn('alice@contoso.com')), resolver.resolve(upn('Alice@Contoso.com'))]);
    release();
    assert.deepEqual(await both, [ALICE, ALICE]);
    assert.equal(await resolver.resolve(upn('alice@contoso.com')), ALICE);
    assert.equal(dir.paths.length, 1);
    assert.deepEqual(resolver.address(upn('alice@contoso.com')), { kind: 'id', id: ALICE });
  });

  it('a mapping expires after the TTL: a UPN re-assigned to another user resolves to the new one', async () => {
    const clock = new ManualClock();
    const dir = directory(clock);
    const resolver = createUserResolver({ client: dir.client, clock, ttlMs: 60_000 });
    assert.equal(await resolver.resolve(upn('alice@contoso.com')), ALICE);
    // Alice leaves; her UPN is given to Bob.
    dir.users.delete(ALICE);
    dir.users.set(BOB, 'alice@contoso.com');
    clock.advance(59_999);
    assert.equal(resolver.known(upn('alice@contoso.com')), ALICE, 'still inside the TTL');
    clock.advance(1);
    assert.equal(resolver.known(upn('alice@contoso.com')), null);
    assert.equal(await resolver.resolve(upn('alice@contoso.com')), BOB);
  });

  it('holds at most maxEntries, dropping the least recently used', () => {
    const clock = new ManualClock();
    const resolver = createUserResolver({ client: directory(clock).client, clock, maxEntries: 2 });
    resolver.remember('a@x.com', 'id-a');
    resolver.remember('b@x.com', 'id-b');
    assert.equal(resolver.known(upn('a@x.com')), 'id-a', 'a is now the most recently used');
    resolver.remember('c@x.com', 'id-c');
    assert.equal(resolver.known(upn('b@x.com')), null);
    assert.equal(resolver.known(upn('a@x.com')), 'id-a');
    assert.equal(resolver.known(upn('c@x.com')), 'id-c');
  });

  it('inside the TTL, reads about a UPN whose id now answers to another UPN are done again by the UPN', async () => {
    const clock = new ManualClock();
    const dir = directory(clock);
    const resolver = createUserResolver({ client: dir.client, clock });
    await resolver.resolve(upn('alice@contoso.com'));
    // Alice is renamed and her old UPN given to Bob, all within the TTL.
    dir.users.set(ALICE, 'alice.old@contoso.com');
    dir.users.set(BOB, 'alice@contoso.com');
    const seen: string[] = [];
    const read = (address: UserRef) => {
      seen.push(address.kind === 'id' ? address.id : address.upn);
      return dir.client.request({ method: 'GET', path: `/users/${address.kind === 'id' ? address.id : address.upn}` });
    };
    const who = (r: Awaited<ReturnType<typeof read>>) => r.body as { id: string; userPrincipalName: string };
    const result = await resolver.readAbout(upn('alice@contoso.com'), read, who);
    assert.deepEqual(seen, [ALICE, 'alice@contoso.com']);
    assert.equal(who(result).id, BOB);
    assert.equal(resolver.known(upn('alice@contoso.com')), BOB);
  });

  it('a mapped id that is gone (404) is dropped and the reads are done again by the UPN', async () => {
    const clock = new ManualClock();
    const dir = directory(clock);
    const resolver = createUserResolver({ client: dir.client, clock });
    await resolver.resolve(upn('alice@contoso.com'));
    dir.users.delete(ALICE);
    dir.users.set(BOB, 'alice@contoso.com');
    const read = (address: UserRef) =>
      dir.client.request({ method: 'GET', path: `/users/${address.kind === 'id' ? address.id : address.upn}` });
    const result = await resolver.readAbout(
      upn('alice@contoso.com'),
      read,
      (r) => r.body as { id: string; userPrincipalName: string },
    );
    assert.equal((result.body as { id: string }).id, BOB);
    assert.equal(resolver.known(upn('alice@contoso.com')), BOB);
  });
});

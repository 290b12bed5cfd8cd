import assert from 'node:assert/strict';
import { createMembershipResolver, type MemberGroupsPort } from '../../../../services/authz/membership';
import { ManualClock } from '../../../fakes/manual-clock';

const OPS = 'aaaaaaaa-0000-4000-8000-000000000001';
const APP = 'aaaaaaaa-0000-4000-8000-000000000002';

function fakePort(memberships: Record<string, string[]>): MemberGroupsPort & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    checkMemberGroups: (userId, groupIds) => {
      calls.push(userId);
      return Promise.resolve((memberships[userId] ?? []).filter((g) => groupIds.includes(g)));
    },
  };
}

describe('services/authz/membership', () => {
  it('derives operator and approver roles from one call', async () => {
    const port = fakePort({ alex: [OPS, APP], megan: [APP.toUpperCase()], eve: [] });
    const clock = new ManualClock();
    const m = createMembershipResolver({ port, clock, operatorsGroupId: OPS, approversGroupId: APP });
    assert.deepEqual(await m.rolesOf('alex'), { operator: true, approver: true });
    assert.deepEqual(await m.rolesOf('eve'), { operator: false, approver: false });
    assert.deepEqual(port.calls, ['alex', 'eve']);
  });

  it('caches for the TTL and asks Graph again after it', async () => {
    const port = fakePort({ alex: [OPS] });
    const clock = new ManualClock();
    const m = createMembershipResolver({ port, clock, operatorsGroupId: OPS, approversGroupId: APP, ttlMs: 60_000 });
    await m.rolesOf('alex');
    clock.advance(59_000);
    await m.rolesOf('alex');
    assert.equal(port.calls.length, 1);
    clock.advance(2_000);
    await m.rolesOf('alex');
    assert.equal(port.calls.length, 2);
  });

  it('shares one Graph call between concurrent turns of the same user', async () => {
    const port = fakePort({ alex: [OPS] });
    const m = createMembershipResolver({
      port,
      clock: new ManualClock(),
      operatorsGroupId: OPS,
      approversGroupId: APP,
    });
    await Promise.all([m.rolesOf('alex'), m.rolesOf('alex'), m.rolesOf('alex')]);
    assert.equal(port.calls.length, 1);
  });

  it('does not cache a failure', async () => {
    let fail = true;
    const port: MemberGroupsPort = {
      checkMemberGroups: () => (fail ? Promise.reject(new Error('graph down')) : Promise.resolve([OPS])),
    };
    const m = createMembershipResolver({
      port,
      clock: new ManualClock(),
      operatorsGroupId: OPS,
      approversGroupId: APP,
    });
    await assert.rejects(m.rolesOf('alex'), /graph down/);
    fail = false;
    assert.equal((await m.rolesOf('alex')).operator, true);
  });
});

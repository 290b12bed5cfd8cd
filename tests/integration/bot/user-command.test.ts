import assert from 'node:assert/strict';
import { TestAdapter } from 'botbuilder';
import { DEMO_APPROVERS_GROUP_ID, DEMO_OPERATORS_GROUP_ID, PLAYGROUND_USERS } from '../../../demo/constants';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createMembershipResolver } from '../../../services/authz/membership';
import { systemClock } from '../../../services/clock';
import { checkMemberGroups, readUserProfile } from '../../../services/graph';
import { summarizeUser } from '../../../services/identity/user-summary';
import { alexSays, demoTurnHandler, recordingGraphClient } from '../../support/demo-turn';

// The `user` command over real HTTP: Graph client → demo tenant, and the guards' membership check.
describe('integration: user command against the demo tenant', () => {
  let tenant: DemoTenant;

  before(async () => {
    tenant = await startDemoTenant({ port: 0 });
  });
  after(async () => {
    await tenant.close();
  });

  const sent: string[] = [];
  function graph() {
    return recordingGraphClient(tenant.url, sent);
  }

  it('reads a synced user whose UPN differs from the primary SMTP in one $batch', async () => {
    sent.length = 0;
    const summary = summarizeUser(await readUserProfile(graph(), { kind: 'upn', upn: 'upntest@example.net' as never }));
    assert.deepEqual(sent, ['POST /v1.0/$batch'], 'one round trip');
    assert.equal(summary.source, 'synced');
    assert.equal(summary.primarySmtp, 'upntest@example.com');
    assert.deepEqual(
      summary.proxies.filter((p) => p.kind === 'upn').map((p) => p.address.toLowerCase()),
      ['upntest@example.net'],
    );
    assert.ok(summary.proxies.some((p) => p.kind === 'routing'));
  });

  it('tells advanced auditing apart', async () => {
    const noaudit = summarizeUser(await readUserProfile(graph(), { kind: 'upn', upn: 'noaudit@example.com' as never }));
    assert.equal(noaudit.advancedAuditing.state, 'not-licensed');
    const admin = summarizeUser(
      await readUserProfile(graph(), { kind: 'upn', upn: 'admin.sspr@example.com' as never }),
    );
    assert.ok(admin.adminRoles.includes('Global Administrator'), admin.adminRoles.join());
  });

  it('answers the Playground users with their demo roles', async () => {
    const membership = createMembershipResolver({
      port: { checkMemberGroups: (u, g) => checkMemberGroups(graph(), u, g) },
      clock: systemClock,
      operatorsGroupId: DEMO_OPERATORS_GROUP_ID,
      approversGroupId: DEMO_APPROVERS_GROUP_ID,
    });
    const roles = await Promise.all(PLAYGROUND_USERS.map((u) => membership.rolesOf(u.aadObjectId)));
    assert.deepEqual(
      roles,
      PLAYGROUND_USERS.map((u) => ({
        operator: (u.roles as readonly string[]).includes('operator'),
        approver: (u.roles as readonly string[]).includes('approver'),
      })),
    );
  });

  it('replies to an unknown user clearly through the whole turn', async () => {
    const adapter = new TestAdapter(demoTurnHandler(graph()));
    await adapter
      .send(alexSays('user nobody@example.com'))
      .assertReply((reply) => assert.match(reply.text ?? '', /No such user/));
  });
});

import { strict as assert } from 'node:assert';
import { PLAYGROUND_USERS } from '../../../demo/constants';
import {
  ROLE_GROUP_ACTIVE_ID,
  ROLE_GROUP_ELIGIBLE_ID,
  ROLE_SCENARIO_UPNS,
  SALES_AU_ID,
} from '../../../demo/seed/roles';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { call, errorCode, values } from './helpers';

const HELPDESK_ADMINISTRATOR = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const q = (s: string): string => encodeURIComponent(s);

// The shapes of rbacapplication-list-roleassignments and -roleeligibilityschedules (v1.0), and group membership.
describe('demo tenant: roles through groups and administrative units', () => {
  let tenant: DemoTenant;
  before(async () => {
    tenant = await startDemoTenant();
  });
  after(() => tenant.close());

  const idOf = (upn: string): string => tenant.state.upnIndex.get(upn) ?? '';

  it('lists role assignments by principalId eq/in, with the documented properties', async () => {
    const member = idOf(ROLE_SCENARIO_UPNS.viaGroup);
    const reply = await call(
      tenant,
      `/v1.0/roleManagement/directory/roleAssignments?$filter=${q(`principalId in ('${member}','${ROLE_GROUP_ACTIVE_ID}')`)}`,
    );
    assert.equal(reply.status, 200);
    assert.match(String(reply.body['@odata.context']), /roleManagement\/directory\/roleAssignments$/);
    const [only, ...rest] = values(reply);
    assert.deepEqual(rest, [], 'the user holds nothing directly; the group holds Helpdesk Administrator');
    assert.deepEqual(Object.keys(only ?? {}).sort(), [
      'appScopeId',
      'directoryScopeId',
      'id',
      'principalId',
      'roleDefinitionId',
    ]);
    assert.equal(only?.principalId, ROLE_GROUP_ACTIVE_ID);
    assert.equal(only?.roleDefinitionId, HELPDESK_ADMINISTRATOR);
    assert.equal(only?.directoryScopeId, '/');
    const direct = await call(
      tenant,
      `/v1.0/roleManagement/directory/roleAssignments?$filter=${q(`principalId eq '${PLAYGROUND_USERS[0].aadObjectId}'`)}`,
    );
    assert.equal(values(direct).length, 1, "Alex's Security Administrator membership is an assignment too");
  });

  it('an administrative-unit-scoped assignment carries the unit in directoryScopeId', async () => {
    const reply = await call(
      tenant,
      `/v1.0/roleManagement/directory/roleAssignments?$filter=${q(`principalId eq '${idOf(ROLE_SCENARIO_UPNS.auScoped)}'`)}`,
    );
    assert.equal(values(reply)[0]?.directoryScopeId, `/administrativeUnits/${SALES_AU_ID}`);
  });

  it('refuses a filter operator the resource does not document', async () => {
    const reply = await call(
      tenant,
      `/v1.0/roleManagement/directory/roleAssignments?$filter=${q("startswith(principalId,'5')")}`,
    );
    assert.equal(reply.status, 400);
    assert.equal(errorCode(reply), 'Request_UnsupportedQuery');
  });

  it("a member's transitiveMemberOf shows the role-assignable group (isAssignableToRole) and the role it holds", async () => {
    const reply = await call(tenant, `/v1.0/users/${idOf(ROLE_SCENARIO_UPNS.viaGroup)}/transitiveMemberOf`);
    const items = values(reply);
    const group = items.find((i) => i.id === ROLE_GROUP_ACTIVE_ID);
    assert.equal(group?.['@odata.type'], '#microsoft.graph.group');
    assert.equal(group?.isAssignableToRole, true);
    assert.ok(
      items.some(
        (i) => i['@odata.type'] === '#microsoft.graph.directoryRole' && i.roleTemplateId === HELPDESK_ADMINISTRATOR,
      ),
    );
    const direct = values(await call(tenant, `/v1.0/users/${idOf(ROLE_SCENARIO_UPNS.viaGroup)}/memberOf`));
    assert.ok(!direct.some((i) => i['@odata.type'] === '#microsoft.graph.directoryRole'), 'not a direct role member');
  });

  it('lists the eligibility of a role-assignable group by principalId eq', async () => {
    const reply = await call(
      tenant,
      `/v1.0/roleManagement/directory/roleEligibilitySchedules?$filter=${q(`principalId eq '${ROLE_GROUP_ELIGIBLE_ID}'`)}`,
    );
    assert.equal(values(reply).length, 1);
    assert.equal(values(reply)[0]?.memberType, 'Direct');
  });
});

// readAdminRoles (issue 10, defect 5): every directory role a target holds — active or eligible, directly or
// through a role-assignable group, tenant-wide or scoped to an administrative unit — over the v1.0 route, with the
// reads chunked as Graph bounds them, and failing closed when the membership list is cut short.
import assert from 'node:assert/strict';
import { readAdminRoles } from '../../../../services/approvals/admin-roles';
import type { GraphClient, GraphRequestSpec, GraphResponse } from '../../../../services/graph/client';
import { ManualClock } from '../../../fakes/manual-clock';
import { createRecordingLogger } from '../../../fakes/recording-logger';

const USER = 'user-1';
const BASE = 'https://graph.example.test/v1.0';

interface Tenant {
  memberOf: Record<string, unknown>[];
  /** Active assignments and eligibility schedules by principal id. */
  active: Record<string, { roleDefinitionId: string; directoryScopeId?: string | null }[]>;
  eligible: Record<string, { roleDefinitionId: string; directoryScopeId?: string | null }[]>;
  /** The membership list never ends (a nextLink on every page). */
  endless?: boolean;
}

function graphOf(tenant: Tenant) {
  const paths: string[] = [];
  const answer = (path: string): unknown => {
    if (path.startsWith(`/users/${USER}/transitiveMemberOf`) || path.startsWith(`${BASE}/users/`)) {
      return tenant.endless
        ? { value: tenant.memberOf, '@odata.nextLink': `${BASE}/users/${USER}/transitiveMemberOf?$skiptoken=x` }
        : { value: tenant.memberOf };
    }
    const filter = new URLSearchParams(path.split('?')[1] ?? '').get('$filter') ?? '';
    const ids = [...filter.matchAll(/'([^']*)'/g)].map((m) => m[1] as string);
    const table = path.startsWith('/roleManagement/directory/roleAssignments') ? tenant.active : tenant.eligible;
    return { value: ids.flatMap((id) => (table[id] ?? []).map((s) => ({ principalId: id, ...s }))) };
  };
  const client: GraphClient = {
    request: (spec: GraphRequestSpec) => {
      paths.push(decodeURIComponent(spec.path));
      const res: GraphResponse = { status: 200, headers: {}, body: answer(spec.path) };
      return Promise.resolve(res);
    },
    scheduler: () => {
      throw new Error('not used');
    },
    baseUrl: BASE,
    clock: new ManualClock(),
    logger: createRecordingLogger(),
    limits: {} as GraphClient['limits'],
  };
  return { client, paths };
}

const group = (id: string, displayName: string | null, isAssignableToRole: boolean | null) => ({
  '@odata.type': '#microsoft.graph.group',
  id,
  displayName,
  isAssignableToRole,
});

describe('approvals/admin-roles: the roles an approval target holds', () => {
  it('direct and through a role-assignable group, active and eligible, tenant-wide and AU-scoped, named, once each', async () => {
    const { client, paths } = graphOf({
      memberOf: [
        {
          '@odata.type': '#microsoft.graph.directoryRole',
          id: 'dr1',
          displayName: 'Global Administrator',
          roleTemplateId: 'RT-GA',
        },
        group('G-ROLE', 'Helpdesk Admins', true),
        group('G-PLAIN', 'All staff', false),
        group('G-NULL', 'Legacy', null),
      ],
      active: {
        [USER]: [
          { roleDefinitionId: 'rt-ga', directoryScopeId: '/' },
          { roleDefinitionId: 'rt-ga', directoryScopeId: '/' },
        ],
        'G-ROLE': [{ roleDefinitionId: 'rt-ua', directoryScopeId: '/administrativeUnits/au1' }],
        'G-PLAIN': [{ roleDefinitionId: 'rt-never' }],
      },
      eligible: {
        [USER]: [{ roleDefinitionId: 'RT-GA', directoryScopeId: null }],
        'G-ROLE': [{ roleDefinitionId: 'rt-x' }],
        'G-NULL': [{ roleDefinitionId: 'rt-never' }],
      },
    });
    assert.deepEqual(await readAdminRoles(client, USER), [
      'Global Administrator',
      'role rt-ua via group Helpdesk Admins (scope /administrativeUnits/au1)',
      'eligible: Global Administrator',
      'eligible: role rt-x via group Helpdesk Admins',
    ]);
    // Only the role-assignable group is asked about; the user and that group, each once per read.
    const asked = paths.filter((p) => p.startsWith('/roleManagement')).sort();
    assert.deepEqual(asked, [
      "/roleManagement/directory/roleAssignments?$filter=principalId in ('G-ROLE')",
      "/roleManagement/directory/roleAssignments?$filter=principalId in ('user-1')",
      "/roleManagement/directory/roleEligibilitySchedules?$filter=principalId eq 'G-ROLE'",
      "/roleManagement/directory/roleEligibilitySchedules?$filter=principalId eq 'user-1'",
    ]);
  });

  it('a user in no role: no labels; sixteen role-assignable groups are asked about in chunks of at most 15', async () => {
    const none = graphOf({ memberOf: [group('G-PLAIN', 'All staff', false)], active: {}, eligible: {} });
    assert.deepEqual(await readAdminRoles(none.client, USER), []);
    const ids = Array.from({ length: 16 }, (_, i) => `g${i}`);
    const many = graphOf({
      memberOf: ids.map((id) => group(id, null, true)),
      active: { g15: [{ roleDefinitionId: 'rt-last', directoryScopeId: '/' }] },
      eligible: {},
    });
    assert.deepEqual(await readAdminRoles(many.client, USER), ['role rt-last via group g15']);
    const chunks = many.paths
      .filter((p) => p.startsWith('/roleManagement/directory/roleAssignments'))
      .map((p) => (p.match(/'/g) ?? []).length / 2)
      .sort((a, b) => a - b);
    assert.deepEqual(chunks, [1, 1, 15]);
    assert.equal(many.paths.filter((p) => p.includes('roleEligibilitySchedules')).length, 17);
  });

  it('fails closed: a membership list cut short is reported as a role-like refusal reason', async () => {
    const { client } = graphOf({
      memberOf: [group('G-PLAIN', 'All staff', false)],
      active: {},
      eligible: {},
      endless: true,
    });
    assert.deepEqual(await readAdminRoles(client, USER), ['more than 5000 group memberships (not all checked)']);
  });
});

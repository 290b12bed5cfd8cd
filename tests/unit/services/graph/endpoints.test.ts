import assert from 'node:assert/strict';
import { classifyRequest } from '../../../../services/graph/classify';
import { permissionText } from '../../../../services/graph/endpoint';
import { endpoints, readDeclarations } from '../../../../services/graph/endpoints';
import { requiredPermission } from '../../../../services/graph/permissions';
import { writeDeclarations, writes } from '../../../../services/graph/writes';
import type { Upn, UserId, UserRef } from '../../../../services/ids';

const ID = '5eed0000-0000-4000-8000-000000000201' as UserId;
const byId: UserRef = { kind: 'id', id: ID };
// One value for every parameter any declaration takes.
const SAMPLE = {
  user: byId,
  who: byId,
  id: ID,
  userId: ID,
  upn: 'a@example.com',
  prefix: 'al',
  group: 'g1',
  rule: 'r1',
  folder: 'f1',
  grant: 'grant-1',
  device: 'device-1',
  app: 'app-1',
  principalId: ID,
  principalIds: [ID],
  groupIds: ['g1'],
  since: new Date(0),
  from: 0,
  to: 1,
  top: 5,
  teamsAppId: 'app-1',
  installation: 'inst-1',
} as const;

describe('services/graph/endpoints: every read declared once', () => {
  it('names are unique and match their keys; every call is v1.0', () => {
    for (const [key, e] of Object.entries(endpoints)) assert.equal(e.name, key);
    for (const [key, w] of Object.entries(writes)) assert.equal(w.name, key);
    const names = [...readDeclarations, ...writeDeclarations].map((d) => d.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok([...readDeclarations, ...writeDeclarations].every((d) => d.version === 'v1.0'));
  });

  it("each read's declared throttling class is the class its built path is charged to", () => {
    for (const e of readDeclarations) {
      const path = (e.at as (p: typeof SAMPLE) => { path: string })(SAMPLE).path;
      assert.equal(classifyRequest(e.method, path).throttleClass, e.throttle, `${e.name}: ${path}`);
    }
  });

  it('a 403 on any declared call names the declared permission (also for raw paths: nextLinks, writes)', () => {
    for (const e of readDeclarations) {
      const path = (e.at as (p: typeof SAMPLE) => { path: string })(SAMPLE).path;
      assert.equal(requiredPermission(e.method, path), permissionText(e), e.name);
    }
    for (const w of writeDeclarations) {
      const path = w.template.replace(/\{\w+\}/g, 'x');
      assert.ok(requiredPermission(w.method, path)?.includes(permissionText(w)), w.name);
    }
    assert.equal(requiredPermission('GET', '/nothing/declared'), undefined);
  });

  it('builds paths with the escaping of odata.ts: UPN segments, the $ key form, quoted filter values', () => {
    const upn = (u: string): UserRef => ({ kind: 'upn', upn: u as Upn });
    assert.match(
      endpoints.user.at({ user: upn("o'brien#x@contoso.com") }).path,
      /^\/users\/o'brien%23x%40contoso\.com\?\$select=/,
    );
    assert.match(
      endpoints.inboxRules.at({ user: upn('$adm@contoso.com') }).path,
      /^\/users\('\$adm%40contoso\.com'\)\/mailFolders/,
    );
    const filter = new URLSearchParams(endpoints.signIns.at({ who: upn("a'b@x.com"), top: 1 }).path.split('?')[1]);
    assert.equal(filter.get('$filter'), "userPrincipalName eq 'a''b@x.com'");
    assert.equal(
      endpoints.mailFolder.at({ user: byId, folder: 'AQ/x=' }).path.split('?')[0],
      `/users/${ID}/mailFolders/AQ%2Fx%3D`,
    );
  });
});

/**
 * The writes `contain` makes to remove an attacker's persistence, as Graph v1.0 serves them: delete a delegated
 * permission grant (oauth2permissiongrant-delete), delete a user's app role assignment (user-delete-approleassignments),
 * disable a device (device-update: app-only callers may change accountEnabled of Windows devices only), an app's
 * credentials (application-get with $select, application-removepassword, application-update of keyCredentials), and
 * the apps a user owns (user-list-ownedobjects cast to microsoft.graph.application). Each write leaves the audit
 * record a real tenant writes.
 */
import { z } from 'zod';
import { appendAudit, auditValue, DEMO_BOT_APP, type ModifiedProperty } from '../audit';
import { badRequest, graphError, notFound } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import { entityResponse, pageResponse, readSelect } from '../odata/query';
import { findUser, type DemoUser } from '../state';
import { withUser } from './users';

const V = ['v1.0', 'beta'] as const;
const CORE = 'Core Directory';

function audit(
  ctx: HandlerContext,
  user: DemoUser | undefined,
  activityDisplayName: string,
  category: string,
  modifiedProperties?: ModifiedProperty[],
): void {
  if (!user) return;
  appendAudit(ctx.state, {
    activityDisplayName,
    loggedByService: CORE,
    category,
    operationType: activityDisplayName.startsWith('Remove') ? 'Unassign' : 'Update',
    at: ctx.now(),
    initiatedBy: DEMO_BOT_APP,
    target: user,
    ...(modifiedProperties ? { modifiedProperties } : {}),
  });
}

function deleteGrant(ctx: HandlerContext, _req: DemoRequest, params: Record<string, string>): DemoResponse {
  const index = ctx.state.permissionGrants.findIndex((g) => g.id === params.id);
  if (index === -1) return notFound(ctx, params.id ?? '');
  const [grant] = ctx.state.permissionGrants.splice(index, 1);
  const principal = typeof grant?.principalId === 'string' ? findUser(ctx.state, grant.principalId) : undefined;
  audit(ctx, principal, 'Remove delegated permission grant', 'ApplicationManagement', [
    { displayName: 'DelegatedPermissionGrant.Scope', oldValue: auditValue(grant?.scope ?? ''), newValue: null },
  ]);
  return { status: 204 };
}

function deleteAssignment(ctx: HandlerContext, _req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const index = ctx.state.appRoleAssignments.findIndex(
      (a) => a.id === params.assignmentId && a.principalId === user.id,
    );
    if (index === -1) return notFound(ctx, params.assignmentId ?? '');
    ctx.state.appRoleAssignments.splice(index, 1);
    audit(ctx, user, 'Remove app role assignment from user', 'UserManagement');
    return { status: 204 };
  });
}

const devicePatch = z.object({ accountEnabled: z.boolean() }).strict();

function updateDevice(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const device = ctx.state.devices.get(params.id ?? '');
  if (!device) return notFound(ctx, params.id ?? '');
  const parsed = devicePatch.safeParse(req.body);
  if (!parsed.success) {
    const key = parsed.error.issues[0]?.path.join('.') ?? '';
    return badRequest(ctx, `Invalid value or property '${key}' in the request.`, 'Request_BadRequest');
  }
  // device-update: in app-only calls, a non-Windows device's only writable property is extensionAttributes.
  const os = typeof device.operatingSystem === 'string' ? device.operatingSystem : '';
  if (!/^windows/i.test(os))
    return graphError(ctx, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  const before = device.accountEnabled;
  device.accountEnabled = parsed.data.accountEnabled;
  if (before !== parsed.data.accountEnabled) {
    const owner = ctx.state.deviceLinks.find((l) => l.deviceObjectId === device.id);
    audit(ctx, owner ? findUser(ctx.state, owner.userId) : undefined, 'Update device', 'Device', [
      { displayName: 'AccountEnabled', oldValue: auditValue([before]), newValue: auditValue([device.accountEnabled]) },
    ]);
  }
  return { status: 204 };
}

const APP_PROPERTIES = ['id', 'appId', 'displayName', 'passwordCredentials', 'keyCredentials', 'createdDateTime'];

/** Graph never returns a credential's secret after creation. */
function withoutSecrets(app: GraphObject): GraphObject {
  const creds = (v: unknown, field: string): GraphObject[] =>
    Array.isArray(v) ? v.map((c: GraphObject) => ({ ...c, [field]: null })) : [];
  return {
    ...app,
    passwordCredentials: creds(app.passwordCredentials, 'secretText'),
    keyCredentials: creds(app.keyCredentials, 'key'),
  };
}

function getApplication(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const app = ctx.state.applications.get(params.id ?? '');
  if (!app) return notFound(ctx, params.id ?? '');
  const select = readSelect(ctx, req, {
    contextPath: 'applications',
    defaultTop: 100,
    maxTop: 999,
    selectable: APP_PROPERTIES,
  });
  if (!select.ok) return select.response;
  const full = withoutSecrets(app);
  const body: GraphObject = {};
  for (const f of select.value ?? Object.keys(full)) body[f] = full[f] ?? null;
  const context = select.value ? `applications(${select.value.join(',')})/$entity` : 'applications/$entity';
  return entityResponse(ctx, req, context, body);
}

function ownerOf(ctx: HandlerContext, appObjectId: string): DemoUser | undefined {
  const link = ctx.state.applicationOwners.find((o) => o.appObjectId === appObjectId);
  return link ? findUser(ctx.state, link.userId) : undefined;
}

const removePasswordBody = z.object({ keyId: z.string() }).strict();

function removePassword(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const app = ctx.state.applications.get(params.id ?? '');
  if (!app) return notFound(ctx, params.id ?? '');
  const parsed = removePasswordBody.safeParse(req.body);
  if (!parsed.success) return badRequest(ctx, 'Invalid request body: keyId is required.', 'Request_BadRequest');
  const list = Array.isArray(app.passwordCredentials) ? (app.passwordCredentials as GraphObject[]) : [];
  const kept = list.filter((c) => c.keyId !== parsed.data.keyId);
  if (kept.length === list.length)
    return graphError(
      ctx,
      404,
      'Request_ResourceNotFound',
      `No password credential found with keyId '${parsed.data.keyId}'.`,
    );
  app.passwordCredentials = kept;
  audit(
    ctx,
    ownerOf(ctx, String(app.id)),
    'Update application – Certificates and secrets management ',
    'ApplicationManagement',
    [
      {
        displayName: 'KeyDescription',
        oldValue: auditValue([`[KeyIdentifier=${parsed.data.keyId}]`]),
        newValue: auditValue([]),
      },
    ],
  );
  return { status: 204 };
}

const keyCredential = z.looseObject({ keyId: z.string(), key: z.string().nullable().optional() });
const appPatch = z.object({ keyCredentials: z.array(keyCredential) }).strict();

/** PATCH of keyCredentials replaces the collection; an existing key is kept by its keyId with `key` null. */
function updateApplication(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const app = ctx.state.applications.get(params.id ?? '');
  if (!app) return notFound(ctx, params.id ?? '');
  const parsed = appPatch.safeParse(req.body);
  if (!parsed.success) {
    const key = parsed.error.issues[0]?.path.join('.') ?? '';
    return badRequest(ctx, `Invalid value or property '${key}' in the request.`, 'Request_BadRequest');
  }
  const existing = Array.isArray(app.keyCredentials) ? (app.keyCredentials as GraphObject[]) : [];
  const next: GraphObject[] = [];
  for (const k of parsed.data.keyCredentials) {
    const known = existing.find((e) => e.keyId === k.keyId);
    if (!known && !k.key) return badRequest(ctx, `Key credential '${k.keyId}' has no key value.`, 'Request_BadRequest');
    next.push(known ?? { ...k });
  }
  const removed = existing.filter((e) => !next.includes(e));
  app.keyCredentials = next;
  if (removed.length > 0)
    audit(
      ctx,
      ownerOf(ctx, String(app.id)),
      'Update application – Certificates and secrets management ',
      'ApplicationManagement',
      [
        {
          displayName: 'KeyDescription',
          oldValue: auditValue(removed.map((r) => `[KeyIdentifier=${String(r.keyId)}]`)),
          newValue: auditValue([]),
        },
      ],
    );
  return { status: 204 };
}

function ownedApplications(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const items = ctx.state.applicationOwners
      .filter((o) => o.userId === user.id)
      .flatMap((o) => {
        const app = ctx.state.applications.get(o.appObjectId);
        return app ? [{ '@odata.type': '#microsoft.graph.application', ...withoutSecrets(app) }] : [];
      });
    return pageResponse(ctx, req, items, {
      contextPath: 'applications',
      defaultTop: 100,
      maxTop: 999,
      selectable: APP_PROPERTIES,
    });
  });
}

export const persistenceWriteRoutes: Route[] = [
  {
    method: 'DELETE',
    pattern: 'oauth2PermissionGrants/:id',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: deleteGrant,
  },
  {
    method: 'DELETE',
    pattern: 'users/:id/appRoleAssignments/:assignmentId',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: deleteAssignment,
  },
  { method: 'PATCH', pattern: 'devices/:id', versions: V, throttle: 'identity', write: true, handler: updateDevice },
  { method: 'GET', pattern: 'applications/:id', versions: V, throttle: 'identity', cost: 1, handler: getApplication },
  {
    method: 'POST',
    pattern: 'applications/:id/removePassword',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: removePassword,
  },
  {
    method: 'PATCH',
    pattern: 'applications/:id',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: updateApplication,
  },
  {
    method: 'GET',
    pattern: 'users/:id/ownedObjects/microsoft.graph.application',
    versions: V,
    throttle: 'identity',
    cost: 2,
    handler: ownedApplications,
  },
];

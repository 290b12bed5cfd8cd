/**
 * The undo writes (`restore-grant`, `restore-app-role`, `restore-method`) as Graph v1.0 serves them: create a
 * delegated permission grant (oauth2permissiongrant-post), assign an app role to a user
 * (user-post-approleassignments), add a phone (authentication-post-phonemethods: one phone per type, a mobile before
 * an alternateMobile, `+{country code} {number}x{extension}`) or an email method (authentication-post-emailmethods:
 * one per user). Graph's refusals are kept: a duplicate grant is a 409, a duplicate assignment a 400. Each write leaves
 * the audit record a real tenant writes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit, auditValue, DEMO_BOT_APP } from '../audit';
import { badRequest, graphError, notFound } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import { EMAIL_METHOD_ID, PHONE_MOBILE_ID } from '../seed/methods';
import { findUser, methodsOf } from '../state';
import { withUser } from './users';

const V = ['v1.0', 'beta'] as const;

/** The fixed ids Graph gives phone methods, by type (phoneAuthenticationMethod resource). */
const PHONE_IDS: Readonly<Record<string, string>> = {
  mobile: PHONE_MOBILE_ID,
  alternateMobile: 'b6332ec1-7057-4abe-9331-3d72feddfe41',
  office: 'e37fc753-ff3b-4958-9484-eaa9425c82bc',
};

const PHONE_FORMAT = /^\+\d{1,3} \d{4,17}(x\d{1,10})?$/;

const grantBody = z.looseObject({
  clientId: z.string(),
  consentType: z.enum(['Principal', 'AllPrincipals']),
  principalId: z.string().nullable().optional(),
  resourceId: z.string(),
  scope: z.string().optional(),
});

function invalid(ctx: HandlerContext, error: z.ZodError): DemoResponse {
  const key = error.issues[0]?.path.join('.') ?? '';
  return badRequest(ctx, `Invalid value or property '${key}' in the request.`, 'Request_BadRequest');
}

function createGrant(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const parsed = grantBody.safeParse(req.body);
  if (!parsed.success) return invalid(ctx, parsed.error);
  const body = parsed.data;
  const principalId = body.principalId ?? null;
  if ((body.consentType === 'Principal') !== (principalId !== null))
    return badRequest(
      ctx,
      'principalId is required when consentType is Principal, and must be null for AllPrincipals.',
      'Request_BadRequest',
    );
  for (const sp of [body.clientId, body.resourceId]) if (!ctx.state.servicePrincipals.has(sp)) return notFound(ctx, sp);
  const principal = principalId !== null ? findUser(ctx.state, principalId) : undefined;
  if (principalId !== null && !principal) return notFound(ctx, principalId);
  const duplicate = ctx.state.permissionGrants.some(
    (g) =>
      g.clientId === body.clientId &&
      g.resourceId === body.resourceId &&
      g.consentType === body.consentType &&
      (g.principalId ?? null) === principalId,
  );
  if (duplicate)
    return graphError(ctx, 409, 'Request_MultipleObjectsWithSameKeyValue', 'Permission entry already exists.');
  const grant: GraphObject = {
    id: randomBytes(32).toString('base64url').slice(0, 43),
    clientId: body.clientId,
    consentType: body.consentType,
    principalId,
    resourceId: body.resourceId,
    scope: body.scope ?? '',
  };
  ctx.state.permissionGrants.push(grant);
  if (principal)
    appendAudit(ctx.state, {
      activityDisplayName: 'Add delegated permission grant',
      loggedByService: 'Core Directory',
      category: 'ApplicationManagement',
      operationType: 'Assign',
      at: ctx.now(),
      initiatedBy: DEMO_BOT_APP,
      target: principal,
      modifiedProperties: [
        { displayName: 'DelegatedPermissionGrant.Scope', oldValue: null, newValue: auditValue(grant.scope) },
      ],
    });
  return {
    status: 201,
    body: { '@odata.context': `${ctx.baseUrl}/${req.version}/$metadata#oauth2PermissionGrants/$entity`, ...grant },
  };
}

const assignmentBody = z.looseObject({ principalId: z.string(), resourceId: z.string(), appRoleId: z.string() });

function createAssignment(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const parsed = assignmentBody.safeParse(req.body);
    if (!parsed.success) return invalid(ctx, parsed.error);
    const body = parsed.data;
    if (body.principalId !== user.id)
      return badRequest(ctx, 'The principalId in the body does not match the user in the URL.', 'Request_BadRequest');
    const resource = ctx.state.servicePrincipals.get(body.resourceId);
    if (!resource) return notFound(ctx, body.resourceId);
    const exists = ctx.state.appRoleAssignments.some(
      (a) => a.principalId === user.id && a.resourceId === body.resourceId && a.appRoleId === body.appRoleId,
    );
    if (exists) return badRequest(ctx, 'Permission being assigned already exists on the object', 'Request_BadRequest');
    const assignment: GraphObject = {
      id: randomBytes(32).toString('base64url').slice(0, 43),
      deletedDateTime: null,
      appRoleId: body.appRoleId,
      createdDateTime: new Date(ctx.now()).toISOString(),
      principalDisplayName: user.displayName,
      principalId: user.id,
      principalType: 'User',
      resourceDisplayName: typeof resource.displayName === 'string' ? resource.displayName : null,
      resourceId: body.resourceId,
    };
    ctx.state.appRoleAssignments.push(assignment);
    appendAudit(ctx.state, {
      activityDisplayName: 'Add app role assignment grant to user',
      loggedByService: 'Core Directory',
      category: 'UserManagement',
      operationType: 'Assign',
      at: ctx.now(),
      initiatedBy: DEMO_BOT_APP,
      target: user,
    });
    return {
      status: 201,
      body: {
        '@odata.context': `${ctx.baseUrl}/${req.version}/$metadata#users('${user.id}')/appRoleAssignments/$entity`,
        ...assignment,
      },
    };
  });
}

const phoneBody = z.object({ phoneNumber: z.string(), phoneType: z.enum(['mobile', 'alternateMobile', 'office']) });
const emailBody = z.object({ emailAddress: z.string().email() });

function registered(ctx: HandlerContext, user: Parameters<typeof methodsOf>[1], what: string): void {
  ctx.state.registration.delete(user.id);
  appendAudit(ctx.state, {
    activityDisplayName: 'Admin registered security info',
    loggedByService: 'Authentication Methods',
    resultReason: `Admin registered ${what} method for user`,
    at: ctx.now(),
    initiatedBy: DEMO_BOT_APP,
    target: user,
    operationType: 'Add',
  });
}

function createPhone(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const parsed = phoneBody.safeParse(req.body);
    if (!parsed.success) return badRequest(ctx, 'Invalid phoneAuthenticationMethod payload.', 'badRequest');
    const { phoneNumber, phoneType } = parsed.data;
    if (!PHONE_FORMAT.test(phoneNumber))
      return badRequest(ctx, 'Phone number must be in the format +{country code} {number}x{extension}.', 'badRequest');
    const list = methodsOf(ctx.state, user);
    const phones = list.filter((m) => m['@odata.type'] === '#microsoft.graph.phoneAuthenticationMethod');
    if (phones.some((m) => m.phoneType === phoneType))
      return badRequest(ctx, `A phone method of type '${phoneType}' already exists for this user.`, 'badRequest');
    if (phoneType === 'alternateMobile' && !phones.some((m) => m.phoneType === 'mobile'))
      return badRequest(ctx, 'A mobile phone must exist before an alternateMobile phone is added.', 'badRequest');
    const method: GraphObject = {
      '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
      id: PHONE_IDS[phoneType] ?? randomUUID(),
      phoneNumber,
      phoneType,
      smsSignInState: 'notConfigured',
    };
    list.push(method);
    registered(ctx, user, 'phone');
    return {
      status: 201,
      body: {
        '@odata.context': `${ctx.baseUrl}/${req.version}/$metadata#users('${user.id}')/authentication/phoneMethods/$entity`,
        ...method,
      },
    };
  });
}

function createEmail(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const parsed = emailBody.safeParse(req.body);
    if (!parsed.success) return badRequest(ctx, 'Invalid emailAuthenticationMethod payload.', 'badRequest');
    const list = methodsOf(ctx.state, user);
    if (list.some((m) => m['@odata.type'] === '#microsoft.graph.emailAuthenticationMethod'))
      return badRequest(ctx, 'An email method already exists for this user.', 'badRequest');
    const method: GraphObject = {
      '@odata.type': '#microsoft.graph.emailAuthenticationMethod',
      id: EMAIL_METHOD_ID,
      emailAddress: parsed.data.emailAddress,
    };
    list.push(method);
    registered(ctx, user, 'email');
    return {
      status: 201,
      body: {
        '@odata.context': `${ctx.baseUrl}/${req.version}/$metadata#users('${user.id}')/authentication/emailMethods/$entity`,
        ...method,
      },
    };
  });
}

export const restoreWriteRoutes: Route[] = [
  {
    method: 'POST',
    pattern: 'oauth2PermissionGrants',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: createGrant,
  },
  {
    method: 'POST',
    pattern: 'users/:id/appRoleAssignments',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: createAssignment,
  },
  {
    method: 'POST',
    pattern: 'users/:id/authentication/phoneMethods',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: createPhone,
  },
  {
    method: 'POST',
    pattern: 'users/:id/authentication/emailMethods',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: createEmail,
  },
];

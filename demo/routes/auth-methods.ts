import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit, DEMO_BOT_APP } from '../audit';
import { badRequest, graphError, notFound } from '../http/graph-error';
import type { DemoRequest, DemoResponse, HandlerContext, Route } from '../http/types';
import { matchesFilter, findEquality, type FilterSupport } from '../odata/filter-eval';
import { entityResponse, lazyPageResponse, pageResponse, readFilter } from '../odata/query';
import { registrationOf } from '../registration';
import { METHOD_SEGMENTS } from '../seed/methods';
import { findUser, methodsOf, type DemoUser } from '../state';
import { withUser } from './users';

const V = ['v1.0', 'beta'] as const;

function listMethods(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    // The methods API accepts no OData query options (graph-api.md §1).
    const option = [...req.query.keys()].find((k) => k.startsWith('$'));
    if (option) return badRequest(ctx, `Query option '${option}' is not supported.`);
    return {
      status: 200,
      body: {
        '@odata.context': `${ctx.baseUrl}/${req.version}/$metadata#users('${user.id}')/authentication/methods`,
        value: methodsOf(ctx.state, user),
      },
    };
  });
}

const METHOD_LABELS: Readonly<Record<string, string>> = {
  microsoftAuthenticatorMethods: 'Authenticator App',
  phoneMethods: 'Phone',
  emailMethods: 'Email',
  fido2Methods: 'FIDO2 security key',
  softwareOathMethods: 'Software OATH token',
  windowsHelloForBusinessMethods: 'Windows Hello for Business',
  temporaryAccessPassMethods: 'temporary access pass',
  platformCredentialMethods: 'Platform Credential',
};

function segmentOf(req: DemoRequest): string | undefined {
  return Object.keys(METHOD_SEGMENTS).find((k) => k.toLowerCase() === (req.segments[3] ?? '').toLowerCase());
}

function getTyped(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    if ((params.kind ?? '').toLowerCase() === 'methods' && params.methodId !== undefined) {
      const any = methodsOf(ctx.state, user).find((m) => m.id === params.methodId);
      return any
        ? entityResponse(ctx, req, `users('${user.id}')/authentication/methods/$entity`, any)
        : notFound(ctx, params.methodId);
    }
    const segment = segmentOf(req);
    if (!segment) return badRequest(ctx, `Resource not found for the segment '${params.kind ?? ''}'.`);
    const type = METHOD_SEGMENTS[segment];
    const items = methodsOf(ctx.state, user).filter((m) => m['@odata.type'] === type);
    if (params.methodId === undefined)
      return pageResponse(ctx, req, items, {
        contextPath: `users('${user.id}')/authentication/${segment}`,
        defaultTop: 100,
        maxTop: 999,
      });
    const found = items.find((m) => m.id === params.methodId);
    return found
      ? entityResponse(ctx, req, `users('${user.id}')/authentication/${segment}/$entity`, found)
      : notFound(ctx, params.methodId);
  });
}

function deleteMethod(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const segment = segmentOf(req);
    if (!segment) return badRequest(ctx, `Resource not found for the segment '${params.kind ?? ''}'.`);
    const list = methodsOf(ctx.state, user);
    const index = list.findIndex((m) => m.id === params.methodId && m['@odata.type'] === METHOD_SEGMENTS[segment]);
    if (index < 0) return notFound(ctx, params.methodId ?? '');
    list.splice(index, 1);
    ctx.state.registration.delete(user.id);
    const label = METHOD_LABELS[segment] ?? segment;
    appendAudit(ctx.state, {
      activityDisplayName: 'Admin deleted security info',
      loggedByService: 'Authentication Methods',
      resultReason: `Admin deleted ${label} method for user`,
      at: ctx.now(),
      initiatedBy: DEMO_BOT_APP,
      target: user,
      operationType: 'Delete',
    });
    return { status: 204 };
  });
}

const tapBody = z
  .object({
    startDateTime: z.string().optional(),
    lifetimeInMinutes: z.number().int().min(10).max(43200).optional(),
    isUsableOnce: z.boolean().optional(),
  })
  .strict();

function createTap(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user: DemoUser) => {
    const parsed = tapBody.safeParse(req.body ?? {});
    if (!parsed.success) return badRequest(ctx, 'Invalid temporaryAccessPassAuthenticationMethod payload.');
    const list = methodsOf(ctx.state, user);
    if (list.some((m) => m['@odata.type'] === '#microsoft.graph.temporaryAccessPassAuthenticationMethod')) {
      return graphError(ctx, 400, 'badRequest', 'Only one temporary access pass may exist per user.');
    }
    const now = new Date(ctx.now()).toISOString();
    const pass = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x');
    const method = {
      '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethod',
      id: randomUUID(),
      temporaryAccessPass: pass,
      createdDateTime: now,
      startDateTime: parsed.data.startDateTime ?? now,
      lifetimeInMinutes: parsed.data.lifetimeInMinutes ?? 60,
      isUsableOnce: parsed.data.isUsableOnce ?? false,
      isUsable: true,
      methodUsabilityReason: 'EnabledByPolicy',
    };
    // The pass is returned once; later reads show it as null.
    list.push({ ...method, temporaryAccessPass: null });
    ctx.state.registration.delete(user.id);
    appendAudit(ctx.state, {
      activityDisplayName: 'Admin registered security info',
      loggedByService: 'Authentication Methods',
      resultReason: 'Admin registered temporary access pass method for user',
      at: ctx.now(),
      initiatedBy: DEMO_BOT_APP,
      target: user,
      operationType: 'Add',
    });
    return {
      status: 201,
      body: {
        '@odata.context': `${ctx.baseUrl}/${req.version}/$metadata#users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`,
        ...method,
      },
    };
  });
}

const REGISTRATION_FILTERS: FilterSupport = {
  id: ['eq'],
  userprincipalname: ['eq', 'startswith'],
  userdisplayname: ['eq', 'startswith'],
  usertype: ['eq'],
  isadmin: ['eq'],
  ismfacapable: ['eq'],
  ismfaregistered: ['eq'],
  ispasswordlesscapable: ['eq'],
  isssprcapable: ['eq'],
  isssprenabled: ['eq'],
  isssprregistered: ['eq'],
  issystempreferredauthenticationmethodenabled: ['eq'],
  methodsregistered: ['any'],
  'methodsregistered/$it': ['eq'],
  systempreferredauthenticationmethods: ['any'],
  'systempreferredauthenticationmethods/$it': ['eq'],
};

function listRegistration(ctx: HandlerContext, req: DemoRequest): DemoResponse {
  const filter = readFilter(ctx, req, REGISTRATION_FILTERS);
  if (!filter.ok) return filter.response;
  const node = filter.value;
  const upn = node ? (findEquality(node, 'userPrincipalName') ?? findEquality(node, 'id')) : null;
  const users =
    upn !== null ? [findUser(ctx.state, upn)].filter((u) => u !== undefined) : [...ctx.state.users.values()];
  const page = { contextPath: 'reports/authenticationMethods/userRegistrationDetails', defaultTop: 1000, maxTop: 1000 };
  // Without a filter only the requested page of rows is derived (the whole report is 51 pages at 50,000 users).
  if (!node) return lazyPageResponse(ctx, req, users, (u) => registrationOf(ctx.state, u), page);
  const rows = users.map((u) => registrationOf(ctx.state, u)).filter((row) => matchesFilter(node, row));
  return pageResponse(ctx, req, rows, page);
}

function getRegistration(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  const user = ctx.state.users.get(params.id ?? '');
  if (!user) return notFound(ctx, params.id ?? '');
  return entityResponse(
    ctx,
    req,
    'reports/authenticationMethods/userRegistrationDetails/$entity',
    registrationOf(ctx.state, user),
  );
}

export const authMethodRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'users/:id/authentication/methods',
    versions: V,
    throttle: 'identity',
    handler: listMethods,
  },
  {
    method: 'POST',
    pattern: 'users/:id/authentication/temporaryAccessPassMethods',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: createTap,
  },
  { method: 'GET', pattern: 'users/:id/authentication/:kind', versions: V, throttle: 'identity', handler: getTyped },
  {
    method: 'GET',
    pattern: 'users/:id/authentication/:kind/:methodId',
    versions: V,
    throttle: 'identity',
    handler: getTyped,
  },
  {
    method: 'DELETE',
    pattern: 'users/:id/authentication/:kind/:methodId',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: deleteMethod,
  },
  {
    method: 'GET',
    pattern: 'reports/authenticationMethods/userRegistrationDetails',
    versions: V,
    throttle: 'reports',
    handler: listRegistration,
  },
  {
    method: 'GET',
    pattern: 'reports/authenticationMethods/userRegistrationDetails/:id',
    versions: V,
    throttle: 'reports',
    handler: getRegistration,
  },
];

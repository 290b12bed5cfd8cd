import { z } from 'zod';
import { appendAudit, auditValue, DEMO_BOT_APP, includedProperties, type ModifiedProperty } from '../audit';
import { badRequest, graphError } from '../http/graph-error';
import type { DemoRequest, DemoResponse, HandlerContext, Route } from '../http/types';
import type { DemoUser } from '../state';
import { withUser } from './users';

const V = ['v1.0', 'beta'] as const;
const CORE = 'Core Directory';

/** The directory audit record a real tenant writes when an app (the bot) changes a user. */
function botWrote(
  ctx: HandlerContext,
  user: DemoUser,
  at: number,
  activityDisplayName: string,
  modifiedProperties?: ModifiedProperty[],
): void {
  appendAudit(ctx.state, {
    activityDisplayName,
    loggedByService: CORE,
    at,
    initiatedBy: DEMO_BOT_APP,
    target: user,
    ...(modifiedProperties ? { modifiedProperties } : {}),
  });
}

const userPatch = z
  .object({
    accountEnabled: z.boolean().optional(),
    passwordProfile: z
      .object({
        password: z.string().optional(),
        forceChangePasswordNextSignIn: z.boolean().optional(),
        forceChangePasswordNextSignInWithMfa: z.boolean().optional(),
      })
      .strict()
      .optional(),
    displayName: z.string().min(1).optional(),
    jobTitle: z.string().nullable().optional(),
    department: z.string().nullable().optional(),
    usageLocation: z.string().nullable().optional(),
  })
  .strict();

/** Entra's default password rule: 8 to 256 characters, three of lower, upper, digit, symbol. */
function isComplex(password: string): boolean {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  return password.length >= 8 && password.length <= 256 && classes >= 3;
}

function updateUser(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const parsed = userPatch.safeParse(req.body);
    if (!parsed.success) {
      const key = parsed.error.issues[0]?.path.join('.') ?? '';
      return badRequest(ctx, `Invalid value or property '${key}' in the request.`, 'Request_BadRequest');
    }
    const patch = parsed.data;
    const password = patch.passwordProfile?.password;
    if (password !== undefined && !isComplex(password)) {
      return graphError(
        ctx,
        400,
        'Request_BadRequest',
        'The specified password does not comply with password complexity requirements. Please provide a different password.',
      );
    }
    const now = ctx.now();
    const changed: ModifiedProperty[] = [];
    if (patch.accountEnabled !== undefined && patch.accountEnabled !== user.accountEnabled) {
      changed.push({
        displayName: 'AccountEnabled',
        oldValue: auditValue([user.accountEnabled]),
        newValue: auditValue([patch.accountEnabled]),
      });
      user.accountEnabled = patch.accountEnabled;
    }
    for (const key of ['displayName', 'jobTitle', 'department', 'usageLocation'] as const) {
      const value = patch[key];
      if (value === undefined || value === user[key]) continue;
      changed.push({
        displayName: key.charAt(0).toUpperCase() + key.slice(1),
        oldValue: auditValue([user[key]]),
        newValue: auditValue([value]),
      });
      if (key === 'displayName') user.displayName = value ?? user.displayName;
      else user[key] = value;
    }
    if (changed.length > 0) {
      botWrote(ctx, user, now, 'Update user', [...changed, includedProperties(changed.map((c) => c.displayName))]);
      const enabled = changed.find((c) => c.displayName === 'AccountEnabled');
      if (enabled) {
        botWrote(ctx, user, now, user.accountEnabled ? 'Enable account' : 'Disable account', [enabled]);
      }
    }
    if (password !== undefined) {
      user.lastPasswordChangeDateTime = new Date(now).toISOString();
      botWrote(ctx, user, now, 'Reset user password');
    } else if (patch.passwordProfile !== undefined) {
      botWrote(ctx, user, now, 'Update user', [includedProperties(['PasswordPolicies'])]);
    }
    return { status: 204 };
  });
}

function revokeSessions(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const now = ctx.now();
    const previous = user.signInSessionsValidFromDateTime;
    user.signInSessionsValidFromDateTime = new Date(now).toISOString();
    botWrote(ctx, user, now, 'Update user', [
      {
        displayName: 'StsRefreshTokensValidFrom',
        oldValue: auditValue([previous]),
        newValue: auditValue([user.signInSessionsValidFromDateTime]),
      },
      includedProperties(['StsRefreshTokensValidFrom']),
    ]);
    return {
      status: 200,
      body: { '@odata.context': `${ctx.baseUrl}/${req.version}/$metadata#Edm.Boolean`, value: true },
    };
  });
}

export const userWriteRoutes: Route[] = [
  { method: 'PATCH', pattern: 'users/:id', versions: V, throttle: 'identity', write: true, handler: updateUser },
  {
    method: 'POST',
    pattern: 'users/:id/revokeSignInSessions',
    versions: V,
    throttle: 'identity',
    write: true,
    handler: revokeSessions,
  },
];

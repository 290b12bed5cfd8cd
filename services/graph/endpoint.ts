/**
 * How a Graph call is declared: its name, path template, parser, throttling class, least-privileged permission and
 * version, in one literal (endpoints.ts for reads, writes.ts for writes). Services ask for a named read with typed
 * parameters; the path is built here with odata.ts's escaping, never by hand.
 */
import type { z } from 'zod';
import { CodedError } from '../errors';
import type { UserRef } from '../ids';
import type { ThrottleClass } from './classify';
import { encodeRfc3986, userPath, withQuery, type QueryOptions } from './odata';
import { collectionSchema } from './schemas/collection';

/** The application permissions the bot's calls need, least privileged first (graph-api.md §0). */
export type Permission =
  | 'User.Read.All'
  | 'GroupMember.Read.All'
  | 'LicenseAssignment.Read.All'
  | 'UserAuthenticationMethod.Read.All'
  | 'AuditLog.Read.All'
  | 'Directory.Read.All'
  | 'Policy.Read.All'
  | 'IdentityRiskyUser.Read.All'
  | 'RoleManagement.Read.Directory'
  | 'RoleEligibilitySchedule.Read.Directory'
  | 'MailboxSettings.Read'
  | 'Mail.ReadBasic.All'
  | 'Organization.Read.All'
  | 'SecurityEvents.Read.All'
  | 'Application.Read.All'
  | 'User.RevokeSessions.All'
  | 'User.EnableDisableAccount.All'
  | 'User-PasswordProfile.ReadWrite.All'
  | 'UserAuthenticationMethod.ReadWrite.All'
  | 'MailboxSettings.ReadWrite'
  | 'Device.Read.All'
  | 'DelegatedPermissionGrant.ReadWrite.All'
  | 'AppRoleAssignment.ReadWrite.All'
  | 'Device.ReadWrite.All'
  | 'Application.ReadWrite.All'
  | 'TeamsAppInstallation.ReadWriteSelfForUser.All';

export type GraphVersion = 'v1.0' | 'beta';

/** What every declaration states, for the client, the error mapper and the README's permission table. */
export interface Declaration {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Version-relative path with `{param}` holes; `/users/{user}` takes a UserRef (id, UPN, or the `$` key form). */
  readonly template: string;
  readonly version: GraphVersion;
  readonly throttle: ThrottleClass;
  /** Every one of these is needed (Graph's documented least-privileged set). */
  readonly permissions: readonly Permission[];
  /** What the bot uses it for, as the README's table says it. */
  readonly purpose: string;
  /** Licence or role the tenant needs besides the permission. */
  readonly note?: string;
}

// `{a}/x/{b}` → 'a' | 'b'.
type Holes<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | Holes<Rest> : never;

/** The path parameters a template asks for: a UserRef for `{user}`, a string for any other hole. */
export type PathParams<T extends string> = { readonly [K in Holes<T>]: K extends 'user' ? UserRef : string };

/** A declared read with its path bound: what readOne/readAll/readBatch send. */
export interface BoundRead<T> {
  readonly endpoint: ReadEndpoint<never, T>;
  readonly path: string;
  readonly body?: unknown;
}

/** A read declaration; `at(params)` binds it to one request. */
export interface ReadEndpoint<P, T> extends Declaration {
  readonly method: 'GET' | 'POST';
  readonly schema: z.ZodType<T>;
  /** The item parser when the reply is a paged collection (readAll follows `@odata.nextLink`). */
  readonly item?: z.ZodType;
  /** Headers Graph requires for this read (ConsistencyLevel for `$count`). */
  readonly headers?: Readonly<Record<string, string>>;
  at(params: P): BoundRead<T>;
}

/** Fill a template: `/users/{user}` through userPath (its key form for `$` UPNs), other holes RFC 3986-encoded. */
export function fillTemplate(template: string, params: Readonly<Record<string, unknown>>): string {
  const withUser = template.startsWith('/users/{user}')
    ? `${userPath(params.user as UserRef)}${template.slice('/users/{user}'.length)}`
    : template;
  return withUser.replace(/\{(\w+)\}/g, (_, key: string) => encodeRfc3986(String(params[key])));
}

type ReadSpec<T extends string, Q> = Omit<Declaration, 'method' | 'template' | 'version'> & {
  readonly template: T;
  readonly method?: 'GET' | 'POST';
  readonly version?: GraphVersion;
  readonly headers?: Readonly<Record<string, string>>;
  /** Query options from the caller's parameters (filters quote their values with odataString). */
  readonly query?: (params: Q) => QueryOptions;
  /** The body of a read-only POST (checkMemberGroups). */
  readonly body?: (params: Q) => unknown;
};

function bind<T extends string, Q, V>(
  spec: ReadSpec<T, Q>,
  schema: z.ZodType<V>,
  item?: z.ZodType,
): ReadEndpoint<PathParams<T> & Q, V> {
  const endpoint: ReadEndpoint<PathParams<T> & Q, V> = {
    name: spec.name,
    method: spec.method ?? 'GET',
    template: spec.template,
    version: spec.version ?? 'v1.0',
    throttle: spec.throttle,
    permissions: spec.permissions,
    purpose: spec.purpose,
    ...(spec.note ? { note: spec.note } : {}),
    ...(spec.headers ? { headers: spec.headers } : {}),
    schema,
    ...(item ? { item } : {}),
    at(params) {
      const path = fillTemplate(spec.template, params);
      return {
        endpoint,
        path: spec.query ? withQuery(path, spec.query(params)) : path,
        ...(spec.body ? { body: spec.body(params) } : {}),
      };
    },
  };
  return endpoint;
}

/** Declare a read of one resource parsed by `schema`. */
export function defineRead<const T extends string, S extends z.ZodType, Q = unknown>(
  spec: ReadSpec<T, Q> & { schema: S },
): ReadEndpoint<PathParams<T> & Q, z.infer<S>> {
  return bind(spec, spec.schema as z.ZodType<z.infer<S>>);
}

/** Declare a read of a paged collection of `item`s (its reply is `{ value, @odata.nextLink }`). */
export function defineCollection<const T extends string, I extends z.ZodType, Q = unknown>(
  spec: ReadSpec<T, Q> & { item: I },
) {
  const page = collectionSchema(spec.item);
  return bind<T, Q, z.infer<typeof page>>(spec, page, spec.item);
}

/** A write, declared for its permission and throttling class (the approval flow's adapter sends it). */
export interface WriteDeclaration extends Declaration {
  readonly method: 'POST' | 'PATCH' | 'DELETE';
}

export function defineWrite(spec: Omit<WriteDeclaration, 'version'> & { version?: GraphVersion }): WriteDeclaration {
  return { ...spec, version: spec.version ?? 'v1.0' };
}

/** The permissions as Graph's 403 hint and the README write them: `A + B`. */
export function permissionText(declaration: Pick<Declaration, 'permissions'>): string {
  return declaration.permissions.join(' + ');
}

const SEGMENT = '[^/]+';

/** Whether a version-relative path (query ignored) is an instance of the template (`{user}` also in its key form). */
export function matchesTemplate(template: string, path: string): boolean {
  const bare = path.split('?')[0] ?? path;
  const pattern = template
    .split(/(\{\w+\})/)
    .map((part) => (part.startsWith('{') ? SEGMENT : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('')
    .replace(/^\/users\/\[\^\/\]\+/, `/users(?:/${SEGMENT}|\\('[^/]*'\\))`);
  return new RegExp(`^${pattern}$`, 'i').test(bare);
}

/**
 * The row a `$filter` on a unique user property (userPrincipalName) returns, or null for none. More than one means
 * the filter did not match literally (row 11) or the directory is inconsistent: refuse and name the candidates
 * rather than answer about whichever user Graph listed first.
 */
export function onlyMatch<T extends { userPrincipalName?: string | null }>(
  rows: readonly T[],
  lookup: string,
): T | null {
  if (rows.length <= 1) return rows[0] ?? null;
  throw new CodedError('user_ambiguous', `${rows.length} users match the ${lookup} look-up`, {
    lookup,
    count: rows.length,
    candidates: rows.slice(0, 10).map((r) => r.userPrincipalName ?? '(no UPN)'),
  });
}

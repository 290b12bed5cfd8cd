/** Which throttling budget a Graph request counts against, and what it costs there (graph-api.md §13). */
export type ThrottleClass = 'reports' | 'identity' | 'outlook' | 'identityProtection' | 'other';

/** Fixed acquisition order so a batch that needs several classes cannot deadlock with another batch. */
export const throttleClassOrder: readonly ThrottleClass[] = [
  'reports',
  'identityProtection',
  'identity',
  'outlook',
  'other',
];

export interface Classification {
  throttleClass: ThrottleClass;
  /** Resource units for the identity bucket; 1 for every other class. */
  cost: number;
}

const IDENTITY_ROOTS = new Set([
  'users',
  'groups',
  'directoryobjects',
  'organization',
  'policies',
  'directoryroles',
  'domains',
  'me',
  // Directory objects of the identity & access service too (graph-api.md §13): apps, grants, devices.
  'applications',
  'serviceprincipals',
  'oauth2permissiongrants',
  'devices',
]);
const OUTLOOK_SEGMENTS = new Set(['mailfolders', 'messages', 'mailboxsettings', 'messagerules']);

/** Split a version-relative path (`/users/x/memberOf?$select=id`) into lower-cased segments and its query. */
function splitPath(path: string): { segments: string[]; query: URLSearchParams } {
  const q = path.indexOf('?');
  const pathPart = q === -1 ? path : path.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : path.slice(q + 1));
  const segments = pathPart
    .split('/')
    .filter((s) => s.length > 0)
    .map((s) => s.toLowerCase());
  return { segments, query };
}

/** Classify a request by its version-relative path and method. */
export function classifyRequest(method: string, path: string): Classification {
  const { segments, query } = splitPath(path);
  const root = segments[0] ?? '';
  if (root === 'auditlogs' || root === 'reports') return { throttleClass: 'reports', cost: 1 };
  if (root === 'identityprotection' || (root === 'identity' && segments[1] === 'conditionalaccess')) {
    return { throttleClass: 'identityProtection', cost: 1 };
  }
  if (segments.some((s) => OUTLOOK_SEGMENTS.has(s))) return { throttleClass: 'outlook', cost: 1 };
  // /users/{id}/teamwork/…: the Teams service's own limits, not the directory's.
  if (segments[0] === 'users' && segments[2] === 'teamwork') return { throttleClass: 'other', cost: 1 };
  if (IDENTITY_ROOTS.has(root)) return { throttleClass: 'identity', cost: identityCost(method, segments, query) };
  return { throttleClass: 'other', cost: 1 };
}

function identityCost(method: string, segments: string[], query: URLSearchParams): number {
  const last = segments[segments.length - 1] ?? '';
  let cost = 1;
  if (last === 'checkmembergroups' || last === 'checkmemberobjects') cost = 4;
  else if (segments[0] === 'groups' && last === 'transitivemembers') cost = 5;
  else if (last === 'licensedetails' || last === 'memberof' || last === 'transitivememberof') cost = 2;
  else if (method.toUpperCase() === 'GET' && segments[0] === 'users' && segments.length <= 2) cost = 2;
  if (method.toUpperCase() === 'GET') {
    if (query.has('$select')) cost -= 1;
    const top = Number(query.get('$top') ?? Number.NaN);
    if (Number.isFinite(top) && top < 20) cost -= 1;
    if (query.has('$expand')) cost += 1;
  }
  return Math.max(1, cost);
}

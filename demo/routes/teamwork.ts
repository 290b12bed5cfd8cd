/**
 * Teams apps in a user's personal scope (Graph v1.0 userTeamwork): list the installations, install the bot's app
 * (`teamsApp@odata.bind` to the org catalog), and read the 1:1 chat of an installation. The chat of the Playground's
 * current user is the Playground's personal chat (demo/start.ts tells the tenant its id); other users get a chat id in
 * Teams' shape that the Playground does not know.
 */
import { Buffer } from 'node:buffer';
import { DEMO_BOT_ID } from '../constants';
import { DEMO_TEAMS_APP_CATALOG_ID } from '../../bot/demo-defaults';
import { badRequest, graphError } from '../http/graph-error';
import type { DemoRequest, DemoResponse, GraphObject, HandlerContext, Route } from '../http/types';
import type { DemoState, DemoUser } from '../state';
import { withUser } from './users';

const V = ['v1.0', 'beta'] as const;
const CATALOG = /\/appCatalogs\/teamsApps\/([^/?#]+)$/;

/** The app in the org catalog, as `$expand=teamsApp` shows it. */
function teamsApp(id: string): GraphObject {
  return { id, externalId: 'secops-bot-manifest', displayName: 'SecOps Bot', distributionMethod: 'organization' };
}

function installationId(user: DemoUser, appId: string): string {
  return Buffer.from(`${user.id}##${appId}`).toString('base64url');
}

/** The bot's chat with the user: the one registered for them (the Playground's), else a Teams-shaped 1:1 id. */
export function chatIdOf(state: DemoState, user: DemoUser): string {
  return state.teamsChats.get(user.id) ?? `19:${user.id}_${DEMO_BOT_ID}@unq.gbl.spaces`;
}

function listInstalled(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const filter = req.query.get('$filter');
    const wanted = filter === null ? null : /^teamsApp\/id eq '([^']*)'$/.exec(filter.trim())?.[1];
    if (wanted === undefined) return badRequest(ctx, `Invalid filter clause: ${filter ?? ''}`);
    const expand = (req.query.get('$expand') ?? '').split(',').includes('teamsApp');
    const value = [...(ctx.state.teamsInstallations.get(user.id) ?? [])]
      .filter((appId) => wanted === null || appId === wanted)
      .map((appId) => ({ id: installationId(user, appId), ...(expand ? { teamsApp: teamsApp(appId) } : {}) }));
    return {
      status: 200,
      body: {
        '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users('${user.id}')/teamwork/installedApps`,
        value,
      },
    };
  });
}

function install(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const bind = (req.body as Record<string, unknown> | null)?.['teamsApp@odata.bind'];
    const appId = typeof bind === 'string' ? CATALOG.exec(bind)?.[1] : undefined;
    if (!appId) return badRequest(ctx, 'teamsApp@odata.bind must reference an app of the app catalog.');
    if (decodeURIComponent(appId) !== DEMO_TEAMS_APP_CATALOG_ID)
      return graphError(ctx, 404, 'NotFound', 'The app was not found in the catalog.');
    const installed = ctx.state.teamsInstallations.get(user.id) ?? new Set<string>();
    if (installed.has(DEMO_TEAMS_APP_CATALOG_ID))
      return graphError(ctx, 409, 'Conflict', 'App is already installed for this user.');
    installed.add(DEMO_TEAMS_APP_CATALOG_ID);
    ctx.state.teamsInstallations.set(user.id, installed);
    return { status: 201 };
  });
}

function chatOf(ctx: HandlerContext, _req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withUser(ctx, params.id ?? '', (user) => {
    const installed = [...(ctx.state.teamsInstallations.get(user.id) ?? [])];
    if (!installed.some((appId) => installationId(user, appId) === params.installation))
      return graphError(ctx, 404, 'NotFound', 'The app installation was not found.');
    return {
      status: 200,
      body: {
        '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#chats/$entity`,
        id: chatIdOf(ctx.state, user),
        topic: null,
        createdDateTime: new Date(ctx.state.startedAt).toISOString(),
        lastUpdatedDateTime: new Date(ctx.now()).toISOString(),
        chatType: 'oneOnOne',
        webUrl: null,
        tenantId: ctx.state.tenantId,
      },
    };
  });
}

export const teamworkRoutes: Route[] = [
  {
    method: 'GET',
    pattern: 'users/:id/teamwork/installedApps',
    versions: V,
    throttle: 'teams',
    handler: listInstalled,
  },
  {
    method: 'POST',
    pattern: 'users/:id/teamwork/installedApps',
    versions: V,
    throttle: 'teams',
    write: true,
    handler: install,
  },
  {
    method: 'GET',
    pattern: 'users/:id/teamwork/installedApps/:installation/chat',
    versions: V,
    throttle: 'teams',
    handler: chatOf,
  },
];

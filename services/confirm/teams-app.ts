/**
 * The 1:1 chat of the bot with a user who never wrote to it: install the app in the user's personal scope (Graph
 * `POST /users/{id}/teamwork/installedApps`, TeamsAppInstallation.ReadWriteSelfForUser.All) if it is not installed,
 * then read the chat of that installation. Its id is the conversation id the Bot Connector accepts.
 */
import { CodedError, isCodedError } from '../errors';
import type { GraphClient } from '../graph/client';
import { permissionText } from '../graph/endpoint';
import { endpoints } from '../graph/endpoints';
import { userPath } from '../graph/odata';
import { readAll, readOne } from '../graph/read';
import { writes } from '../graph/writes';
import type { UserId } from '../ids';

const GRAPH_ROOT = 'https://graph.microsoft.com/v1.0';

/** The chat id of the bot's personal chat with the user, installing the app for them first when needed. */
export async function installedAppChat(
  graph: GraphClient,
  userId: string,
  catalogAppId: string,
): Promise<{ chatId: string; installed: boolean }> {
  const user = { kind: 'id', id: userId as UserId } as const;
  const find = async () =>
    (
      await readAll(graph, endpoints.userInstalledApp.at({ user, teamsAppId: catalogAppId }), {
        priority: 'background',
        maxPages: 1,
      })
    ).items[0];
  let installation = await find();
  let installed = false;
  if (!installation) {
    try {
      await graph.request({
        method: 'POST',
        path: `${userPath(user)}/teamwork/installedApps`,
        body: { 'teamsApp@odata.bind': `${GRAPH_ROOT}/appCatalogs/teamsApps/${encodeURIComponent(catalogAppId)}` },
        permission: permissionText(writes.installAppForUser),
        throttleClass: writes.installAppForUser.throttle,
        priority: 'background',
      });
      installed = true;
    } catch (error) {
      // 409: installed meanwhile (another instance, or the user); the read below finds it. Anything else is thrown.
      if (!(isCodedError(error) && error.details.status === 409)) throw error;
    }
    installation = await find();
  }
  if (!installation)
    throw new CodedError('unexpected_response', 'the app installation is not listed after installing it', {});
  const chat = await readOne(graph, endpoints.installedAppChat.at({ user, installation: installation.id }), {
    priority: 'background',
  });
  return { chatId: chat.id, installed };
}

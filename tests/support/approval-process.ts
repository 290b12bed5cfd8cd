import { DEMO_BOT_ID, DEMO_TENANT_ID, type PLAYGROUND_USERS } from '../../demo/constants';
import type { DemoTenant } from '../../demo/server';
import { postActivity, startBotProcess, type BotProcess } from './bot-process';
import type { FakeConnector } from './fake-connector';

type PlaygroundUser = (typeof PLAYGROUND_USERS)[number];

/** The group chat the approval tests designate as the approvals conversation. */
export const APPROVALS_GROUP = {
  id: 'group-approvals',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId: DEMO_TENANT_ID,
};

/**
 * bot/main.ts under tsx, demo mode, against `tenant`, on `storageUrl` (shared by the instances of one test);
 * `storageEnv`: the settings that go with it (AZURE_STORAGE_CONNECTION_STRING for azure-blob:).
 */
export function startBot(
  tenant: DemoTenant,
  storageUrl: string,
  storageEnv: Record<string, string> = {},
): Promise<BotProcess> {
  return startBotProcess({
    args: ['--import', 'tsx', 'bot/main.ts'],
    env: { GRAPH_BASE_URL: tenant.url, LOGIN_BASE_URL: tenant.url, ...storageEnv, STORAGE_URL: storageUrl },
    timeoutMs: 60_000,
  });
}

/** A Teams activity from `user`, in the approvals group chat or in their personal chat, via the fake connector. */
export function activity(
  connector: FakeConnector,
  user: PlaygroundUser,
  where: 'group' | 'personal',
  extra: Record<string, unknown>,
): Record<string, unknown> {
  return {
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    id: `act-${Math.random().toString(16).slice(2)}`,
    from: { id: user.playgroundId, name: user.displayName, aadObjectId: user.aadObjectId },
    recipient: { id: DEMO_BOT_ID, name: 'SecOps Bot' },
    conversation:
      where === 'group'
        ? APPROVALS_GROUP
        : { id: `personal-${user.playgroundId}`, conversationType: 'personal', tenantId: DEMO_TENANT_ID },
    channelData: { tenant: { id: DEMO_TENANT_ID } },
    ...extra,
  };
}

/** An Approve click on the card of `data` by `user` (an adaptiveCard/action invoke). */
export function approveInvoke(
  connector: FakeConnector,
  user: PlaygroundUser,
  data: { requestId: string; hash: string },
): Record<string, unknown> {
  return activity(connector, user, 'group', {
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: 'reply-2',
    value: { action: { type: 'Action.Execute', verb: 'approval.approve', data } },
  });
}

/** POSTs an activity; resolves with the HTTP answer and how long it took. */
export async function send(
  bot: BotProcess,
  body: Record<string, unknown>,
): Promise<{ status: number; body: string; ms: number }> {
  const started = Date.now();
  const res = await postActivity(bot.url, body);
  return { status: res.status, body: await res.text(), ms: Date.now() - started };
}

/** The approval cards the connector received and answered, with the request id and hash their buttons carry. */
export function postedApprovalCards(connector: FakeConnector): { requestId: string; hash: string; path: string }[] {
  return connector.requests.flatMap((r) => {
    if (r.method !== 'POST' || r.status !== 200) return [];
    const match = /"verb":"approval\.approve","requestId":"([^"]+)","hash":"([0-9a-f]{64})"/.exec(
      JSON.stringify(r.body),
    );
    return match ? [{ requestId: match[1] ?? '', hash: match[2] ?? '', path: r.path }] : [];
  });
}

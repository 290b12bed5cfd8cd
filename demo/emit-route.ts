import { demoScenarioSchema } from '../services/alerts/demo-emitter';
import { emitScenario } from './emit-scenarios';
import type { DemoResponse } from './http/types';
import { findUser, type DemoState } from './state';

/**
 * `POST /_demo/teams-chat?user={upn}&chat={id}`: the bot's 1:1 chat with that user is this chat (demo/start.ts
 * registers the Playground's personal chat for its current user), so installing the app for them leads there.
 */
function registerChat(state: DemoState, method: string, query: URLSearchParams): DemoResponse {
  if (method !== 'POST') return { status: 405, body: { error: { code: 'MethodNotAllowed', message: 'Use POST.' } } };
  const user = findUser(state, query.get('user') ?? '');
  const chat = query.get('chat') ?? '';
  if (!user || chat === '' || chat.length > 300)
    return {
      status: 400,
      body: { error: { code: 'BadRequest', message: 'Give user (a demo user) and chat (an id).' } },
    };
  state.teamsChats.set(user.id, chat);
  return { status: 200, body: { user: user.userPrincipalName, chat } };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * `POST /_demo/emit/{scenario}`: demo-only control endpoint that makes a scenario happen now. Not Graph; answered
 * only to loopback callers (and, like Graph paths, only with the token when the tenant requires one).
 */
export function handleDemoControl(
  state: DemoState,
  method: string,
  segments: readonly string[],
  remoteAddress: string | undefined,
  now: number,
  query: URLSearchParams = new URLSearchParams(),
): DemoResponse {
  if (!LOOPBACK.has(remoteAddress ?? ''))
    return { status: 404, body: { error: { code: 'NotFound', message: 'Not found.' } } };
  if (segments[1] === 'teams-chat' && segments.length === 2) return registerChat(state, method, query);
  if (segments[1] !== 'emit' || segments.length !== 3) {
    return { status: 404, body: { error: { code: 'NotFound', message: 'Unknown demo control path.' } } };
  }
  if (method !== 'POST') return { status: 405, body: { error: { code: 'MethodNotAllowed', message: 'Use POST.' } } };
  const scenario = demoScenarioSchema.safeParse(segments[2]);
  if (!scenario.success) {
    return {
      status: 400,
      body: {
        error: { code: 'BadRequest', message: `Unknown scenario. Known: ${demoScenarioSchema.options.join(', ')}` },
      },
    };
  }
  const user = query.get('user') ?? undefined;
  if (user !== undefined && !findUser(state, user))
    return { status: 404, body: { error: { code: 'NotFound', message: 'No such demo user.' } } };
  return { status: 200, body: emitScenario(state, scenario.data, now, user) };
}

import { demoScenarioSchema } from '../services/alerts/demo-emitter';
import { emitScenario } from './emit-scenarios';
import type { DemoResponse } from './http/types';
import type { DemoState } from './state';

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
): DemoResponse {
  if (!LOOPBACK.has(remoteAddress ?? ''))
    return { status: 404, body: { error: { code: 'NotFound', message: 'Not found.' } } };
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
  return { status: 200, body: emitScenario(state, scenario.data, now) };
}

import { z } from 'zod';
import { CodedError } from '../errors';

/** The demo tenant's on-demand scenarios (POST /_demo/emit/{scenario}). */
export const DEMO_ALERT_SCENARIOS = [
  'security-info-registered',
  'stalled-registration',
  'sspr-contact-admin',
  'external-forwarding-rule',
  'risky-user',
  'consent-granted',
  'device-registered',
] as const;

export type DemoAlertScenario = (typeof DEMO_ALERT_SCENARIOS)[number];

export const demoScenarioSchema = z.enum(DEMO_ALERT_SCENARIOS);

/** What the demo tenant did. */
export interface EmitResult {
  scenario: DemoAlertScenario;
  user: string;
  records: number;
}

const resultSchema = z.object({ scenario: demoScenarioSchema, user: z.string(), records: z.number() });

/** Makes a scenario happen in the demo tenant (demo mode only). */
export interface DemoEmitter {
  /** `user` (a UPN) makes it happen to that user instead of the scenario's own (not for the watched-mailbox rule). */
  emit(scenario: DemoAlertScenario, user?: string): Promise<EmitResult>;
}

/** The emitter over HTTP; the demo tenant serves it on loopback only. */
export function createDemoEmitter(options: { baseUrl: string; token: string; fetch?: typeof fetch }): DemoEmitter {
  const doFetch = options.fetch ?? fetch;
  return {
    async emit(scenario, user) {
      const url = new URL(`/_demo/emit/${scenario}`, options.baseUrl);
      if (user) url.searchParams.set('user', user);
      const res = await doFetch(url, { method: 'POST', headers: { authorization: `Bearer ${options.token}` } });
      const body: unknown = await res.json().catch(() => null);
      const parsed = resultSchema.safeParse(body);
      if (!res.ok || !parsed.success) {
        throw new CodedError('graph_unavailable', `the demo tenant answered ${res.status} to emit ${scenario}`, {
          status: res.status,
        });
      }
      return parsed.data;
    },
  };
}

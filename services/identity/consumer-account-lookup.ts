/** The consumer-account look-up at LOGIN_BASE_URL: GetCredentialType and userrealm, unauthenticated, with timeouts and a cache. */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import {
  credentialTypeSchema,
  judgeConsumerAccount,
  userRealmSchema,
  type ConsumerAccountCheck,
  type LookupResult,
} from './consumer-account';
import type { z } from 'zod';

/** The slice of fetch this needs (injected, so tests use a local server and nothing is patched globally). */
export type LoginFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface ConsumerAccountLookupOptions {
  /** config.loginBaseUrl: https://login.microsoftonline.com, or the demo tenant. */
  baseUrl: string;
  clock: Clock;
  logger: Logger;
  fetch?: LoginFetch;
  timeoutMs?: number;
  /** How long a definite answer is reused: the endpoint is rate-limited and abused for enumeration, so ask rarely. */
  cacheMs?: number;
}

export interface ConsumerAccountLookup {
  check(address: string): Promise<ConsumerAccountCheck & { cached: boolean }>;
}

const MAX_CACHE = 1_000;

export function createConsumerAccountLookup(options: ConsumerAccountLookupOptions): ConsumerAccountLookup {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5_000;
  const cacheMs = options.cacheMs ?? 3600_000;
  const doFetch: LoginFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const cache = new Map<string, { at: number; value: ConsumerAccountCheck }>();

  async function call<T extends z.ZodType>(
    url: string,
    init: { method: string; headers: Record<string, string>; body?: string },
    schema: T,
  ): Promise<LookupResult<z.infer<T>>> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timeout')), timeoutMs);
    try {
      const res = await doFetch(url, { ...init, signal: controller.signal });
      const body = await res.text();
      if (res.status < 200 || res.status >= 300) return { kind: 'failed', reason: 'http', status: res.status };
      let json: unknown;
      try {
        json = JSON.parse(body) as unknown;
      } catch {
        return { kind: 'failed', reason: 'shape' };
      }
      const parsed = schema.safeParse(json);
      return parsed.success ? { kind: 'ok', value: parsed.data } : { kind: 'failed', reason: 'shape' };
    } catch (error) {
      const reason = controller.signal.aborted ? 'timeout' : 'network';
      options.logger.warn({ err: error, reason }, 'consumer-account look-up failed');
      return { kind: 'failed', reason };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async check(address) {
      const key = address.trim().toLowerCase();
      const hit = cache.get(key);
      if (hit && options.clock.now() - hit.at < cacheMs) return { ...hit.value, cached: true };
      const [credential, realm] = await Promise.all([
        call(
          `${base}/common/GetCredentialType`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ username: key, isOtherIdpSupported: true }),
          },
          credentialTypeSchema,
        ),
        call(
          `${base}/common/userrealm?api-version=2.1&user=${encodeURIComponent(key)}`,
          { method: 'GET', headers: { accept: 'application/json' } },
          userRealmSchema,
        ),
      ]);
      const value = judgeConsumerAccount(key, credential, realm);
      // "Can't tell" is not cached: throttling passes, and the next ask should try again.
      if (value.verdict.kind !== 'cant-tell') {
        if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value ?? '');
        cache.set(key, { at: options.clock.now(), value });
      }
      return { ...value, cached: false };
    },
  };
}

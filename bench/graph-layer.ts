import { Client } from '@microsoft/microsoft-graph-client';
import { startDemoTenant } from '../demo/server';
import type { Upn } from '../services/ids';
import { batch } from '../services/graph/batch';
import type { BatchItem } from '../services/graph/batch';
import { createGraphClient } from '../services/graph/client';
import { createUserResolver } from '../services/graph/user-resolver';
import { systemClock } from '../services/clock';
import { median, timed } from './timing';

/** Numbers the Graph-layer benchmark reports (ms unless named otherwise). */
export interface GraphLayerBenchResult {
  latencyMs: number;
  roundTripMs: number;
  batchedMs: number;
  sequentialSdkMs: number;
  batchedVsRoundTrip: number;
  sequentialVsBatched: number;
  sweepRequests: number;
  sweepMs: number;
  sweepFloorMs: number;
  sweepVsFloor: number;
  sweepThrottled: number;
}

/**
 * A question that needs 6 independent reads: one `$batch` through our client vs the plain SDK awaiting each GET
 * in turn; then N Outlook-class reads under the 4-concurrent limit vs the floor N × latency / 4.
 */
export async function run(
  opts: { latencyMs?: number; sweepRequests?: number; repeats?: number } = {},
): Promise<GraphLayerBenchResult> {
  const latencyMs = opts.latencyMs ?? 100;
  const sweepRequests = opts.sweepRequests ?? 5_000;
  const repeats = opts.repeats ?? 7;
  const demo = await startDemoTenant({ port: 0, latencyMs });
  try {
    const client = createGraphClient({ baseUrl: demo.url, credential: { kind: 'static', token: 'bench' } });
    const resolver = createUserResolver({ client, clock: systemClock });
    const sdk = Client.init({
      baseUrl: `${demo.url}/`,
      defaultVersion: 'v1.0',
      authProvider: (done) => done(null, 'bench'),
    });
    const id = await resolver.resolve({ kind: 'upn', upn: 'forwarder@example.com' as Upn });
    const paths = [
      `/users/${id}?$select=id,displayName,userPrincipalName,accountEnabled`,
      `/users/${id}/memberOf`,
      `/users/${id}/licenseDetails`,
      `/users/${id}/authentication/methods`,
      `/users/${id}/mailFolders/inbox/messageRules`,
      '/policies/authorizationPolicy',
    ];
    const items: BatchItem[] = paths.map((url, i) => ({ id: String(i + 1), method: 'GET', url }));

    const roundTrips: number[] = [];
    const batched: number[] = [];
    const sequential: number[] = [];
    for (let i = 0; i < repeats; i += 1) {
      roundTrips.push(await timed(() => client.request({ method: 'GET', path: '/organization?$select=id' })));
      batched.push(
        await timed(async () => {
          const results = await batch(client, items);
          for (const r of results.values()) if (r.status !== 200) throw new Error(`batch item answered ${r.status}`);
        }),
      );
      sequential.push(
        await timed(async () => {
          for (const p of paths) await sdk.api(p).get();
        }),
      );
    }

    const users = ['alexw', 'meganb', 'adelev', 'forwarder', 'hider', 'markdown', 'quiet.user', 'mfatest1'];
    const ids = await Promise.all(users.map((u) => resolver.resolve({ kind: 'upn', upn: `${u}@example.com` as Upn })));
    const throttledBefore = demo.stats().throttled;
    const sweepMs = await timed(() =>
      Promise.all(
        Array.from({ length: sweepRequests }, (_, i) =>
          client.request({
            method: 'GET',
            path: `/users/${ids[i % ids.length] ?? ''}/mailFolders/inbox/messageRules`,
            priority: 'background',
          }),
        ),
      ),
    );
    const roundTripMs = median(roundTrips);
    const batchedMs = median(batched);
    const sequentialSdkMs = median(sequential);
    const sweepFloorMs = (sweepRequests * latencyMs) / 4;
    const result: GraphLayerBenchResult = {
      latencyMs,
      roundTripMs,
      batchedMs,
      sequentialSdkMs,
      batchedVsRoundTrip: batchedMs / roundTripMs,
      sequentialVsBatched: sequentialSdkMs / batchedMs,
      sweepRequests,
      sweepMs,
      sweepFloorMs,
      sweepVsFloor: sweepMs / sweepFloorMs,
      sweepThrottled: demo.stats().throttled - throttledBefore,
    };
    const f = (n: number) => n.toFixed(2);
    console.table({
      'one round trip (GET /organization)': { ms: f(roundTripMs), target: '' },
      '6 reads, one $batch (ours)': {
        ms: f(batchedMs),
        target: `${f(result.batchedVsRoundTrip)}× round trip (≤ 1.3×)`,
      },
      '6 reads, sequential plain SDK': {
        ms: f(sequentialSdkMs),
        target: `${f(result.sequentialVsBatched)}× slower than batched (≥ 4×)`,
      },
      [`${sweepRequests} outlook GETs, 4 concurrent`]: {
        ms: f(sweepMs),
        target: `${f(result.sweepVsFloor)}× floor ${f(sweepFloorMs)} ms (≤ 1.15×); 429s: ${result.sweepThrottled}`,
      },
    });
    return result;
  } finally {
    await demo.close();
  }
}

if (require.main === module) {
  const arg = (name: string): number | undefined => {
    const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
    return hit === undefined ? undefined : Number(hit.split('=')[1]);
  };
  run({ latencyMs: arg('latency'), sweepRequests: arg('requests'), repeats: arg('repeats') }).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}

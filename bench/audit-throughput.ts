import { mkdtempSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRoutes } from '../bot/app';
import type { BotServerOptions } from '../bot/server';
import { createTurnHandler } from '../bot/turn';
import { DEMO_APPROVERS_GROUP_ID, DEMO_OPERATORS_GROUP_ID, DEMO_TENANT_ID, PLAYGROUND_USERS } from '../demo/constants';
import { startDemoTenant } from '../demo/server';
import { createAuditLog, type AuditLog } from '../services/audit/audit-log';
import { createMembershipResolver } from '../services/authz/membership';
import { systemClock } from '../services/clock';
import { silentLogger } from '../services/log';
import { openStorage } from '../services/storage/open-storage';
import type { Storage } from '../services/storage/port';
import { startAzurite, type Azurite } from '../tests/support/azurite';
import { startBotProcess } from '../tests/support/bot-process';
import { edgeDeps } from '../tests/support/edge-deps';
import {
  drive,
  serveTurns,
  startReplyConnector,
  type ReplyConnector,
  type TurnLoadResult as LoadResult,
} from './turn-load';
import { median, percentile } from './timing';

const OPERATORS = PLAYGROUND_USERS.filter((u) => (u.roles as readonly string[]).includes('operator')).map((u) => ({
  aadObjectId: u.aadObjectId,
  name: u.displayName,
}));

// Auditing switched off: append answers at once. The difference to it is what auditing costs.
const noAudit: AuditLog = {
  append: (entry) => Promise.resolve({ ...entry, id: '', seq: 0, at: '', prevHash: '', hash: '' }),
  list: () => Promise.resolve([]),
  verify: () => Promise.resolve({ ok: true, count: 0 }),
  forTarget: () => Promise.resolve({ records: [], chain: { ok: true, count: 0 } }),
};

type OnTurn = BotServerOptions['onTurn'];

/** The audit log with the time each append waited (from the call to its record being durable) recorded. */
function timedAudit(inner: AuditLog, waits: number[]): AuditLog {
  return {
    ...inner,
    append: async (entry) => {
      const start = performance.now();
      const record = await inner.append(entry);
      waits.push(performance.now() - start);
      return record;
    },
  };
}

/** A bare echo bot on the same restify + CloudAdapter edge: the ceiling for any command. */
const echoTurn: OnTurn = async (context) => {
  if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text ?? ''}`);
};

/**
 * The bot's real turn handler and routes (guards with the re-delivery claim on `storage`, membership, audit, `help`)
 * as bot/main.ts wires them; membership answered locally.
 */
function helpTurn(audit: AuditLog, storage: Storage): OnTurn {
  return createTurnHandler({
    ...edgeDeps({ audit, clock: systemClock, storage, callerRatePerMinute: 1_000_000 }),
    allowedTenantId: DEMO_TENANT_ID,
    routes: createRoutes({
      mode: 'demo',
      profiles: { readUserProfile: () => Promise.reject(new Error('not used by help')) },
    }),
    membership: createMembershipResolver({
      port: { checkMemberGroups: (_user, groups) => Promise.resolve(groups) },
      clock: systemClock,
      operatorsGroupId: DEMO_OPERATORS_GROUP_ID,
      approversGroupId: DEMO_APPROVERS_GROUP_ID,
    }),
    audit,
    clock: systemClock,
    logger: silentLogger,
  });
}

interface Variant {
  name: string;
  runs: LoadResult[];
}

/** A warm-up, then the measured run; `onMeasured` is called in between (to drop what the warm-up recorded). */
async function measure(
  url: string,
  connector: ReplyConnector,
  messages: number,
  concurrency: number,
  onMeasured: () => void,
) {
  const common = { endpoints: [url], connector, text: 'help', concurrency, callers: OPERATORS };
  await drive({ ...common, messages: Math.min(200, messages) });
  onMeasured();
  return drive({ ...common, messages });
}

/** Echo vs `help` without auditing vs `help` audited to SQLite, one process, interleaved repeats. */
async function onSqlite(
  messages: number,
  concurrency: number,
  repeats: number,
): Promise<{ variants: Variant[]; waits: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'secbot-bench-audit-'));
  const storage = openStorage(`sqlite:${join(dir, 'audit.db')}`);
  const connector = await startReplyConnector();
  const waits: number[] = [];
  const measuredWaits: number[] = [];
  const bots = [
    { name: 'echo bot (restify + CloudAdapter)', bot: await serveTurns(echoTurn) },
    { name: '`help`, auditing off', bot: await serveTurns(helpTurn(noAudit, storage)) },
    {
      name: '`help`, audited to SQLite',
      bot: await serveTurns(helpTurn(timedAudit(createAuditLog(storage, systemClock), waits), storage)),
    },
  ];
  const variants: Variant[] = bots.map((b) => ({ name: b.name, runs: [] }));
  try {
    for (let r = 0; r < repeats; r++)
      for (const [i, b] of bots.entries()) {
        let from = 0;
        const result = await measure(b.bot.url, connector, messages, concurrency, () => (from = waits.length));
        measuredWaits.push(...waits.slice(from));
        variants[i]?.runs.push(result);
      }
    const chain = await createAuditLog(storage, systemClock).verify();
    if (!chain.ok) throw new Error(`audit chain broken at ${chain.brokenAtSeq}`);
  } finally {
    for (const b of bots) await b.bot.close();
    await connector.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { variants, waits: measuredWaits };
}

/** The audit layer alone: two audit logs on separate handles of one container, `concurrency` appenders in a loop. */
async function appendsOnly(azurite: Azurite, records: number, concurrency: number): Promise<number> {
  const handles = [0, 1].map(() =>
    openStorage('azure-blob:appends', { azure: { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString() } }),
  );
  const logs = handles.map((h) => createAuditLog(h, systemClock));
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (sent++ < records)
        await logs[worker % 2]?.append({
          actor: { aadObjectId: OPERATORS[0]?.aadObjectId ?? null },
          action: 'command:help',
          outcome: 'allowed',
          correlationId: `bench-${sent}`,
        });
    }),
  );
  const perSecond = records / ((performance.now() - started) / 1000);
  const chain = await logs[0]?.verify();
  for (const h of handles) await h.close();
  if (!chain?.ok || chain.count !== records) throw new Error(`appends-only chain: ${JSON.stringify(chain)}`);
  return perSecond;
}

/** Two real bot processes on one Azurite container, messages alternating between them. */
async function onAzurite(
  messages: number,
  concurrency: number,
): Promise<{ load: LoadResult; records: number; appendsPerSecond: number }> {
  // In memory: Azurite's own disk writes are not what is measured (Azure's are not ours either).
  const azurite = await startAzurite({ inMemory: true });
  const appendsPerSecond = await appendsOnly(azurite, messages, concurrency);
  const tenant = await startDemoTenant({ port: 0 });
  const connector = await startReplyConnector();
  const env = {
    DEMO_GRAPH_PORT: String(tenant.port),
    STORAGE_URL: 'azure-blob:bench',
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString(),
    CALLER_RATE_PER_MINUTE: '10000',
  };
  const start = () => startBotProcess({ args: ['--import', 'tsx', 'bot/main.ts'], env });
  const started = await Promise.allSettled([start(), start()]);
  const bots = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  try {
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    const common = { endpoints: bots.map((b) => b.url), connector, text: 'help', concurrency, callers: OPERATORS };
    await drive({ ...common, messages: 200 });
    const load = await drive({ ...common, messages });
    const storage = openStorage('azure-blob:bench', {
      azure: { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString() },
    });
    const chain = await createAuditLog(storage, systemClock).verify();
    await storage.close();
    if (!chain.ok) throw new Error(`audit chain broken at ${chain.brokenAtSeq}: ${chain.reason}`);
    return { load, records: chain.count, appendsPerSecond };
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    await connector.close();
    await tenant.close();
    await azurite.stop();
  }
}

const arg = (name: string, fallback: number): number => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
};

/** `npm run bench -- audit-throughput` (or `npx tsx bench/audit-throughput.ts --messages=2000 --repeats=3`). */
export async function run(): Promise<void> {
  const messages = arg('messages', 2000);
  const concurrency = arg('concurrency', 16);
  const repeats = arg('repeats', 3);
  const { variants, waits } = await onSqlite(messages, concurrency, repeats);
  const row = (v: Variant): string => {
    const rate = median(v.runs.map((r) => r.perSecond));
    const p50 = median(v.runs.map((r) => r.p50Ms));
    const p99 = median(v.runs.map((r) => r.p99Ms));
    return `${v.name}: ${rate.toFixed(0)} msg/s, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (runs: ${v.runs.map((r) => r.perSecond.toFixed(0)).join(', ')})`;
  };
  for (const v of variants) process.stdout.write(`${row(v)}\n`);
  const [echo, off, sqlite] = variants.map((v) => v.runs);
  const rate = (runs: LoadResult[] | undefined): number => median((runs ?? []).map((r) => r.perSecond));
  const p99 = (runs: LoadResult[] | undefined): number => median((runs ?? []).map((r) => r.p99Ms));
  process.stdout.write(
    `help audited / echo: ${(rate(sqlite) / rate(echo)).toFixed(2)} (goal >= 0.8); ` +
      `p99 overhead of auditing: ${(p99(sqlite) - p99(off)).toFixed(1)} ms end to end (goal <= 15); ` +
      `a command waits for its audit record p50 ${percentile(waits, 50).toFixed(1)} ms, p99 ${percentile(waits, 99).toFixed(1)} ms\n`,
  );
  const azureMessages = arg('azure-messages', 3000);
  if (azureMessages === 0) return;
  const azure = await onAzurite(azureMessages, 2 * concurrency);
  process.stdout.write(
    `two instances on Azurite: ${azure.load.perSecond.toFixed(0)} audited commands/s (goal >= 150), ` +
      `p50 ${azure.load.p50Ms.toFixed(1)} ms, p99 ${azure.load.p99Ms.toFixed(1)} ms; one chain of ${azure.records} records verified\n` +
      `the audit layer alone on the same Azurite (two logs, ${2 * concurrency} appenders): ${azure.appendsPerSecond.toFixed(0)} appends/s\n`,
  );
}

if (require.main === module) {
  run().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

import pino from 'pino';
import { z } from 'zod';
import { DEMO_GRAPH_TOKEN, DEMO_PORTS } from './constants';
import { startDemoTenant } from './server';

// The demo tenant is a standalone dev tool, so it reads its own few variables rather than bot/config.ts.
const envSchema = z.object({
  DEMO_GRAPH_PORT: z.coerce.number().int().min(0).max(65535).default(DEMO_PORTS.graph),
  DEMO_LATENCY_MS: z.coerce.number().min(0).default(0),
  DEMO_EXTRA_USERS: z.coerce.number().int().min(0).max(100_000).default(0),
  DEMO_FAULT_RATE: z.coerce.number().min(0).max(1).default(0),
  DEMO_SEED: z.coerce.number().int().default(1),
  LOG_LEVEL: z.string().default('info'),
});

async function main(): Promise<void> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      process.stderr.write(`invalid ${issue.path.join('.')}: ${issue.message}\n`);
    process.exit(2);
  }
  const env = parsed.data;
  const logger = pino({ level: env.LOG_LEVEL });
  const started = Date.now();
  const tenant = await startDemoTenant({
    port: env.DEMO_GRAPH_PORT,
    host: '127.0.0.1',
    requireToken: DEMO_GRAPH_TOKEN,
    latencyMs: env.DEMO_LATENCY_MS,
    extraUsers: env.DEMO_EXTRA_USERS,
    faultRate: env.DEMO_FAULT_RATE,
    seed: env.DEMO_SEED,
    logger,
  });
  process.stdout.write(
    `Demo tenant: ${tenant.url} (${tenant.state.users.size} users, started in ${Date.now() - started} ms)\n`,
  );
  const stop = (signal: string): void => {
    logger.info({ signal }, 'demo tenant stopping');
    tenant.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'demo tenant did not close cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`demo tenant failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

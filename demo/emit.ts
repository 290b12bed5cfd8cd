import { DEMO_GRAPH_TOKEN, DEMO_PORTS } from './constants';
import { createDemoEmitter, demoScenarioSchema } from '../services/alerts/demo-emitter';

/** `npm run demo:emit -- <scenario>`: makes a scenario happen in the running demo tenant. */
async function main(): Promise<void> {
  const scenario = demoScenarioSchema.safeParse(process.argv[2]);
  if (!scenario.success) {
    process.stderr.write(`usage: npm run demo:emit -- <${demoScenarioSchema.options.join('|')}> [user upn]\n`);
    process.exit(2);
  }
  const port = Number(process.env.DEMO_GRAPH_PORT ?? DEMO_PORTS.graph);
  const emitter = createDemoEmitter({ baseUrl: `http://127.0.0.1:${port}`, token: DEMO_GRAPH_TOKEN });
  const result = await emitter.emit(scenario.data, process.argv[3]);
  process.stdout.write(
    `${result.scenario}: ${result.records} record(s) for ${result.user}; the alert arrives with the next poll\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `demo:emit failed: ${error instanceof Error ? error.message : String(error)} (is \`npm start\` running?)\n`,
  );
  process.exit(1);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { loadConfigOrExit, readEnvironment } from '../bot/config';
import { DEMO_GRAPH_TOKEN } from './constants';
import { createPlaygroundClient } from './playground/client';
import { startPlayground, type RunningPlayground } from './playground/launch';

/**
 * `npm start`: the demo tenant, the bot (demo mode, anonymous, loopback only) and the Agents Playground, each its own
 * process, so Ctrl-C stops all three by their PIDs.
 */

interface Child {
  name: string;
  process: ChildProcess;
}

const READY_TIMEOUT_MS = 60_000;

function startTsProcess(name: string, entry: string, env: Record<string, string | undefined>): Child {
  // node --import tsx keeps the real PID (npx or a tsx wrapper would put a shell process in between).
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  return { name, process: child };
}

// Ready means our process answers as expected: a 200 from whatever else holds the port must not count.
async function waitForHttp(
  url: string,
  headers: Record<string, string>,
  child: Child,
  accept: (status: number, body: string) => boolean,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited with code ${child.process.exitCode}`);
    const answer = await fetch(url, { headers }).then(
      async (r) => ({ status: r.status, body: await r.text() }),
      () => ({ status: 0, body: '' }),
    );
    if (accept(answer.status, answer.body)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name} was not ready at ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

async function stopChild(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = once(child.process, 'exit');
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Demo mode: Alex (an operator) says "approvals here" in the Playground's group chat, as a team would on day one. */
async function designateApprovalsChat(playgroundUrl: string): Promise<void> {
  const client = createPlaygroundClient(playgroundUrl);
  try {
    const group = (await client.config()).groupChats[0]?.id;
    if (group) await client.send(group, 'approvals here', { from: 'user-id-0', mentionBot: true });
  } catch (error) {
    process.stderr.write(
      `Could not designate the approvals chat (${error instanceof Error ? error.message : String(error)}); say "approvals here" in the group chat.\n`,
    );
  }
}

/**
 * Tells the demo tenant that the bot's 1:1 chat with the Playground's current user (Alex) is the Playground's personal
 * chat, so installing the app for Alex through Graph ("was this you?") leads the bot there.
 */
async function registerPersonalChat(playgroundUrl: string, graphUrl: string): Promise<void> {
  try {
    const config = await createPlaygroundClient(playgroundUrl).config();
    const url = new URL('/_demo/teams-chat', graphUrl);
    url.searchParams.set('user', config.currentUser.userPrincipalName);
    url.searchParams.set('chat', config.personalChat.id);
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${DEMO_GRAPH_TOKEN}` } });
    if (!res.ok) throw new Error(`the demo tenant answered ${res.status}`);
  } catch (error) {
    process.stderr.write(
      `Could not register the Playground's personal chat (${error instanceof Error ? error.message : String(error)}); write to the bot in the personal chat once so it can ask you "was this you?".\n`,
    );
  }
}

async function main(): Promise<void> {
  const env = { ...readEnvironment(), SECBOT_MODE: 'demo' };
  const config = loadConfigOrExit(env);
  const graphUrl = config.graph.baseUrl.replace(/\/$/, '');
  const children: Child[] = [];
  let playground: RunningPlayground | null = null;

  const stopAll = async (): Promise<void> => {
    await playground?.stop();
    await Promise.all(children.map(stopChild));
  };
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping the Playground, the bot and the demo tenant…\n');
    stopAll().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const tenant = startTsProcess('demo tenant', 'demo/main.ts', {
      ...env,
      DEMO_GRAPH_PORT: String(config.demo.graphPort),
    });
    children.push(tenant);
    await waitForHttp(
      `${graphUrl}/v1.0/organization`,
      { authorization: `Bearer ${DEMO_GRAPH_TOKEN}` },
      tenant,
      (status, body) => status === 200 && body.includes('verifiedDomains'),
    );

    const bot = startTsProcess('bot', 'bot/main.ts', env);
    children.push(bot);
    const botUrl = `http://127.0.0.1:${config.port}`;
    await waitForHttp(`${botUrl}/readyz`, {}, bot, (status, body) => status === 200 && body.includes('"storage"'));
    // From here on, any part dying takes the demo down with a message, rather than leaving a half-working demo.
    for (const child of children) {
      child.process.once('exit', (code, signal) => {
        if (stopping) return;
        process.stderr.write(`${child.name} exited (${signal ?? `code ${code}`}); stopping the demo.\n`);
        stopping = true;
        stopAll().then(
          () => process.exit(1),
          () => process.exit(1),
        );
      });
    }

    playground = await startPlayground({ botEndpoint: `${botUrl}/api/messages`, port: config.demo.playgroundPort });
    await registerPersonalChat(playground.url, graphUrl);
    await designateApprovalsChat(playground.url);
    process.stdout.write(
      [
        '',
        'SecOps bot demo is running:',
        `  Playground (open this):  ${playground.url}`,
        `  Bot:                     ${botUrl}/api/messages  (pids: bot ${bot.process.pid}, Playground ${playground.pid})`,
        `  Demo tenant (Graph):     ${graphUrl}  (pid ${tenant.process.pid})`,
        '',
        'Type "help" in the Playground. The Playground listens on every network interface (it has no option',
        'against it); the bot and the demo tenant listen on 127.0.0.1 only. Ctrl-C stops all three.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(`demo failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    await stopAll();
    process.exit(1);
  }
}

void main();

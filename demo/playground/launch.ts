import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock, type Clock } from '../../services/clock';
import { silentLogger, type Logger } from '../../services/log';
import { DEMO_PORTS } from '../constants';
import { parsePlaygroundConfig, type PlaygroundConfig } from './config';
import { PlaygroundError } from './errors';

/** How to start the Playground. `port: 0` lets it pick a free port. */
export interface StartPlaygroundOptions {
  botEndpoint: string;
  port?: number;
  /** Reject when the port is taken instead of accepting the Playground's silent fallback to a random port. */
  strictPort?: boolean;
  logger?: Logger;
  readyTimeoutMs?: number;
  stopGraceMs?: number;
  /** Where the Playground writes its console log; by default a temporary file removed by stop(). */
  logFile?: string;
  cwd?: string;
  clock?: Clock;
}

/** A running Playground child process. */
export interface RunningPlayground {
  url: string;
  port: number;
  pid: number;
  config: PlaygroundConfig;
  logFile: string;
  stop(): Promise<void>;
}

type Exit = { code: number | null; signal: NodeJS.Signals | null };

const TAIL_CHARS = 2000;

// Variables the Playground reads to switch on Entra auth (AUTH_*), to override our flags, or to proxy its
// calls to the bot, plus anything secret-looking: the Playground needs none of them.
const SCRUBBED_ENV =
  /^(auth_client_id|auth_client_secret|auth_tenant_id|bot_endpoint|teamsapptester_port|default_channel_id|https?_proxy|no_proxy)$|^(microsoftapp|azure_)|secret|password|token|connection_?string|instrumentation/i;

/** Path of the Playground's CLI entry, resolved from node_modules. */
export function playgroundCliPath(): string {
  return path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
}

function childEnv(logFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!SCRUBBED_ENV.test(key)) env[key] = value;
  }
  // Without BROWSER=none the CLI tries to open a browser and exits with code 1 right after listening.
  env.TEAMSAPPTESTER_BROWSER = 'none';
  env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
  // When stdout is not a TTY the Playground writes console output only to this file, not to stdout/stderr.
  env.M365_AGENTS_PLAYGROUND_LOGFILE = logFile;
  return env;
}

async function readTail(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).slice(-TAIL_CHARS);
  } catch (err) {
    return `(no log file: ${err instanceof Error ? err.message : String(err)})`;
  }
}

async function withDeadline<T>(work: Promise<T>, deadline: number, clock: Clock, what: string): Promise<T> {
  const abort = new AbortController();
  const timeout = clock.sleep(deadline - clock.now(), abort.signal).then(() => {
    throw new PlaygroundError('playground_timeout', `Timed out waiting for the Playground ${what}.`);
  });
  timeout.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    abort.abort();
  }
}

async function waitForPong(url: string, deadline: number, clock: Clock): Promise<void> {
  let last = 'no answer';
  while (clock.now() <= deadline) {
    try {
      const res = await fetch(`${url}/_debug/ping`, { signal: AbortSignal.timeout(1000) });
      const body = await res.text();
      if (res.ok && body.trim() === 'pong') return;
      last = `${res.status} ${body.slice(0, 200)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await clock.sleep(100);
  }
  throw new PlaygroundError('playground_timeout', `${url}/_debug/ping did not answer pong (last: ${last}).`);
}

async function fetchConfig(url: string): Promise<PlaygroundConfig> {
  const res = await fetch(`${url}/_internal/v1/config`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) {
    throw new PlaygroundError('playground_bad_response', `GET /_internal/v1/config answered ${res.status}.`);
  }
  try {
    return parsePlaygroundConfig(await res.json());
  } catch (err) {
    throw new PlaygroundError(
      'playground_bad_response',
      'The Playground config changed shape (was @microsoft/m365agentsplayground upgraded?); update demo/playground/config.ts.',
      { cause: err },
    );
  }
}

/** Starts the Microsoft 365 Agents Playground against a bot endpoint and resolves once its API answers. */
export async function startPlayground(options: StartPlaygroundOptions): Promise<RunningPlayground> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const requestedPort = options.port ?? DEMO_PORTS.playground;
  const deadline = clock.now() + (options.readyTimeoutMs ?? 20_000);
  const tempDir = options.logFile === undefined ? await mkdtemp(path.join(tmpdir(), 'playground-')) : undefined;
  const logFile = options.logFile ?? path.join(tempDir ?? tmpdir(), 'playground.log');
  const args = [playgroundCliPath(), '-e', options.botEndpoint, '-c', 'msteams', '-p', String(requestedPort), '--dt'];

  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? process.cwd(),
    env: childEnv(logFile),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const record = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-TAIL_CHARS);
  };
  child.stderr.on('data', record);

  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (err) =>
      reject(new PlaygroundError('playground_exited', `Could not start the Playground: ${err.message}`)),
    );
    void exited.then(async ({ code, signal }) => {
      const log = await readTail(logFile);
      reject(
        new PlaygroundError(
          'playground_exited',
          `The Playground exited early (code ${code ?? 'none'}, signal ${signal ?? 'none'}).\n` +
            `--- output tail ---\n${output}\n--- log tail (${logFile}) ---\n${log}`,
        ),
      );
    });
  });
  failed.catch(() => undefined);

  const listening = new Promise<number>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      record(chunk);
      const match = /Listening on (\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const abort = new AbortController();
        const graceful = await Promise.race([
          exited.then(() => true),
          clock.sleep(options.stopGraceMs ?? 3000, abort.signal).then(() => false),
        ]);
        abort.abort();
        if (!graceful) {
          logger.warn({ pid: child.pid }, 'The Playground ignored SIGTERM; sending SIGKILL');
          child.kill('SIGKILL');
          await exited;
        }
      }
      if (tempDir !== undefined) await rm(tempDir, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const port = await withDeadline(
      Promise.race([listening, failed]),
      deadline,
      clock,
      'to print "Listening on <port>"',
    );
    if (requestedPort !== 0 && port !== requestedPort) {
      const message =
        `Port ${requestedPort} is already in use (another Playground?), so the Playground fell back to port ${port}. ` +
        `Find the other process with: ss -ltnp 'sport = :${requestedPort}'.`;
      if (options.strictPort) throw new PlaygroundError('playground_port_in_use', message);
      logger.warn({ requestedPort, port }, message);
    }
    const url = `http://127.0.0.1:${port}`;
    await withDeadline(
      Promise.race([waitForPong(url, deadline, clock), failed]),
      deadline,
      clock,
      'to answer /_debug/ping',
    );
    const config = await withDeadline(Promise.race([fetchConfig(url), failed]), deadline, clock, 'config');
    const pid = child.pid;
    if (pid === undefined) throw new PlaygroundError('playground_exited', 'The Playground has no pid.');
    logger.info({ pid, port, url, botEndpoint: options.botEndpoint }, 'Agents Playground ready');
    return { url, port, pid, config, logFile, stop };
  } catch (err) {
    const log = await readTail(logFile);
    await stop();
    if (err instanceof PlaygroundError && err.code === 'playground_timeout') {
      const detail = `--- output tail ---\n${output}\n--- log tail ---\n${log}`;
      throw new PlaygroundError(err.code, `${err.message}\n${detail}`, { cause: err });
    }
    throw err;
  }
}

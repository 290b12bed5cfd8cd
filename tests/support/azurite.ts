import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './demo-process';

// Azurite's well-known development account (public, documented by Microsoft; not a secret).
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const MAIN = resolve(__dirname, '../../node_modules/azurite/dist/src/blob/main.js');

/** Azurite's Blob service as a child process on a free loopback port, with its data in a temp folder. */
export interface Azurite {
  /** http://127.0.0.1:P — the endpoint root (without the account). */
  origin: string;
  /** A connection string for the dev account; `origin` lets a test route it through a proxy. */
  connectionString(origin?: string): string;
  stop(): Promise<void>;
}

/** `inMemory`: no data on disk (Azurite then refuses --location); faster, for benchmarks. */
export async function startAzurite(options: { inMemory?: boolean } = {}): Promise<Azurite> {
  const location = mkdtempSync(join(tmpdir(), 'secbot-azurite-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      MAIN,
      ...['--blobHost', '127.0.0.1', '--blobPort', String(port)],
      ...(options.inMemory ? ['--inMemoryPersistence'] : ['--location', location]),
      ...['--silent', '--disableTelemetry', '--skipApiVersionCheck'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(location, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (!/successfully listens/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Azurite did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    connectionString: (via = origin) =>
      `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};BlobEndpoint=${via}/${ACCOUNT};`,
    stop,
  };
}

/** Starts Azurite before the enclosing describe's tests and stops it after them; call the result inside a test. */
export function useAzurite(): () => Azurite {
  let azurite: Azurite | undefined;
  before(async function () {
    this.timeout(40_000);
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.stop();
  });
  return () => {
    if (!azurite) throw new Error('Azurite is not running (useAzurite must be called inside a describe)');
    return azurite;
  };
}

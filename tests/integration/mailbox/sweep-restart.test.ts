import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { readChunks, readJob } from '../../../services/mailbox/sweep-store';
import { openStorage } from '../../../services/storage/open-storage';

const CHILD = join(__dirname, 'sweep-child.ts');
const RULES = /\/users\/([^/]+)\/mailFolders\/inbox\/messageRules$/;

/** Forwards to the demo tenant and counts messageRules reads per user, per phase of the test. */
function countingProxy(target: string) {
  const reads = new Map<string, number[]>();
  let phase = 0;
  const server = http.createServer((req, res) => {
    const m = RULES.exec((req.url ?? '').split('?')[0] ?? '');
    if (m) {
      const id = decodeURIComponent(m[1] ?? '').toLowerCase();
      const counts = reads.get(id) ?? [0, 0];
      counts[phase] = (counts[phase] ?? 0) + 1;
      reads.set(id, counts);
    }
    const upstream = http.request(`${target}${req.url ?? ''}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return {
    reads,
    setPhase: (p: number) => {
      phase = p;
    },
    total: () => [...reads.values()].reduce((n, c) => n + (c[0] ?? 0) + (c[1] ?? 0), 0),
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function runChild(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sweep: SIGKILL mid-sweep, restart resumes (real child processes)', function () {
  this.timeout(90_000);
  let demo: DemoTenant;
  let dir: string;

  before(async () => {
    demo = await startDemoTenant({ port: 0, extraUsers: 1500, latencyMs: 4 });
    dir = mkdtempSync(join(tmpdir(), 'sweep-restart-'));
  });
  after(async () => {
    await demo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes with exactly one result per user and never re-reads a recorded mailbox', async () => {
    const proxy = countingProxy(demo.url);
    const url = await proxy.listen();
    const db = join(dir, 'sweep.db');
    const env = { SWEEP_DB: db, SWEEP_GRAPH_URL: url, SWEEP_LEASE_TTL_MS: '1000' };
    try {
      const first = runChild({ ...env, SWEEP_START: '1' });
      // Past the first page of 999 users, so the checkpoint has moved at least once.
      await until(() => proxy.total() >= 1100, 60_000, `1100 reads (${first.output()})`);
      first.child.kill('SIGKILL');
      await first.exited;
      const jobId = /started (\S+)/.exec(first.output())?.[1];
      assert.ok(jobId && jobId !== 'no', first.output());

      const before = openStorage(`sqlite:${db}`);
      const recorded = new Set<string>();
      for await (const { chunk } of readChunks(before, jobId)) for (const r of chunk.rows) recorded.add(r.id);
      assert.equal((await readJob(before, jobId))?.state, 'running');
      assert.ok((await readJob(before, jobId))?.checkpoint !== null, 'a checkpoint was stored');
      await before.close();
      assert.ok(recorded.size > 500, `recorded before the kill: ${recorded.size}`);

      proxy.setPhase(1);
      const second = runChild(env);
      const code = await second.exited;
      assert.equal(code, 0, second.output());
      assert.match(second.output(), /resumed true/);

      const after = openStorage(`sqlite:${db}`);
      const ids: string[] = [];
      for await (const { chunk } of readChunks(after, jobId)) for (const r of chunk.rows) ids.push(r.id);
      assert.equal((await readJob(after, jobId))?.state, 'done');
      await after.close();
      const users = [...demo.state.users.values()].map((u) => u.id.toLowerCase());
      assert.equal(ids.length, users.length, 'one result per user');
      assert.deepEqual(new Set(ids), new Set(users));
      const reread = [...recorded].filter((id) => (proxy.reads.get(id)?.[1] ?? 0) > 0);
      assert.deepEqual(reread, [], 'mailboxes recorded before the kill were not read again');
      assert.ok(
        [...proxy.reads.values()].some((c) => (c[1] ?? 0) > 0),
        'the restarted process did read the rest',
      );
    } finally {
      await proxy.close();
    }
  });
});

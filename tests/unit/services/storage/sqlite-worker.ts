import { parentPort, workerData } from 'node:worker_threads';
import Database from 'libsql';
import { createSqliteStorage } from '../../../../services/storage/sqlite-storage';

/** What the SQLite tests ask a worker thread to do against a shared file. */
export type WorkerTask =
  { kind: 'increment'; file: string; key: string; times: number } | { kind: 'hold-lock'; file: string; holdMs: number };

/** What a worker reports back when its task is done. */
export interface WorkerReport {
  wins: number;
  conflicts: number;
}

async function increment(task: Extract<WorkerTask, { kind: 'increment' }>): Promise<WorkerReport> {
  const storage = createSqliteStorage(task.file);
  let wins = 0;
  let conflicts = 0;
  try {
    while (wins < task.times) {
      const item = await storage.get<{ n: number }>(task.key);
      if (!item) throw new Error(`${task.key} is missing`);
      const result = await storage.put(task.key, { n: item.value.n + 1 }, { ifVersion: item.version });
      if (result.ok) wins++;
      else conflicts++;
    }
  } finally {
    await storage.close();
  }
  return { wins, conflicts };
}

function holdLock(task: Extract<WorkerTask, { kind: 'hold-lock' }>): WorkerReport {
  const db = new Database(task.file);
  try {
    db.exec('BEGIN IMMEDIATE');
    parentPort?.postMessage('locked');
    // Blocking on purpose: the lock must stay held while the main thread's write waits for it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, task.holdMs);
    db.exec('COMMIT');
  } finally {
    db.close();
  }
  return { wins: 0, conflicts: 0 };
}

async function main(): Promise<void> {
  const task = workerData as WorkerTask;
  const report = task.kind === 'increment' ? await increment(task) : holdLock(task);
  parentPort?.postMessage(report);
}

void main();

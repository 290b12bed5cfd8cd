import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTwoInstanceApprovals } from '../support/two-instance-approvals';

// Two bot processes on one SQLite file (the storage track runs the same suite on Azure Blob storage).
describeTwoInstanceApprovals('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secbot-two-'));
  return Promise.resolve({
    url: `sqlite:${join(dir, 'secbot.db')}`,
    cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});

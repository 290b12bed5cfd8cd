import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTwoInstanceApprovals } from '../support/two-instance-approvals';

// Two bot processes on one SQLite file (approvals-two-instances-azurite.test.ts runs the same suite on Azurite).
describeTwoInstanceApprovals('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secbot-two-'));
  return Promise.resolve({
    url: `sqlite:${join(dir, 'secbot.db')}`,
    cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});

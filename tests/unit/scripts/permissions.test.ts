import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { END, permissionTable, README, START, withTable } from '../../../scripts/permissions';

describe('scripts/permissions: the README permission table', () => {
  it('is the table the declarations generate (run npm run permissions after changing one)', () => {
    const readme = readFileSync(README, 'utf8');
    assert.equal(withTable(readme), readme);
  });

  it('changes when a declaration changes: the table is derived, not copied', () => {
    const readme = readFileSync(README, 'utf8');
    const stale = readme.replace('`Mail.ReadBasic.All`', '`MailboxSettings.Read`');
    assert.notEqual(stale, readme);
    assert.equal(withTable(stale), readme);
    assert.ok(permissionTable().includes('| `User.RevokeSessions.All` | write | `revokeSignInSessions` |'));
  });

  it('refuses a README without the markers', () => {
    assert.throws(() => withTable(`no table ${END} ${START}`), /lacks the markers/);
  });
});

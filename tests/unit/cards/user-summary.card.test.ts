import assert from 'node:assert/strict';
import { helpCard } from '../../../cards/help.card';
import { userSummaryCard } from '../../../cards/user-summary.card';
import { summarizeUser } from '../../../services/identity/user-summary';
import { cardProblems, markdownSurfaces, textRuns, visibleLines } from '../../support/cards';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const EVIL = '[Reset your password](https://example.org/reset)\n\n**Approved by CISO** \u202Egnp.exe';

describe('cards/user-summary.card', () => {
  const card = userSummaryCard(
    summarizeUser({
      user: {
        id: 'id-1',
        displayName: EVIL,
        userPrincipalName: 'upntest@example.net',
        accountEnabled: true,
        onPremisesSyncEnabled: true,
        proxyAddresses: ['SMTP:upntest@example.com', 'smtp:upntest@example.net'],
        lastPasswordChangeDateTime: '2026-11-20T12:00:00Z',
        signInSessionsValidFromDateTime: '2026-11-22T11:00:00Z',
      },
      directoryRoles: [{ displayName: 'Helpdesk Administrator' }],
      licenses: [{ skuPartNumber: 'SPE_E3', servicePlans: [] }],
    }),
    NOW,
  );

  it('is a valid Adaptive Card', () => assert.deepEqual(cardProblems(card), []));

  it('never puts Graph strings where markdown renders', () => {
    const surfaces = markdownSurfaces(card).join('\n');
    for (const needle of ['Reset your password', 'upntest@example', 'Helpdesk Administrator', 'SPE_E3']) {
      assert.ok(!surfaces.includes(needle), `${needle} found in a markdown surface`);
    }
  });

  it('shows untrusted text literally, without newlines or bidi controls', () => {
    const runs = textRuns(card);
    const name = runs.find((r) => r.includes('Reset your password'));
    assert.equal(name, '[Reset your password](https://example.org/reset)  **Approved by CISO** gnp.exe');
  });

  it('states the facts an investigator needs', () => {
    const all = JSON.stringify(card);
    assert.match(all, /Synced from on-premises AD/);
    assert.match(all, /kept as an smtp: proxy by design/);
    assert.match(all, /Not licensed: MailItemsAccessed is not recorded/);
    assert.match(all, /2026-11-20 12:00 UTC \(2 days ago\)/);
    assert.match(all, /2026-11-22 11:00 UTC \(1 hour ago\)/);
  });
});

describe('cards/help.card', () => {
  it('lists every command usage and validates', () => {
    const card = helpCard(
      [
        { name: 'help', usage: 'help', summary: 'Show commands.', available: true },
        { name: 'user', usage: 'user <upn>', summary: 'Who is this user.', available: false },
      ],
      'demo',
    );
    assert.deepEqual(cardProblems(card), []);
    const texts = visibleLines(card);
    assert.ok(texts.includes('user <upn>'));
    assert.ok(texts.includes('help'));
    assert.ok(texts.includes('Show commands.'));
    assert.ok(texts.includes('Who is this user. (not available in this bot)'));
  });
});

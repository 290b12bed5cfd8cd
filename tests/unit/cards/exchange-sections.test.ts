import assert from 'node:assert/strict';
import { adaptiveCard } from '../../../cards/elements';
import { exchangeSections } from '../../../cards/exchange-sections';
import type { ExchangeInvestigation } from '../../../services/exchange/investigation';
import { disabledExchange, exchangeInvestigation } from '../../property/card-views-exchange';
import { cardProblems, markdownSurfaces, textRuns, visibleLines } from '../../support/cards';
import { NOW } from '../services/identity/mfa-fixtures';

const EVIL = '[Verify now](https://evil.example) **urgent**';
const card = (inv: ExchangeInvestigation) => adaptiveCard(exchangeSections(inv, NOW), [], 'Investigation');

describe('investigation card: the Exchange sections', () => {
  let n = 0;
  const read = card(exchangeInvestigation(() => `${EVIL} ${n++}`));
  const all = () => markdownSurfaces(read).join('\n');

  it('is valid; every Exchange string is a TextRun, never markdown', () => {
    assert.deepEqual(cardProblems(read), []);
    assert.ok(!all().includes('evil.example'));
    assert.ok(textRuns(read).filter((t) => t.includes('evil.example')).length >= 5);
  });

  it('lists the flagged delegate with when, by whom and why, and says to remove it', () => {
    const lines = visibleLines(read);
    const fullAccess = lines.find((l) => l.includes('FullAccess'));
    assert.ok(fullAccess, lines.join('\n'));
    assert.match(fullAccess, /⚠️/);
    assert.match(fullAccess, /granted .* by .* from /);
    assert.match(fullAccess, /added in the last 7 days, a newly created account, not the user's manager/);
    assert.ok(lines.some((l) => /SendAs .*Exchange cannot resolve this holder/.test(l)));
    assert.match(all(), /remove them \(contain\)/);
    // The unresolved SendAs holder (medium) is not offered to contain: the card says how to remove it.
    assert.match(all(), /contain leaves them; remove-delegate <upn> <delegate> <justification> removes one/);
  });

  it('flags the partnership first synced after the suspicious sign-in and says sessions do not stop it', () => {
    assert.ok(visibleLines(read).some((l) => /⚠️ .*first synced .*after the suspicious sign-in/.test(l)));
    assert.match(all(), /keeps syncing mail after sessions are revoked/);
  });

  it('groups mail sent outside by domain: the new domain and the look-alike flagged, the trace incomplete', () => {
    const lines = visibleLines(read);
    assert.ok(
      lines.some((l) => /⚠️ drop\.example\.org — 1 message to 1 recipient, first .* last /.test(l)),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => /examp1e\.com .*\(1 failed\) — looks like example\.com/.test(l)));
    assert.match(all(), /2 sent \(message × recipient\) in the window, 2 to outside recipients\./);
    assert.match(all(), /may be incomplete/);
  });

  it('with the admin API off, each section says "not checked" and names EXCHANGE_ADMIN_ENABLED', () => {
    const off = card(disabledExchange());
    assert.deepEqual(cardProblems(off), []);
    assert.equal(markdownSurfaces(off).filter((s) => /Not checked: .*EXCHANGE_ADMIN_ENABLED/.test(s)).length, 3);
  });

  it('a refused read names the permission as a TextRun; a failure names its code', () => {
    const base = disabledExchange();
    const degraded = card({
      ...base,
      delegates: { kind: 'not-checked', reason: { why: 'permission', permission: EVIL } },
      mobileDevices: { kind: 'not-checked', reason: { why: 'failed', code: 'graph_unavailable' } },
      outboundMail: { kind: 'not-checked', reason: { why: 'no-mailbox' } },
    });
    assert.ok(textRuns(degraded).includes(EVIL));
    assert.ok(!markdownSurfaces(degraded).join('\n').includes('evil.example'));
    assert.ok(visibleLines(degraded).some((l) => l.startsWith('Not checked: Exchange refused the read; grant')));
    assert.ok(markdownSurfaces(degraded).some((s) => s.includes('Could not be checked (graph_unavailable)')));
    assert.ok(markdownSurfaces(degraded).some((s) => s.includes('no Exchange Online mailbox')));
  });
});

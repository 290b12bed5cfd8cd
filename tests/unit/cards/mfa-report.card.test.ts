import assert from 'node:assert/strict';
import { mfaReportCard } from '../../../cards/mfa-report.card';
import { mfaReportProgressCard } from '../../../cards/mfa-report-progress.card';
import { cardProblems, visibleLines } from '../../support/cards';
import { reportProgress, reportResult } from '../../property/card-views-report';

type Node = Record<string, unknown>;

function find(node: unknown, type: string, out: Node[] = []): Node[] {
  if (Array.isArray(node)) for (const n of node) find(n, type, out);
  else if (node && typeof node === 'object') {
    const r = node as Node;
    if (r.type === type) out.push(r);
    for (const v of Object.values(r)) find(v, type, out);
  }
  return out;
}

const named = (label: string) => () => label;

describe('cards/mfa-report', () => {
  it('draws the four verdicts as a donut and methods as bars, each with a FactSet fallback of the same numbers', () => {
    const card = mfaReportCard(reportResult(named('someone')));
    const [donut] = find(card, 'Chart.Donut');
    assert.ok(donut);
    assert.deepEqual(
      (donut.data as { legend: string; value: number }[]).map((d) => [d.legend, d.value]),
      [
        ['Usable', 40_000],
        ['Registered, not usable', 4_000],
        ['Not registered', 2_000],
        ["Can't tell", 800],
      ],
    );
    assert.equal((donut.fallback as Node).type, 'FactSet');
    assert.deepEqual(
      ((donut.fallback as Node).facts as { value: string }[]).map((f) => f.value),
      ['40,000', '4,000', '2,000', '800'],
    );
    const [bars] = find(card, 'Chart.HorizontalBar');
    assert.ok(bars);
    const data = bars.data as { x: string; y: number }[];
    // Only method types someone has; usable and not usable side by side.
    assert.ok(!data.some((d) => d.x.startsWith('Windows Hello')));
    assert.deepEqual(
      data.filter((d) => d.x.startsWith('SMS')),
      [
        { x: 'SMS: usable', y: 4_000, color: 'good' },
        { x: 'SMS: not usable', y: 2_500, color: 'attention' },
      ],
    );
    assert.equal((bars.fallback as Node).type, 'FactSet');
    assert.deepEqual(cardProblems(card), []);
  });

  it('lists admins whose MFA is not usable before other users, each with an mfa <upn> button', () => {
    let n = 0;
    const card = mfaReportCard(reportResult(() => `person${n++}@example.com`));
    const lines = visibleLines(card);
    const admins = lines.findIndex((l) => l.startsWith('Admins whose MFA is not usable (12)'));
    const others = lines.findIndex((l) => l.startsWith('Other users whose MFA is not usable'));
    assert.ok(admins >= 0 && others > admins);
    assert.ok(lines.some((l) => l === '…and 2 more in the CSV.'));
    const buttons = find(card, 'Action.Execute').map((a) => a.data as { command: string; args: string });
    assert.equal(buttons.length, 30);
    assert.ok(buttons.every((b) => b.command === 'mfa' && /^person\d+@example\.com$/.test(b.args)));
  });

  it('names the missing permission when a 403 stopped it, and the CA share when a policy requires MFA', () => {
    const failed = mfaReportCard({
      ...reportResult(named('x')),
      state: 'failed',
      failure: { code: 'graph_forbidden', permission: 'UserAuthenticationMethod.Read.All' },
    });
    assert.match(visibleLines(failed).join('\n'), /Grant the app UserAuthenticationMethod\.Read\.All/);
    const done = visibleLines(mfaReportCard(reportResult(named('x')))).join('\n');
    assert.match(done, /5,900 of 46,800 users \(12\.6 %\)/);
  });

  it('stays under Teams’ 28 KB with the longest UPNs Entra allows (113 characters) on every listed user', () => {
    const card = mfaReportCard(reportResult(() => `${'a'.repeat(64)}@${'b'.repeat(44)}.com`));
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < 28_000, `${Buffer.byteLength(JSON.stringify(card))} bytes`);
  });

  it('the progress card shows done/total and rate, and a Cancel button only while running', () => {
    const running = mfaReportProgressCard(reportProgress(named('Alex')));
    assert.ok(visibleLines(running).some((l) => l.includes('1,200 / 50,000 (2 %)')));
    const cancel = find(running, 'Action.Execute')[0];
    assert.equal(cancel?.verb, 'mfaReport.cancel');
    const done = mfaReportProgressCard({ ...reportProgress(named('Alex')), state: 'done' });
    assert.equal(find(done, 'Action.Execute').length, 0);
  });
});

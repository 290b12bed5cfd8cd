import assert from 'node:assert/strict';
import { postureCard, secureScoreGauge } from '../../../cards/posture.card';
import type { SecureScoreCheck } from '../../../services/posture/types';
import { cardProblems, markdownSurfaces, textRuns, visibleLines } from '../../support/cards';
import { postureReport } from '../../property/card-views-posture';

const NOW = Date.parse('2026-12-03T08:00:00Z');
let n = 0;
const name = () => `name-${++n}`;

type Node = Record<string, unknown>;
function all(node: unknown, out: Node[] = []): Node[] {
  if (Array.isArray(node)) for (const item of node) all(item, out);
  else if (node && typeof node === 'object') {
    out.push(node as Node);
    for (const v of Object.values(node)) all(v, out);
  }
  return out;
}

describe('card: posture', () => {
  const card = postureCard(postureReport(name, NOW));
  const lines = visibleLines(card);

  it('leads with the failing checks, highest impact first, then can’t tell, then passing', () => {
    const heads = lines
      .filter((l) => /^(FAIL|CAN’T TELL|PASS) {2}\d+\./.test(l))
      .map((l) => l.replace(/ {2}(\d+)\..*/, ' $1'));
    assert.deepEqual(heads, [
      'FAIL 2',
      'FAIL 6',
      'FAIL 3',
      'FAIL 4',
      'FAIL 7',
      'FAIL 9',
      'FAIL 10',
      'CAN’T TELL 8',
      'CAN’T TELL 5',
      'PASS 1',
    ]);
  });

  it('Secure Score is a Chart.Gauge in percent, with a TextBlock fallback for clients without charts', () => {
    const gauge = all(card).find((x) => x.type === 'Chart.Gauge');
    assert.ok(gauge);
    assert.equal(gauge.value, 56); // 46.5 / 83
    assert.equal(gauge.valueFormat, 'Percentage');
    const fallback = gauge.fallback as Node;
    assert.equal(fallback.type, 'TextBlock');
    assert.match(String(fallback.text), /Secure Score: 56 % \(46\.5 of 83 points\)/);
    assert.equal(secureScoreGauge({ current: null, max: null } as SecureScoreCheck), null);
  });

  it('each failing or unknown check links to the Microsoft page for its fix; forwarding also has a sweep button', () => {
    const links = all(card).filter((x) => x.type === 'Action.OpenUrl');
    assert.equal(links.length, 9, 'one per check that is not passing');
    assert.ok(links.every((l) => String(l.url).startsWith('https://learn.microsoft.com/')));
    const runs = all(card).filter((x) => x.type === 'Action.Execute');
    assert.deepEqual(
      runs.map((r) => r.data),
      [{ verb: 'command.run', command: 'sweep', args: 'forwarding' }],
    );
  });

  it('can’t tell names what is missing; names from Graph are TextRuns, never markdown', () => {
    assert.ok(lines.some((l) => l.startsWith('Can’t tell: the app lacks ')));
    assert.ok(lines.some((l) => l.includes('Can’t tell: Graph failed (graph_throttled)')));
    const runs = textRuns(card);
    const surfaces = markdownSurfaces(card).join('\n');
    for (const run of runs.filter((r) => r.startsWith('name-'))) assert.ok(!surfaces.includes(run), run);
  });

  it('long lists are capped with a count, and the card stays a valid Adaptive Card well under 28 KB', () => {
    assert.ok(lines.some((l) => /mailboxes with auditing off: .* \+3 more$/.test(l)));
    assert.deepEqual(cardProblems(card), []);
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < 20_000);
  });

  it('a chart without a fallback is reported by the card checker', () => {
    const bare = { ...card, body: [{ type: 'Chart.Gauge', value: 1 }] };
    assert.deepEqual(cardProblems(bare), [
      'Chart/NoFallback: Chart.Gauge has no fallback element for clients without charts',
    ]);
  });
});

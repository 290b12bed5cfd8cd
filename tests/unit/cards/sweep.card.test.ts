import assert from 'node:assert/strict';
import { sweepProgressCard } from '../../../cards/sweep-progress.card';
import { sweepSummaryCard } from '../../../cards/sweep-summary.card';
import type { SweepProgressView, SweepSummaryView } from '../../../services/mailbox/sweep-types';
import { cardProblems, markdownSurfaces, textRuns, visibleLines } from '../../support/cards';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const progress: SweepProgressView = {
  jobId: '6f1c2a9e-0000-4000-8000-000000000001',
  scope: { kind: 'all' },
  state: 'running',
  requesterName: '**Alex** [x](https://evil.example)',
  done: 2_500,
  total: 10_000,
  findings: 42,
  flaggedMailboxes: 30,
  ratePerMinute: 4_800,
  etaMs: 93_750,
  startedAt: NOW - 31_000,
  now: NOW,
};

const summary: SweepSummaryView = {
  ...progress,
  state: 'done',
  done: 10_000,
  mailboxes: 9_700,
  noMailbox: 300,
  errors: 0,
  findingsBySeverity: { high: 101, medium: 50, low: 49 },
  topDomains: [
    { domain: '[evil](https://x.example).example.org', findings: 60 },
    { domain: 'personal-mail.example.org', findings: 41 },
  ],
  mailboxForwardingChecked: true,
  failure: null,
  cancelledBy: null,
  csvUrl: 'https://bot.example.com/sweep/6f1c/findings.csv?t=abc',
};

describe('cards/sweep-progress.card and sweep-summary.card', () => {
  it('progress: valid, done/total with percent, findings, rate, ETA, and a Cancel verb carrying only the job id', () => {
    const card = sweepProgressCard(progress);
    assert.deepEqual(cardProblems(card), []);
    const text = markdownSurfaces(card).join(' | ');
    assert.match(text, /2,500 \/ 10,000 \(25 %\)/);
    assert.match(text, /42 in 30 mailboxes/);
    assert.match(text, /4,800 mailboxes\/min/);
    assert.match(text, /about 1 min 34 s/);
    const cancel = card.actions?.[0] as { verb?: string; data?: unknown } | undefined;
    assert.equal(cancel?.verb, 'sweep.cancel');
    assert.deepEqual(cancel?.data, { verb: 'sweep.cancel', jobId: progress.jobId });
    assert.ok(!text.includes('Alex'), 'the requester name is untrusted: TextRun only');
    assert.ok(textRuns(card).some((r) => r.includes('**Alex**')));
  });

  it('progress: no Cancel once the sweep has ended', () => {
    assert.equal(sweepProgressCard({ ...progress, state: 'cancelled' }).actions, undefined);
  });

  it('summary: valid, findings by severity, top domains as TextRuns, CSV link button', () => {
    const card = sweepSummaryCard(summary);
    assert.deepEqual(cardProblems(card), []);
    const text = markdownSurfaces(card).join(' | ');
    assert.match(text, /High 101 · Medium 50 · Low 49/);
    assert.ok(!text.includes('evil'), 'domains never in markdown surfaces');
    assert.ok(textRuns(card).includes('[evil](https://x.example).example.org'));
    assert.deepEqual(card.actions, [
      { type: 'Action.OpenUrl', title: 'Download all findings (CSV)', url: summary.csvUrl },
    ]);
  });

  it('summary: the CSV link is described as the bearer link it is, never as working "only for you"', () => {
    const text = markdownSurfaces(sweepSummaryCard(summary)).join(' ');
    assert.match(text, /anyone who has it/);
    assert.doesNotMatch(text, /only for you/i);
  });

  it('summary: a 403 failure names the permission to grant; no CSV button without a link', () => {
    const card = sweepSummaryCard({
      ...summary,
      state: 'failed',
      csvUrl: null,
      failure: { code: 'graph_forbidden', permission: 'MailboxSettings.Read' },
    });
    assert.match(visibleLines(card).join(' '), /Grant the app MailboxSettings\.Read/);
    assert.equal(card.actions, undefined);
  });
});

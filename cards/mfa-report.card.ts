/**
 * The result of `report mfa`: a donut of the four verdicts, a bar per method type (usable vs not), admins whose MFA is
 * not usable first and then other not-usable users (each with an `mfa <upn>` button), the share that would fail an
 * MFA-requiring Conditional Access policy, and the per-user CSV link. Charts fall back to FactSets (numbers and our
 * own labels only) on clients without chart support. Pure.
 */
import type { NotUsableReason } from '../services/identity/mfa-verdict';
import {
  CHART_METHODS,
  type ChartMethod,
  type ListedUser,
  type ReportResultView,
} from '../services/identity/mfa-report/types';
import { adaptiveCard, commandButton, container, heading, row, runs, text } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { reportScopeLine } from './mfa-report-progress.card';
import { csvLinkParts, formatDuration, jobOutcome } from './job';
import { formatCount, formatTime, own, type Own } from './text';

export const METHOD_LABELS = {
  authenticatorPush: 'Authenticator push',
  fido2: 'Passkey / FIDO2',
  sms: 'SMS',
  voice: 'Voice call',
  oath: 'OATH code',
  windowsHello: 'Windows Hello',
  tap: 'Temporary Access Pass',
} as const satisfies Record<ChartMethod, string>;

const REASON_SHORT = {
  'disabled-by-policy': 'method disabled by policy',
  'not-targeted': 'policy does not target them',
  'excluded-by-group': 'excluded by a policy group',
  'never-verified': 'registration never verified',
  'not-an-mfa-method': 'only non-MFA methods',
  'tap-not-usable': 'Temporary Access Pass expired or used',
} as const satisfies Record<NotUsableReason, string>;

const VERDICTS = [
  { key: 'usable', legend: 'Usable', color: 'good' },
  { key: 'registered-not-usable', legend: 'Registered, not usable', color: 'warning' },
  { key: 'not-registered', legend: 'Not registered', color: 'attention' },
  { key: 'cant-tell', legend: "Can't tell", color: 'neutral' },
] as const;

/** Users a card lists at most (the CSV has everyone). */
export const CARD_ADMINS = 10;
export const CARD_OTHERS = 20;

const pct = (part: number, whole: number): Own => own`${whole === 0 ? 0 : Math.round((1000 * part) / whole) / 10} %`;

function factSet(facts: { title: Own; value: Own }[]): CardElement {
  // Only our own labels and numbers: nothing from Graph or chat reaches these facts.
  return { type: 'FactSet', facts: facts.map((f) => ({ title: f.title.text, value: f.value.text })) };
}

// How the job ended, in the words of this job (cards/job.ts jobOutcome).
const REPORT_OUTCOME = {
  again: own('run the report again'),
  soFar: own('The counts so far'),
  cancelled: own('Cancelled before the end: the counts cover the users judged so far.'),
  finished: own('Finished: every user in scope was judged once, with the same verdict engine as `mfa`.'),
};

function verdictChart(view: ReportResultView): CardElement {
  const c = view.byCategory;
  const facts = VERDICTS.map((v) => ({ title: own(v.legend), value: formatCount(c[v.key]) }));
  return {
    type: 'Chart.Donut',
    title: 'MFA verdicts',
    data: VERDICTS.map((v) => ({ legend: v.legend, value: c[v.key], color: v.color })),
    fallback: factSet(facts),
  };
}

function methodChart(view: ReportResultView): CardElement | null {
  const used = CHART_METHODS.filter((m) => {
    const b = view.byMethod[m];
    return b.usable + b.notUsable + b.cantTell > 0;
  });
  if (used.length === 0) return null;
  const data = used.flatMap((m) => [
    { x: `${METHOD_LABELS[m]}: usable`, y: view.byMethod[m].usable, color: 'good' },
    { x: `${METHOD_LABELS[m]}: not usable`, y: view.byMethod[m].notUsable, color: 'attention' },
  ]);
  const facts = used.map((m) => {
    const b = view.byMethod[m];
    return {
      title: own(METHOD_LABELS[m]),
      value: own`${formatCount(b.usable)} usable · ${formatCount(b.notUsable)} not usable${b.cantTell > 0 ? own` · ${formatCount(b.cantTell)} can't tell` : ''}`,
    };
  });
  return {
    type: 'Chart.HorizontalBar',
    title: 'Users by method type: usable vs not',
    displayMode: 'AbsoluteNoAxis',
    data,
    fallback: factSet(facts),
  };
}

function reasonText(u: ListedUser): Own {
  if (u.category === 'not-registered') return own('no MFA method registered');
  const first = u.reasons[0];
  return first === undefined ? own('not usable') : own(REASON_SHORT[first]);
}

/** One listed user: name and UPN as TextRuns, why in our words, and an `mfa <upn>` button. */
function userLine(u: ListedUser): CardElement {
  return {
    type: 'ColumnSet',
    spacing: 'Small',
    columns: [
      {
        type: 'Column',
        width: 'stretch',
        // Name and UPN are one untrusted string (one sanitised TextRun): a row costs fewer bytes than two runs.
        items: [runs([u.name === null ? u.upn : `${u.name.slice(0, 48)} · ${u.upn}`, own(' — '), reasonText(u)])],
      },
      { type: 'Column', width: 'auto', items: [{ type: 'ActionSet', actions: [commandButton('mfa', 'mfa', u.upn)] }] },
    ],
  };
}

function userList(title: Own, users: readonly ListedUser[], max: number, total: number): CardElement[] {
  if (users.length === 0) return [];
  const shown = users.slice(0, max);
  const more = total - shown.length;
  return [
    container(
      [
        text(title, { weight: 'Bolder' }),
        ...shown.map(userLine),
        ...(more > 0 ? [text(own`…and ${formatCount(more)} more in the CSV.`, { isSubtle: true })] : []),
      ],
      { spacing: 'Medium', separator: true },
    ),
  ];
}

/** Teams refuses a message over about 28 KB; the card leaves room for the activity around it. */
export const MAX_CARD_BYTES = 27_000;

/**
 * The result card with as many listed users as fit (at most 10 admins and 20 others): with very long UPNs, users are
 * dropped from the end of the lists (the "…and N more" line counts them) rather than the message being refused.
 */
export function mfaReportCard(view: ReportResultView): AdaptiveCard {
  let admins = Math.min(CARD_ADMINS, view.admins.length);
  let others = Math.min(CARD_OTHERS, view.others.length);
  for (;;) {
    const card = buildCard(view, admins, others);
    if (Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES || admins + others === 0) return card;
    if (others > 0) others -= 1;
    else admins -= 1;
  }
}

function buildCard(view: ReportResultView, shownAdmins: number, shownOthers: number): AdaptiveCard {
  const c = view.byCategory;
  const judged = c.usable + c['registered-not-usable'] + c['not-registered'] + c['cant-tell'];
  const notUsable = c['registered-not-usable'] + c['not-registered'];
  const body: CardElement[] = [
    heading(own('MFA report')),
    jobOutcome(view, 'the permissions in the README', REPORT_OUTCOME),
    reportScopeLine(own('Scope: '), view.scope, own('.')),
    row(own('Users judged'), own`${formatCount(judged)} (usable ${pct(c.usable, judged)})`),
  ];
  if (judged > 0) {
    body.push(verdictChart(view));
    const bars = methodChart(view);
    if (bars) body.push(bars);
  }
  body.push(
    row(
      own('Counted apart'),
      own`${formatCount(c.guest)} guests · ${formatCount(c.disabled)} disabled · ${formatCount(c.unlicensed)} without a licence`,
    ),
  );
  if (c.error > 0) body.push(row(own('Could not read'), formatCount(c.error)));
  body.push(
    row(
      own('Would fail MFA'),
      view.caTargeted === 0
        ? own('No enabled Conditional Access policy that requires MFA targets these users (by user or group).')
        : own`${formatCount(view.caWouldFail)} of ${formatCount(judged)} users (${pct(view.caWouldFail, judged)}): a Conditional Access policy requires MFA of them and none of their methods is usable (${formatCount(view.caTargeted)} targeted).`,
    ),
  );
  body.push(
    ...userList(
      own`Admins whose MFA is not usable (${formatCount(view.adminsNotUsable)})`,
      view.admins,
      shownAdmins,
      view.adminsNotUsable,
    ),
    ...userList(
      own`Other users whose MFA is not usable (${formatCount(notUsable - view.adminsNotUsable)})`,
      view.others,
      shownOthers,
      notUsable - view.adminsNotUsable,
    ),
  );
  body.push(
    text(
      view.evidenceFrom === null
        ? own('Evidence: the registration report only (no audit records could be read).')
        : own`Evidence: security-info audit records since ${formatTime(view.evidenceFrom, view.now)}, then the registration report. Role-only Conditional Access targets are not expanded.`,
      { isSubtle: true, spacing: 'Medium' },
    ),
    row(own('Took'), formatDuration(view.now - view.startedAt)),
  );
  if (view.cancelledBy) body.push(row(own('Cancelled by'), view.cancelledBy));
  const csv = csvLinkParts(view, {
    button: 'Download every user (CSV)',
    elsewhere: own('The per-user CSV is sent to the requester in a personal chat.'),
  });
  body.push(...csv.notes);
  return adaptiveCard(body, csv.actions, 'MFA report');
}

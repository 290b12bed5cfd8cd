import type { AlertRecord, HealthProblem } from '../services/alerts/types';
import { RULE_TEXT, SEVERITY_TEXT } from './alert-text';
import { adaptiveCard, row, runs, text, untrusted, verbButton, type AdaptiveCard, type CardElement } from './elements';
import { formatTime, own, type Own } from './text';

const CREDENTIAL_SETTING = {
  clientSecret: 'its client secret (AZURE_CLIENT_SECRET) has expired or was deleted',
  clientCertificate: 'its certificate (AZURE_CLIENT_CERTIFICATE_PATH) has expired or was removed from the app',
  managedIdentity: 'its managed identity was removed or no longer has access',
  static: 'the demo token (GRAPH_TOKEN) does not match the demo tenant',
} as const satisfies Record<HealthProblem['credential'], string>;

const TITLE = RULE_TEXT['bot-health'].title;

function whatHappened(p: HealthProblem): Own {
  return p.kind === 'credential'
    ? own`Microsoft Graph rejected the bot's credential (401): ${CREDENTIAL_SETTING[p.credential]}, or the app registration was disabled.`
    : own(
        "Microsoft Graph refused the bot (403): the app registration no longer has a permission this job needs, or it lost admin consent (for changes to users, also check the app's directory role covers the user).",
      );
}

function whatToDo(p: HealthProblem): Own {
  if (p.kind === 'permission')
    return own(
      '**What to do:** Entra admin center → App registrations → the bot → API permissions: add the permission below as an **application** permission and **Grant admin consent**. The job retries on its own.',
    );
  return p.credential === 'managedIdentity'
    ? own(
        '**What to do:** check the managed identity assigned to the bot and its Graph app role assignments; restart the bot afterwards.',
      )
    : own(
        '**What to do:** Entra admin center → App registrations → the bot → Certificates & secrets: add a new secret or certificate, update the setting named above, and restart the bot.',
      );
}

/** The self-health alert: which background job lost Graph access, why (credential or permission), what to do. */
export function selfHealthCard(record: AlertRecord, nowMs: number): AdaptiveCard {
  const { alert } = record;
  const problem = alert.health;
  const body: CardElement[] = [
    text(own`${SEVERITY_TEXT[alert.severity]} · ${TITLE}`, { size: 'Medium', weight: 'Bolder' }),
  ];
  if (problem) {
    body.push(
      text(whatHappened(problem)),
      // The job name is ours, but it travels through storage like the rest of the alert, so it is shown as data.
      row(own('Job'), problem.job),
      row(own('Since'), formatTime(alert.occurredAt, nowMs)),
      ...(problem.permission ? [row(own('Permission'), untrusted(problem.permission, { bold: true }))] : []),
      ...(problem.request ? [row(own('Refused request'), untrusted(problem.request, { mono: true }))] : []),
      ...(problem.graphCode ? [row(own('Graph error'), untrusted(problem.graphCode, { mono: true }))] : []),
      text(whatToDo(problem)),
      text(own('This card repeats at most once an hour while the problem lasts.'), { isSubtle: true }),
    );
  }
  if (record.acknowledged) {
    const { by, at } = record.acknowledged;
    body.push(row(own('Acknowledged'), runs([by, own` · ${formatTime(at, nowMs)}`], { max: 256 })));
  }
  const actions = record.acknowledged ? [] : [verbButton('Acknowledge', 'alert.ack', { alertId: alert.id })];
  return adaptiveCard(body, actions, own(TITLE));
}

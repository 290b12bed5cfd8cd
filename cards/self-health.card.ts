import type { AlertRecord, HealthProblem } from '../services/alerts/types';
import { ALERT_VERBS } from './alert.card';
import { RULE_TEXT, SEVERITY_TEXT } from './alert-text';
import { adaptiveCard, row, text, trustedRow, untrusted, type AdaptiveCard, type CardElement } from './elements';
import { formatTime } from './format';

const CREDENTIAL_SETTING: Record<HealthProblem['credential'], string> = {
  clientSecret: 'its client secret (AZURE_CLIENT_SECRET) has expired or was deleted',
  clientCertificate: 'its certificate (AZURE_CLIENT_CERTIFICATE_PATH) has expired or was removed from the app',
  managedIdentity: 'its managed identity was removed or no longer has access',
  static: 'the demo token (GRAPH_TOKEN) does not match the demo tenant',
};

function whatHappened(p: HealthProblem): string {
  return p.kind === 'credential'
    ? `Microsoft Graph rejected the bot's credential (401): ${CREDENTIAL_SETTING[p.credential]}, or the app registration was disabled.`
    : "Microsoft Graph refused the bot (403): the app registration no longer has a permission this job needs, or it lost admin consent (for changes to users, also check the app's directory role covers the user).";
}

function whatToDo(p: HealthProblem): string {
  if (p.kind === 'permission')
    return 'Entra admin center → App registrations → the bot → API permissions: add the permission below as an **application** permission and **Grant admin consent**. The job retries on its own.';
  return p.credential === 'managedIdentity'
    ? 'Check the managed identity assigned to the bot and its Graph app role assignments; restart the bot afterwards.'
    : 'Entra admin center → App registrations → the bot → Certificates & secrets: add a new secret or certificate, update the setting named above, and restart the bot.';
}

/** The self-health alert: which background job lost Graph access, why (credential or permission), what to do. */
export function selfHealthCard(record: AlertRecord, nowMs: number): AdaptiveCard {
  const { alert } = record;
  const problem = alert.health;
  const body: CardElement[] = [
    text(`${SEVERITY_TEXT[alert.severity]} · ${RULE_TEXT['bot-health'].title}`, { size: 'Medium', weight: 'Bolder' }),
  ];
  if (problem) {
    body.push(
      text(whatHappened(problem)),
      trustedRow('Job', problem.job),
      trustedRow('Since', formatTime(alert.occurredAt, nowMs)),
      ...(problem.permission ? [row('Permission', untrusted(problem.permission, { weight: 'Bolder' }))] : []),
      ...(problem.request ? [row('Refused request', untrusted(problem.request, { monospace: true }))] : []),
      ...(problem.graphCode ? [row('Graph error', untrusted(problem.graphCode, { monospace: true }))] : []),
      text(`**What to do:** ${whatToDo(problem)}`),
      text('This card repeats at most once an hour while the problem lasts.', { isSubtle: true }),
    );
  }
  if (record.acknowledged) {
    body.push(
      row('Acknowledged', untrusted(`${record.acknowledged.by} · ${formatTime(record.acknowledged.at, nowMs)}`)),
    );
  }
  const data = { verb: ALERT_VERBS.acknowledge, alertId: alert.id };
  const actions = record.acknowledged
    ? []
    : [
        {
          type: 'Action.Execute',
          title: 'Acknowledge',
          verb: ALERT_VERBS.acknowledge,
          data,
          fallback: { type: 'Action.Submit', title: 'Acknowledge', data },
        },
      ];
  return adaptiveCard(body, actions, RULE_TEXT['bot-health'].title);
}

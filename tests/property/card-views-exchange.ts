/** Exchange sections of the investigation (issue 13) for card tests: hostile strings in every Exchange field. */
import type { ExchangeInvestigation } from '../../services/exchange/investigation';
import { judgeExchange } from '../../services/exchange/investigation';
import { NOW } from '../unit/services/identity/mfa-fixtures';

const DAY = 24 * 3600_000;
const HOUR = 3600_000;

/** All three sections "not checked" because EXCHANGE_ADMIN_ENABLED is off. */
export function disabledExchange(now = NOW): ExchangeInvestigation {
  const nc = { kind: 'not-checked' as const, reason: { why: 'disabled' as const } };
  return judgeExchange(
    { window: { from: now - 7 * DAY, to: now }, delegates: nc, devices: nc, sent: nc },
    { suspiciousSince: null },
  );
}

/** Every section read, with `h()` in each field that comes from Exchange (names, addresses, models, domains, IPs). */
export function exchangeInvestigation(h: () => string, now = NOW): ExchangeInvestigation {
  const since = now - 26 * HOUR;
  const trustee = h();
  const guest = h();
  return judgeExchange(
    {
      window: { from: now - 7 * DAY, to: now },
      delegates: {
        kind: 'read',
        value: {
          mailbox: {
            id: 'u1',
            upn: 'casey@example.com',
            primarySmtp: 'casey@example.com',
            alias: 'casey',
            displayName: h(),
            sendOnBehalf: [],
          },
          grants: [
            { right: 'FullAccess', trustee },
            { right: 'SendAs', trustee: guest },
          ],
          recipients: new Map([
            [
              trustee.toLowerCase(),
              {
                id: 'd1',
                address: h(),
                displayName: h(),
                type: 'UserMailbox',
                createdAt: new Date(since + 20 * 60_000).toISOString(),
              },
            ],
            [guest.toLowerCase(), null],
          ]),
          audit: {
            kind: 'read',
            records: [
              {
                at: new Date(since + 35 * 60_000).toISOString(),
                operation: 'Add-MailboxPermission',
                caller: h(),
                clientIp: h(),
                mailbox: 'casey@example.com',
                trusteeText: trustee,
              },
            ],
          },
          acceptedDomains: ['example.com'],
          manager: { id: 'mgr', upn: h() },
        },
      },
      devices: {
        kind: 'read',
        value: [
          {
            identity: h(),
            deviceId: h(),
            deviceType: h(),
            model: h(),
            os: h(),
            friendlyName: h(),
            userAgent: h(),
            clientType: 'EAS',
            accessState: h(),
            firstSync: new Date(since + 50 * 60_000).toISOString(),
          },
        ],
      },
      sent: {
        kind: 'read',
        value: {
          acceptedDomains: ['example.com'],
          read: {
            truncated: true,
            rows: [
              {
                received: new Date(since + HOUR).toISOString(),
                recipient: `${h()}@drop.example.org`,
                status: 'Delivered',
                messageTraceId: 't1',
              },
              {
                received: new Date(since + 2 * HOUR).toISOString(),
                recipient: 'x@examp1e.com',
                status: 'Failed',
                messageTraceId: 't2',
              },
            ],
          },
        },
      },
    },
    { suspiciousSince: since },
  );
}

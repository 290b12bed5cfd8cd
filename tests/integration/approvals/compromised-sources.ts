import { DEMO_GRAPH_TOKEN, DEMO_TENANT_ID } from '../../../demo/constants';
import type {
  FlaggedPersistenceSource,
  MailboxDelegatePort,
  MobileDevicePort,
} from '../../../services/approvals/ports';
import { createExchangeAdminApi, type ExchangeAdminApi } from '../../../services/exchange/admin-api';
import { createExchangeInvestigator } from '../../../services/exchange/investigation';
import { createDelegatePort } from '../../../services/exchange/remove-delegate';
import { createMobileDevicePort } from '../../../services/exchange/mobile-device-block';
import { systemClock } from '../../../services/clock';
import { CodedError } from '../../../services/errors';
import type { UserId } from '../../../services/ids';
import { createGraphAuditEvidenceSource } from '../../../services/identity/audit-evidence';
import { createInvestigator, type Investigator } from '../../../services/identity/investigation';
import { createPolicyCache } from '../../../services/identity/mfa-evidence';
import { recordingGraphClient, scaledLimits, withUsers } from '../../support/demo-turn';

/**
 * What bot/main.ts wires into the approval flow with EXCHANGE_ADMIN_ENABLED, over the demo tenant at `url()`: the
 * real investigation's flagged items and the Exchange admin API simulation (built on first use, once the tenant runs).
 */
export function compromisedSources(url: () => string): {
  flagged: FlaggedPersistenceSource;
  delegates: MailboxDelegatePort;
  mobileDevices: MobileDevicePort;
  exchange: () => ExchangeAdminApi;
} {
  let investigator: Investigator | null = null;
  let exchangeApi: ExchangeAdminApi | null = null;
  const exchange = (): ExchangeAdminApi =>
    (exchangeApi ??= createExchangeAdminApi({
      baseUrl: url(),
      tenant: DEMO_TENANT_ID,
      tokens: { getToken: () => Promise.resolve(DEMO_GRAPH_TOKEN) },
    }));
  const delegates: MailboxDelegatePort = {
    holds: (mailbox, item) => createDelegatePort(exchange()).holds(mailbox, item),
    remove: (mailbox, item) => createDelegatePort(exchange()).remove(mailbox, item),
    restore: (mailbox, item) => createDelegatePort(exchange()).restore(mailbox, item),
  };
  const mobileDevices: MobileDevicePort = {
    partnerships: (mailbox) => createMobileDevicePort(exchange()).partnerships(mailbox),
    blockedIds: (mailbox) => createMobileDevicePort(exchange()).blockedIds(mailbox),
    block: (mailbox, id) => createMobileDevicePort(exchange()).block(mailbox, id),
    unblock: (mailbox, id) => createMobileDevicePort(exchange()).unblock(mailbox, id),
  };
  const flagged: FlaggedPersistenceSource = {
    flagged: async (target) => {
      investigator ??= (() => {
        const { client, users } = withUsers(recordingGraphClient(url(), [], { limits: scaledLimits(5) }));
        return createInvestigator({
          client,
          users,
          audit: createGraphAuditEvidenceSource(client),
          clock: systemClock,
          policies: createPolicyCache(60_000),
          auditDays: 30,
          // The forwarding rule is contain's own step (read by the planner), not a flagged item.
          forwarding: { checkForwarding: () => Promise.reject(new CodedError('graph_unavailable', 'not read here')) },
          exchange: createExchangeInvestigator({ api: exchange() }),
        });
      })();
      return (await investigator.investigate({ kind: 'id', id: target.id as UserId })).flagged;
    },
  };
  return { flagged, delegates, mobileDevices, exchange };
}

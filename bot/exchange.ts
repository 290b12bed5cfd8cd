import { createExchangeAdminApi, type ExchangeAdminApi } from '../services/exchange/admin-api';
import type { Clock } from '../services/clock';
import { createTokenSource } from '../services/graph/credentials';
import type { Config } from './config';

const EXCHANGE_ROOT = 'https://outlook.office365.com';

/** The Exchange Online admin API client of this bot, or undefined when EXCHANGE_ADMIN_ENABLED is off. */
export function createExchangeFromConfig(config: Config, clock: Clock): ExchangeAdminApi | undefined {
  if (!config.exchangeAdminEnabled) return undefined;
  return createExchangeAdminApi({
    // The demo tenant simulates the Exchange admin API on its own URL.
    baseUrl: config.mode === 'demo' ? config.graph.baseUrl : EXCHANGE_ROOT,
    tenant: config.allowedTenantId,
    tokens: createTokenSource(config.graph.credential, `${EXCHANGE_ROOT}/.default`),
    clock,
  });
}

import { EXCHANGE_PLAN_IDS, findSku } from './seed/skus';
import type { DemoUser } from './state';

/** A user has a mailbox when an Exchange service plan is assigned and not disabled. */
export function hasMailbox(user: DemoUser): boolean {
  return user.assignedLicenses.some((assigned) =>
    (findSku(assigned.skuId)?.servicePlans ?? []).some(
      (p) => EXCHANGE_PLAN_IDS.has(p.servicePlanId) && !assigned.disabledPlans.includes(p.servicePlanId),
    ),
  );
}

/** Licence SKUs and service plans the demo tenant assigns (ids from Microsoft's licensing service-plan reference). */
export interface ServicePlan {
  servicePlanId: string;
  servicePlanName: string;
  appliesTo: 'User' | 'Company';
}

export interface Sku {
  skuId: string;
  skuPartNumber: string;
  servicePlans: ServicePlan[];
}

export const PLAN = {
  advancedAuditing: {
    servicePlanId: '2f442157-a11c-46b9-ae5b-6e39ff4e5849',
    servicePlanName: 'M365_ADVANCED_AUDITING',
    appliesTo: 'User',
  },
  exchangeE5: {
    servicePlanId: 'efb87545-963c-4e0d-99df-69c6916d9eb0',
    servicePlanName: 'EXCHANGE_S_ENTERPRISE',
    appliesTo: 'User',
  },
  aadP1: { servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d', servicePlanName: 'AAD_PREMIUM', appliesTo: 'User' },
  aadP2: {
    servicePlanId: 'eec0eb4f-6444-4f95-aba0-50c24d67f998',
    servicePlanName: 'AAD_PREMIUM_P2',
    appliesTo: 'User',
  },
  teams: { servicePlanId: '57ff2da0-773e-42df-b2af-ffb7a2317929', servicePlanName: 'TEAMS1', appliesTo: 'User' },
  intune: { servicePlanId: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', servicePlanName: 'INTUNE_A', appliesTo: 'User' },
} as const satisfies Record<string, ServicePlan>;

export const SKU = {
  e5: {
    skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06',
    skuPartNumber: 'SPE_E5',
    servicePlans: [PLAN.advancedAuditing, PLAN.exchangeE5, PLAN.aadP1, PLAN.aadP2, PLAN.teams, PLAN.intune],
  },
  e3: {
    skuId: '05e9a617-0261-4cee-bb44-138d3ef5d965',
    skuPartNumber: 'SPE_E3',
    servicePlans: [PLAN.exchangeE5, PLAN.aadP1, PLAN.teams, PLAN.intune],
  },
  ems: {
    skuId: 'b05e124f-c7cc-45a0-a6aa-8cf78c946968',
    skuPartNumber: 'EMSPREMIUM',
    servicePlans: [PLAN.aadP1, PLAN.aadP2, PLAN.intune],
  },
} as const satisfies Record<string, Sku>;

const CATALOGUE: readonly Sku[] = Object.values(SKU);

export function findSku(skuId: string): Sku | undefined {
  return CATALOGUE.find((s) => s.skuId === skuId);
}

export const EXCHANGE_PLAN_IDS = new Set<string>([PLAN.exchangeE5.servicePlanId]);

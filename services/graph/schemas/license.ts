import { z } from 'zod';
import { listOf, optionalString } from './fields';

/** A `licenseDetails` entry with its service plans (Audit Premium is plan M365_ADVANCED_AUDITING). */
export const licenseDetailSchema = z.looseObject({
  id: z.string(),
  skuId: z.string(),
  skuPartNumber: optionalString,
  servicePlans: listOf(
    z.looseObject({
      servicePlanId: z.string(),
      servicePlanName: optionalString,
      provisioningStatus: optionalString,
      appliesTo: optionalString,
    }),
  ),
});

export type LicenseDetail = z.infer<typeof licenseDetailSchema>;

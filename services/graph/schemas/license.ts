import { z } from 'zod';

/** A `licenseDetails` entry with its service plans (Audit Premium is plan M365_ADVANCED_AUDITING). */
export const licenseDetailSchema = z.looseObject({
  id: z.string(),
  skuId: z.string(),
  skuPartNumber: z
    .string()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  servicePlans: z
    .array(
      z.looseObject({
        servicePlanId: z.string(),
        servicePlanName: z
          .string()
          .nullable()
          .optional()
          .transform((v) => v ?? null),
        provisioningStatus: z
          .string()
          .nullable()
          .optional()
          .transform((v) => v ?? null),
        appliesTo: z
          .string()
          .nullable()
          .optional()
          .transform((v) => v ?? null),
      }),
    )
    .optional()
    .transform((v) => v ?? []),
});

export type LicenseDetail = z.infer<typeof licenseDetailSchema>;

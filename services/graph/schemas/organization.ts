import { z } from 'zod';

/** The tenant (`GET /organization`): id, name and verified domains. */
export const organizationSchema = z.looseObject({
  id: z.string(),
  displayName: z
    .string()
    .nullable()
    .optional()
    .transform((v) => v ?? null),
  verifiedDomains: z
    .array(
      z.looseObject({
        name: z.string(),
        isDefault: z
          .boolean()
          .nullable()
          .optional()
          .transform((v) => v ?? false),
        isInitial: z
          .boolean()
          .nullable()
          .optional()
          .transform((v) => v ?? false),
        type: z
          .string()
          .nullable()
          .optional()
          .transform((v) => v ?? null),
        capabilities: z
          .string()
          .nullable()
          .optional()
          .transform((v) => v ?? null),
      }),
    )
    .optional()
    .transform((v) => v ?? []),
});

export type Organization = z.infer<typeof organizationSchema>;

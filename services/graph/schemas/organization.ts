import { z } from 'zod';
import { flag, listOf, optionalString } from './fields';

/** The tenant (`GET /organization`): id, name and verified domains. */
export const organizationSchema = z.looseObject({
  id: z.string(),
  displayName: optionalString,
  verifiedDomains: listOf(
    z.looseObject({
      name: z.string(),
      isDefault: flag,
      isInitial: flag,
      type: optionalString,
      capabilities: optionalString,
    }),
  ),
});

export type Organization = z.infer<typeof organizationSchema>;

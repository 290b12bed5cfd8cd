import { z } from 'zod';

/** Graph's error body: `{error:{code,message,innerError:{request-id,date,…}}}`; every field optional so odd bodies still parse. */
export const graphErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.string().optional().catch(undefined),
    message: z.string().optional().catch(undefined),
    innerError: z
      .looseObject({
        code: z.string().optional().catch(undefined),
        'request-id': z.string().optional().catch(undefined),
        'client-request-id': z.string().optional().catch(undefined),
        date: z.string().optional().catch(undefined),
      })
      .optional()
      .catch(undefined),
  }),
});

export type GraphErrorBody = z.infer<typeof graphErrorBodySchema>;

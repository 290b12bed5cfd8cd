import { z } from 'zod';

/** One sub-response of `$batch`; header names are lower-cased here because Graph and fakes vary the case. */
export const batchItemResponseSchema = z.looseObject({
  id: z.string(),
  status: z.number().int(),
  headers: z
    .record(z.string(), z.union([z.string(), z.number()]).transform(String))
    .optional()
    .transform((h) => Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k.toLowerCase(), v]))),
  body: z.unknown().optional(),
});

/** The `$batch` reply: `{responses:[…]}`, possibly out of order. */
export const batchResponseSchema = z.looseObject({ responses: z.array(batchItemResponseSchema) });

export type BatchItemResponse = z.infer<typeof batchItemResponseSchema>;

import { z } from 'zod';

/** A Graph collection page: `{value:[…], @odata.nextLink?}` with items parsed by `item`. */
export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    value: z.array(item),
    '@odata.nextLink': z.string().optional(),
  });
}

import { z } from 'zod';

/** Field parsers shared by the resource schemas: Graph omits or nulls absent values, and we read both as one. */
export const optionalString = orNull(z.string());
export const optionalNumber = orNull(z.number());
export const optionalBoolean = orNull(z.boolean());
/** A flag Graph may omit; absent means false. */
export const flag = z
  .boolean()
  .nullable()
  .optional()
  .transform((v) => v ?? false);
/** A string list Graph may omit or null; absent means empty. */
export const stringList = listOf(z.string());
/** A value (object, enum…) Graph may omit or null; absent means null. */
export function orNull<T extends z.ZodType>(schema: T) {
  return schema
    .nullable()
    .optional()
    .transform((v): z.output<T> | null => v ?? null);
}
/** A list Graph may omit or null; absent means empty. */
export function listOf<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullable()
    .optional()
    .transform((v): z.output<T>[] => v ?? []);
}

/** A schema's `$select`: its field names in order (annotations such as `@odata.type` come without being asked for). */
export function selectOf(schema: { shape: Record<string, unknown> }): readonly string[] {
  return Object.keys(schema.shape).filter((name) => !name.startsWith('@'));
}

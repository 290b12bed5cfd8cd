import { z } from 'zod';

/** Field parsers shared by the resource schemas: Graph omits or nulls absent values, and we read both as one. */
export const optionalString = z
  .string()
  .nullable()
  .optional()
  .transform((v) => v ?? null);
export const optionalNumber = z
  .number()
  .nullable()
  .optional()
  .transform((v) => v ?? null);
export const optionalBoolean = z
  .boolean()
  .nullable()
  .optional()
  .transform((v) => v ?? null);
/** A flag Graph may omit; absent means false. */
export const flag = z
  .boolean()
  .nullable()
  .optional()
  .transform((v) => v ?? false);
/** A string list Graph may omit or null; absent means empty. */
export const stringList = z
  .array(z.string())
  .nullable()
  .optional()
  .transform((v) => v ?? []);

import { z } from 'zod';
import { optionalString as nullableString } from './fields';

const groupSchema = z.looseObject({
  '@odata.type': z.literal('#microsoft.graph.group'),
  id: z.string(),
  displayName: nullableString,
  securityEnabled: z.boolean().nullable().optional(),
  mailEnabled: z.boolean().nullable().optional(),
  groupTypes: z.array(z.string()).optional(),
});

const directoryRoleSchema = z.looseObject({
  '@odata.type': z.literal('#microsoft.graph.directoryRole'),
  id: z.string(),
  displayName: nullableString,
  roleTemplateId: nullableString,
  description: nullableString,
});

/** A `memberOf` entry: a group, a directory role, or another type kept as `unknown` with its raw @odata.type. */
export const directoryObjectSchema = z.unknown().transform((raw, ctx) => {
  const role = directoryRoleSchema.safeParse(raw);
  if (role.success) return { kind: 'directoryRole' as const, ...role.data };
  const group = groupSchema.safeParse(raw);
  if (group.success) return { kind: 'group' as const, ...group.data };
  const other = z.looseObject({ id: z.string(), '@odata.type': z.string().optional() }).safeParse(raw);
  if (other.success)
    return { kind: 'unknown' as const, id: other.data.id, odataType: other.data['@odata.type'] ?? null };
  ctx.addIssue({ code: 'custom', message: 'directory object without id' });
  return z.NEVER;
});

export type DirectoryObject = z.infer<typeof directoryObjectSchema>;
export type DirectoryRole = Extract<DirectoryObject, { kind: 'directoryRole' }>;
export type DirectoryGroup = Extract<DirectoryObject, { kind: 'group' }>;

import { z } from 'zod';
import { optionalString as ns, orNull } from './fields';

/** modifiedProperties old/new values are JSON-encoded strings; decode when possible, keep the raw string otherwise. */
function decodeJsonString(value: string | null): unknown {
  if (value === null) return null;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    // Not every value is JSON (e.g. plain text in some records); the raw string is the faithful fallback.
    return value;
  }
}

const modifiedPropertySchema = z
  .looseObject({ displayName: ns, oldValue: ns, newValue: ns })
  .transform((p) => ({ ...p, oldDecoded: decodeJsonString(p.oldValue), newDecoded: decodeJsonString(p.newValue) }));

/** Look a key up case-insensitively: the docs spell targetResources' `type` as `Type` in one example. */
function pick(record: Record<string, unknown>, key: string): unknown {
  if (key in record) return record[key];
  const lower = key.toLowerCase();
  const found = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : record[found];
}

const targetResourceSchema = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const normalised = {
    id: pick(raw, 'id'),
    displayName: pick(raw, 'displayName'),
    type: pick(raw, 'type'),
    userPrincipalName: pick(raw, 'userPrincipalName'),
    groupType: pick(raw, 'groupType'),
    modifiedProperties: pick(raw, 'modifiedProperties'),
  };
  const parsed = z
    .object({
      id: ns,
      displayName: ns,
      type: ns,
      userPrincipalName: ns,
      groupType: ns,
      modifiedProperties: z
        .array(modifiedPropertySchema)
        .nullable()
        .optional()
        .transform((v) => v ?? []),
    })
    .safeParse(normalised);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return parsed.data;
});

/** A directory audit record (graph-api.md §3). */
export const directoryAuditSchema = z.looseObject({
  id: z.string(),
  category: ns,
  correlationId: ns,
  activityDisplayName: z.string(),
  activityDateTime: z.string(),
  loggedByService: ns,
  operationType: ns,
  result: ns,
  resultReason: ns,
  initiatedBy: z
    .looseObject({
      user: orNull(z.looseObject({ id: ns, displayName: ns, userPrincipalName: ns, ipAddress: ns, userType: ns })),
      app: orNull(z.looseObject({ appId: ns, displayName: ns, servicePrincipalId: ns, servicePrincipalName: ns })),
    })
    .nullable()
    .optional()
    .transform((v) => v ?? { user: null, app: null }),
  targetResources: z
    .array(targetResourceSchema)
    .nullable()
    .optional()
    .transform((v) => v ?? []),
  additionalDetails: z
    .array(z.looseObject({ key: ns, value: ns }))
    .nullable()
    .optional()
    .transform((v) => v ?? []),
});

export type DirectoryAudit = z.infer<typeof directoryAuditSchema>;

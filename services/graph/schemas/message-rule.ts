import { z } from 'zod';
import { optionalString as ns, flag as nb, stringList, optionalNumber } from './fields';

const recipientSchema = z.looseObject({
  emailAddress: z.looseObject({ name: ns, address: ns }),
});
const recipients = z
  .array(recipientSchema)
  .nullable()
  .optional()
  .transform((v) => v ?? []);

/** `redirectTo` is documented as one recipient but seen as an array: always an array here. */
const oneOrManyRecipients = z
  .union([z.array(recipientSchema), recipientSchema])
  .nullable()
  .optional()
  .transform((v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** An inbox rule (graph-api.md §6). */
export const messageRuleSchema = z.looseObject({
  id: z.string(),
  displayName: ns,
  sequence: optionalNumber,
  isEnabled: nb,
  hasError: nb,
  isReadOnly: nb,
  conditions: z
    .record(z.string(), z.unknown())
    .nullable()
    .optional()
    .transform((v) => v ?? {}),
  exceptions: z
    .record(z.string(), z.unknown())
    .nullable()
    .optional()
    .transform((v) => v ?? {}),
  actions: z
    .looseObject({
      forwardTo: recipients,
      forwardAsAttachmentTo: recipients,
      redirectTo: oneOrManyRecipients,
      delete: nb,
      permanentDelete: nb,
      markAsRead: nb,
      stopProcessingRules: nb,
      moveToFolder: ns,
      copyToFolder: ns,
      assignCategories: stringList,
      markImportance: ns,
    })
    .nullable()
    .optional()
    .transform(
      (v) =>
        v ?? {
          forwardTo: [],
          forwardAsAttachmentTo: [],
          redirectTo: [],
          delete: false,
          permanentDelete: false,
          markAsRead: false,
          stopProcessingRules: false,
          moveToFolder: null,
          copyToFolder: null,
          assignCategories: [],
          markImportance: null,
        },
    ),
});

export type MessageRule = z.infer<typeof messageRuleSchema>;

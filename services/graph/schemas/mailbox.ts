import { z } from 'zod';
import { flag, optionalString } from './fields';

/** A mail folder as a rule's target: its name and whether it is hidden (`$select=id,displayName,isHidden`). */
export const mailFolderSchema = z.looseObject({
  id: z.string(),
  displayName: optionalString,
  isHidden: flag,
});

/** A user in a sweep's page (`$select=id,userPrincipalName,mail`); a group's members may include other types. */
export const userListItemSchema = z.looseObject({
  id: z.string(),
  '@odata.type': z.string().optional(),
  userPrincipalName: optionalString,
  mail: optionalString,
});

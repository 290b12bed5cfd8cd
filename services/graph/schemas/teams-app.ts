import { z } from 'zod';

/** A userScopeTeamsAppInstallation (GET /users/{id}/teamwork/installedApps?$expand=teamsApp), the fields we read. */
export const teamsAppInstallationSchema = z.looseObject({
  id: z.string().min(1),
  teamsApp: z
    .looseObject({
      id: z.string(),
      externalId: z.string().nullable().optional(),
      displayName: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
});

/** The 1:1 chat between the user and the app's bot (GET …/installedApps/{id}/chat). */
export const installedAppChatSchema = z.looseObject({
  id: z.string().min(1),
  chatType: z.string().nullable().optional(),
  tenantId: z.string().nullable().optional(),
});

export type TeamsAppInstallation = z.infer<typeof teamsAppInstallationSchema>;

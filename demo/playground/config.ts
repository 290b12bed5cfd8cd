import { z } from 'zod';

const userSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    // The Playground spells the field `userPrincipleName`; it is renamed once here.
    userPrincipleName: z.string(),
    aadObjectId: z.string().min(1),
    email: z.string().optional(),
  })
  .transform(({ userPrincipleName, ...rest }) => ({ ...rest, userPrincipalName: userPrincipleName }));

const channelSchema = z.object({ id: z.string().min(1), name: z.string(), channelType: z.string() });

const configSchema = z.object({
  tenantId: z.string().min(1),
  bot: z.object({ id: z.string().min(1), name: z.string() }),
  currentUser: userSchema,
  users: z.array(userSchema),
  personalChat: z.object({ id: z.string().min(1), name: z.string() }),
  groupChats: z.array(z.object({ id: z.string().min(1), name: z.string(), members: z.array(z.string()) })),
  teams: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string(),
      aadGroupId: z.string(),
      channels: z.array(channelSchema),
      members: z.array(z.string()),
    }),
  ),
});

const configResponseSchema = z.object({ config: configSchema });

/** The Playground's mock tenant, as served by GET /_internal/v1/config (chat ids change at every start). */
export type PlaygroundConfig = z.infer<typeof configSchema>;

/** A mock user of the Playground (`user-id-0` is the current user, who types in the UI). */
export type PlaygroundUser = PlaygroundConfig['currentUser'];

/** Parses the body of GET /_internal/v1/config; throws a zod error naming the field that changed shape. */
export function parsePlaygroundConfig(body: unknown): PlaygroundConfig {
  return configResponseSchema.parse(body).config;
}

/** Every mock user, the current user first. */
export function listPlaygroundUsers(config: PlaygroundConfig): PlaygroundUser[] {
  return [config.currentUser, ...config.users];
}

/** The mock user with this Playground id (`user-id-N`), or undefined. */
export function findPlaygroundUser(config: PlaygroundConfig, id: string): PlaygroundUser | undefined {
  return listPlaygroundUsers(config).find((user) => user.id === id);
}

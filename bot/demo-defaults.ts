/**
 * The settings demo mode defaults to (bot/config.ts): the ids of the demo tenant, which match the mock tenant of the
 * Microsoft 365 Agents Playground, its groups, ports and static token. demo/ builds its tenant from these; production
 * code never imports demo/. The Playground's ids end in 13 digits and are not valid GUIDs.
 */
export const DEMO_TENANT_ID = '00000000-0000-0000-0000-0000000000001';
export const DEMO_OPERATORS_GROUP_ID = '5ec0b0a1-0000-4000-8000-00000000a001';
export const DEMO_APPROVERS_GROUP_ID = '5ec0b0a1-0000-4000-8000-00000000a002';
export const DEMO_PROTECTED_GROUP_ID = '5ec0b0a1-0000-4000-8000-00000000a003';
/** The demo's VIP group (executives): `posture` checks their advanced-auditing licences. */
export const DEMO_VIP_GROUP_ID = '5ec0b0a1-0000-4000-8000-00000000a005';

/** Default ports in demo mode; all servers bind 127.0.0.1 (the Playground itself listens on every interface). */
export const DEMO_PORTS = { bot: 3978, playground: 56150, graph: 56160 } as const;

/** The static bearer token the bot sends to the demo tenant. Not a secret: the demo tenant holds no real data. */
export const DEMO_GRAPH_TOKEN = 'demo-tenant-token';

/** The mailbox the demo's alert poller watches for inbox rules (the external-forwarding-rule scenario adds one). */
export const DEMO_WATCHED_MAILBOX = 'pattif@example.com';

/** The bot's app id in the demo tenant's app catalog (installing it for a user gives the bot a 1:1 chat with them). */
export const DEMO_TEAMS_APP_CATALOG_ID = '5ec0a990-0000-4000-8000-0000000cafe1';

/**
 * Fixed identifiers of the demo tenant. They match the mock tenant and users of the Microsoft 365 Agents
 * Playground (GET /_internal/v1/config), so the Playground's default user is an operator of the demo tenant.
 * The Playground's ids end in 13 digits and are not valid GUIDs: demo code must not insist on GUID shape for them.
 */

// The demo tenant's ids, ports and token are the bot's demo-mode defaults; they are declared with the settings.
export {
  DEMO_APPROVERS_GROUP_ID,
  DEMO_GRAPH_TOKEN,
  DEMO_OPERATORS_GROUP_ID,
  DEMO_PORTS,
  DEMO_PROTECTED_GROUP_ID,
  DEMO_TENANT_ID,
  DEMO_WATCHED_MAILBOX,
} from '../bot/demo-defaults';

export const DEMO_BOT_ID = '00000000-0000-0000-0000-00000000000011';
export const DEMO_VERIFIED_DOMAINS = ['example.com', 'example.net', 'example.onmicrosoft.com'] as const;

/** The Playground's mock users (ids as the Playground sends them in activities). */
export const PLAYGROUND_USERS = [
  {
    playgroundId: 'user-id-0',
    aadObjectId: '00000000-0000-0000-0000-0000000000020',
    upn: 'alexw@example.com',
    displayName: 'Alex Wilber',
    roles: ['operator', 'approver'],
  },
  {
    playgroundId: 'user-id-1',
    aadObjectId: '00000000-0000-0000-0000-0000000000021',
    upn: 'meganb@example.com',
    displayName: 'Megan Bowen',
    roles: ['approver'],
  },
  {
    playgroundId: 'user-id-2',
    aadObjectId: '00000000-0000-0000-0000-0000000000022',
    upn: 'adelev@example.com',
    displayName: 'Adele Vance',
    roles: ['operator'],
  },
  // The Playground spells this user's UPN isaiah@ and mail isaiahl@; the demo tenant keeps both.
  {
    playgroundId: 'user-id-3',
    aadObjectId: '00000000-0000-0000-0000-0000000000023',
    upn: 'isaiah@example.com',
    displayName: 'Isaiah Langer',
    roles: [],
  },
  {
    playgroundId: 'user-id-4',
    aadObjectId: '00000000-0000-0000-0000-0000000000024',
    upn: 'pattif@example.com',
    displayName: 'Patti Fernandez',
    roles: [],
  },
  {
    playgroundId: 'user-id-5',
    aadObjectId: '00000000-0000-0000-0000-0000000000025',
    upn: 'lynner@example.com',
    displayName: 'Lynne Robbins',
    roles: [],
  },
] as const;

import { z } from 'zod';

/**
 * The one schema for what the bot reads from an inbound activity, checked before botbuilder or any handler sees it.
 * Fields the bot does not read pass through untouched (loose objects), but the whole body is bounded in depth.
 */

/** Deepest nesting accepted anywhere in a body: Teams activities and card submits stay far below it. */
export const MAX_ACTIVITY_DEPTH = 32;

// An Entra object id in tenant mode. The Agents Playground's mock ids have 13 digits in the last group (not GUIDs),
// so demo mode accepts that shape too; a UPN or any other string is refused in both.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEMO_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;

/** How strictly Entra ids are checked: real GUIDs, or the Playground's GUID-like mock ids as well. */
export type IdShape = 'guid' | 'demo';

const id = z.string().min(1).max(1024);
const shortText = z.string().max(256);

function entraId(shape: IdShape) {
  // Compared in canonical (lower-case) form everywhere, so one person cannot appear as two.
  return z
    .string()
    .regex(shape === 'guid' ? GUID : DEMO_ID, 'must be an Entra object id (GUID)')
    .transform((value) => value.toLowerCase());
}

const member = z.looseObject({ id, name: shortText.nullish() });

function activitySchema(shape: IdShape) {
  return z
    .looseObject({
      type: z.string().min(1).max(64),
      id: id.optional(),
      channelId: z.string().min(1).max(64),
      serviceUrl: z.url({ protocol: /^https?$/ }).max(2048),
      from: z.looseObject({ id, name: shortText.nullish(), aadObjectId: entraId(shape).optional() }),
      recipient: member.optional(),
      conversation: z.looseObject({
        id,
        conversationType: z.string().max(32).optional(),
        tenantId: z.string().max(128).optional(),
        isGroup: z.boolean().optional(),
        name: shortText.nullish(),
      }),
      channelData: z
        .looseObject({
          tenant: z.looseObject({ id: z.string().max(128) }).optional(),
          teamsChannelId: z.string().max(1024).optional(),
          channel: z.looseObject({ id: z.string().max(1024) }).optional(),
        })
        .optional(),
      // Teams caps a message near 28 KB; longer text gets sspr-check's "too large" answer rather than a 400.
      text: z.string().max(100_000).optional(),
      value: z.unknown().optional(),
      name: z.string().max(128).optional(),
      replyToId: id.optional(),
      action: z.string().max(64).optional(),
      membersAdded: z.array(member).max(1000).optional(),
      membersRemoved: z.array(member).max(1000).optional(),
      entities: z.array(z.unknown()).max(100).optional(),
      attachments: z.array(z.unknown()).max(20).optional(),
      // Teams never asks for buffered replies; refusing it keeps every answer on the normal (and audited) path.
      deliveryMode: z.enum(['normal', 'notification']).optional(),
    })
    .superRefine((activity, ctx) => {
      if ((activity.type === 'message' || activity.type === 'invoke') && activity.id === undefined)
        ctx.addIssue({ code: 'custom', path: ['id'], message: 'messages and invokes need an id (re-delivery dedupe)' });
    });
}

/** The typed activity the turn works from. */
export type InboundActivity = z.output<ReturnType<typeof activitySchema>>;

/** Why an activity body was refused: the field path and problem, never the value. */
export type InboundResult = { ok: true; activity: InboundActivity } | { ok: false; problem: string };

const schemas: Record<IdShape, ReturnType<typeof activitySchema>> = {
  guid: activitySchema('guid'),
  demo: activitySchema('demo'),
};

/** Nesting depth of a JSON value, without recursion (a 5,000-level body must not overflow the stack). */
export function exceedsDepth(value: unknown, max: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

/** Parses an inbound body: depth first, then the schema. */
export function parseInboundActivity(body: unknown, shape: IdShape): InboundResult {
  if (exceedsDepth(body, MAX_ACTIVITY_DEPTH)) return { ok: false, problem: `nested deeper than ${MAX_ACTIVITY_DEPTH}` };
  const parsed = schemas[shape].safeParse(body);
  if (parsed.success) return { ok: true, activity: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') || '(body)';
  return { ok: false, problem: `${path}: ${issue?.message ?? 'invalid'}`.slice(0, 200) };
}

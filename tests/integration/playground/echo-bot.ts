import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

const activitySchema = z.looseObject({
  type: z.string(),
  id: z.string().optional(),
  name: z.string().optional(),
  text: z.string().optional(),
  value: z.unknown().optional(),
  replyToId: z.string().optional(),
  serviceUrl: z.string().optional(),
  from: z.looseObject({ id: z.string(), name: z.string().optional(), aadObjectId: z.string().optional() }).optional(),
  conversation: z
    .looseObject({ id: z.string(), conversationType: z.string().optional(), tenantId: z.string().optional() })
    .optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  entities: z.array(z.record(z.string(), z.unknown())).optional(),
});

/** An activity as the echo bot received it. */
export type ReceivedActivity = z.infer<typeof activitySchema>;

/** A minimal anonymous Bot Framework bot: replies to messages with a card, answers invokes with a card. */
export interface EchoBot {
  endpoint: string;
  received: ReceivedActivity[];
  failures: string[];
  close(): Promise<void>;
}

/** A one-TextBlock Adaptive Card with an Execute button (verb `edit` makes the bot update the card in place). */
export function echoCard(text: string): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text, wrap: true }],
    actions: [
      { type: 'Action.Execute', title: 'Execute', verb: 'echo.execute', data: { n: 1 } },
      { type: 'Action.Execute', title: 'Edit', verb: 'edit', data: {} },
      { type: 'Action.Submit', title: 'Submit', data: { submitted: true } },
    ],
  };
}

const cardAttachment = (text: string): Record<string, unknown> => ({
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: echoCard(text),
});

function activityUrl(serviceUrl: string, conversationId: string, activityId: string): string {
  // The Playground's serviceUrl has no trailing slash (http://localhost:N/_connector).
  const root = serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`;
  return `${root}v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent(activityId)}`;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Starts the echo bot on 127.0.0.1 and a free port. */
export async function startEchoBot(): Promise<EchoBot> {
  const received: ReceivedActivity[] = [];
  const failures: string[] = [];

  async function call(method: 'POST' | 'PUT', url: string, body: unknown): Promise<void> {
    const res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) failures.push(`${method} ${url} -> ${res.status} ${await res.text()}`);
  }

  async function reply(activity: ReceivedActivity, text: string): Promise<void> {
    if (activity.serviceUrl === undefined || activity.conversation === undefined || activity.id === undefined) return;
    // Attachments only: with text too the Playground splits the reply in two and returns no id.
    await call('POST', activityUrl(activity.serviceUrl, activity.conversation.id, activity.id), {
      type: 'message',
      replyToId: activity.id,
      attachments: [cardAttachment(text)],
    });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      // The Playground probes the endpoint with an empty POST at start-up.
      const parsed = raw === '' ? undefined : activitySchema.safeParse(parseJson(raw));
      if (parsed === undefined || !parsed.success) {
        res.writeHead(200);
        res.end();
        return;
      }
      const activity = parsed.data;
      received.push(activity);
      if (activity.type === 'invoke') {
        const action = z.object({ action: z.object({ verb: z.string() }) }).safeParse(activity.value);
        const verb = action.success ? action.data.action.verb : 'unknown';
        const body = {
          statusCode: 200,
          type: 'application/vnd.microsoft.card.adaptive',
          value: echoCard(`${verb} by ${activity.from?.name ?? '?'}`),
        };
        // restify, loaded in the same test process, replaces writeHead with one that does not return `res`.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
        if (verb === 'edit' && activity.serviceUrl && activity.conversation && activity.replyToId) {
          const url = activityUrl(activity.serviceUrl, activity.conversation.id, activity.replyToId);
          void call('PUT', url, {
            type: 'message',
            id: activity.replyToId,
            attachments: [cardAttachment('edited')],
          }).catch((err: Error) => failures.push(err.message));
        }
        return;
      }
      res.writeHead(200);
      res.end();
      if (activity.type === 'message') {
        const text =
          activity.value === undefined
            ? `echo: ${activity.text ?? ''}`
            : `submitted: ${JSON.stringify(activity.value)}`;
        void reply(activity, text).catch((err: Error) => failures.push(err.message));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    received,
    failures,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

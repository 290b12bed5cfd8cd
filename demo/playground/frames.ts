import { z } from 'zod';

/*
 * Frames of the Playground's conversation WebSocket (/_ws_conversation/v1/conversations/stream), observed with
 * @microsoft/m365agentsplayground 0.2.28. Nothing needs to be sent to subscribe.
 * - A bot message (POST {serviceUrl}/v3/conversations/{conv}/activities[/{replyToId}]) arrives as
 *   {action:'createMessage', actionConversationId, message:{messageId, timestamp, from:{id: bot id}, text?,
 *   textFormat, attachments:[{contentType, content}], attachmentLayout, mentions}}.
 * - An activity with both text and attachments is split in two frames: messageId `N` holds the text and
 *   `N-<8 hex>` the attachments; the connector then answers the bot 202 with no body, so the bot never learns
 *   either id. Text-only or attachments-only activities get 201 {id} and one frame with that id.
 * - updateActivity (PUT {serviceUrl}/v3/conversations/{conv}/activities/{id}) answers 200 {id} and arrives as
 *   {action:'updateMessage', actionConversationId, message:{messageId: the same id, timestamp: new, ...the
 *   whole new content}}.
 * - An invoke response replaces the card in the Playground's store but emits no frame; the UI redraws it from
 *   the HTTP answer of /_conversation/v1/invoke.
 * - Typing: {action:'typing', actionConversationId}.
 * - In a channel, the first message of a thread carries actionConversationId = the channel id and
 *   message.postConversationId = the thread (`team-id;messageid=N`).
 * - Frames produced while no client is connected are buffered and flushed to the next client that connects.
 * - Messages typed by the user are not echoed on the socket; every message frame is the bot's.
 */

const attachmentSchema = z.object({ contentType: z.string(), content: z.unknown() });

const messageSchema = z.object({
  messageId: z.string(),
  timestamp: z.number().optional(),
  from: z.object({ id: z.string() }),
  text: z.string().optional(),
  textFormat: z.string().optional(),
  attachments: z.array(attachmentSchema).default([]),
  postConversationId: z.string().optional(),
});

const messageFrameSchema = z.object({
  action: z.enum(['createMessage', 'updateMessage']),
  actionConversationId: z.string(),
  message: messageSchema,
});

const typingFrameSchema = z.object({ action: z.literal('typing'), actionConversationId: z.string() });

const frameSchema = z.union([messageFrameSchema, typingFrameSchema]);

/** A message created or updated in a Playground conversation. */
export type MessageFrame = z.infer<typeof messageFrameSchema>;

/** Any frame the client understands. */
export type PlaygroundFrame = z.infer<typeof frameSchema>;

/** The MIME type of an Adaptive Card attachment. */
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** Parses one WebSocket text frame; undefined when it is not JSON or has an unknown shape. */
export function parseFrame(data: string): PlaygroundFrame | undefined {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = frameSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** True for createMessage/updateMessage frames. */
export function isMessageFrame(frame: PlaygroundFrame): frame is MessageFrame {
  return frame.action === 'createMessage' || frame.action === 'updateMessage';
}

/** The Adaptive Card contents attached to a message frame. */
export function adaptiveCardsOf(frame: MessageFrame): unknown[] {
  return frame.message.attachments.filter((a) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE).map((a) => a.content);
}

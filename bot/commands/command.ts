import type { AdaptiveCard } from '../../cards/elements';
import type { WaitNotice } from '../../services/graph/waiting-notice';
import type { Logger } from '../../services/log';
import type { ConversationRef } from '../../services/messaging/port';

/** What a command or verb handler answers with; bot/turn.ts turns it into an activity. */
export type Reply =
  | { kind: 'card'; card: AdaptiveCard }
  // Plain text is sent with textFormat 'plain', so untrusted parts cannot render as markdown.
  | { kind: 'text'; text: string };

/**
 * Who may run a route: a group member, or (`member`) anyone in the allowed tenant, for read-only views such as a
 * card refresh. Identity always comes from the authenticated activity, never from card data.
 */
export type Access = 'operator' | 'approver' | 'member';

/** The authenticated caller of a turn. */
export interface Caller {
  aadObjectId: string;
  name: string | null;
}

/** Per-turn context handed to handlers. */
export interface CommandContext {
  caller: Caller;
  correlationId: string;
  logger: Logger;
  now: number;
  /** The conversation the command came from (storable, for later proactive messages). */
  conversation: ConversationRef;
  /** Posts a message in this conversation now (in the turn, or proactively once the turn has answered); its id. */
  notify(reply: Reply): Promise<{ activityId: string }>;
  /** Graph holds the work back (throttled or queued): the turn answers Teams now and the result follows. */
  onWaiting: (notice: WaitNotice) => void;
}

/** What a card verb handler answers: a card to put in place of the one clicked, and/or a message to post. */
export interface VerbResult {
  card?: AdaptiveCard;
  reply?: Reply;
}

/** Context of a card action: the command context plus where the clicked card is. */
export interface VerbContext extends CommandContext {
  /** Id of the message holding the clicked card, when the client sent it. */
  cardActivityId: string | null;
  /** `automatic` for Universal Actions refresh invokes, which must only read. */
  trigger: 'manual' | 'automatic';
}

/** A card reply. */
export function cardReply(card: AdaptiveCard): Reply {
  return { kind: 'card', card };
}

/** A plain-text reply. */
export function textReply(text: string): Reply {
  return { kind: 'text', text };
}

import { isCodedError } from '../services/errors';
import type { Logger } from '../services/log';
import { sanitizeUntrusted } from '../cards/text';

/** The reply to a fault of the bot itself: nothing of the error, only the reference its log line carries. */
function internalReply(ref: string): string {
  return `Something went wrong inside the bot, so this was not answered (ref ${ref}). The details are in the bot's log under that reference.`;
}

/**
 * The one place that turns errors into what the user reads. Services never write user-facing text: an error's
 * message goes to the log (with `ref`, the turn's correlation id) and only `invalid_input`, which bot/ raises with a
 * message written for the user, is shown. A bug or an answer the bot cannot read gets a generic reply.
 */
export function translateError(error: unknown, ref: string, logger: Logger): string {
  if (!isCodedError(error)) {
    logger.error({ err: error, ref }, 'unhandled error in a turn');
    return internalReply(ref);
  }
  const d = error.details;
  const requestId = typeof d.requestId === 'string' ? ` (Graph request-id ${d.requestId})` : '';
  if (error.code === 'internal' || error.code === 'unexpected_response') {
    logger.error({ code: error.code, details: d, ref, err: error }, error.message);
    return internalReply(ref);
  }
  logger.warn({ code: error.code, details: d, ref }, error.message);
  switch (error.code) {
    case 'invalid_input':
      return sanitizeUntrusted(error.message, 500);
    case 'user_not_found':
      return `No such user in this tenant. Check the spelling, or use the object id.`;
    case 'user_ambiguous': {
      const candidates = Array.isArray(d.candidates)
        ? ` (${d.candidates.map((c) => sanitizeUntrusted(String(c), 120)).join(', ')})`
        : '';
      return `That name matches more than one user${candidates}; nothing was done. Use the exact UPN or the object id.`;
    }
    case 'graph_forbidden': {
      const permission = typeof d.permission === 'string' ? d.permission : 'a Graph permission';
      return `The bot's app registration is missing ${permission}. An admin must grant it (application permission) and give admin consent${requestId}.`;
    }
    case 'graph_throttled': {
      const retry = typeof d.retryAfterMs === 'number' ? ` Try again in ${Math.ceil(d.retryAfterMs / 1000)} s.` : '';
      return `Microsoft Graph is throttling the bot and the request gave up.${retry}${requestId}`;
    }
    case 'graph_busy': {
      const retry =
        typeof d.retryAfterMs === 'number'
          ? `in about ${Math.max(1, Math.ceil(d.retryAfterMs / 1000))} s`
          : 'in a minute';
      const budget = typeof d.throttleClass === 'string' ? `'s ${d.throttleClass} budget` : '';
      const queued =
        typeof d.queued === 'number' ? ` (${d.queued} requests are waiting for Microsoft Graph${budget})` : '';
      return `The bot is busy${queued}, so it did not take this one. Try again ${retry}.`;
    }
    case 'graph_unavailable':
      return `Microsoft Graph is not answering right now. Try again in a minute${requestId} (ref ${ref}).`;
    case 'graph_unauthorized':
      return `The bot could not authenticate to Microsoft Graph: its credentials may have expired or been rotated (ref ${ref}).`;
    case 'graph_not_found':
      return `Graph has no such object${requestId}.`;
    case 'graph_bad_request':
      return `Graph rejected the request${requestId} (ref ${ref}).`;
    case 'graph_outcome_unknown':
      return `Graph did not confirm the change; its outcome is unknown and nothing was retried. Re-check the state before trying again (ref ${ref}).`;
    case 'storage_unavailable':
    case 'storage_version_conflict':
      return `The bot's storage is unavailable, so nothing was done (ref ${ref}).`;
    case 'approval_claim_lost':
      return `Another instance of the bot took this approval over; it finishes it and the card will say the outcome (ref ${ref}).`;
    case 'config_invalid':
      return `The bot's settings are incomplete for this, so nothing was done (ref ${ref}).`;
    case 'teams_throttled':
    case 'teams_retryable':
    case 'teams_gone':
    case 'teams_failed':
    case 'teams_service_url_not_allowed':
      return `Teams did not accept a message from the bot, so the answer may be incomplete (ref ${ref}).`;
  }
}

import assert from 'node:assert/strict';
import { translateError } from '../../../bot/errors';
import { CodedError, type ErrorCode } from '../../../services/errors';
import { createRecordingLogger } from '../../fakes/recording-logger';

// What each code reads as in chat. A Record over ErrorCode: a new code without a reply here does not compile.
const REPLIES: Record<ErrorCode, RegExp> = {
  invalid_input: /^Give the user's UPN, not a display name\.$/,
  user_not_found: /^No such user in this tenant/,
  user_ambiguous: /matches more than one user \(Ann One, Ann Two\); nothing was done/,
  internal: /^Something went wrong inside the bot, so this was not answered \(ref R1\)/,
  unexpected_response: /^Something went wrong inside the bot, so this was not answered \(ref R1\)/,
  graph_forbidden: /missing User\.Read\.All\. An admin must grant it .*request-id req-1/,
  graph_throttled: /throttling the bot and the request gave up\. Try again in 3 s\..*req-1/,
  graph_busy: /^The bot is busy \(4 requests are waiting .*\)/,
  graph_unavailable: /not answering right now.*req-1.*ref R1/,
  graph_bad_request: /^Graph rejected the request \(Graph request-id req-1\) \(ref R1\)/,
  graph_unauthorized: /could not authenticate to Microsoft Graph.*ref R1/,
  graph_outcome_unknown: /outcome is unknown and nothing was retried.*ref R1/,
  graph_not_found: /^Graph has no such object/,
  storage_unavailable: /storage is unavailable, so nothing was done \(ref R1\)/,
  storage_version_conflict: /storage is unavailable, so nothing was done \(ref R1\)/,
  approval_claim_lost: /^Another instance of the bot took this approval over.*ref R1/,
  config_invalid: /settings are incomplete for this, so nothing was done \(ref R1\)/,
  teams_throttled: /Teams did not accept a message from the bot.*ref R1/,
  teams_retryable: /Teams did not accept a message from the bot.*ref R1/,
  teams_gone: /Teams did not accept a message from the bot.*ref R1/,
  teams_failed: /Teams did not accept a message from the bot.*ref R1/,
  teams_service_url_not_allowed: /Teams did not accept a message from the bot.*ref R1/,
};

const DETAILS = {
  requestId: 'req-1',
  permission: 'User.Read.All',
  retryAfterMs: 2_500,
  queued: 4,
  candidates: ['Ann One', 'Ann Two'],
};
// The message every error but invalid_input carries: written for the log, it must never reach chat.
const LOG_ONLY = 'GET /users/3f2a?$select=id returned {"odata":"x"} at batch.ts:229';

describe('bot/errors', () => {
  for (const code of Object.keys(REPLIES) as ErrorCode[]) {
    it(`${code}: the reply is the sink's own wording and the message goes to the log with the reference`, () => {
      const logger = createRecordingLogger();
      const message = code === 'invalid_input' ? "Give the user's UPN, not a display name." : LOG_ONLY;
      const reply = translateError(new CodedError(code, message, DETAILS), 'R1', logger);
      assert.match(reply, REPLIES[code]);
      if (code !== 'invalid_input') assert.ok(!reply.includes('batch.ts'), reply);
      const line = logger.lines.find((l) => l.fields.ref === 'R1' && l.fields.code === code);
      assert.ok(line, 'one log line carries the code and the reference');
      assert.equal(line.msg, message);
      const internal = code === 'internal' || code === 'unexpected_response';
      assert.equal(line.level, internal ? 'error' : 'warn');
    });
  }

  it('an error that is not a CodedError gets the generic reply; its message is only in the log', () => {
    const logger = createRecordingLogger();
    const reply = translateError(new TypeError(LOG_ONLY), 'R1', logger);
    assert.match(reply, REPLIES.internal);
    assert.ok(!reply.includes('batch.ts'));
    assert.ok(logger.lines.some((l) => l.level === 'error' && l.fields.ref === 'R1'));
  });

  it('invalid_input is shown as plain text: controls and newlines are stripped, the length capped', () => {
    const reply = translateError(
      new CodedError('invalid_input', `Bad \u202e${'x'.repeat(600)}\nnext`),
      'R1',
      createRecordingLogger(),
    );
    assert.ok(!/[\u202e\n]/.test(reply));
    assert.ok(reply.length <= 500);
  });

  it('graph_busy: says the bot is busy and when to retry', () => {
    const error = new CodedError('graph_busy', 'full', { queued: 50, retryAfterMs: 100_400, throttleClass: 'reports' });
    assert.equal(
      translateError(error, 'ref1', createRecordingLogger()),
      "The bot is busy (50 requests are waiting for Microsoft Graph's reports budget), so it did not take this one. Try again in about 101 s.",
    );
  });
});

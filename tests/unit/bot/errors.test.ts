import assert from 'node:assert/strict';
import { translateError } from '../../../bot/errors';
import { CodedError } from '../../../services/errors';
import { createRecordingLogger } from '../../fakes/recording-logger';

describe('bot/errors', () => {
  it('graph_busy: says the bot is busy and when to retry', () => {
    const error = new CodedError('graph_busy', 'full', { queued: 50, retryAfterMs: 100_400, throttleClass: 'reports' });
    assert.equal(
      translateError(error, 'ref1', createRecordingLogger()),
      "The bot is busy (50 requests are waiting for Microsoft Graph's reports budget), so it did not take this one. Try again in about 101 s.",
    );
  });
});

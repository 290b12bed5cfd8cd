import assert from 'node:assert/strict';
import { closestName, parseCommandText } from '../../../bot/parse-command';

describe('bot/parse-command', () => {
  const cases: [string | undefined, { name: string; args: string } | null][] = [
    ['help', { name: 'help', args: '' }],
    ['  HELP  ', { name: 'help', args: '' }],
    ['<at>Test Bot</at> user alice@contoso.com', { name: 'user', args: 'alice@contoso.com' }],
    ['User  alice@contoso.com  ', { name: 'user', args: 'alice@contoso.com' }],
    ['revoke bob@x reported phishing, by phone', { name: 'revoke', args: 'bob@x reported phishing, by phone' }],
    ['<at>Test Bot</at>', null],
    ['', null],
    [undefined, null],
  ];
  for (const [text, expected] of cases) {
    it(`parses ${JSON.stringify(text)}`, () => assert.deepEqual(parseCommandText(text), expected));
  }

  it('suggests the closest command for a typo, and nothing for gibberish', () => {
    const names = ['help', 'user', 'mfa', 'signins'];
    assert.equal(closestName('usr', names), 'user');
    assert.equal(closestName('hlep', names), 'help');
    assert.equal(closestName('signin', names), 'signins');
    assert.equal(closestName('xyzzyplugh', names), null);
  });
});

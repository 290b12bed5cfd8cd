import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SsprReader } from '../../../../bot/commands/services';
import type { CommandContext, Reply } from '../../../../bot/commands/command';
import { parseCommandText } from '../../../../bot/parse-command';
import { CodedError } from '../../../../services/errors';
import type { UserRef } from '../../../../services/ids';
import type { SsprInput } from '../../../../services/identity/sspr-read';
import { parsePastedEmail, PARSER_LIMIT_CHARS } from '../../../../services/mail/paste';
import { cardProblems, markdownSurfaces, textRuns } from '../../../support/cards';
import { parseArgs, runCommand } from '../../../support/command-table';
import { createRecordingLogger } from '../../../fakes/recording-logger';
import { ssprRecord } from '../../services/identity/sspr-records';

const EMAILS = join(__dirname, '..', '..', '..', 'fixtures', 'emails');
const GENUINE = readFileSync(join(EMAILS, 'sspr-genuine.eml'), 'utf8');
const LOOKALIKE = readFileSync(join(EMAILS, 'sspr-lookalike-sender.eml'), 'utf8');
const BODY_ONLY = readFileSync(join(EMAILS, 'sspr-body-only.txt'), 'utf8');
// The fixtures' Date header; the seeded attempt is 10 s before it (like demo's sspr.user, an hour before "now").
const SENT = Date.parse('2026-11-22T11:00:10Z');
const NOW = SENT + 3600_000;

const INSUFFICIENT =
  "User's account has insufficient authentication methods defined. Add authentication info to resolve this";

/** The demo tenant's users, as the SSPR reader would answer for them. */
function fakeReader(calls: UserRef[] = []): SsprReader {
  return {
    readSspr(ref) {
      calls.push(ref);
      const upn = ref.kind === 'upn' ? ref.upn : '';
      const base = { registration: null, truncated: false };
      if (upn === 'sspr.user@example.com') {
        return Promise.resolve<SsprInput>({
          ...base,
          user: { id: 'u1', displayName: 'SSPR User', userPrincipalName: upn },
          records: [
            ssprRecord('User submitted their user ID', { at: SENT - 10_000, correlationId: 'c1' }),
            ssprRecord(INSUFFICIENT, { at: SENT - 6_000, correlationId: 'c1', result: 'failure' }),
          ],
        });
      }
      if (upn === 'quiet.user@example.com') {
        return Promise.resolve<SsprInput>({
          ...base,
          user: { id: 'u2', displayName: 'Quiet User', userPrincipalName: upn },
          records: [],
        });
      }
      return Promise.reject(new CodedError('user_not_found', 'no such user'));
    },
  };
}

function ctx(notices: Reply[] = []): CommandContext {
  return {
    caller: { aadObjectId: 'op', name: 'Op' },
    correlationId: 'ref1',
    logger: createRecordingLogger(),
    now: NOW,
    conversation: {} as CommandContext['conversation'],
    notify: (reply) => {
      notices.push(reply);
      return Promise.resolve({ activityId: 'n1' });
    },
    onWaiting: () => undefined,
  };
}

async function check(paste: string, reader = fakeReader()): Promise<{ verdict: string; json: string; card: object }> {
  const parsed = parseArgs('sspr-check', paste);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  const reply = await runCommand('sspr-check', paste, { mode: 'tenant', sspr: reader }, ctx());
  assert.equal(reply.kind, 'card');
  const card = reply.kind === 'card' ? reply.card : {};
  const json = JSON.stringify(card);
  const verdict = /"\*\*(Genuine|Suspicious|Can't tell)\*\*"/.exec(json)?.[1] ?? 'none';
  return { verdict, json, card };
}

describe('sspr-check', () => {
  it('keeps the newlines of a multi-line paste in the arguments', () => {
    const parsed = parseCommandText(`sspr-check\n${GENUINE}`);
    assert.equal(parsed?.name, 'sspr-check');
    assert.ok(parsed?.args.includes('\nAuthentication-Results: spf=pass'), 'header lines stay separate');
    assert.ok(parsed?.args.includes('\n header.d=microsoftonline.com'), 'folded lines keep their fold');
  });

  describe('verdicts', () => {
    const cases: { name: string; paste: string; verdict: string; mentions: RegExp[] }[] = [
      {
        name: 'the genuine email: headers passing, audit trail present',
        paste: GENUINE,
        verdict: 'Genuine',
        mentions: [/203\.0\.113\.45/, /not enough authentication methods/, /Verify the user out of band/],
      },
      {
        name: 'the same email with dkim=fail',
        paste: GENUINE.replace('dkim=pass (signature was verified)', 'dkim=fail (body hash did not verify)'),
        verdict: 'Suspicious',
        mentions: [/DKIM is /, /"fail"/],
      },
      {
        name: 'a look-alike sender domain (with a forged lower Authentication-Results)',
        paste: LOOKALIKE,
        verdict: 'Suspicious',
        mentions: [/Sender imitates Microsoft/, /microsoftoniine-support\.com/, /not for microsoftonline\.com/],
      },
      {
        name: 'a link to another domain',
        paste: GENUINE.replace('https://aka.ms/sspr', 'https://sspr-helpdesk.example.org/reset'),
        verdict: 'Suspicious',
        mentions: [/Link to a non-Microsoft domain/, /sspr-helpdesk\.example\.org/],
      },
      {
        name: 'a user with no SSPR activity',
        paste: GENUINE.replace(/sspr\.user@example\.com/g, 'quiet.user@example.com'),
        verdict: 'Suspicious',
        mentions: [/did not enter self-service password reset/],
      },
      {
        name: 'a user not in the tenant',
        paste: GENUINE.replace(/sspr\.user@example\.com/g, 'ghost@example.com'),
        verdict: 'Suspicious',
        mentions: [/not a user in this tenant/],
      },
      {
        name: 'no headers at all',
        paste: BODY_ONLY,
        verdict: "Can't tell",
        mentions: [/No headers in the paste/, /203\.0\.113\.45/],
      },
      {
        name: 'garbage text',
        paste: 'asdf qwer 1234 \u0000\u202e ]]]] [x](https://evil.example) **bold**',
        verdict: 'Suspicious',
        mentions: [/names no user/, /evil\.example/],
      },
      {
        name: 'plain garbage without links',
        paste: 'hello, can you reset my password please',
        verdict: "Can't tell",
        mentions: [/names no user/],
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const { verdict, json, card } = await check(c.paste);
        assert.equal(verdict, c.verdict);
        for (const m of c.mentions) assert.match(json, m);
        assert.deepEqual(cardProblems(card), []);
      });
    }
  });

  it('offers reset and TAP as buttons only when the email is not suspicious', async () => {
    const genuine = await check(GENUINE);
    assert.match(genuine.json, /"command":"reset-password","args":"sspr.user@example.com"/);
    assert.match(genuine.json, /"command":"tap","args":"sspr.user@example.com"/);
    const phish = await check(LOOKALIKE.replace(/sspr\.user/g, 'quiet.user'));
    assert.doesNotMatch(phish.json, /reset-password/);
  });

  it('reads the audit trail of the named user once, from shortly before the email', async () => {
    const calls: UserRef[] = [];
    const reader = fakeReader(calls);
    const seen: number[] = [];
    const spying: SsprReader = { readSspr: (ref, since) => (seen.push(since), reader.readSspr(ref, since)) };
    await check(GENUINE, spying);
    assert.deepEqual(calls, [{ kind: 'upn', upn: 'sspr.user@example.com' }]);
    assert.equal(seen[0], SENT - 2 * 3600_000);
  });

  it('refuses a paste above Teams’ message size limit with a message, reading nothing', () => {
    const parsed = parseArgs('sspr-check', GENUINE + 'x'.repeat(29 * 1024));
    assert.equal(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.message, /above Teams' message limit of about 28 KB/);
  });

  it('asks for the email when the paste is empty', () => {
    const parsed = parseArgs('sspr-check', '  \n ');
    assert.equal(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.message, /Paste the email after the command/);
  });

  it('parses a 100 KB string fed straight to the parser, quickly and without throwing', async () => {
    for (const input of [
      'A'.repeat(100 * 1024),
      `From: x@y.z\n${'Received: a\n'.repeat(9000)}`,
      `${GENUINE}${'z'.repeat(100 * 1024)}`,
    ]) {
      const started = Date.now();
      const email = await parsePastedEmail(input);
      assert.ok(Date.now() - started < 2_000, 'bounded time');
      assert.equal(email.truncated, input.length > PARSER_LIMIT_CHARS);
    }
    const long = await parsePastedEmail('q'.repeat(PARSER_LIMIT_CHARS + 10));
    assert.equal(long.truncated, true);
  });

  it('renders email content literally: markdown and links stay text, in TextRuns only', async () => {
    const evil = GENUINE.replace(
      'User ID: sspr.user@example.com',
      'User ID: sspr.user@example.com\n[Click here](https://evil.example.org/x) **URGENT**',
    ).replace('From: Microsoft on behalf of Contoso Demo', 'From: "[Reset](https://evil.example.org) **Admin**"');
    const { json, card } = await check(evil);
    const surfaces = markdownSurfaces(card).join('\n');
    assert.ok(!surfaces.includes('evil.example.org'), 'no email content where markdown renders');
    assert.ok(
      textRuns(card).some((r) => r.includes('evil.example.org')),
      'the link host is shown as text',
    );
    assert.match(json, /Link to a non-Microsoft domain/);
  });
});

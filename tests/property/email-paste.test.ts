import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CommandContext } from '../../bot/commands/command';
import { pastedEmail } from '../../bot/commands/args';
import type { SsprReader } from '../../bot/commands/services';
import { checkPastedEmail } from '../../bot/commands/sspr-check';
import { CodedError } from '../../services/errors';
import { silentLogger } from '../../services/log';
import { TEAMS_MESSAGE_LIMIT_BYTES } from '../../services/mail/paste';
import { markdownSurfaces } from '../support/cards';
import { HOSTILE_PIECES, hostileString } from './hostile';
import { fuzzing, runs } from './runs';

// The email paste parser as `sspr-check` runs it: any paste is refused with a reason (over Teams' size limit,
// empty) or answered with a card carrying a verdict — never a crash. The user lookup is faked: found, or not.

const GENUINE = readFileSync(join(__dirname, '..', 'fixtures', 'emails', 'sspr-genuine.eml'), 'utf8');
const NOW = Date.parse('2026-11-22T12:00:00Z');
const HEADERS = [
  'From',
  'To',
  'Subject',
  'Date',
  'Authentication-Results',
  'ARC-Authentication-Results',
  'Content-Type',
  'Content-Transfer-Encoding',
  'MIME-Version',
  'Received',
  'Thread-Topic',
  'X-MS-Exchange-Organization-AuthAs',
];
const value = fc.oneof(
  hostileString,
  fc.constantFrom(
    'spf=pass smtp.mailfrom=microsoftonline.com; dkim=fail; dmarc=pass header.from=evil.example',
    'multipart/alternative; boundary="b"',
    'multipart/mixed; boundary=',
    'base64',
    'quoted-printable',
    '=?utf-8?B?SGVsbG8=?=',
    '=?utf-8?Q?=E2=80=AE?=',
    'Sun, 22 Nov 2026 11:00:10 +0000',
    'not a date',
    '<sspr.user@example.com>',
    '"Microsoft" <msonlineservicesteam@microsoftonline.com>',
  ),
);
const headerBlock = fc
  .array(fc.tuple(fc.constantFrom(...HEADERS), value), { maxLength: 12 })
  .map((lines) => lines.map(([k, v]) => `${k}: ${v}`).join('\n'));
const body = fc.oneof(
  hostileString,
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.constantFrom(
    '--b\nContent-Type: text/html\n\n<a href="https://evil.example/reset">https://passwordreset.microsoftonline.com</a>\n--b--',
    'User ID: sspr.user@example.com',
    'User ID: [x](https://evil)@example.com',
    ...HOSTILE_PIECES,
  ),
);
const paste = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(headerBlock, fc.constantFrom('\n\n', '\n', '\r\n\r\n', ''), body).map((p) => p.join('')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2_000 }) },
  // The genuine email with a random part replaced: real structure, hostile content.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.nat(GENUINE.length), fc.nat(200), body)
      .map(([at, cut, b]) => GENUINE.slice(0, at) + b + GENUINE.slice(at + cut)),
  },
  // Around Teams' limit: just under is parsed, just over is refused.
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: -64, max: 64 })
      .map((d) => GENUINE + 'x'.repeat(TEAMS_MESSAGE_LIMIT_BYTES - GENUINE.length + d)),
  },
);

function context(): CommandContext {
  return {
    caller: { aadObjectId: 'a', name: 'Alex' },
    correlationId: 'c',
    logger: silentLogger,
    now: NOW,
    conversation: { conversationId: 'x', conversationType: 'personal', tenantId: 't', serviceUrl: '', reference: {} },
    notify: () => Promise.resolve({ activityId: '' }),
    onWaiting: () => undefined,
  };
}

describe('property: a pasted email is always a verdict or a clear refusal (sspr-check)', function () {
  this.timeout(fuzzing ? 0 : 60_000);
  for (const found of [true, false]) {
    it(`any paste up to the size limit → a card with a verdict; above it → a refusal (user ${found ? 'found' : 'not found'})`, async () => {
      const reader: SsprReader = {
        readSspr: (ref) =>
          found
            ? Promise.resolve({
                user: {
                  id: 'u1',
                  displayName: '**SSPR User**',
                  userPrincipalName: ref.kind === 'upn' ? ref.upn : ref.id,
                },
                registration: null,
                records: [],
                truncated: false,
              })
            : Promise.reject(new CodedError('user_not_found', 'no such user')),
      };
      await fc.assert(
        fc.asyncProperty(paste, async (raw) => {
          const parsed = pastedEmail.safeParse(raw);
          const bytes = Buffer.byteLength(raw, 'utf8');
          if (!parsed.success) {
            assert.ok(bytes > TEAMS_MESSAGE_LIMIT_BYTES || raw.trim() === '', `refused a ${bytes}-byte paste`);
            assert.match(parsed.error.issues[0]?.message ?? '', /28 KB|Paste the email/);
            return;
          }
          assert.ok(bytes <= TEAMS_MESSAGE_LIMIT_BYTES);
          const reply = await checkPastedEmail(context(), parsed.data, reader);
          assert.equal(reply.kind, 'card');
          assert.match(
            markdownSurfaces(reply.kind === 'card' ? reply.card : null).join('\n'),
            /\*\*(Genuine|Suspicious|Can't tell)/,
          );
        }),
        runs(found ? 40 : 20),
      );
    });
  }
});

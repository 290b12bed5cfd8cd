import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkResetEmail,
  FLOW_BEFORE_EMAIL_MS,
  namedUserAddress,
  UNDATED_LOOKBACK_MS,
  type NamedUser,
} from '../../../../services/identity/sspr-check';
import { groupSsprAttempts } from '../../../../services/identity/sspr';
import { parsePastedEmail } from '../../../../services/mail/paste';
import { ssprRecord } from './sspr-records';

const GENUINE = readFileSync(join(__dirname, '..', '..', '..', 'fixtures', 'emails', 'sspr-genuine.eml'), 'utf8');
const SENT = Date.parse('2026-11-22T11:00:10Z');
const INSUFFICIENT =
  "User's account has insufficient authentication methods defined. Add authentication info to resolve this";

function found(records: ReturnType<typeof ssprRecord>[]): NamedUser {
  return {
    kind: 'found',
    address: 'sspr.user@example.com',
    upn: 'sspr.user@example.com',
    displayName: 'SSPR User',
    attempts: groupSsprAttempts(records),
  };
}
const failedAt = (at: number) => [
  ssprRecord('User submitted their user ID', { at, correlationId: `c${at}` }),
  ssprRecord(INSUFFICIENT, { at: at + 4_000, correlationId: `c${at}`, result: 'failure' }),
];

describe('services/identity/sspr-check', () => {
  const cases: { name: string; paste: string; user: NamedUser; now?: number; verdict: string; reasons: string[] }[] = [
    { name: 'genuine', paste: GENUINE, user: found(failedAt(SENT - 10_000)), verdict: 'genuine', reasons: [] },
    {
      name: 'the attempt was 3 hours before the email: too long before',
      paste: GENUINE,
      user: found(failedAt(SENT - 3 * 3600_000)),
      verdict: 'suspicious',
      reasons: ['no-sspr-activity'],
    },
    {
      name: 'the user entered SSPR but cancelled: no "contact your administrator"',
      paste: GENUINE,
      user: found([
        ssprRecord('User submitted their user ID', { at: SENT - 60_000, correlationId: 'x' }),
        ssprRecord('User cancelled before passing the required authentication methods', {
          at: SENT - 50_000,
          correlationId: 'x',
        }),
      ]),
      verdict: 'cant-tell',
      reasons: ['flow-without-contact-admin'],
    },
    {
      name: 'undated: the last 24 hours are searched',
      paste: GENUINE.replace(/^Date: .*\n/m, ''),
      user: found(failedAt(SENT - 10_000)),
      now: SENT + 20 * 3600_000,
      verdict: 'genuine',
      reasons: [],
    },
    {
      name: 'compauth missing from our header',
      paste: GENUINE.replace(';compauth=pass reason=100', ''),
      user: found(failedAt(SENT - 10_000)),
      verdict: 'suspicious',
      reasons: ['auth-failed'],
    },
    {
      name: 'headers but no Authentication-Results',
      paste: GENUINE.replace(/^Authentication-Results:[^]*?compauth=pass reason=100\n/m, ''),
      user: found(failedAt(SENT - 10_000)),
      verdict: 'cant-tell',
      reasons: ['no-auth-results'],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const email = await parsePastedEmail(c.paste);
      const check = checkResetEmail(email, c.user, c.now ?? SENT + 3600_000);
      assert.equal(check.verdict, c.verdict);
      assert.deepEqual([...new Set(check.reasons.map((r) => r.kind))], c.reasons);
    });
  }

  it('windows: shortly before a dated email, the last day for an undated one', async () => {
    const dated = checkResetEmail(await parsePastedEmail(GENUINE), { kind: 'none' }, SENT + 3600_000);
    assert.equal(dated.window.start, SENT - FLOW_BEFORE_EMAIL_MS);
    const now = SENT + 3600_000;
    const undated = checkResetEmail(await parsePastedEmail(GENUINE.replace(/^Date: .*\n/m, '')), { kind: 'none' }, now);
    assert.equal(undated.window.start, now - UNDATED_LOOKBACK_MS);
  });

  it('survives a chat client dropping the indentation of folded header lines', async () => {
    const flattened = GENUINE.split('\n')
      .map((l) => l.trimStart())
      .join('\n');
    const check = checkResetEmail(await parsePastedEmail(flattened), found(failedAt(SENT - 10_000)), SENT + 3600_000);
    assert.equal(check.verdict, 'genuine');
  });

  it('reads an Outlook-style copy without the blank line before the body', async () => {
    const outlook = [
      'From: Microsoft on behalf of Contoso Demo <msonlineservicesteam@microsoftonline.com>',
      'Sent: Sunday, November 22, 2026 11:00 AM',
      'To: Alex Wilber <alexw@example.com>',
      "Subject: Request to reset user's password",
      "Request to reset user's password",
      'User ID: sspr.user@example.com',
    ].join('\n');
    const email = await parsePastedEmail(outlook);
    assert.equal(email.hasHeaders, true);
    assert.equal(email.from?.address, 'msonlineservicesteam@microsoftonline.com');
    assert.equal(namedUserAddress(email), 'sspr.user@example.com');
    assert.equal(checkResetEmail(email, found(failedAt(SENT)), SENT).headers.kind, 'missing-results');
  });

  it("reads Teams' HTML form of a paste", async () => {
    const html = `<p>${GENUINE.split('\n')
      .map((l) => l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'))
      .join('<br>')}</p>`;
    const check = checkResetEmail(await parsePastedEmail(html), found(failedAt(SENT - 10_000)), SENT + 3600_000);
    assert.equal(check.verdict, 'genuine');
  });

  it('names the user after a "User ID:" label, skipping the sender and Microsoft addresses', async () => {
    const email = await parsePastedEmail(
      'Contact msonlineservicesteam@microsoftonline.com or helpdesk@example.com\nUser ID: target@example.com',
    );
    assert.equal(namedUserAddress(email), 'target@example.com');
    const unlabeled = await parsePastedEmail('mail support@microsoft.com about bob@example.com please');
    assert.equal(namedUserAddress(unlabeled), 'bob@example.com');
  });
});

import assert from 'node:assert/strict';
import { compile, compileGrammar, type PhraseMatch } from '../../../../bot/phrases/grammar';
import { COMMAND_TABLE } from '../../../../bot/commands/table';

const grammar = compileGrammar(COMMAND_TABLE);

/**
 * How a match reads in the table below: the command, then the user (`~name` for a name still to be resolved), then
 * `| reason` / `| paste` / `=> fixed args` where the pattern has them.
 */
function show(match: PhraseMatch | null): string | null {
  if (!match) return null;
  const parts: string[] = [match.command];
  if (match.user) parts.push(match.user.kind === 'name' ? `~${match.user.text}` : match.user.text);
  if (match.reason !== undefined) parts.push(`| ${match.reason}`);
  if (match.paste !== undefined) parts.push(`| ${match.paste.split('\n')[0] ?? ''}`);
  if (match.fixedArgs !== undefined) parts.push(`=> ${match.fixedArgs}`);
  return parts.join(' ');
}

// [question, how it is read]; null: it must not map to any command.
const TABLE: readonly (readonly [string, string | null])[] = [
  // The phrasings.
  ["is alice@contoso.com's MFA working", 'mfa alice@contoso.com'],
  ['can bob sign in with MFA', 'mfa ~bob'],
  ['does carol have a personal Microsoft account', 'msa ~carol'],
  ['check forwarding for dave', 'forwarding ~dave'],
  ['who is erin@contoso.com', 'user erin@contoso.com'],
  ['show sign-ins for frank', 'signins ~frank'],
  [
    'is this reset email real\nFrom: Microsoft <msonlineservicesteam@microsoftonline.com>',
    'sspr-check | From: Microsoft <msonlineservicesteam@microsoftonline.com>',
  ],
  ['what happened to grace', 'investigate ~grace'],
  ['revoke sessions for heidi because she clicked a phishing link', 'revoke ~heidi | she clicked a phishing link'],
  [
    'block ivan@contoso.com reason: password found in a paste site',
    'disable ivan@contoso.com | password found in a paste site',
  ],
  // mfa
  ['Is Alice’s MFA working?', 'mfa ~Alice'],
  ["is alice's mfa broken", 'mfa ~alice'],
  ['is mfa working for alice@contoso.com', 'mfa alice@contoso.com'],
  ["why can't Alice Smith do MFA?", 'mfa ~Alice Smith'],
  ['please check the mfa for bob', 'mfa ~bob'],
  ['does bob have mfa set up', 'mfa ~bob'],
  ['what mfa methods does carol have', 'mfa ~carol'],
  ['can you check mfa for 4b1c3a2e-1f0d-4c8e-9a7b-2d3e4f5a6b7c', 'mfa 4b1c3a2e-1f0d-4c8e-9a7b-2d3e4f5a6b7c'],
  ['is mary-jane o’neil’s mfa ok', 'mfa ~mary-jane o’neil'],
  // user
  ["who's erin", 'user ~erin'],
  ['tell me about Erin Lopez', 'user ~Erin Lopez'],
  ['look up frank@contoso.com please', 'user frank@contoso.com'],
  ['is grace blocked', 'user ~grace'],
  // investigate
  ['investigate grace', 'investigate ~grace'],
  ["was heidi's account compromised?", 'investigate ~heidi'],
  ['has ivan been hacked', 'investigate ~ivan'],
  // signins
  ['show me the latest sign ins for frank', 'signins ~frank'],
  ["show me frank's sign-ins", 'signins ~frank'],
  ['where did frank sign in from', 'signins ~frank'],
  ['when did frank@contoso.com last log in?', 'signins frank@contoso.com'],
  ['logins for judy', 'signins ~judy'],
  // sspr
  ['did judy reset her password', 'sspr ~judy'],
  ['can judy reset her own password', 'sspr ~judy'],
  ['show password reset attempts for judy@contoso.com', 'sspr judy@contoso.com'],
  // sspr-check
  [
    'Is this password reset email legit?\n\nReceived: from mail.example.net',
    'sspr-check | Received: from mail.example.net',
  ],
  ['is this email phishing', 'sspr-check | '],
  ['check this reset email: Subject: Reset your password', 'sspr-check | Subject: Reset your password'],
  // msa
  ['does carol@contoso.com also have a personal account', 'msa carol@contoso.com'],
  ['does carol have an MSA', 'msa ~carol'],
  // forwarding
  ['is dave forwarding his mail', 'forwarding ~dave'],
  ['is dave forwarding mail', 'forwarding ~dave'],
  ["is dave's email being forwarded", 'forwarding ~dave'],
  ['does dave have any inbox rules', 'forwarding ~dave'],
  ['show me the inbox rules for dave@contoso.com', 'forwarding dave@contoso.com'],
  ["where does dave's mail go?", 'forwarding ~dave'],
  // sweep, approvals, audit, alerts, help
  ['check all mailboxes for forwarding', 'sweep => forwarding'],
  ['which approvals are pending?', 'approvals'],
  ['anything to approve?', 'approvals'],
  ['show the audit trail for alice@contoso.com', 'audit alice@contoso.com'],
  ['verify the audit log', 'audit => verify'],
  ['are alerts on here?', 'alerts => status'],
  ['what can you do?', 'help'],
  // Writes: read as the command, with the justification as written (ask.ts proposes them, never runs them).
  ['revoke all sessions for heidi@contoso.com', 'revoke heidi@contoso.com | '],
  ['sign heidi out everywhere because her laptop was stolen', 'revoke ~heidi | her laptop was stolen'],
  ['revoke heidi because of a suspicious sign-in', 'revoke ~heidi | a suspicious sign-in'],
  ['block ivan', 'disable ~ivan | '],
  ['block Ivan Petrov from signing in - left the company', 'disable ~Ivan Petrov | left the company'],
  ['unblock ivan@contoso.com he is back', 'enable ivan@contoso.com | he is back'],
  ['reset the password for judy since it leaked', 'reset-password ~judy | it leaked'],
  ['give judy a temporary access pass because she lost her phone', 'tap ~judy | she lost her phone'],
  ['contain mallory@contoso.com: token theft', 'contain mallory@contoso.com | token theft'],
  // A command name followed by a name instead of a UPN.
  ['mfa alice', 'mfa ~alice'],
  ['user Megan Bowen', 'user ~Megan Bowen'],
  ['signins for frank', 'signins ~frank'],
  ['reset-password judy because she forgot it', 'reset-password ~judy | she forgot it'],
  // Near-misses: none of these may map.
  ['is the mfa policy working', null],
  ['forward this to bob', null],
  ['forward alice’s email to bob', null],
  ['who is on call', null],
  ['who is the admin', null],
  ['what happened to the alerts', null],
  ['block all external forwarding', null],
  ['check forwarding rules', null],
  ['is mfa working', null],
  ['reset my password', null],
  ['show sign-ins', null],
  ['does anyone have a personal account', null],
  ['revoke my access', null],
  ['what is mfa', null],
  ['is it working', null],
  ['thanks', null],
  ['sign out', null],
  ['block heidi she is leaving', null],
  ['is the mfa of everyone working', null],
  ['mfa', null],
];

describe('bot/phrases/grammar: plain-language questions read as commands of the table', () => {
  it(`the phrasing table has at least 60 rows, near-misses included (${TABLE.length})`, () => {
    assert.ok(TABLE.length >= 60);
    assert.ok(TABLE.filter(([, expected]) => expected === null).length >= 15);
  });

  for (const [question, expected] of TABLE) {
    it(`${JSON.stringify(question.split('\n')[0])} → ${expected ?? 'nothing'}`, () => {
      assert.equal(show(grammar.read(question)), expected);
    });
  }

  it('only commands of the table can be asked for, and each pattern compiles', () => {
    for (const command of COMMAND_TABLE) for (const p of command.asked ?? []) assert.ok(compile(command.name, p));
    assert.ok(COMMAND_TABLE.filter((c) => (c.asked ?? []).length > 0).length >= 12);
  });

  it('a malformed pattern is refused (a slot after the rest of the message, an unknown slot, nested groups)', () => {
    assert.throws(() => compile('x', 'block {reason} {user}'), /must come last/);
    assert.throws(() => compile('x', 'block {who}'), /unknown slot/);
    assert.throws(() => compile('x', 'block [from (signing|logging) in]'), /do not nest/);
  });

  it('the question with the most words of its own wins over a looser one', () => {
    const g = compileGrammar([
      { name: 'loose', asked: ['is {user} {reason}'] },
      { name: 'tight', asked: ['is {user} mfa working'] },
    ]);
    assert.equal(g.read('is alice@contoso.com mfa working')?.command, 'tight');
  });
});

import assert from 'node:assert/strict';
import { COMMAND_TABLE } from '../../../../bot/commands/table';
import { askQuestion, closestCommands, readingAs, type Answer } from '../../../../bot/phrases/ask';
import { compileGrammar } from '../../../../bot/phrases/grammar';
import type { Person, PeopleFinder } from '../../../../services/identity/people';
import { rankPeople } from '../../../../services/identity/people';
import { visibleLines } from '../../../support/cards';

const grammar = compileGrammar(COMMAND_TABLE);

/** A directory of hand-written people; records every name asked for. */
function people(list: Person[], more = false): PeopleFinder & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    find: (name) => {
      asked.push(name);
      const wanted = name.toLowerCase();
      const found = list.filter(
        (p) =>
          (p.displayName ?? '')
            .toLowerCase()
            .split(' ')
            .some((w) => w.startsWith(wanted)) ||
          (p.displayName ?? '').toLowerCase().startsWith(wanted) ||
          p.userPrincipalName.toLowerCase().startsWith(wanted),
      );
      return Promise.resolve({ people: rankPeople(name, found), more });
    },
  };
}

const HEIDI: Person = { id: 'h', displayName: 'Heidi Klum', userPrincipalName: 'heidi@contoso.com' };
const HEIKO: Person = { id: 'k', displayName: 'Heiko Braun', userPrincipalName: 'heiko@contoso.com' };
const GRACE: Person = { id: 'g', displayName: 'Grace Hopper', userPrincipalName: 'grace@contoso.com' };

function ask(text: string, finder = people([HEIDI, HEIKO, GRACE])): Promise<Answer | null> {
  return askQuestion(text, { grammar, commands: COMMAND_TABLE, people: finder });
}

function card(answer: Answer | null) {
  assert.equal(answer?.kind, 'reply');
  if (answer?.kind !== 'reply' || answer.reply.kind !== 'card') return assert.fail('expected a card reply');
  return answer.reply.card;
}

/** Every Action.Execute of a card, wherever it sits. */
function buttonData(node: unknown, out: { command: string; args: string }[] = []): { command: string; args: string }[] {
  if (Array.isArray(node)) for (const item of node) buttonData(item, out);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute') out.push(record.data as { command: string; args: string });
    else for (const value of Object.values(record)) buttonData(value, out);
  }
  return out;
}

describe('bot/phrases/ask: a question becomes a command to run, a proposal, or a choice', () => {
  it('a read-only question with one matching user runs the command for their UPN', async () => {
    const answer = await ask('what happened to grace?');
    assert.equal(answer?.kind, 'run');
    if (answer?.kind !== 'run') return;
    assert.equal(answer.command.name, 'investigate');
    assert.deepEqual(answer.line, { command: 'investigate', args: 'grace@contoso.com' });
  });

  it('a UPN is used as written, without a directory search', async () => {
    const finder = people([]);
    const answer = await ask("is alice@contoso.com's MFA working", finder);
    assert.deepEqual(answer?.kind === 'run' ? answer.line : null, { command: 'mfa', args: 'alice@contoso.com' });
    assert.deepEqual(finder.asked, []);
  });

  // The table's own `writes` decides: every write command, asked any of these ways, is only proposed.
  const writeQuestions = [
    'revoke sessions for heidi because she clicked a phishing link',
    'block heidi@contoso.com reason: password in a paste site',
    'unblock grace',
    'reset the password for grace since it leaked',
    'give grace a temporary access pass because she lost her phone',
    'contain grace@contoso.com: token theft',
    'disable grace',
  ];
  for (const question of writeQuestions) {
    it(`a write is never run from a question: ${JSON.stringify(question)}`, async () => {
      const answer = await ask(question);
      assert.notEqual(answer?.kind, 'run');
      const c = card(answer);
      const read = grammar.read(question);
      const command = COMMAND_TABLE.find((row) => row.name === read?.command);
      assert.equal(command?.writes, true, 'the grammar read it as a write command of the table');
      assert.match(visibleLines(c.body).join('\n'), /Nothing has been requested|Each button asks for approval/);
      for (const data of buttonData(c)) assert.equal(data.command, command?.name);
    });
  }

  it('a write naming a name several users match: a choice whose buttons each ask for approval', async () => {
    const c = card(await ask('revoke sessions for hei because of a phish'));
    assert.deepEqual(
      buttonData(c).map((d) => `${d.command} ${d.args}`),
      ['revoke heidi@contoso.com a phish', 'revoke heiko@contoso.com a phish'],
    );
    assert.match(visibleLines(c.body).join('\n'), /another approver decides/);
  });

  it('one match but more beyond the limit still asks which one', async () => {
    const c = card(await ask('who is grace', people([GRACE], true)));
    assert.match(visibleLines(c.body).join('\n'), /first ten are shown/);
  });

  it('a name nobody has, and a bot without name look-ups, answer in text', async () => {
    const none = await ask('what happened to zed');
    assert.match(none?.kind === 'reply' && none.reply.kind === 'text' ? none.reply.text : '', /No user's name/);
    const blind = await askQuestion('what happened to grace', { grammar, commands: COMMAND_TABLE });
    assert.match(blind?.kind === 'reply' && blind.reply.kind === 'text' ? blind.reply.text : '', /give the UPN/);
  });

  it('a pasted email is run as pasted and shown by its size', async () => {
    const answer = await ask('is this reset email real?\nFrom: a@b.c\n\nReset your password');
    assert.equal(answer?.kind, 'run');
    if (answer?.kind !== 'run') return;
    assert.equal(answer.line.args, 'From: a@b.c\n\nReset your password');
    const reply = readingAs(answer.line, { kind: 'text', text: 'verdict' });
    assert.equal(
      reply.kind === 'text' ? reply.text : '',
      'Reading this as `sspr-check <pasted email, 32 bytes>`\n\nverdict',
    );
  });

  it('text that reads as nothing: the commands sharing its words, an address it holds on their buttons, help last', () => {
    const suggestions = closestCommands('mfa policy broken for alice@contoso.com?', {
      grammar,
      commands: COMMAND_TABLE,
    });
    assert.deepEqual(suggestions[0]?.line, { command: 'mfa', args: 'alice@contoso.com' });
    assert.equal(suggestions.at(-1)?.line.command, 'help');
    assert.ok(suggestions.length <= 4);
  });

  it('people are ranked: the display name as typed, then one starting with it, then by name', () => {
    const ranked = rankPeople('heidi', [
      { id: '1', displayName: 'Adam Heidinger', userPrincipalName: 'adam@x.com' },
      { id: '2', displayName: 'Heidi Klum', userPrincipalName: 'hk@x.com' },
      { id: '3', displayName: 'Heidi', userPrincipalName: 'h@x.com' },
    ]);
    assert.deepEqual(
      ranked.map((p) => p.id),
      ['3', '2', '1'],
    );
  });
});

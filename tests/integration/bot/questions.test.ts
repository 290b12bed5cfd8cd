import assert from 'node:assert/strict';
import { TestAdapter, type Activity } from 'botbuilder';
import { startDemoTenant, type DemoTenant } from '../../../demo/server';
import { createPeopleFinder } from '../../../services/identity/people';
import { cardProblems, markdownSurfaces, visibleLines } from '../../support/cards';
import { alexSays, demoTurnHandler, recordingGraphClient } from '../../support/demo-turn';

interface Button {
  title: string;
  verb: string;
  data: { verb: string; command: string; args: string };
}

/** Every button of a card, in order (card actions and ActionSets in the body). */
function buttons(node: unknown, out: Button[] = []): Button[] {
  if (Array.isArray(node)) for (const item of node) buttons(item, out);
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.Execute') out.push(record as unknown as Button);
    else for (const value of Object.values(record)) buttons(value, out);
  }
  return out;
}

function cardOf(reply: Partial<Activity>): { body: unknown[] } {
  const card = reply.attachments?.[0]?.content as { body: unknown[] } | undefined;
  assert.ok(card, `a card, got text: ${reply.text ?? ''}`);
  assert.deepEqual(cardProblems(card), []);
  return card;
}

// Issue 14: plain-language questions through the whole turn, against the demo tenant's directory.
describe('integration: plain-language questions', () => {
  let tenant: DemoTenant;
  const sent: string[] = [];

  before(async () => {
    tenant = await startDemoTenant({ port: 0 });
  });
  after(async () => {
    await tenant.close();
  });

  function bot(withPeople = true) {
    sent.length = 0;
    const client = recordingGraphClient(tenant.url, sent);
    return new TestAdapter(demoTurnHandler(client, withPeople ? { people: createPeopleFinder(client) } : {}));
  }

  it('a read-only question runs at once, its first line saying how it was read', async () => {
    await bot()
      .send(alexSays('who is upntest@example.net?'))
      .assertReply((reply) => {
        const lines = visibleLines(cardOf(reply).body);
        assert.equal(lines[0], 'Reading this as user upntest@example.net');
        assert.ok(
          lines.some((l) => l.includes('upntest@example.com')),
          'the user card follows',
        );
      });
  });

  it('a name is resolved among the users by display name: one match runs for that user', async () => {
    await bot()
      .send(alexSays('what do we know about Megan?'))
      .assertReply((reply) => {
        assert.equal(visibleLines(cardOf(reply).body)[0], 'Reading this as user meganb@example.com');
      });
    assert.ok(
      sent.some((s) => s === 'GET /v1.0/users'),
      'one directory search',
    );
  });

  it('a name several users match asks to choose, one button each, running nothing yet', async () => {
    await bot()
      .send(alexSays('tell me about pat'))
      .assertReply((reply) => {
        const card = cardOf(reply);
        assert.match(visibleLines(card.body).join('\n'), /More than one user matches "pat"/);
        const choices = buttons(card).map((a) => `${a.data.command} ${a.data.args}`);
        assert.deepEqual(choices.sort(), [
          'user partner_contoso.com#EXT#@example.onmicrosoft.com',
          'user pattif@example.com',
        ]);
        assert.ok(buttons(card).every((a) => a.verb === 'command.run' && a.title === 'Choose'));
      });
    assert.ok(!sent.includes('POST /v1.0/$batch'), 'no user was read before the choice');
  });

  it('a write is never run from a question: a card proposes the exact command and its button asks for approval', async () => {
    await bot()
      .send(alexSays('block frank from signing in because his password was phished'))
      .assertReply((reply) => {
        const card = cardOf(reply);
        const lines = visibleLines(card.body);
        assert.ok(
          lines.includes('Reading this as disable forwarder@example.com his password was phished'),
          lines.join('\n'),
        );
        assert.match(lines.join('\n'), /Nothing has been requested/);
        assert.deepEqual(
          buttons(card).map((a) => a.data),
          [{ verb: 'command.run', command: 'disable', args: 'forwarder@example.com his password was phished' }],
        );
        for (const surface of markdownSurfaces(card)) assert.doesNotMatch(surface, /forwarder|phished/);
      });
    assert.deepEqual(
      sent.filter((s) => /^(PATCH|DELETE) /.test(s) || (s.startsWith('POST ') && !s.endsWith('/checkMemberGroups'))),
      [],
      'nothing but reads reached Graph',
    );
  });

  it('a name nobody has is said so; without the directory search a name asks for the UPN', async () => {
    await bot()
      .send(alexSays('what happened to Zebedee'))
      .assertReply((reply) => assert.match(reply.text ?? '', /No user's name or UPN starts with "Zebedee"/));
    await bot(false)
      .send(alexSays('what happened to Megan'))
      .assertReply((reply) => assert.match(reply.text ?? '', /cannot look names up: give the UPN/));
  });

  it('text that reads as no question gets the closest commands as buttons (help last)', async () => {
    await bot()
      .send(alexSays('is the mfa policy working for alexw@example.com and everyone else'))
      .assertReply((reply) => {
        const card = cardOf(reply);
        const lines = buttons(card).map((a) => `${a.data.command} ${a.data.args}`.trim());
        assert.equal(lines[0], 'mfa alexw@example.com');
        assert.equal(lines.at(-1), 'help');
      });
  });
});

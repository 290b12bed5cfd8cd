import assert from 'node:assert/strict';
import fc from 'fast-check';
import { COMMAND_TABLE } from '../../bot/commands/table';
import { VERB_TABLE } from '../../bot/commands/verbs';
import { parseCommandText } from '../../bot/parse-command';
import { upnSchema, userIdSchema } from '../../services/ids';
import { HOSTILE_PIECES, hostileString } from './hostile';
import { runs } from './runs';

// Issue 10 "prove the guards": the command parser never throws and never lets through a UPN the validator rejects;
// card data (an invoke's action.data, which any conversation member can forge) is a typed value or a refusal.
// The command and verb tables are static (bot/commands/table.ts, verbs.ts): no services are needed to parse.
const routes = { commands: COMMAND_TABLE, verbs: VERB_TABLE };

/** UPN-like words: a plausible local part and domain with hostile characters mixed in, or anything at all. */
const upnLike = fc.oneof(
  fc
    .tuple(
      fc.string({ unit: fc.constantFrom(...'abcXYZ019._-\'$#%&+=!^~`"<>()[]{}@/\\ \u202e\u0000é'), maxLength: 70 }),
      fc.constantFrom('@', '@@', '', '＠'),
      fc.string({ unit: fc.constantFrom(...'abc019.-_@ é\u0000'), maxLength: 60 }),
    )
    .map(([local, at, domain]) => `${local}${at}${domain}`),
  hostileString,
  fc.constantFrom(
    "a' or startswith(userPrincipalName,'",
    '$admin@contoso.com',
    "o'brien@contoso.com",
    ...HOSTILE_PIECES,
  ),
);
const argLine = fc
  .array(fc.oneof(upnLike, fc.string({ maxLength: 20 })), { maxLength: 4 })
  .map((words) => words.join(' '));

/** Every string that the parsed value carries as a UPN (UserRef objects, `upn`/`targetUpn` fields). */
function upnsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => upnsIn(v, out));
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.kind === 'upn' && typeof record.upn === 'string') out.push(record.upn);
    for (const [key, inner] of Object.entries(record)) {
      if (/upn$/i.test(key) && typeof inner === 'string' && record.kind !== 'upn') out.push(inner);
      upnsIn(inner, out);
    }
  }
  return out;
}

function idsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => idsIn(v, out));
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.kind === 'id' && typeof record.id === 'string') out.push(record.id);
    Object.values(record).forEach((v) => idsIn(v, out));
  }
  return out;
}

describe('property: command and card-data parsing', function () {
  this.timeout(60_000);

  it('finds the commands and verbs to test', () => {
    assert.ok(routes.commands.length >= 15, routes.commands.map((c) => c.name).join());
    assert.ok(routes.verbs.length >= 5, routes.verbs.map((v) => v.verb).join());
  });

  it('parseCommandText never throws; a result is a lower-case name without spaces and trimmed arguments', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary' }), argLine), (text) => {
        const parsed = parseCommandText(text);
        if (parsed === null) return;
        assert.match(parsed.name, /^\S+$/);
        assert.equal(parsed.name, parsed.name.toLowerCase());
        assert.equal(parsed.args, parsed.args.trim());
      }),
      runs(300),
    );
  });

  it('every command: parse never throws, refuses with a message, and accepts only UPNs the validator accepts', () => {
    fc.assert(
      fc.property(argLine, (args) => {
        for (const command of routes.commands) {
          const result = command.args.safeParse(args);
          if (!result.success) {
            assert.ok((result.error.issues[0]?.message ?? '').length > 0, `${command.name}: empty refusal`);
            continue;
          }
          for (const upn of upnsIn(result.data)) {
            assert.ok(upnSchema.safeParse(upn).success, `${command.name} accepted ${JSON.stringify(upn)}`);
          }
          for (const id of idsIn(result.data)) {
            assert.ok(userIdSchema.safeParse(id).success, `${command.name} accepted id ${JSON.stringify(id)}`);
          }
        }
      }),
      runs(200),
    );
  });

  it('every verb: any JSON as card data is a typed value or a refusal with a reason, never a throw', () => {
    const forged = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          verb: fc.constantFrom(...routes.verbs.map((v) => v.verb)),
          requestId: fc.oneof(fc.uuid(), hostileString),
          hash: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), hostileString),
          alertId: hostileString,
          jobId: fc.oneof(fc.uuid(), hostileString),
          command: fc.oneof(fc.constantFrom(...routes.commands.map((c) => c.name)), hostileString),
          args: fc.oneof(argLine, fc.jsonValue()),
          justification: fc.oneof(hostileString, fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(forged, (data) => {
        for (const verb of routes.verbs) {
          const parsed = verb.data.safeParse(data);
          if (!parsed.success) assert.ok(parsed.error.issues.length > 0, verb.verb);
          else assert.notEqual(parsed.data, undefined, verb.verb);
        }
      }),
      runs(300),
    );
  });
});

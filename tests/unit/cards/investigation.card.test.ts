import assert from 'node:assert/strict';
import { investigationCard } from '../../../cards/investigation.card';
import { signInSchema } from '../../../services/graph/schemas';
import { messageRuleSchema } from '../../../services/graph/schemas/message-rule';
import type { Investigation } from '../../../services/identity/investigation';
import { assessMfa } from '../../../services/identity/mfa-verdict';
import { summarizeSignIns } from '../../../services/identity/sign-ins';
import { summarizeUser } from '../../../services/identity/user-summary';
import type { ForwardingReport } from '../../../services/mailbox/forwarding-check';
import { judgeRule } from '../../../services/mailbox/rule-verdict';
import { disabledExchange } from '../../property/card-views-exchange';
import { cardProblems, markdownSurfaces, textRuns, visibleLines } from '../../support/cards';
import { investigationSections } from '../../property/card-views-investigation';
import { persistenceKey } from '../../../services/identity/persistence';
import { authenticator, DAY, deviceOnlyTrail, input, NOW, password } from '../services/identity/mfa-fixtures';

const EVIL = '[Verify now](https://evil.example) **urgent**';
const RULE_NAME = '[Open invoice](https://evil.example/rule)';

function forwardingReport(): ForwardingReport {
  const forwarder = messageRuleSchema.parse({
    id: 'rule-fwd',
    displayName: RULE_NAME,
    sequence: 1,
    isEnabled: true,
    actions: { forwardTo: [{ emailAddress: { name: EVIL, address: 'drop@collector.example.org' } }] },
  });
  const benign = messageRuleSchema.parse({
    id: 'rule-tidy',
    displayName: 'Tidy',
    sequence: 2,
    isEnabled: true,
    actions: { assignCategories: ['x'] },
  });
  return {
    kind: 'checked',
    userId: 'u1',
    user: 'u@example.com',
    rules: [judgeRule(forwarder, ['example.com']), judgeRule(benign, ['example.com'])],
    mailbox: { kind: 'not-configured' },
    severity: 'high',
  };
}

function investigation(overrides: Partial<Investigation> = {}): Investigation {
  const mfa = assessMfa(
    input({ methods: [password, authenticator('auth-1', DAY, EVIL)], events: deviceOnlyTrail(DAY, 'auth-1') }),
  );
  const signIn = signInSchema.parse({
    id: 's1',
    createdDateTime: new Date(NOW - 3600_000).toISOString(),
    appDisplayName: EVIL,
    ipAddress: '203.0.113.9',
    status: { errorCode: 0 },
    location: { city: EVIL, countryOrRegion: 'NG' },
  });
  return {
    profile: summarizeUser({
      user: { id: 'u1', userPrincipalName: 'u@example.com', displayName: EVIL, accountEnabled: true },
      directoryRoles: [],
      licenses: [],
    }),
    mfa,
    recentChanges: mfa.trail,
    signIns: { kind: 'read', value: summarizeSignIns([signIn], null, NOW) },
    riskUnavailable: null,
    forwarding: { kind: 'read', report: forwardingReport() },
    exchange: disabledExchange(),
    window: { from: new Date(NOW - 7 * DAY).toISOString(), days: 7 },
    apps: { kind: 'read', value: { apps: [], publishersUnavailable: null } },
    devices: { kind: 'read', value: [] },
    changes: { kind: 'read', value: { changes: [], truncated: false } },
    methodsAdded: [],
    flagged: [],
    timeline: { events: [], firstSuspicious: null },
    ...overrides,
  };
}

describe('investigationCard', () => {
  it('is a valid card; Graph strings (names, apps, cities, devices) appear only in TextRuns', () => {
    const card = investigationCard(investigation(), NOW);
    assert.deepEqual(cardProblems(card), []);
    assert.ok(markdownSurfaces(card).every((s) => !s.includes('evil.example')));
    assert.ok(textRuns(card).filter((t) => t.includes('evil.example')).length >= 3);
  });

  it('shows the unfinished registration of the last 7 days', () => {
    const card = investigationCard(investigation(), NOW);
    assert.ok(markdownSurfaces(card).some((s) => /Registered but not usable/.test(s)));
    assert.ok(textRuns(card).some((t) => t.includes('Authenticator device added')));
  });

  it('names the permission when sign-ins cannot be read', () => {
    const card = investigationCard(
      investigation({ signIns: { kind: 'unavailable', permission: 'AuditLog.Read.All' } }),
      NOW,
    );
    assert.ok(visibleLines(card).some((s) => s.includes('missing AuditLog.Read.All')));
  });

  describe('inbox rules and forwarding', () => {
    const card = investigationCard(investigation(), NOW);
    const all = () => markdownSurfaces(card).join('\n');

    it('shows the overall verdict and the flagged rule only, its name and recipient as TextRuns', () => {
      assert.deepEqual(cardProblems(card), []);
      assert.match(all(), /Verdict: HIGH\./);
      assert.match(all(), /2 inbox rules, 1 flagged\./);
      assert.ok(textRuns(card).includes(RULE_NAME));
      assert.ok(textRuns(card).includes('drop@collector.example.org'));
      assert.ok(!textRuns(card).includes('Tidy'), 'unflagged rules are left to the forwarding command');
      assert.ok(!all().includes('evil.example/rule') && !all().includes('collector.example.org'));
      assert.doesNotMatch(all(), /Not checked yet/);
    });

    it('offers "Disable this rule" for the flagged rule, via disable-rule <upn> <ruleId>', () => {
      const json = JSON.stringify(card);
      assert.ok(json.includes('"command":"disable-rule","args":"u@example.com rule-fwd"'), json);
      assert.ok(!json.includes('rule-tidy'));
    });

    it('says mailbox forwarding was not checked and how to enable it, and that hidden rules are invisible', () => {
      assert.match(all(), /Mailbox-level forwarding .* was NOT checked/);
      assert.match(all(), /EXCHANGE_ADMIN_ENABLED=true/);
      assert.match(all(), /Hidden inbox rules .* not returned by Graph/);
    });

    it('says "no mailbox" for a user without Exchange', () => {
      const noMailbox = investigationCard(
        investigation({
          forwarding: { kind: 'read', report: { kind: 'no-mailbox', userId: 'u1', user: 'u@example.com' } },
        }),
        NOW,
      );
      assert.ok(markdownSurfaces(noMailbox).some((s) => s.startsWith('No mailbox')));
      assert.ok(!JSON.stringify(noMailbox).includes('disable-rule'));
    });

    it('names the permission when the forwarding check was refused, and keeps the rest of the card', () => {
      const refused = investigationCard(
        investigation({ forwarding: { kind: 'unavailable', permission: 'MailboxSettings.Read' } }),
        NOW,
      );
      const text = visibleLines(refused).join('\n');
      assert.match(text, /Inbox rules and forwarding\nNot readable: .* missing MailboxSettings\.Read\./);
      assert.match(text, /Registered but not usable/);
      assert.ok(textRuns(refused).some((t) => t.includes('Authenticator device added')));
    });

    it('names the error code of another forwarding failure', () => {
      const failed = investigationCard(
        investigation({ forwarding: { kind: 'failed', code: 'graph_unavailable' } }),
        NOW,
      );
      assert.ok(markdownSurfaces(failed).some((s) => s.includes('Could not be checked (graph_unavailable)')));
    });
  });

  describe('apps, devices, changes and the timeline', () => {
    const sections = investigationSections(() => EVIL);
    const card = investigationCard(investigation(sections), NOW);
    const lines = () => visibleLines(card).join('\n');

    it('shows each section, tenant strings (apps, scopes, devices, activities) only as TextRuns', () => {
      assert.deepEqual(cardProblems(card), []);
      for (const title of [
        "Apps with access to the user's data",
        'Devices registered or joined',
        'Changes made by the account in the last 7 days',
        'Timeline',
      ])
        assert.ok(markdownSurfaces(card).includes(title), title);
      assert.ok(markdownSurfaces(card).every((s) => !s.includes('evil.example')));
      assert.ok(textRuns(card).filter((t) => t.includes('evil.example')).length >= 10);
    });

    it('flags the app (its high-risk scope, offline access, unverified third party) and the new device', () => {
      assert.match(lines(), /high risk: Mail\.ReadWrite/);
      assert.match(lines(), /\+ offline_access \(reads on without the user\)/);
      assert.match(lines(), /high-risk scopes, consented in the window, unverified third party/);
      assert.match(lines(), /1 registered in the last 7 days/);
      assert.match(lines(), /Publishers not readable: missing /);
      assert.match(lines(), /app credential: /);
    });

    it('marks the first suspicious event and lists undated ones as such', () => {
      const marked = visibleLines(card).filter((l) => l.includes('FIRST SUSPICIOUS'));
      assert.equal(marked.length, 1);
      assert.match(lines(), /time not recorded — Mailbox: /);
    });

    it('cut to 8 events besides the first suspicious, the timeline keeps the suspicious ones (after contain, remediation must not push out the attack)', () => {
      const ev = (hoursAgo: number, what: string, suspicious: boolean) => ({
        at: new Date(NOW - hoursAgo * 3600_000).toISOString(),
        section: 'changes' as const,
        what,
        detail: null,
        suspicious,
      });
      const events = [
        ev(100, 'old benign', false),
        ev(30, 'sign-in', true),
        ev(29, 'risk', true),
        ev(28, 'consent', true),
        ev(27, 'delegate', true),
        ev(26, 'device', true),
        ev(25, 'method', true),
        ev(4, 'rule disabled', false),
        ev(3, 'sessions revoked', false),
        ev(2, 'password changed', false),
        ev(1, 'method deleted by an admin', false),
      ];
      const cut = investigationCard(investigation({ timeline: { events, firstSuspicious: 1 } }), NOW);
      const timeline = visibleLines(cut).slice(visibleLines(cut).indexOf('Timeline'));
      const shown = events.filter((e) => timeline.some((l) => l.endsWith(`Changes: ${e.what}`)));
      assert.deepEqual(
        shown.map((e) => e.what),
        [
          'sign-in',
          'risk',
          'consent',
          'delegate',
          'device',
          'method',
          'sessions revoked',
          'password changed',
          'method deleted by an admin',
        ],
        timeline.join('\n'),
      );
      assert.ok(
        timeline.includes('2 event(s) not shown: the suspicious and the newest are kept.'),
        timeline.join('\n'),
      );
    });

    it('offers the flagged items as ticked checkboxes keyed by persistenceKey, and "Contain selected" on contain.pick', () => {
      const set = JSON.stringify(card);
      const choices = (card.body
        .flatMap((b) => (b.items as Record<string, unknown>[] | undefined) ?? [])
        .find((e) => e.type === 'Input.ChoiceSet') ?? {}) as {
        id?: string;
        isMultiSelect?: boolean;
        value?: string;
        choices?: { title: string; value: string }[];
      };
      const keys = sections.flagged.map(persistenceKey);
      assert.ok(keys.length >= 3, keys.join());
      assert.equal(choices.id, 'items');
      assert.equal(choices.isMultiSelect, true);
      assert.equal(choices.value, keys.join(','), 'every flagged item ticked at first');
      assert.deepEqual(
        choices.choices?.map((c) => c.value),
        keys,
      );
      assert.ok(
        choices.choices?.every((c) => !c.title.includes('evil.example')),
        'titles are our own wording',
      );
      const button = (card.actions ?? [])[0] as { verb?: string; data?: { upn?: string; items?: unknown } };
      assert.equal(button.verb, 'contain.pick');
      assert.deepEqual(button.data, { verb: 'contain.pick', upn: 'u@example.com', items: [] });
      assert.match(lines(), /^1\. App grant: /m);
      assert.ok(set.includes('"id":"justification"'));
    });

    it('offers no pick and no "Contain selected" when nothing is flagged', () => {
      const none = investigationCard(investigation(), NOW);
      assert.ok(!JSON.stringify(none).includes('contain.pick'));
      assert.ok(!JSON.stringify(none).includes('Input.ChoiceSet'));
    });

    it('each section degrades on its own, naming the missing permission or the error', () => {
      const refused = investigationCard(
        investigation({
          ...sections,
          apps: { kind: 'unavailable', permission: 'Directory.Read.All' },
          devices: { kind: 'failed', code: 'graph_unavailable' },
        }),
        NOW,
      );
      const text = visibleLines(refused).join('\n');
      assert.match(text, /Apps with access to the user's data\nNot readable: .* missing Directory\.Read\.All\./);
      assert.match(text, /Devices registered or joined\nCould not be read \(graph_unavailable\)/);
      assert.match(text, /app credential: /, 'the changes section still shows');
    });
  });

  it('stays under the Teams message limit with many long flagged items (each list is capped)', () => {
    const long = () => `${EVIL} ${'x'.repeat(400)}`;
    const many = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
    const base = investigationSections(long);
    const [app] = base.apps.kind === 'read' ? base.apps.value.apps : [];
    const [device] = base.devices.kind === 'read' ? base.devices.value : [];
    const [change] = base.changes.kind === 'read' ? base.changes.value.changes : [];
    const [event] = base.timeline.events;
    assert.ok(app && device && change && event);
    const card = investigationCard(
      investigation({
        ...base,
        apps: { kind: 'read', value: { apps: many(40, () => app), publishersUnavailable: null } },
        devices: { kind: 'read', value: many(30, () => device) },
        changes: { kind: 'read', value: { changes: many(60, () => change), truncated: false } },
        timeline: { events: many(200, () => event), firstSuspicious: 0 },
        flagged: many(10, (i) => ({ kind: 'device', id: `d${i}`, name: long() })),
      }),
      NOW,
    );
    const bytes = Buffer.byteLength(JSON.stringify(card));
    // The persistence sections' worst case leaves about 4 KB for the Exchange sections and the activity under Teams'
    // ~28 KB.
    assert.ok(bytes < 24 * 1024, `${bytes} bytes`);
    assert.match(visibleLines(card).join('\n'), /2 more flagged item\(s\) are not offered here/);
    assert.match(visibleLines(card).join('\n'), /and 37 more flagged app\(s\)/);
  });
});

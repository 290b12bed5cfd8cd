import assert from 'node:assert/strict';
import { messageRuleSchema } from '../../../../services/graph/schemas/message-rule';
import { classifyAddress } from '../../../../services/mailbox/domains';
import { judgeRule, type FolderInfo, type RuleVerdict } from '../../../../services/mailbox/rule-verdict';

const VERIFIED = ['example.com', 'example.net', 'example.onmicrosoft.com'];
const ARCHIVE = 'folder-archive';
const RSS = 'folder-rss';
const HIDDEN = 'folder-hidden';
const PROJECTS = 'folder-projects';
const FOLDERS = new Map<string, FolderInfo>([
  [ARCHIVE, { found: true, displayName: 'Archive', isHidden: false }],
  [RSS, { found: true, displayName: 'RSS Feeds', isHidden: false }],
  [HIDDEN, { found: true, displayName: 'Projects 2', isHidden: true }],
  [PROJECTS, { found: true, displayName: 'Projects', isHidden: false }],
  ['gone', { found: false }],
]);

const to = (address: string, name = address) => ({ emailAddress: { name, address } });

/** A rule as Graph returns it (parsed by the real schema, so redirectTo object/array is exercised). */
function rule(actions: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return messageRuleSchema.parse({
    id: 'r1',
    displayName: 'Rule',
    sequence: 1,
    isEnabled: true,
    hasError: false,
    conditions: {},
    actions,
    ...extra,
  });
}

function kinds(v: RuleVerdict): string[] {
  return v.findings.map((f) => f.kind);
}

interface Case {
  name: string;
  rule: ReturnType<typeof rule>;
  severity: RuleVerdict['severity'];
  check?: (v: RuleVerdict) => void;
}

const cases: Case[] = [
  {
    name: 'forward to an external address',
    rule: rule({ forwardTo: [to('ap-invoices@billing-collector.example.org')] }),
    severity: 'high',
    check: (v) => {
      const f = v.findings[0];
      assert.ok(f?.kind === 'forward' && f.recipients[0]?.kind === 'external');
      assert.equal(f.recipients[0].domain, 'billing-collector.example.org');
    },
  },
  {
    name: 'forward to an internal address (verified domain) is low',
    rule: rule({ forwardTo: [to('assistant1@example.com')] }),
    severity: 'low',
    check: (v) => {
      const f = v.findings[0];
      assert.ok(f?.kind === 'forward' && f.recipients[0]?.kind === 'internal');
    },
  },
  {
    name: 'forward to a subdomain of a verified domain is internal',
    rule: rule({ forwardTo: [to('x@eu.example.net')] }),
    severity: 'low',
  },
  {
    name: 'redirect to several recipients, one external',
    rule: rule({ redirectTo: [to('boss@example.com'), to('drop@evil.example.org')] }),
    severity: 'high',
    check: (v) => {
      const f = v.findings[0];
      assert.ok(f?.kind === 'forward' && f.via === 'redirectTo');
      assert.deepEqual(
        f.recipients.map((r) => r.kind),
        ['internal', 'external'],
      );
    },
  },
  {
    name: 'redirectTo as a single object (as documented)',
    rule: rule({ redirectTo: to('drop@evil.example.org') }),
    severity: 'high',
    check: (v) => {
      const f = v.findings[0];
      assert.ok(f?.kind === 'forward' && f.via === 'redirectTo' && f.recipients.length === 1);
    },
  },
  {
    name: 'redirectTo as an array of one',
    rule: rule({ redirectTo: [to('drop@evil.example.org')] }),
    severity: 'high',
    check: (v) => assert.deepEqual(kinds(v), ['forward']),
  },
  {
    name: 'forward as attachment to a look-alike of a verified domain (examp1e.com)',
    rule: rule({ forwardAsAttachmentTo: [to('ceo@examp1e.com')] }),
    severity: 'high',
    check: (v) => {
      const f = v.findings[0];
      assert.ok(f?.kind === 'forward' && f.via === 'forwardAsAttachmentTo');
      assert.equal(f.recipients[0]?.kind, 'lookalike');
      assert.equal(f.recipients[0]?.lookalikeOf, 'example.com');
    },
  },
  {
    name: 'markdown in the rule name is kept verbatim (rendering is the card test)',
    rule: rule(
      { forwardTo: [to('x@evil.example.org', '**Security Team**')] },
      { displayName: '[Reset your password](https://example.org/reset)' },
    ),
    severity: 'high',
    check: (v) => assert.equal(v.name, '[Reset your password](https://example.org/reset)'),
  },
  {
    name: 'a rule with hasError',
    rule: rule({ markAsRead: true }, { hasError: true }),
    severity: 'low',
    check: (v) => {
      assert.equal(v.hasError, true);
      assert.ok(kinds(v).includes('has-error'));
    },
  },
  {
    name: 'delete is medium, permanent delete is high',
    rule: rule({ permanentDelete: true }),
    severity: 'high',
    check: (v) => assert.deepEqual(kinds(v), ['delete']),
  },
  { name: 'delete alone', rule: rule({ delete: true }), severity: 'medium' },
  { name: 'delete and mark read', rule: rule({ delete: true, markAsRead: true }), severity: 'high' },
  {
    name: 'move to RSS Feeds and mark read (hiding)',
    rule: rule({ moveToFolder: RSS, markAsRead: true }),
    severity: 'high',
    check: (v) => {
      const f = v.findings[0];
      assert.ok(f?.kind === 'move' && f.obscure && f.markAsRead);
    },
  },
  {
    name: 'move to a hidden folder and mark read',
    rule: rule({ moveToFolder: HIDDEN, markAsRead: true }),
    severity: 'high',
  },
  {
    name: 'move to a folder that cannot be read, mark read',
    rule: rule({ moveToFolder: 'gone', markAsRead: true }),
    severity: 'high',
  },
  { name: 'move to Archive without mark-read', rule: rule({ moveToFolder: ARCHIVE }), severity: 'low' },
  { name: 'move to an ordinary folder', rule: rule({ moveToFolder: PROJECTS }), severity: 'none' },
  {
    name: 'move to an ordinary folder and mark read',
    rule: rule({ moveToFolder: PROJECTS, markAsRead: true }),
    severity: 'low',
  },
  { name: 'stop processing alone is housekeeping', rule: rule({ stopProcessingRules: true }), severity: 'none' },
  {
    name: 'stop processing beside a forward is reported',
    rule: rule({ forwardTo: [to('a@example.com')], stopProcessingRules: true }),
    severity: 'low',
    check: (v) => assert.deepEqual(kinds(v), ['forward', 'stop-processing']),
  },
  {
    name: 'a disabled external forward is shown one step lower',
    rule: rule({ forwardTo: [to('x@evil.example.org')] }, { isEnabled: false }),
    severity: 'medium',
    check: (v) => assert.equal(v.enabled, false),
  },
  {
    name: 'a rule named "." is flagged as inconspicuous, without raising the verdict',
    rule: rule({ assignCategories: ['x'] }, { displayName: '.' }),
    severity: 'none',
    check: (v) => assert.deepEqual(kinds(v), ['inconspicuous-name']),
  },
  { name: 'categorise only', rule: rule({ assignCategories: ['Blue'], markImportance: 'high' }), severity: 'none' },
];

describe('services/mailbox/rule-verdict judgeRule', () => {
  for (const c of cases) {
    it(c.name, () => {
      const v = judgeRule(c.rule, VERIFIED, FOLDERS);
      assert.equal(v.severity, c.severity);
      c.check?.(v);
    });
  }

  it('a move whose folder was not looked up (sweep) does not guess', () => {
    const v = judgeRule(rule({ moveToFolder: 'x' }), VERIFIED);
    assert.equal(v.severity, 'none');
  });
});

describe('services/mailbox/domains classifyAddress', () => {
  const table: [string, string, string?][] = [
    ['a@example.com', 'internal'],
    ['A@EXAMPLE.NET', 'internal'],
    ['smtp:a@example.com', 'internal'],
    ['a@sub.example.com', 'internal'],
    ['a@gmail.com', 'external'],
    ['a@personal-mail.example.org', 'external'],
    ['a@examp1e.com', 'lookalike', 'example.com'],
    ['a@exarnple.com', 'lookalike', 'example.com'],
    ['a@example.co', 'lookalike', 'example.com'],
    ['a@example-secure.com', 'lookalike', 'example.com'],
    ['a@example.com.evil.org', 'lookalike', 'example.com'],
    ['a@exampel.net', 'lookalike', 'example.net'],
    ['a@other.onmicrosoft.com', 'external'],
    ['not-an-address', 'invalid'],
    ['', 'invalid'],
  ];
  for (const [address, kind, of] of table) {
    it(`${address || '(empty)'} → ${kind}`, () => {
      const c = classifyAddress(address, VERIFIED);
      assert.equal(c.kind, kind);
      if (of) assert.equal(c.lookalikeOf, of);
    });
  }
});

import { addUser, type DemoState, type GraphObject } from '../state';
import { makeUser, seedId } from './make-user';
import { folderId } from './mail-folders';
import { SKU } from './skus';

export const MAIL_SCENARIO_IDS = {
  forwarder: seedId(0x201),
  hider: seedId(0x202),
  markdown: seedId(0x203),
  noMailbox: seedId(0x204),
} as const;

/** The outside address the forwarding scenarios send mail to (not a verified domain of the tenant). */
export const EXTERNAL_COLLECTOR = 'ap-invoices@billing-collector.example.org';

export function rule(
  id: string,
  displayName: string,
  sequence: number,
  conditions: GraphObject,
  actions: GraphObject,
): GraphObject {
  return {
    id,
    displayName,
    sequence,
    isEnabled: true,
    hasError: false,
    isReadOnly: false,
    conditions,
    exceptions: {},
    actions,
  };
}

function recipient(address: string, name: string): GraphObject {
  return { emailAddress: { name, address } };
}

/** Mailbox scenarios: external forwarding (rule + mailbox), move-to-RSS-and-mark-read, markdown rule name, no mailbox. */
export function seedMailScenarios(state: DemoState, t0: number): void {
  const forwarder = makeUser(t0, {
    id: MAIL_SCENARIO_IDS.forwarder,
    upn: 'forwarder@example.com',
    displayName: 'Frank Forwarder',
    department: 'Finance',
  });
  addUser(state, forwarder);
  state.rules.set(forwarder.id, [
    rule(
      'AQAAAJ5dZp8=',
      'Newsletter cleanup',
      1,
      { subjectContains: ['newsletter'] },
      { moveToFolder: folderId(forwarder, 'archive'), stopProcessingRules: false },
    ),
    rule(
      'AQAAAJ5dZqA=',
      '.',
      2,
      {},
      { forwardTo: [recipient(EXTERNAL_COLLECTOR, EXTERNAL_COLLECTOR)], stopProcessingRules: false },
    ),
  ]);
  state.mailboxForwarding.set(forwarder.id, {
    ForwardingSmtpAddress: `smtp:${EXTERNAL_COLLECTOR}`,
    ForwardingAddress: null,
    DeliverToMailboxAndForward: false,
  });

  const hider = makeUser(t0, {
    id: MAIL_SCENARIO_IDS.hider,
    upn: 'hider@example.com',
    displayName: 'Hannah Hider',
    department: 'Accounts Payable',
  });
  addUser(state, hider);
  state.rules.set(hider.id, [
    rule(
      'AQAAAJ5dZqE=',
      'Invoices',
      1,
      { subjectContains: ['invoice', 'payment', 'remittance'] },
      { moveToFolder: folderId(hider, 'rss'), markAsRead: true, stopProcessingRules: true },
    ),
  ]);

  const markdown = makeUser(t0, {
    id: MAIL_SCENARIO_IDS.markdown,
    upn: 'markdown@example.com',
    displayName: 'Mark Down',
  });
  addUser(state, markdown);
  state.rules.set(markdown.id, [
    rule(
      'AQAAAJ5dZqI=',
      '[Reset your password](https://example.org/reset)',
      1,
      { fromAddresses: [recipient('ceo@example.com', 'CEO')] },
      { forwardTo: [recipient(EXTERNAL_COLLECTOR, '**Security Team**')], markAsRead: true },
    ),
  ]);

  addUser(
    state,
    makeUser(t0, {
      id: MAIL_SCENARIO_IDS.noMailbox,
      upn: 'nomailbox@example.com',
      displayName: 'No Mailbox',
      skuIds: [SKU.ems.skuId],
    }),
  );
}

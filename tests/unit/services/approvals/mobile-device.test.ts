import assert from 'node:assert/strict';
import { approvalRequestCard } from '../../../../cards/approval-request.card';
import { executeRequest } from '../../../../services/approvals/executor';
import { planSteps, stepForItem } from '../../../../services/approvals/plan';
import type { MobileDevicePort } from '../../../../services/approvals/ports';
import { reconcile } from '../../../../services/approvals/reconcile';
import type { PlannedStep, TargetView } from '../../../../services/approvals/types';
import { CodedError } from '../../../../services/errors';
import type { PersistenceItem } from '../../../../services/identity/persistence';
import { ManualClock, SkippingClock } from '../../../fakes/manual-clock';
import { fakeTenant, noHooks, noSecrets, policy, record, STARTED } from './fakes';

const TARGET: TargetView = record([]).target;
const ROGUE: PersistenceItem = { kind: 'mobile-device', deviceId: 'ANDROIDROGUE', name: 'SM-G991B (Android 13, EAS)' };

/** u1's mailbox in Exchange: two partnerships, nothing blocked. */
function fakeMobile(overrides: Partial<MobileDevicePort> = {}) {
  const writes: string[] = [];
  const blocked: string[] = [];
  const port: MobileDevicePort = {
    partnerships: () =>
      Promise.resolve([
        { deviceId: 'ANDROIDROGUE', name: 'SM-G991B (Android 13, EAS)', accessState: 'Allowed' },
        { deviceId: 'IPHONEOWN', name: 'iPhone 15 (iOS 17.4, Outlook)', accessState: 'Allowed' },
      ]),
    blockedIds: () => Promise.resolve([...blocked]),
    block: (mailbox, id) => {
      writes.push(`block=${mailbox}:${id}`);
      blocked.push(id);
      return Promise.resolve({ requestId: null });
    },
    unblock: (mailbox, id) => {
      writes.push(`unblock=${mailbox}:${id}`);
      blocked.splice(blocked.indexOf(id), 1);
      return Promise.resolve({ requestId: null });
    },
    ...overrides,
  };
  return { port, writes, blocked };
}

function run(steps: PlannedStep[], mobileDevices?: MobileDevicePort, clock = new ManualClock(STARTED)) {
  return executeRequest(
    record(steps),
    {
      tenant: fakeTenant().tenant,
      secrets: noSecrets,
      policy,
      clock,
      random: () => 0,
      ...(mobileDevices ? { mobileDevices } : {}),
    },
    noHooks,
  );
}

describe('approvals/contain: ActiveSync partnerships (block-mobile-device)', () => {
  it('contain takes the flagged partnership as a block step; the single action only a partnership of the mailbox', async () => {
    const m = fakeMobile();
    const t = fakeTenant();
    const flagged = { flagged: () => Promise.resolve([ROGUE]) };
    const contain = await planSteps(t.tenant, TARGET, { action: 'contain', target: 'u1' }, { flagged });
    assert.ok(contain.kind === 'ready');
    assert.deepEqual(contain.steps.at(-1), { kind: 'block-mobile-device', item: ROGUE });
    const sources = { mobileDevices: m.port };
    const single = await planSteps(
      t.tenant,
      TARGET,
      { action: 'block-mobile-device', target: 'u1', itemId: 'androidrogue' },
      sources,
    );
    assert.ok(single.kind === 'ready');
    assert.deepEqual(single.steps, [{ kind: 'block-mobile-device', item: ROGUE }]);
    const other = await planSteps(
      t.tenant,
      TARGET,
      { action: 'block-mobile-device', target: 'u1', itemId: 'SOMEONEELSE' },
      sources,
    );
    assert.deepEqual(other, { kind: 'item-not-found', target: TARGET, what: 'mobile-device' });
    const off = await planSteps(t.tenant, TARGET, { action: 'block-mobile-device', target: 'u1', itemId: 'X' }, {});
    assert.equal(off.kind, 'exchange-not-enabled');
  });

  it('blocks once with the before-state kept, verified by reading the blocked list; a blocked device is not written again', async () => {
    const m = fakeMobile();
    const out = await run([stepForItem(ROGUE)], m.port);
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'verified']);
    assert.deepEqual(out.results[0]?.before?.item, {
      kind: 'mobile-device',
      deviceId: 'ANDROIDROGUE',
      blocked: false,
      accessState: 'Allowed',
    });
    const again = await run([stepForItem(ROGUE)], m.port);
    assert.deepEqual(again.results[0]?.reasons, ['already-in-state']);
    assert.deepEqual(m.writes, ['block=u1@example.com:ANDROIDROGUE']);
    // The undo takes it off the list again, once.
    const undo = await run([{ kind: 'unblock-mobile-device', item: ROGUE }], m.port);
    assert.deepEqual(undo.results[0]?.reasons, ['applied', 'verified']);
    assert.deepEqual(m.blocked, []);
    assert.equal(m.writes.length, 2);
  });

  it('without the Exchange admin API: not contained, nothing written, and the finished card says why', async () => {
    const out = await run([stepForItem(ROGUE)]);
    assert.deepEqual(out.results[0]?.reasons, ['exchange-not-enabled']);
    assert.equal(out.results[0]?.ok, false);
    const card = JSON.stringify(
      approvalRequestCard(
        record([stepForItem(ROGUE)], {
          state: 'failed',
          execution: { startedAt: STARTED, results: out.results },
        }),
        STARTED,
      ),
    );
    assert.match(card, /not contained: the Exchange admin API is disabled \(EXCHANGE_ADMIN_ENABLED is off\)/);
  });

  it('a block whose answer is lost is confirmed by reading the list back, never sent twice; reconcile reads only', async () => {
    const base = fakeMobile();
    let calls = 0;
    const m = fakeMobile({
      blockedIds: (mailbox) => base.port.blockedIds(mailbox),
      block: async (mailbox, id) => {
        calls++;
        await base.port.block(mailbox, id);
        throw new CodedError('graph_outcome_unknown', 'timeout', { status: 504 });
      },
    });
    const out = await run([stepForItem(ROGUE)], m.port, new SkippingClock());
    assert.equal(calls, 1);
    assert.deepEqual(out.results[0]?.reasons, ['applied', 'confirmed-by-read']);
    const judged = await reconcile(record([stepForItem(ROGUE)]), fakeTenant().tenant, { mobileDevices: base.port });
    assert.deepEqual(judged[0]?.reasons, ['reconciled-applied']);
    const unblocked = await reconcile(record([{ kind: 'unblock-mobile-device', item: ROGUE }]), fakeTenant().tenant, {
      mobileDevices: base.port,
    });
    assert.deepEqual(unblocked[0]?.reasons, ['reconciled-not-applied']);
  });

  it('the finished card names the undo: unblock-mobile-device <upn> <deviceId>', async () => {
    const m = fakeMobile();
    const out = await run([stepForItem(ROGUE)], m.port);
    const card = JSON.stringify(
      approvalRequestCard(
        record([stepForItem(ROGUE)], { state: 'done', execution: { startedAt: STARTED, results: out.results } }),
        STARTED,
      ),
    );
    assert.ok(card.includes('unblock-mobile-device u1@example.com ANDROIDROGUE <justification>'), card);
    assert.ok(card.includes('SM-G991B (Android 13, EAS)'));
  });
});

import assert from 'node:assert/strict';
import { COMPROMISED_UPN } from '../../../demo/seed/scenario-compromised';
import { ROGUE_DEVICE_ID } from '../../../demo/seed/scenarios-exchange';
import { persistenceKey } from '../../../services/identity/persistence';
import { readMobileDevices } from '../../../services/exchange/mobile-devices';
import { compromisedSources } from './compromised-sources';
import { approveLast, replyText, startHarness, undoLine, type Harness } from './harness';

const IPHONE_ID = '3F2504E04F8911D39A0C0305E82C3301';

/**
 * The ActiveSync phone the attacker paired with compromised@example.com (first synced after the risky sign-in): the
 * investigation flags it, contain blocks its device id for the mailbox through the Exchange admin API simulation
 * (Set-CASMailbox -ActiveSyncBlockedDeviceIDs @{Add}), read back with Get-CASMailbox; the Undo line unblocks it.
 * Without the Exchange admin API the step says it was not contained, and why.
 */
describe('integration: contain blocks the ActiveSync partnership (block-mobile-device)', function () {
  this.timeout(60_000);
  let h: Harness;
  // Each test its own sources: they cache the investigator and API client of the tenant they first read.
  let sources = compromisedSources(() => h.tenant.url);
  beforeEach(() => {
    sources = compromisedSources(() => h.tenant.url);
  });
  afterEach(async () => {
    await h?.close();
  });

  it('contain blocks the rogue device once, verified by Get-CASMailbox; the Undo line unblocks it', async () => {
    h = await startHarness({
      tenant: { timeFactor: 0.01 },
      flagged: sources.flagged,
      delegates: sources.delegates,
      mobileDevices: sources.mobileDevices,
    });
    await h.say('alex', 'approvals here', 'group');
    assert.match(replyText(await h.say('alex', `contain ${COMPROMISED_UPN} phished`)), /went to/);
    const [request] = await h.service.pending();
    const keys = (request?.steps ?? []).flatMap((s) => (s.item ? [persistenceKey(s.item)] : []));
    assert.ok(keys.includes(`mobile-device:${ROGUE_DEVICE_ID}`), keys.join());
    assert.ok(!keys.includes(`mobile-device:${IPHONE_ID}`), "the user's own iPhone is not flagged");
    assert.match(JSON.stringify(h.messenger.sent.at(-1)?.message), /Block the mobile device.*SM-G991B/);
    const id = await approveLast(h);
    const done = await h.service.get(id);
    const step = done?.execution?.results.find((r) => r.step.kind === 'block-mobile-device');
    assert.deepEqual(step?.reasons, ['applied', 'verified']);
    assert.deepEqual(step?.before?.item, {
      kind: 'mobile-device',
      deviceId: ROGUE_DEVICE_ID,
      blocked: false,
      accessState: 'Allowed',
    });
    assert.deepEqual(await sources.mobileDevices.blockedIds(COMPROMISED_UPN), [ROGUE_DEVICE_ID]);
    const partnerships = await readMobileDevices(sources.exchange(), COMPROMISED_UPN);
    assert.equal(partnerships.find((d) => d.deviceId === ROGUE_DEVICE_ID)?.accessState, 'Blocked');
    assert.equal(partnerships.find((d) => d.deviceId === IPHONE_ID)?.accessState, 'Allowed');
    assert.equal(
      done?.execution?.results.every((r) => r.ok),
      true,
    );

    // The undo, through the same approval.
    const unblock = undoLine(h, 'unblock-mobile-device');
    assert.equal(unblock, `unblock-mobile-device ${COMPROMISED_UPN} ${ROGUE_DEVICE_ID}`);
    await h.say('alex', `${unblock} the user's second phone`);
    const undo = await h.service.get(await approveLast(h));
    assert.deepEqual(undo?.execution?.results[0]?.reasons, ['applied', 'verified']);
    assert.deepEqual(await sources.mobileDevices.blockedIds(COMPROMISED_UPN), []);

    // The single action blocks it again; asked twice, the second finds it blocked and writes nothing.
    await h.say('alex', `block-mobile-device ${COMPROMISED_UPN} ${ROGUE_DEVICE_ID} attacker phone`);
    await approveLast(h);
    await h.say('alex', `block-mobile-device ${COMPROMISED_UPN} ${ROGUE_DEVICE_ID} again`);
    const again = await h.service.get(await approveLast(h));
    assert.deepEqual(again?.execution?.results[0]?.reasons, ['already-in-state']);
    assert.deepEqual(await sources.mobileDevices.blockedIds(COMPROMISED_UPN), [ROGUE_DEVICE_ID]);
    assert.match(
      replyText(await h.say('alex', `block-mobile-device ${COMPROMISED_UPN} NOTAPARTNERSHIP reason`)),
      /not a mobile-device partnership/,
    );
  });

  it('without the Exchange admin API the device is not contained, and the card says why', async () => {
    // The investigation still reads Exchange here; only the write side is off (as with EXCHANGE_ADMIN_ENABLED off).
    h = await startHarness({ tenant: { timeFactor: 0.01 }, flagged: sources.flagged, delegates: sources.delegates });
    await h.say('alex', 'approvals here', 'group');
    await h.say('alex', `contain ${COMPROMISED_UPN} phished`);
    const done = await h.service.get(await approveLast(h));
    const step = done?.execution?.results.find((r) => r.step.kind === 'block-mobile-device');
    assert.deepEqual(step?.reasons, ['exchange-not-enabled']);
    assert.equal(step?.ok, false);
    assert.match(
      JSON.stringify(h.messenger.updates.at(-1)?.message),
      /not contained: the Exchange admin API is disabled/,
    );
    assert.match(
      replyText(await h.say('alex', `block-mobile-device ${COMPROMISED_UPN} ${ROGUE_DEVICE_ID} attacker phone`)),
      /Exchange admin API, which is not enabled here/,
    );
  });
});

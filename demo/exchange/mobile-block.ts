/**
 * `Set-CASMailbox -ActiveSyncBlockedDeviceIDs` as Exchange Online takes it (a multi-valued property: `@{Add=…}`,
 * `@{Remove=…}`, or a list that replaces it); the list is read back by `Get-CASMailbox` (posture-cmdlets.ts) and a
 * blocked partnership shows `DeviceAccessState: Blocked` in `Get-MobileDevice` (activity.ts). Other parameters are
 * refused as unknown, as the simulation serves only this one. Each change is in the ExchangeAdmin audit.
 */
import type { Cmdlet } from './cmdlets';
import { audit, multiValuedSet } from './delegates';
import { exchangeSim } from './state';

const setCasMailbox: Cmdlet = (ctx, p) => {
  const set = multiValuedSet(ctx, p, 'ActiveSyncBlockedDeviceIDs');
  if ('ok' in set) return set;
  const { mailbox, change } = set;
  const sim = exchangeSim(ctx.state);
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  let current = change.replace ?? sim.activeSyncBlocked.get(mailbox.id) ?? [];
  current = [...current, ...change.add.filter((a) => !current.some((c) => same(c, a)))];
  current = current.filter((c) => !change.remove.some((r) => same(r, c)));
  sim.activeSyncBlocked.set(mailbox.id, current);
  audit(ctx, 'Set-CASMailbox', mailbox.userPrincipalName, { ActiveSyncBlockedDeviceIDs: current.join(', ') });
  return { ok: true, items: [] };
};

export const MOBILE_BLOCK_CMDLETS: Readonly<Record<string, Cmdlet>> = { 'Set-CASMailbox': setCasMailbox };

/**
 * Devices the user registered or joined, judged: registered in the investigation window, and whether the sign-in that
 * registered it was risky or from a new country. A registered device keeps a primary refresh token that outlives a
 * session revocation, so a flagged device is a PersistenceItem (contain disables it). Pure.
 */
import type { Device } from '../graph/schemas/access';
import type { PersistenceItem } from './persistence';
import type { SignInView } from './sign-ins';

/** How long before a registration a sign-in still counts as the one that registered it (when no device id matches). */
export const REGISTRATION_SIGN_IN_SLACK_MS = 60 * 60_000;

export type DeviceJoin = 'registered' | 'joined' | 'hybrid' | 'unknown';

export interface DeviceView {
  id: string;
  deviceId: string | null;
  name: string | null;
  operatingSystem: string | null;
  operatingSystemVersion: string | null;
  join: DeviceJoin;
  registeredAt: string | null;
  lastSignInAt: string | null;
  enabled: boolean | null;
  /** registeredDevices, ownedDevices or both. */
  relations: ('registered' | 'owned')[];
  inWindow: boolean;
  /** The sign-in that registered it: the one from this device id, else the latest within an hour before. */
  signIn: { at: string; country: string | null; city: string | null; newCountry: boolean; risk: string | null } | null;
  /** high: registered in the window after a risky or new-country sign-in; medium: in the window; null: not flagged. */
  severity: 'high' | 'medium' | null;
  item: PersistenceItem | null;
}

function joinOf(trustType: string | null): DeviceJoin {
  switch ((trustType ?? '').toLowerCase()) {
    case 'workplace':
      return 'registered';
    case 'azuread':
      return 'joined';
    case 'serverad':
      return 'hybrid';
    default:
      return 'unknown';
  }
}

function registeringSignIn(device: Device, signIns: readonly SignInView[]): SignInView | null {
  const byId = device.deviceId
    ? signIns.find((s) => s.deviceId?.toLowerCase() === device.deviceId?.toLowerCase())
    : undefined;
  if (byId) return byId;
  const at = device.registrationDateTime ? Date.parse(device.registrationDateTime) : NaN;
  if (Number.isNaN(at)) return null;
  let best: SignInView | null = null;
  for (const s of signIns) {
    const t = Date.parse(s.at);
    if (t > at || at - t > REGISTRATION_SIGN_IN_SLACK_MS || s.result !== 'success') continue;
    if (!best || t > Date.parse(best.at)) best = s;
  }
  return best;
}

const risky = (level: string | null): boolean => level === 'medium' || level === 'high';

/**
 * Judge the union of registeredDevices and ownedDevices (deduplicated by object id) against the sign-ins (null when
 * they could not be read: no correlation, the window still flags). Newest registration first.
 */
export function judgeDevices(
  registered: readonly Device[],
  owned: readonly Device[],
  signIns: readonly SignInView[] | null,
  windowStart: number,
): DeviceView[] {
  const byId = new Map<string, { device: Device; relations: Set<'registered' | 'owned'> }>();
  const add = (d: Device, relation: 'registered' | 'owned') => {
    if (d['@odata.type'] !== undefined && d['@odata.type'] !== '#microsoft.graph.device') return;
    const entry = byId.get(d.id) ?? { device: d, relations: new Set() };
    entry.relations.add(relation);
    byId.set(d.id, entry);
  };
  registered.forEach((d) => add(d, 'registered'));
  owned.forEach((d) => add(d, 'owned'));
  const views = [...byId.values()].map(({ device, relations }): DeviceView => {
    const registeredMs = device.registrationDateTime ? Date.parse(device.registrationDateTime) : NaN;
    const inWindow = !Number.isNaN(registeredMs) && registeredMs >= windowStart;
    const s = signIns ? registeringSignIn(device, signIns) : null;
    const signIn = s
      ? { at: s.at, country: s.country, city: s.city, newCountry: s.newCountry, risk: s.riskLevel }
      : null;
    const severity = !inWindow ? null : signIn && (signIn.newCountry || risky(signIn.risk)) ? 'high' : 'medium';
    const item: PersistenceItem | null =
      severity !== null && device.accountEnabled !== false
        ? { kind: 'device', id: device.id, name: device.displayName ?? device.deviceId ?? device.id }
        : null;
    return {
      id: device.id,
      deviceId: device.deviceId,
      name: device.displayName,
      operatingSystem: device.operatingSystem,
      operatingSystemVersion: device.operatingSystemVersion,
      join: joinOf(device.trustType),
      registeredAt: device.registrationDateTime,
      lastSignInAt: device.approximateLastSignInDateTime,
      enabled: device.accountEnabled,
      relations: [...relations],
      inWindow,
      signIn,
      severity,
      item,
    };
  });
  return views.sort((a, b) => Date.parse(b.registeredAt ?? '0') - Date.parse(a.registeredAt ?? '0'));
}

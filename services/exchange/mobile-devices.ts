/**
 * Exchange mobile-device partnerships (issue 13, section 3): `Get-MobileDevice -Mailbox`. An ActiveSync partnership
 * keeps syncing mail with its own token after the user's sessions are revoked, so one first synced in the window —
 * above all after the risky sign-in — is flagged. `judgeMobileDevices` is pure.
 */
import { z } from 'zod';
import type { ExchangeAdminApi } from './admin-api';
import type { ExchangeTimelineEvent } from './section';

export interface MobileDevice {
  /** Exchange's Identity of the partnership (what Remove-MobileDevice / Set-CASMailbox would take). */
  identity: string | null;
  deviceId: string | null;
  deviceType: string | null;
  model: string | null;
  os: string | null;
  friendlyName: string | null;
  userAgent: string | null;
  /** EAS (Exchange ActiveSync) or Outlook (the Outlook mobile app's REST sync). */
  clientType: string | null;
  accessState: string | null;
  firstSync: string | null;
}

export interface MobileDeviceFinding extends MobileDevice {
  inWindow: boolean;
  /** First synced after the first suspicious sign-in. */
  afterSuspicious: boolean;
  /** high: first synced in the window after a suspicious sign-in; medium: in the window; null: not flagged. */
  severity: 'high' | 'medium' | null;
}

const optional = z.string().nullable().optional();
const deviceSchema = z.looseObject({
  Identity: optional,
  DeviceId: optional,
  DeviceType: optional,
  DeviceModel: optional,
  DeviceOS: optional,
  FriendlyName: optional,
  DeviceUserAgent: optional,
  ClientType: optional,
  DeviceAccessState: optional,
  FirstSyncTime: optional,
});

const iso = (text: string | null | undefined): string | null => {
  if (!text) return null;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
};

/** The mailbox's partnerships (through the InvokeCommand proxy). */
export async function readMobileDevices(api: ExchangeAdminApi, mailboxUpn: string): Promise<MobileDevice[]> {
  const devices = await api.invoke({
    cmdlet: 'Get-MobileDevice',
    parameters: { Mailbox: mailboxUpn },
    schema: deviceSchema,
    anchorMailbox: `UPN:${mailboxUpn}`,
  });
  return devices.map((d) => ({
    identity: d.Identity ?? null,
    deviceId: d.DeviceId ?? null,
    deviceType: d.DeviceType ?? null,
    model: d.DeviceModel ?? null,
    os: d.DeviceOS ?? null,
    friendlyName: d.FriendlyName ?? null,
    userAgent: d.DeviceUserAgent ?? null,
    clientType: d.ClientType ?? null,
    accessState: d.DeviceAccessState ?? null,
    firstSync: iso(d.FirstSyncTime),
  }));
}

/** Flags partnerships first synced in the window; newest first. Pure. */
export function judgeMobileDevices(
  devices: readonly MobileDevice[],
  opts: { window: { from: number; to: number }; suspiciousSince: number | null },
): MobileDeviceFinding[] {
  return devices
    .map((d): MobileDeviceFinding => {
      const at = d.firstSync ? Date.parse(d.firstSync) : NaN;
      const inWindow = Number.isFinite(at) && at >= opts.window.from && at <= opts.window.to;
      const afterSuspicious = inWindow && opts.suspiciousSince !== null && at >= opts.suspiciousSince;
      return { ...d, inWindow, afterSuspicious, severity: afterSuspicious ? 'high' : inWindow ? 'medium' : null };
    })
    .sort((a, b) => (b.firstSync ? Date.parse(b.firstSync) : 0) - (a.firstSync ? Date.parse(a.firstSync) : 0));
}

/** A device's words for the card and timeline: model, OS and client. */
export function deviceLabel(d: MobileDevice): string {
  const name = [d.friendlyName, d.model].filter((p): p is string => p !== null && p !== '').join(' / ');
  const extra = [d.os, d.clientType].filter((p): p is string => p !== null && p !== '').join(', ');
  return `${name || d.deviceType || d.deviceId || 'unknown device'}${extra ? ` (${extra})` : ''}`;
}

/** Partnerships first synced in the window, as timeline events. */
export function mobileDeviceEvents(findings: readonly MobileDeviceFinding[]): ExchangeTimelineEvent[] {
  return findings
    .filter((f) => f.inWindow && f.firstSync !== null)
    .map((f) => ({
      at: f.firstSync,
      section: 'devices' as const,
      what: 'Mobile device first synced with the mailbox (ActiveSync outlives session revocation)',
      detail: deviceLabel(f),
      suspicious: f.severity === 'high',
    }));
}

import type { DemoUser } from '../state';
import { SKU } from './skus';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** ISO time `ago` ms before the server start, so "an hour ago" stays an hour ago. */
export function isoAgo(t0: number, ago: number): string {
  return new Date(t0 - ago).toISOString();
}

export interface UserSpec {
  id: string;
  upn: string;
  displayName: string;
  mail?: string | null;
  proxyAddresses?: string[];
  skuIds?: string[];
  disabledPlans?: string[];
  synced?: boolean;
  guest?: boolean;
  accountEnabled?: boolean;
  jobTitle?: string | null;
  department?: string | null;
  createdAgo?: number;
  passwordAgo?: number;
  sessionsAgo?: number;
}

/** A member user in Graph's shape with sensible defaults: E5 licence, mail = UPN, SMTP proxy = mail. */
export function makeUser(t0: number, spec: UserSpec): DemoUser {
  const mail = spec.mail === undefined ? spec.upn : spec.mail;
  const [given, ...rest] = spec.displayName.split(' ');
  const created = spec.createdAgo ?? 400 * DAY;
  const local = spec.upn.split('@')[0] ?? spec.upn;
  const proxies =
    spec.proxyAddresses ??
    (mail === null || spec.guest ? [] : [`SMTP:${mail}`, `smtp:${local}@example.onmicrosoft.com`]);
  return {
    id: spec.id,
    displayName: spec.displayName,
    givenName: given ?? null,
    surname: rest.length > 0 ? rest.join(' ') : null,
    userPrincipalName: spec.upn,
    mail,
    otherMails: [],
    proxyAddresses: proxies,
    accountEnabled: spec.accountEnabled ?? true,
    userType: spec.guest ? 'Guest' : 'Member',
    creationType: spec.guest ? 'Invitation' : null,
    externalUserState: spec.guest ? 'Accepted' : null,
    onPremisesSyncEnabled: spec.synced ? true : null,
    onPremisesImmutableId: spec.synced ? Buffer.from(spec.id).toString('base64').slice(0, 24) : null,
    onPremisesLastSyncDateTime: spec.synced ? isoAgo(t0, 20 * 60_000) : null,
    createdDateTime: isoAgo(t0, created),
    lastPasswordChangeDateTime: isoAgo(t0, spec.passwordAgo ?? Math.min(created, 90 * DAY)),
    signInSessionsValidFromDateTime: isoAgo(t0, spec.sessionsAgo ?? spec.passwordAgo ?? Math.min(created, 90 * DAY)),
    jobTitle: spec.jobTitle ?? null,
    department: spec.department ?? null,
    officeLocation: null,
    mobilePhone: null,
    businessPhones: [],
    preferredLanguage: spec.guest ? null : 'en-US',
    usageLocation: spec.guest ? null : 'US',
    assignedLicenses: (spec.skuIds ?? (spec.guest ? [] : [SKU.e5.skuId])).map((skuId) => ({
      skuId,
      disabledPlans: spec.disabledPlans ?? [],
    })),
  };
}

/** Seed user ids: valid GUIDs with the scenario number at the end. */
export function seedId(n: number): string {
  return `5eed0000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

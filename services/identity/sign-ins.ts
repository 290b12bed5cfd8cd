/** Recent sign-ins of one user, judged: results explained, usual vs new countries, MFA used, Identity Protection risk. Pure. */
import { z } from 'zod';
import type { RiskyUser, SignIn } from '../graph/schemas';
import { explainSignInError, type SignInResultKind } from './sign-in-errors';

const DAY = 24 * 3600_000;
/** A country counts as usual once the user signed in successfully from it this many times. */
const USUAL_MIN_SUCCESSES = 2;
/** Failed sign-ins in the last 24 h that make the summary worth a look (spray / guessing). */
const FAILURE_BURST = 5;

/** One sign-in, reduced to what the card shows. Strings from Graph stay raw here; cards render them untrusted. */
export interface SignInView {
  id: string;
  at: string;
  result: SignInResultKind;
  errorCode: number | null;
  explanation: string;
  failureReason: string | null;
  app: string | null;
  clientApp: string | null;
  browser: string | null;
  operatingSystem: string | null;
  /** The Entra device id the sign-in came from, when the log names one (matches a device's `deviceId`). */
  deviceId: string | null;
  ipAddress: string | null;
  city: string | null;
  country: string | null;
  /** True when the country is not one of the user's usual countries. */
  newCountry: boolean;
  riskLevel: string | null;
  riskState: string | null;
  riskEventTypes: string[];
  /** The MFA method the log says was used (authenticationDetails / mfaDetail), or null when it does not say. */
  mfaMethod: string | null;
  /** Whether the sign-in needed MFA (`authenticationRequirement`), when the log says. */
  mfaRequired: boolean | null;
}

/** Identity Protection's view of the user. */
export type RiskView =
  | { kind: 'not-risky' }
  | {
      kind: 'risky';
      level: string;
      state: string;
      detail: string | null;
      updated: string | null;
      /** atRisk or confirmedCompromised: still needs action. */
      open: boolean;
    };

/** Why the summary is worth a look; each reason is our own wording plus data the card renders untrusted. */
export type SignInConcern =
  | { kind: 'user-at-risk'; level: string; state: string }
  | { kind: 'risky-sign-in'; signInId: string; level: string }
  | { kind: 'new-country'; country: string; at: string; succeeded: boolean }
  | { kind: 'failure-burst'; count: number };

export interface SignInSummary {
  /** Newest first. */
  signIns: SignInView[];
  total: number;
  successes: number;
  failures: number;
  interrupted: number;
  usualCountries: string[];
  newCountries: string[];
  lastSuccess: SignInView | null;
  risk: RiskView;
  concerns: SignInConcern[];
  /** `attention` when any concern holds; `none` when there is no sign-in in the log at all. */
  verdict: 'attention' | 'normal' | 'none';
}

const authDetailSchema = z.looseObject({
  authenticationMethod: z.string().nullish(),
  authenticationMethodDetail: z.string().nullish(),
  authenticationStepRequirement: z.string().nullish(),
  succeeded: z.boolean().nullish(),
});
const authDetailsSchema = z.array(authDetailSchema);
const mfaDetailSchema = z.looseObject({ authMethod: z.string().nullish(), authDetail: z.string().nullish() });

// First-factor entries, which say nothing about the second factor.
const FIRST_FACTORS = new Set(['password', 'previously satisfied', 'passwordless phone sign-in', '']);

/** The MFA method a sign-in record names: v1.0/beta authenticationDetails, or beta's older mfaDetail. */
export function mfaMethodOf(signIn: SignIn): string | null {
  const details = authDetailsSchema.safeParse(signIn.authenticationDetails);
  if (details.success) {
    const second = details.data.find(
      (d) =>
        d.succeeded !== false &&
        typeof d.authenticationMethod === 'string' &&
        !FIRST_FACTORS.has(d.authenticationMethod.trim().toLowerCase()),
    );
    if (second?.authenticationMethod) return second.authenticationMethod;
    const satisfied = details.data.find((d) => d.authenticationMethod?.trim().toLowerCase() === 'previously satisfied');
    if (satisfied) return 'Previously satisfied (MFA claim in the token)';
  }
  const mfa = mfaDetailSchema.safeParse(signIn.mfaDetail);
  if (mfa.success && mfa.data.authMethod) return mfa.data.authMethod;
  return null;
}

function mfaRequiredOf(signIn: SignIn): boolean | null {
  const requirement = signIn.authenticationRequirement;
  if (typeof requirement !== 'string') return null;
  return requirement.toLowerCase() === 'multifactorauthentication';
}

function countryOf(signIn: SignIn): string | null {
  const c = signIn.location?.countryOrRegion?.trim();
  return c ? c.toUpperCase() : null;
}

function riskViewOf(riskyUser: RiskyUser | null): RiskView {
  if (!riskyUser) return { kind: 'not-risky' };
  const level = riskyUser.riskLevel ?? 'none';
  const state = riskyUser.riskState ?? 'none';
  if (state === 'none' && (level === 'none' || level === 'hidden')) return { kind: 'not-risky' };
  return {
    kind: 'risky',
    level,
    state,
    detail: riskyUser.riskDetail,
    updated: riskyUser.riskLastUpdatedDateTime,
    open: state === 'atRisk' || state === 'confirmedCompromised',
  };
}

/**
 * Summarise a user's sign-ins (any order) and their risky-user record (null when Identity Protection has none).
 * Usual countries are those with at least two successful sign-ins, plus the country of the oldest successful one
 * (the baseline when the history is short); every other country is new.
 */
export function summarizeSignIns(signIns: SignIn[], riskyUser: RiskyUser | null, now: number): SignInSummary {
  const sorted = [...signIns].sort((a, b) => Date.parse(b.createdDateTime) - Date.parse(a.createdDateTime));
  const meanings = new Map(
    sorted.map((s) => [s.id, explainSignInError(s.status.errorCode, s.status.failureReason)] as const),
  );
  const successCounts = new Map<string, number>();
  let oldestSuccessCountry: string | null = null;
  for (const s of sorted) {
    const country = countryOf(s);
    if (!country || meanings.get(s.id)?.kind !== 'success') continue;
    successCounts.set(country, (successCounts.get(country) ?? 0) + 1);
    oldestSuccessCountry = country;
  }
  const usual = new Set([...successCounts].filter(([, n]) => n >= USUAL_MIN_SUCCESSES).map(([c]) => c));
  if (oldestSuccessCountry) usual.add(oldestSuccessCountry);

  const views: SignInView[] = sorted.map((s) => {
    const meaning = meanings.get(s.id) ?? explainSignInError(s.status.errorCode, s.status.failureReason);
    const country = countryOf(s);
    return {
      id: s.id,
      at: s.createdDateTime,
      result: meaning.kind,
      errorCode: s.status.errorCode,
      explanation: meaning.explanation,
      failureReason: meaning.kind === 'success' ? null : s.status.failureReason,
      app: s.appDisplayName,
      clientApp: s.clientAppUsed,
      browser: s.deviceDetail?.browser ?? null,
      operatingSystem: s.deviceDetail?.operatingSystem ?? null,
      deviceId: s.deviceDetail?.deviceId ? s.deviceDetail.deviceId : null,
      ipAddress: s.ipAddress,
      city: s.location?.city ?? null,
      country,
      newCountry: country !== null && !usual.has(country),
      riskLevel: s.riskLevelDuringSignIn,
      riskState: s.riskState,
      riskEventTypes: s.riskEventTypes,
      mfaMethod: mfaMethodOf(s),
      mfaRequired: mfaRequiredOf(s),
    };
  });

  const risk = riskViewOf(riskyUser);
  const concerns: SignInConcern[] = [];
  if (risk.kind === 'risky' && risk.open) concerns.push({ kind: 'user-at-risk', level: risk.level, state: risk.state });
  for (const v of views) {
    if (v.riskLevel === 'medium' || v.riskLevel === 'high') {
      concerns.push({ kind: 'risky-sign-in', signInId: v.id, level: v.riskLevel });
    }
  }
  const newCountries: string[] = [];
  for (const v of [...views].reverse()) {
    if (!v.newCountry || v.country === null || newCountries.includes(v.country)) continue;
    newCountries.push(v.country);
    concerns.push({ kind: 'new-country', country: v.country, at: v.at, succeeded: v.result === 'success' });
  }
  const recentFailures = views.filter((v) => v.result === 'failure' && now - Date.parse(v.at) <= DAY).length;
  if (recentFailures >= FAILURE_BURST) concerns.push({ kind: 'failure-burst', count: recentFailures });

  return {
    signIns: views,
    total: views.length,
    successes: views.filter((v) => v.result === 'success').length,
    failures: views.filter((v) => v.result === 'failure').length,
    interrupted: views.filter((v) => v.result === 'interrupted').length,
    usualCountries: [...usual].sort(),
    newCountries,
    lastSuccess: views.find((v) => v.result === 'success') ?? null,
    risk,
    concerns,
    verdict: views.length === 0 && concerns.length === 0 ? 'none' : concerns.length > 0 ? 'attention' : 'normal',
  };
}

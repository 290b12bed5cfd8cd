/** Checks 9 (advanced auditing licensed for admins and VIPs) and 10 (Secure Score and its MFA/SSPR/legacy controls): pure. */
import type { LicenseDetail } from '../graph/schemas/license';
import type { SecureScore, SecureScoreControlProfile } from '../graph/schemas/posture';
import { ADVANCED_AUDITING_PLAN_ID, ADVANCED_AUDITING_PLAN_NAME } from '../identity/user-summary';
import type { AdvancedAuditCheck, Named, ScoreControl, SecureScoreCheck, Source } from './types';

/** Whether a user's licences provision Audit (Premium), which records MailItemsAccessed. */
export function hasAdvancedAuditing(licences: readonly LicenseDetail[]): boolean {
  return licences.some((l) =>
    l.servicePlans.some(
      (p) =>
        (p.servicePlanId.toLowerCase() === ADVANCED_AUDITING_PLAN_ID ||
          p.servicePlanName === ADVANCED_AUDITING_PLAN_NAME) &&
        (p.provisioningStatus ?? 'Success') === 'Success',
    ),
  );
}

/** People whose licences were read: who they are and their licence details. */
export interface Licensed {
  who: Named;
  licences: LicenseDetail[];
}

/** 9. Every admin, and every member of the VIP group (VIP_GROUP_ID), has Audit (Premium) provisioned. */
export function checkAdvancedAudit(
  admins: Source<Licensed[]>,
  vip: Source<{ members: Licensed[]; complete: boolean }> | 'not-configured',
): AdvancedAuditCheck {
  const unlicensed = (people: readonly Licensed[]) =>
    people.filter((p) => !hasAdvancedAuditing(p.licences)).map((p) => p.who);
  const adminView =
    admins.kind === 'read' ? { checked: admins.value.length, unlicensed: unlicensed(admins.value) } : null;
  const vipView =
    vip === 'not-configured'
      ? vip
      : vip.kind === 'read'
        ? { checked: vip.value.members.length, unlicensed: unlicensed(vip.value.members), complete: vip.value.complete }
        : null;
  const base = { id: 'advanced-audit' as const, admins: adminView, vip: vipView };
  const failing =
    (adminView?.unlicensed.length ?? 0) + (typeof vipView === 'object' ? (vipView?.unlicensed.length ?? 0) : 0);
  if (failing > 0) return { ...base, verdict: 'fail', need: null };
  if (admins.kind === 'missing') return { ...base, verdict: 'cant-tell', need: admins.need };
  if (vip !== 'not-configured' && vip.kind === 'missing') return { ...base, verdict: 'cant-tell', need: vip.need };
  // Without a VIP group the check covers admins only; the card says how to add one.
  return { ...base, verdict: 'pass', need: null };
}

/**
 * The Secure Score controls about MFA, SSPR and legacy authentication, by their control names (ids of the control
 * profiles), with a title match for controls Microsoft renames or adds.
 */
const RELATED_IDS = new Set([
  'adminmfav2',
  'mfaregistrationv2',
  'blocklegacyauthentication',
  'selfservicepasswordreset',
  'signinriskpolicy',
]);
const RELATED_TITLE = /\b(mfa|multi-?factor|legacy authentication|self-service password reset|sspr)\b/i;

/** Whether a control profile is one the posture card shows. */
export function isRelatedControl(profile: SecureScoreControlProfile): boolean {
  return RELATED_IDS.has(profile.id.toLowerCase()) || RELATED_TITLE.test(profile.title ?? '');
}

/** 10. Today's Secure Score; fails while any MFA, SSPR or legacy-authentication control is below its maximum. */
export function checkSecureScore(
  scores: Source<SecureScore | null>,
  profiles: Source<SecureScoreControlProfile[]>,
): SecureScoreCheck {
  const base = { id: 'secure-score' as const };
  if (scores.kind === 'missing')
    return { ...base, current: null, max: null, at: null, controls: [], verdict: 'cant-tell', need: scores.need };
  const score = scores.value;
  const byName = new Map((score?.controlScores ?? []).map((c) => [(c.controlName ?? '').toLowerCase(), c]));
  const related =
    profiles.kind === 'read' ? profiles.value.filter((p) => isRelatedControl(p) && p.deprecated !== true) : [];
  const controls: ScoreControl[] = related
    .map((p) => ({
      id: p.id,
      title: p.title,
      score: byName.get(p.id.toLowerCase())?.score ?? null,
      maxScore: p.maxScore,
      state: p.controlStateUpdates.at(-1)?.state ?? null,
      actionUrl: p.actionUrl,
    }))
    .sort((a, b) => gap(b) - gap(a));
  const view = {
    ...base,
    current: score?.currentScore ?? null,
    max: score?.maxScore ?? null,
    at: score?.createdDateTime ?? null,
    controls,
  };
  if (score === null)
    return {
      ...view,
      verdict: 'cant-tell',
      need: { kind: 'licence', name: 'Microsoft Secure Score (no score computed yet)' },
    };
  if (controls.some((c) => gap(c) > 0)) return { ...view, verdict: 'fail', need: null };
  if (profiles.kind === 'missing') return { ...view, verdict: 'cant-tell', need: profiles.need };
  return { ...view, verdict: 'pass', need: null };
}

/** Points a control is short of its maximum (unknown counts as short by the maximum). */
function gap(c: ScoreControl): number {
  return (c.maxScore ?? 0) - (c.score ?? 0);
}

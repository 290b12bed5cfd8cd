/** The `mfa <upn>` reply: verdict first, then each method with its evidence, the report, and next steps. Pure. */
import type { MfaAssessment, NotUsableReason } from '../services/identity/mfa-verdict';
import { adaptiveCard, commandButton, container, heading, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { formatTime, joinOwn, own, type Own } from './text';
import { methodSection, missingText } from './mfa-method.card';
import { line, trailLines } from './mfa-trail.card';

export const MY_SECURITY_INFO_URL = 'https://aka.ms/mysecurityinfo';

const REASONS = {
  'disabled-by-policy': 'the method type is disabled in the authentication methods policy',
  'not-targeted': 'the policy does not target this user',
  'excluded-by-group': 'the user is in an excluded group',
  'never-verified': 'registration was never verified',
  'not-an-mfa-method': 'only non-MFA methods are registered',
  'tap-not-usable': 'the Temporary Access Pass is expired or used',
} as const satisfies Record<NotUsableReason, string>;

/** The headline: one sentence that answers the question. */
export function verdictHeadline(a: MfaAssessment): Own {
  const weak = a.strength.filter((s) => s.tooWeak);
  switch (a.verdict.kind) {
    case 'usable':
      return weak.length === 0
        ? own('✅ MFA is usable')
        : weak.length === 1
          ? own('⚠️ Usable, but too weak for a Conditional Access policy')
          : own`⚠️ Usable, but too weak for ${weak.length} Conditional Access policies`;
    case 'registered-not-usable':
      return own`❌ Registered but not usable: ${joinOwn(
        a.verdict.reasons.map((r) => own(REASONS[r])),
        own`; `,
      )}`;
    case 'not-registered':
      return own('❌ Not registered: no MFA method');
    case 'cant-tell':
      return a.verdict.guest && a.verdict.missing.length === 0
        ? own("❔ Can't tell: guest user")
        : own("❔ Can't tell: evidence is missing");
  }
}

function strengthSection(a: MfaAssessment): CardElement[] {
  if (a.strength.length === 0) return [];
  return [
    text(own('Conditional Access authentication strength'), { weight: 'Bolder', spacing: 'Medium' }),
    ...a.strength.map((s) =>
      line([
        s.tooWeak ? own('❌ Too weak for ') : own('✅ Meets '),
        { text: s.policyName, bold: true },
        own(' — requires '),
        s.strengthName,
        ...(s.tooWeak ? [own(': register one of '), { text: s.allowedCombinations.join(' | '), mono: true }] : []),
      ]),
    ),
  ];
}

function reportSection(a: MfaAssessment, nowMs: number): CardElement[] {
  const r = a.report;
  if (!r)
    return [
      text(own('Registration report: no row for this user (the report needs Entra ID P1/P2).'), { spacing: 'Medium' }),
    ];
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  return [
    text(own('Registration report'), { weight: 'Bolder', spacing: 'Medium' }),
    text(
      own`MFA registered: ${yes(r.isMfaRegistered)} · MFA capable: ${yes(r.isMfaCapable)} · SSPR enabled: ${yes(r.isSsprEnabled)} · SSPR registered: ${yes(r.isSsprRegistered)} · updated ${formatTime(r.lastUpdatedDateTime, nowMs)}`,
      { spacing: 'None' },
    ),
    line([
      own('Default method: '),
      r.userPreferredMethodForSecondaryAuthentication ?? 'none',
      own(' · system-preferred: '),
      r.systemPreferredAuthenticationMethods.join(', ') || 'none',
      own(' · registered: '),
      r.methodsRegistered.join(', ') || 'none',
    ]),
  ];
}

function notes(a: MfaAssessment, nowMs: number): CardElement[] {
  const out: CardElement[] = [];
  if (a.adminSsprLoop) {
    out.push(
      container(
        [
          text(own('⚠️ The "More information required" loop'), { weight: 'Bolder' }),
          text(
            own(
              'This user is an administrator, the registration report says SSPR is enabled for them (SSPR for all users), and the authorization policy has allowedToUseSSPR = false (SSPR for administrators off). Sign-in keeps asking them to register security info for SSPR that their admin policy will never let them use. Fix: turn administrator SSPR back on (allowedToUseSSPR = true), or scope user SSPR to a group without administrators.',
            ),
            { spacing: 'None' },
          ),
        ],
        { style: 'warning', spacing: 'Medium' },
      ),
    );
  }
  if (a.synced)
    out.push(
      text(
        own(
          'Synced from on-premises AD: authentication methods still live in Entra ID; the on-premises mobile attribute is not an MFA method.',
        ),
        { isSubtle: true },
      ),
    );
  if (a.guest)
    out.push(
      text(
        own('Guest user: they may do MFA in their home tenant (cross-tenant trust), which this tenant cannot see.'),
        {
          isSubtle: true,
        },
      ),
    );
  out.push(
    text(
      a.auditCoveredFrom
        ? own`Audit evidence read from ${formatTime(a.auditCoveredFrom, nowMs)}; older registrations are judged by the registration report.`
        : own('No audit evidence could be read.'),
      { isSubtle: true },
    ),
  );
  return out;
}

/** The whole card. `upn` and every Graph string are rendered through TextRuns. */
export function mfaUsabilityCard(a: MfaAssessment, nowMs: number): AdaptiveCard {
  const upn = a.user.userPrincipalName;
  const body: CardElement[] = [
    heading(verdictHeadline(a)),
    untrusted(a.user.displayName ? `${a.user.displayName} (${upn})` : upn, { bold: true }),
    ...(a.verdict.kind === 'cant-tell'
      ? a.verdict.missing.map((m) => text(missingText(m, nowMs), { spacing: 'Small' }))
      : []),
    ...strengthSection(a),
    text(a.methods.length > 0 ? own('Methods') : own('Methods: only a password'), {
      weight: 'Bolder',
      spacing: 'Medium',
    }),
    ...a.methods.map((m) => methodSection(m, upn, nowMs)),
    ...reportSection(a, nowMs),
    ...notes(a, nowMs),
  ];
  if (a.trail.length > 0) {
    body.push(
      text(own('Security-info audit trail'), { weight: 'Bolder', spacing: 'Medium' }),
      ...trailLines(a.trail, nowMs),
    );
  }
  const fine = a.verdict.kind === 'usable' && !a.strength.some((s) => s.tooWeak);
  if (!fine) {
    body.push(
      text(own('Next steps'), { weight: 'Bolder', spacing: 'Medium' }),
      text(
        own`Ask the user to finish registration at ${MY_SECURITY_INFO_URL} (sign in, add or re-add the method, and approve the test prompt). Remove a method that is not usable, or issue a Temporary Access Pass so they can register again; both ask for a justification and an approval.`,
        { spacing: 'None' },
      ),
    );
  }
  const actions = fine ? [] : [commandButton('Issue a Temporary Access Pass', 'tap', upn)];
  return adaptiveCard(body, actions, own`MFA: ${verdictHeadline(a)}`);
}

/** `posture`: the phishing checklist as ten read-only checks, judged by pure functions over what read.ts read. */
import type { Clock } from '../clock';
import { checkAutoForwarding, checkMailboxAudit, checkSmtpPopImap } from './exchange-checks';
import { checkAdminSspr, checkLegacyAuth, checkMfaForAll, checkSspr, checkUserConsent } from './identity-checks';
import { readPosture, type PostureDeps, type PostureInput } from './read';
import { checkAdvancedAudit, checkSecureScore } from './score-checks';
import { CHECK_IDS, type PostureCheck, type PostureReport, type Verdict } from './types';

const VERDICT_ORDER: Record<Verdict, number> = { fail: 0, 'cant-tell': 1, pass: 2 };

/** Failing checks first, then those it cannot tell, then passing; within each, highest impact first (CHECK_IDS). */
export function orderChecks(checks: readonly PostureCheck[]): PostureCheck[] {
  return [...checks].sort(
    (a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id),
  );
}

/** The ten verdicts over what was read. */
export function judgePosture(input: PostureInput, at: number): PostureReport {
  const checks: PostureCheck[] = [
    checkMfaForAll(input.securityDefaults, input.conditionalAccess, input.names),
    checkLegacyAuth(input.securityDefaults, input.conditionalAccess, input.names),
    checkAutoForwarding(input.outboundSpam, input.lastSweep),
    checkUserConsent(input.authorization, input.adminConsent),
    checkAdminSspr(input.authorization, input.registration),
    checkSmtpPopImap(input.transport, input.popImap),
    checkMailboxAudit(input.organization, input.auditOff),
    checkAdvancedAudit(input.adminLicences, input.vip),
    checkSspr(input.registration),
    checkSecureScore(input.secureScore, input.controlProfiles),
  ];
  return { checks: orderChecks(checks), at };
}

/** Reads the tenant and judges it; read-only. */
export interface PostureChecker {
  checkPosture(): Promise<PostureReport>;
}

export function createPostureChecker(deps: PostureDeps & { clock: Clock }): PostureChecker {
  return {
    async checkPosture() {
      return judgePosture(await readPosture(deps), deps.clock.now());
    },
  };
}

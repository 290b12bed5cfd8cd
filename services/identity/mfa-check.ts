/** `checkMfaUsability`: gather the evidence (one `$batch` + the audit port) and judge it. */
import type { UserRef } from '../ids';
import { gatherMfaInput, type MfaEvidenceDeps } from './mfa-evidence';
import { assessMfa, type MfaAssessment } from './mfa-verdict';
import { withWaitingNotice, type WaitNotice } from '../graph/waiting-notice';

/** The MFA check as the `mfa` command uses it. */
export interface MfaChecker {
  checkMfaUsability(ref: UserRef, opts?: { onWaiting?: (notice: WaitNotice) => void }): Promise<MfaAssessment>;
}

export function createMfaChecker(deps: MfaEvidenceDeps): MfaChecker {
  return {
    async checkMfaUsability(ref, opts = {}) {
      const { input } = await withWaitingNotice(deps.client, () => gatherMfaInput(deps, ref), opts.onWaiting);
      return assessMfa(input);
    },
  };
}

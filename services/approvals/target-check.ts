import type { StepKind, TargetRefusal, TargetView, TargetWarning } from './types';

/** Deployment rules for targets (ALLOW_ADMIN_TARGETS, PASSWORD_WRITEBACK). */
export interface TargetPolicy {
  allowAdminTargets: boolean;
  passwordWriteback: boolean;
}

export interface TargetVerdict {
  refusals: TargetRefusal[];
  warnings: TargetWarning[];
}

const CHANGES_SIGN_IN: readonly StepKind[] = ['disable', 'enable', 'reset-password'];

/**
 * Whether these steps may run against this target. Checked when the request is made and again, on a fresh
 * read, right before executing (the target may have become an admin in between).
 */
export function checkTarget(target: TargetView, steps: readonly StepKind[], policy: TargetPolicy): TargetVerdict {
  const refusals: TargetRefusal[] = [];
  const warnings: TargetWarning[] = [];
  if (target.protectedMember) refusals.push('protected');
  if (target.adminRoles.length > 0) {
    if (policy.allowAdminTargets) warnings.push('admin-allowed');
    else refusals.push('admin');
  }
  if (target.synced) {
    if (steps.includes('reset-password') && !policy.passwordWriteback) refusals.push('synced-password');
    if (steps.some((s) => CHANGES_SIGN_IN.includes(s))) warnings.push('synced-mastered-on-premises');
  }
  if (target.guest && steps.includes('revoke')) warnings.push('guest-revoke-no-effect');
  return { refusals, warnings };
}

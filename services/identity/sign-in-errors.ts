/** What a sign-in `status.errorCode` means for the helpdesk. Codes per graph-api.md §4 (UNVERIFIED there) and Entra's AADSTS list. */

export type SignInResultKind = 'success' | 'interrupted' | 'failure';

export interface SignInErrorMeaning {
  kind: SignInResultKind;
  explanation: string;
}

// Interrupts are not attacks: Entra paused the sign-in to ask for MFA or to keep the user signed in.
const KNOWN: Record<number, SignInErrorMeaning> = {
  0: { kind: 'success', explanation: 'Signed in' },
  50126: { kind: 'failure', explanation: 'Wrong user name or password' },
  50053: { kind: 'failure', explanation: 'Account locked (too many attempts) or sign-in from a malicious IP blocked' },
  50055: { kind: 'failure', explanation: 'Password expired' },
  50056: { kind: 'failure', explanation: 'No password stored for this user' },
  50057: { kind: 'failure', explanation: 'Account disabled' },
  50074: { kind: 'interrupted', explanation: 'Strong authentication (MFA) required: the user was prompted' },
  50076: { kind: 'interrupted', explanation: 'MFA required by policy or location: the user was prompted' },
  50079: { kind: 'interrupted', explanation: 'The user must register for MFA' },
  50125: { kind: 'interrupted', explanation: 'Sign-in interrupted by a password reset or registration' },
  50140: { kind: 'interrupted', explanation: '"Stay signed in?" prompt' },
  50158: { kind: 'interrupted', explanation: 'External security challenge not yet satisfied' },
  500121: { kind: 'failure', explanation: 'MFA failed: the user denied, ignored or could not complete the prompt' },
  50097: { kind: 'interrupted', explanation: 'Device authentication required' },
  53000: { kind: 'failure', explanation: 'Blocked by Conditional Access: the device is not compliant or managed' },
  53003: { kind: 'failure', explanation: 'Blocked by Conditional Access' },
  530032: { kind: 'failure', explanation: 'Blocked by a security policy' },
  50173: { kind: 'failure', explanation: 'The grant expired because the password changed or sessions were revoked' },
  70044: { kind: 'failure', explanation: 'The session expired or was revoked' },
  90095: { kind: 'interrupted', explanation: 'Admin consent is required for the app' },
  65001: { kind: 'failure', explanation: 'The user or an admin has not consented to the app' },
  16000: { kind: 'interrupted', explanation: 'Account picker shown' },
};

/** The meaning of an error code; an unknown code is a failure that quotes the log's own reason. */
export function explainSignInError(errorCode: number | null, failureReason: string | null): SignInErrorMeaning {
  if (errorCode === null) return { kind: 'failure', explanation: 'No status in the log' };
  const known = KNOWN[errorCode];
  if (known) return known;
  return { kind: 'failure', explanation: `Error ${errorCode}${failureReason ? '' : ' (no reason given)'}` };
}

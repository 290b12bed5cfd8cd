import type { CantTellReason, ConsumerAccountCheck } from '../services/identity/consumer-account';
import { adaptiveCard, commandButton, heading, row, text, untrusted } from './elements';
import type { AdaptiveCard, CardElement } from './elements';
import { joinOwn, own, type Own } from './text';

const WHY = {
  throttled: 'the login service is throttling look-ups (ThrottleStatus); try again in a few minutes',
  federated: 'the domain is federated, and the login service answers "work account" for every address in such domains',
  error: 'the login service answered with an error',
  unreachable: 'the login service did not answer (timeout or network)',
  'unknown-answer': 'the login service gave an answer the bot does not understand',
} as const satisfies Record<CantTellReason, string>;

const ABOUT_EMAILS = own(
  'The "Microsoft account unusual sign-in activity" emails (from account-security-noreply@accountprotection.microsoft.com) are about a **personal** Microsoft account (Outlook.com, Xbox, Skype, consumer OneDrive), never about the work account, even when the address is the same.',
);

function verdictText(check: ConsumerAccountCheck): { title: Own; color: string; lines: Own[] } {
  const v = check.verdict;
  switch (v.kind) {
    case 'both':
      return {
        title: own('Yes: this address also has a personal Microsoft account'),
        color: 'Warning',
        lines: [
          v.source === 'userrealm'
            ? own('userrealm says MicrosoftAccount = 0 for it.')
            : own(
                'GetCredentialType says it exists both as a work account and as a personal account (IfExistsResult 6), which is also why the user sees "work or personal account?" when signing in.',
              ),
          ABOUT_EMAILS,
          own(
            '**Tell the user:** the alert is about their personal account. Check it at https://account.microsoft.com (choose "Personal account"), change that password and make sure it differs from the work password, turn on two-step verification there, and move the personal account to a private email address (account.microsoft.com → Your info → Manage how you sign in), so work mail stops receiving its alerts.',
          ),
        ],
      };
    case 'personal-only':
      return {
        title: own('Personal account only: no work account with this address'),
        color: 'Default',
        lines: [
          own(
            'GetCredentialType says the address is a personal Microsoft account and not a work account in any tenant (IfExistsResult 5).',
          ),
          ABOUT_EMAILS,
        ],
      };
    case 'work-only':
      return {
        title: own('No: only the work account exists'),
        color: 'Good',
        lines: [
          own(
            'GetCredentialType says the address is a work account and no personal account uses it (IfExistsResult 0).',
          ),
          own(
            'An "unusual sign-in activity" email about a personal account at this address is therefore phishing, unless the personal account was created after this check. For the work account, run `signins`.',
          ),
        ],
      };
    case 'neither':
      return {
        title: own('No account with this address'),
        color: 'Default',
        lines: [own('Neither a work nor a personal Microsoft account uses this address (IfExistsResult 1).')],
      };
    case 'cant-tell':
      return {
        title: own("Can't tell"),
        color: 'Warning',
        lines: [
          own`Because ${joinOwn(
            v.why.map((w) => own(WHY[w])),
            own`; and `,
          )}.`,
          ABOUT_EMAILS,
        ],
      };
  }
}

/** The `msa <email>` reply. The address is the only untrusted string. */
export function consumerAccountCard(check: ConsumerAccountCheck & { cached: boolean }): AdaptiveCard {
  const v = verdictText(check);
  const body: CardElement[] = [
    heading(own('Personal Microsoft account?')),
    untrusted(check.address, { mono: true, bold: true }),
    text(own`**${v.title}**`, { color: v.color }),
    ...v.lines.map((line) => text(line)),
    row(
      own('Evidence'),
      own`IfExistsResult ${check.ifExistsResult ?? 'none'} · DomainType ${check.domainType ?? 'none'} · userrealm MicrosoftAccount ${check.realmSaysMsa === null ? 'no answer' : check.realmSaysMsa ? '0 (yes)' : '1 (no)'}${check.federated ? ' · federated domain' : ''}${check.cached ? ' · cached answer' : ''}`,
    ),
  ];
  const actions =
    check.verdict.kind === 'both' || check.verdict.kind === 'work-only'
      ? [commandButton('Sign-ins', 'signins', check.address)]
      : [];
  return adaptiveCard(body, actions, 'Personal Microsoft account?');
}

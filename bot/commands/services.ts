import type { AlertsService } from '../../services/alerts/alerts-service';
import type { DemoEmitter } from '../../services/alerts/demo-emitter';
import type { UserRef } from '../../services/ids';
import type { ConsumerAccountLookup } from '../../services/identity/consumer-account-lookup';
import type { Investigator } from '../../services/identity/investigation';
import type { PeopleFinder } from '../../services/identity/people';
import type { MfaChecker } from '../../services/identity/mfa-check';
import type { SignInsInput } from '../../services/identity/sign-ins-read';
import type { SsprInput } from '../../services/identity/sspr-read';
import type { UserProfileInput } from '../../services/identity/user-summary';
import type { ForwardingReport } from '../../services/mailbox/forwarding-check';
import type { Sweeper } from '../../services/mailbox/sweeper';
import type { PostureReport } from '../../services/posture/types';
import type { MfaReporter } from '../../services/identity/mfa-report/reporter';
import type { ApprovalRouteDeps } from '../actions/approval-deps';
import type { ConfirmRouteDeps } from '../actions/confirm';
import type { WaitingOptions } from './waiting';

/** The one Graph read `user` needs (services/graph's readUserProfile, bound to a client). */
export interface UserProfileReader {
  readUserProfile(ref: UserRef): Promise<UserProfileInput>;
}

/** The Graph reads `signins` needs (services/identity/sign-ins-read's readSignIns, bound to a client). */
export interface SignInsReader {
  readSignIns(ref: UserRef, opts?: WaitingOptions): Promise<SignInsInput>;
}

/** The Graph reads `sspr` and `sspr-check` need (services/identity/sspr-read's readSspr, bound to a client). */
export interface SsprReader {
  readSspr(ref: UserRef, since: number, opts?: WaitingOptions): Promise<SsprInput>;
}

/** The per-user forwarding check (services/mailbox's checkForwarding, bound to the Graph client and Exchange reader). */
export interface ForwardingChecker {
  checkForwarding(ref: UserRef): Promise<ForwardingReport>;
}

/** The posture checks (services/posture's checkPosture, bound), telling the caller when Graph makes it wait. */
export interface PostureReader {
  checkPosture(opts?: WaitingOptions): Promise<PostureReport>;
}

/** What the alert routes need: the service, and in demo mode the scenario emitter. */
export interface AlertRouteDeps {
  service: AlertsService;
  emitter?: DemoEmitter;
}

/**
 * What the handlers of the command table use, built once in bot/main.ts. A command names the services it needs; one
 * that is missing here makes the command answer that it is not available (the table itself needs none of them).
 */
export interface Services {
  mode: 'demo' | 'tenant';
  profiles?: UserProfileReader;
  signIns?: SignInsReader;
  sspr?: SsprReader;
  consumerAccounts?: Pick<ConsumerAccountLookup, 'check'>;
  mfa?: MfaChecker;
  investigation?: Investigator;
  /** Response actions behind approval cards: the approval service, its store, the target reader, audit, messenger. */
  approvals?: ApprovalRouteDeps;
  /** Proactive alerts: subscriptions, the alert card verbs, install/uninstall events. */
  alerts?: AlertRouteDeps;
  forwarding?: ForwardingChecker;
  /** Names in plain-language questions resolved among the tenant's users (services/identity/people). */
  people?: PeopleFinder;
  /** "Was this you?": the affected user's answers (USER_CONFIRMATIONS). */
  confirmations?: ConfirmRouteDeps;
  sweeper?: Pick<Sweeper, 'start' | 'cancel'>;
  /** The tenant posture checks (`posture`), bound to the Graph client, the Exchange client and the sweep's storage. */
  posture?: PostureReader;
  /** `report mfa`: the tenant-wide MFA report job. */
  mfaReport?: Pick<MfaReporter, 'start' | 'cancel'>;
}

export type ServiceName = Exclude<keyof Services, 'mode'>;

/** The services a handler declared, present: the runner checks them before it calls the handler. */
export type Granted<N extends ServiceName> = Services & { [K in N]-?: NonNullable<Services[K]> };

/** Why a command is unavailable when the service it needs is not wired (a partial deployment or a test bot). */
export const UNAVAILABLE: Record<ServiceName, string> = {
  profiles: 'user look-ups are not configured',
  signIns: 'sign-in look-ups are not configured',
  sspr: 'SSPR look-ups are not configured',
  consumerAccounts: 'the personal-account check (login service) is not configured',
  mfa: 'the MFA check is not configured',
  investigation: 'investigations are not configured',
  approvals: 'response actions and approvals are not configured',
  alerts: 'alerts are not configured',
  forwarding: 'the forwarding check is not configured',
  confirmations: 'user confirmations are off (USER_CONFIRMATIONS)',
  sweeper: 'the forwarding sweep is not configured',
  posture: 'the posture checks are not configured',
  people: 'name look-ups are not configured (give the UPN)',
  mfaReport: 'the MFA report is not configured',
};

/** The services of `needs` that are missing. */
export function missingServices(services: Services, needs: readonly ServiceName[]): ServiceName[] {
  return needs.filter((name) => services[name] === undefined);
}

/** Narrows `services` once missingServices() found none missing. */
export function isGranted<N extends ServiceName>(services: Services, needs: readonly N[]): services is Granted<N> {
  return missingServices(services, needs).length === 0;
}

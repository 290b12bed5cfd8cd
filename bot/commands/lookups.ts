import { consumerAccountCard } from '../../cards/consumer-account.card';
import { forwardingCard } from '../../cards/forwarding.card';
import { investigationCard } from '../../cards/investigation.card';
import { mfaUsabilityCard } from '../../cards/mfa-usability.card';
import { postureCard } from '../../cards/posture.card';
import { signInsCard } from '../../cards/sign-ins.card';
import { ssprCard } from '../../cards/sspr.card';
import { userSummaryCard } from '../../cards/user-summary.card';
import type { Upn, UserRef } from '../../services/ids';
import type { ConsumerAccountLookup } from '../../services/identity/consumer-account-lookup';
import type { Investigator } from '../../services/identity/investigation';
import type { MfaChecker } from '../../services/identity/mfa-check';
import { summarizeSignIns } from '../../services/identity/sign-ins';
import { summarizeSspr } from '../../services/identity/sspr';
import { SSPR_LOOKBACK_MS } from '../../services/identity/sspr-read';
import { summarizeUser } from '../../services/identity/user-summary';
import { cardReply, type CommandContext, type Reply } from './command';
import type { ForwardingChecker, PostureReader, SignInsReader, SsprReader, UserProfileReader } from './services';

/** The read-only look-ups of one user: read through the service, judge (pure), render. */

export async function showUser(ctx: CommandContext, ref: UserRef, reader: UserProfileReader): Promise<Reply> {
  return cardReply(userSummaryCard(summarizeUser(await reader.readUserProfile(ref)), ctx.now));
}

export async function showMfa(ctx: CommandContext, ref: UserRef, checker: MfaChecker): Promise<Reply> {
  const assessment = await checker.checkMfaUsability(ref, { onWaiting: ctx.onWaiting });
  return cardReply(mfaUsabilityCard(assessment, ctx.now));
}

export async function showInvestigation(ctx: CommandContext, ref: UserRef, investigator: Investigator): Promise<Reply> {
  const investigation = await investigator.investigate(ref, { onWaiting: ctx.onWaiting });
  return cardReply(investigationCard(investigation, ctx.now));
}

export async function showSignIns(ctx: CommandContext, ref: UserRef, reader: SignInsReader): Promise<Reply> {
  const input = await reader.readSignIns(ref, { onWaiting: ctx.onWaiting });
  const riskyUser = input.risk.kind === 'read' ? input.risk.riskyUser : null;
  return cardReply(signInsCard(input, summarizeSignIns(input.signIns, riskyUser, ctx.now), ctx.now));
}

export async function showSspr(ctx: CommandContext, ref: UserRef, reader: SsprReader): Promise<Reply> {
  const input = await reader.readSspr(ref, ctx.now - SSPR_LOOKBACK_MS, { onWaiting: ctx.onWaiting });
  const report = summarizeSspr(input.registration, input.records);
  return cardReply(ssprCard(input.user, report, ctx.now, input.truncated));
}

export async function showForwarding(_ctx: CommandContext, ref: UserRef, checker: ForwardingChecker): Promise<Reply> {
  return cardReply(forwardingCard(await checker.checkForwarding(ref)));
}

export async function showConsumerAccount(
  _ctx: CommandContext,
  address: Upn,
  lookup: Pick<ConsumerAccountLookup, 'check'>,
): Promise<Reply> {
  return cardReply(consumerAccountCard(await lookup.check(address)));
}

export async function showPosture(ctx: CommandContext, checker: PostureReader): Promise<Reply> {
  return cardReply(postureCard(await checker.checkPosture({ onWaiting: ctx.onWaiting })));
}

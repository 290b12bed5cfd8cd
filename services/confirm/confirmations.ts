/**
 * "Was this you?": asks the affected user in their 1:1 chat with the bot about a change their own account made, and
 * turns the answer (or its absence) into what the channel alert shows. Durable and once-only: a confirmation is one
 * storage record per alert, every change a conditional write, so a re-delivered click, a second instance or a
 * restart cannot answer twice or lose the deadline.
 */
import type { AlertStore } from '../alerts/alert-store';
import { snoozeSubject } from '../alerts/queue-alert';
import type { AlertConfirmation, AlertRecord } from '../alerts/types';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { isCodedError } from '../errors';
import type { Logger } from '../log';
import { createLoop } from '../loop';
import type { Messenger } from '../messaging/port';
import type { Storage } from '../storage/port';
import {
  alertConfirmation,
  confirmKindOf,
  decideAnswer,
  dueStep,
  isFinal,
  newConfirmation,
  YES_SUPPRESS_MS,
  type AnswerRefusal,
} from './decide';
import type { Caller, ConfirmRenderer, UserChatLocator } from './ports';
import type { ConfirmAnswer, Confirmation } from './types';
import type { Alert } from '../alerts/types';

const ITEM = 'confirm/item/';
const OPEN = 'confirm/open/';

export interface ConfirmationsOptions {
  storage: Storage;
  alerts: AlertStore;
  clock: Clock;
  logger: Logger;
  audit: Pick<AuditLog, 'append'>;
  chats: UserChatLocator;
  /** The process's send queue messenger (per-thread limits and retries). */
  messenger: Pick<Messenger, 'send' | 'update'>;
  renderer: ConfirmRenderer;
  /** CONFIRM_MINUTES: how long an asked user has before the alert escalates. */
  confirmMs: number;
  tickMs?: number;
}

export type AnswerOutcome =
  | { kind: 'answered'; confirmation: Confirmation }
  | { kind: 'refused'; reason: AnswerRefusal; confirmation: Confirmation }
  | { kind: 'not-found' };

const BOT = { aadObjectId: null, name: 'secops bot' };

export function createConfirmations(options: ConfirmationsOptions) {
  const { storage, alerts, clock } = options;
  const log = options.logger.child({ component: 'confirmations' });

  async function get(id: string) {
    return storage.get<Confirmation>(ITEM + id);
  }

  /**
   * Changes a confirmation with a conditional write; `change` sees the current record and returns the next one, or
   * null to leave it. Returns the record written, or null when `change` declined.
   */
  async function change(
    id: string,
    fn: (c: Confirmation) => Confirmation | null,
  ): Promise<{ before: Confirmation; after: Confirmation } | null> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const current = await get(id);
      if (!current) return null;
      const next = fn(current.value);
      if (!next) return null;
      const written = await storage.put(ITEM + id, next, { ifVersion: current.version });
      if (written.ok) {
        if (isFinal(next)) await storage.delete(OPEN + id);
        return { before: current.value, after: next };
      }
    }
    throw new Error(`confirmation ${id} kept conflicting`);
  }

  /** The channel copies of an alert, re-rendered after its confirmation changed. Failures are logged, not thrown. */
  async function refreshChannels(record: AlertRecord): Promise<void> {
    for (const [subKey, activityId] of Object.entries(record.messages)) {
      const sub = await alerts.subscription(subKey);
      if (!sub?.active) continue;
      try {
        await options.messenger.update(sub.conversation, activityId, options.renderer.alert(record));
      } catch (error) {
        log.warn({ err: error, subscription: subKey }, 'the channel alert card could not be updated');
      }
    }
  }

  /** Stores what the alert shows about its confirmation; a denial or an escalation raises it to high. */
  async function applyToAlert(c: Confirmation): Promise<void> {
    const shown: AlertConfirmation = alertConfirmation(c);
    const raise = c.state === 'denied' || c.state === 'escalated' || c.state === 'unreachable';
    const record = await alerts.updateAlert(c.id, (r) => ({
      ...r,
      confirmation: shown,
      alert: raise ? { ...r.alert, severity: 'high' } : r.alert,
    }));
    // The record is written just after the question is created; the first delivery then shows the state anyway.
    if (record) await refreshChannels(record);
  }

  async function updateQuestion(c: Confirmation): Promise<void> {
    if (!c.question) return;
    try {
      await options.messenger.update(c.question.conversation, c.question.activityId, options.renderer.question(c));
    } catch (error) {
      log.warn({ err: error, confirmation: c.id }, 'the question card could not be updated');
    }
  }

  async function audit(action: string, c: Confirmation, outcome: string, actor: Caller | typeof BOT, ref: string) {
    await options.audit.append({
      actor,
      action,
      target: c.user.upn ?? c.user.id,
      outcome,
      correlationId: ref,
      details: { alertId: c.id, rule: c.rule, kind: c.kind },
    });
  }

  async function escalate(id: string, reason: string, state: 'escalated' | 'unreachable'): Promise<void> {
    const now = clock.now();
    const done = await change(id, (c) => (isFinal(c) ? null : { ...c, state, reason, closedAt: now, deadline: null }));
    if (!done) return;
    log.info({ confirmation: id, state }, 'user confirmation escalated');
    await audit('confirm:escalated', done.after, state, BOT, `confirm-${id}`);
    await updateQuestion(done.after);
    await applyToAlert(done.after);
  }

  /** Sends the question (again): claims the send, finds the chat, posts, records where. */
  async function ask(id: string): Promise<void> {
    const now = clock.now();
    const claimed = await change(id, (c) =>
      dueStep(c, now) === 'ask' || dueStep(c, now) === 'ask-again'
        ? { ...c, state: 'asking', attempts: c.attempts + 1, attemptAt: now }
        : null,
    );
    if (!claimed) return;
    const c = claimed.after;
    let chat;
    try {
      chat = await options.chats.open(c.user);
    } catch (error) {
      // Transient (Graph throttled or down): left in `asking`, tried again once stale, up to MAX_ATTEMPTS.
      log.warn({ err: error, confirmation: id, attempt: c.attempts }, "the user's chat could not be found");
      return;
    }
    if (!chat.ok) {
      log.warn({ confirmation: id, reason: chat.reason }, 'the user cannot be asked');
      await escalate(id, `The user could not be asked in Teams: ${chat.reason}.`, 'unreachable');
      return;
    }
    let activityId: string;
    try {
      ({ activityId } = await options.messenger.send(chat.conversation, options.renderer.question(c)));
    } catch (error) {
      // Teams says the chat is gone (403/404: the app was removed, the user blocked it) or the reference is refused:
      // retrying cannot help, so the alert escalates now, saying why.
      if (isCodedError(error) && (error.code === 'teams_gone' || error.code === 'teams_service_url_not_allowed')) {
        log.warn({ confirmation: id, code: error.code }, 'the question cannot be delivered');
        await escalate(id, `Teams refused the question in their chat (${error.code}).`, 'unreachable');
        return;
      }
      // Left in `asking`: the loop tries again once the attempt is stale, and gives up after MAX_ATTEMPTS.
      log.warn({ err: error, confirmation: id, attempt: c.attempts }, 'the question could not be sent');
      return;
    }
    const sentAt = clock.now();
    const asked = await change(id, (x) =>
      x.state === 'asking'
        ? {
            ...x,
            state: 'asked',
            askedAt: sentAt,
            deadline: sentAt + options.confirmMs,
            question: { conversation: chat.conversation, activityId },
          }
        : null,
    );
    if (!asked) return;
    await audit('confirm:asked', asked.after, chat.via, BOT, `confirm-${id}`);
    await applyToAlert(asked.after);
  }

  async function tick(): Promise<number> {
    const open = await storage.list<{ id: string }>(OPEN, { limit: 1000 });
    const now = clock.now();
    let done = 0;
    for (const item of open) {
      const current = await get(item.value.id);
      if (!current || isFinal(current.value)) {
        await storage.delete(item.key);
        continue;
      }
      const step = dueStep(current.value, now);
      if (step === null) continue;
      done++;
      if (step === 'escalate') {
        const c = current.value;
        const reason =
          c.state === 'asked'
            ? `No answer within ${Math.round(options.confirmMs / 60_000)} minutes.`
            : 'The question could not be delivered to the user.';
        await escalate(c.id, reason, c.state === 'asked' ? 'escalated' : 'unreachable');
      } else {
        await ask(current.value.id);
      }
    }
    return done;
  }

  const loop = createLoop({
    name: 'user confirmations',
    clock,
    logger: log,
    intervalMs: options.tickMs ?? 5_000,
    jitter: 0.1,
    tick: () => tick(),
  });

  return {
    /**
     * For the poller, before an alert is recorded: when the alert is about the user's own change, create its
     * confirmation (create-only: a re-run finds it) and say so on the record. The loop sends the question.
     */
    async onNewAlert(alert: Alert): Promise<AlertConfirmation | null> {
      const kind = confirmKindOf(alert);
      if (!kind) return null;
      const c = newConfirmation(alert, kind, clock.now());
      await storage.put(ITEM + c.id, c, { ifAbsent: true });
      const stored = (await get(c.id))?.value ?? c;
      if (!isFinal(stored)) await storage.put(OPEN + c.id, { id: c.id }, { overwrite: true });
      loop.wake();
      return alertConfirmation(stored);
    },
    async get(id: string): Promise<Confirmation | null> {
      return (await get(id))?.value ?? null;
    },
    /** An answer pressed in the user's chat. Only that user, once (the first final answer stands), audited. */
    async answer(id: string, value: ConfirmAnswer, caller: Caller, correlationId: string): Promise<AnswerOutcome> {
      const now = clock.now();
      let refusal: AnswerRefusal | null = null;
      const done = await change(id, (c) => {
        const decision = decideAnswer(c, value, caller, now);
        if (decision.ok) return decision.next;
        refusal = decision.reason;
        return null;
      });
      if (!done) {
        const current = await this.get(id);
        if (!current) return { kind: 'not-found' };
        const reason: AnswerRefusal = refusal ?? 'closed';
        await audit('confirm:answer', current, `refused:${reason}`, caller, correlationId);
        log.warn({ confirmation: id, reason }, 'a confirmation answer was refused');
        return { kind: 'refused', reason, confirmation: current };
      }
      const c = done.after;
      // Audited before anything changes outside the record: the answer is the user's word.
      await audit('confirm:answer', c, value, caller, correlationId);
      if (c.state === 'confirmed') {
        const record = await alerts.alert(c.id);
        if (record && c.answer) await alerts.snooze(c.rule, snoozeSubject(record.alert), c.answer.at + YES_SUPPRESS_MS);
      }
      await applyToAlert(c);
      return { kind: 'answered', confirmation: c };
    },
    tick,
    start: () => loop.start(),
    stop: () => loop.stop(),
    wake: () => loop.wake(),
  };
}

export type Confirmations = ReturnType<typeof createConfirmations>;

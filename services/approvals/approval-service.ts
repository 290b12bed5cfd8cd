import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log';
import type { Clock } from '../clock';
import { CodedError } from '../errors';
import { persistenceKey } from '../identity/persistence';
import type { ConversationRef } from '../messaging/port';
import type { ApprovalStore } from './approval-store';
import { decide, type DecisionOutcome } from './decide';
import { planSteps, type PlanInput, type PlanResult, type PlanSources } from './plan';
import type { TenantPort } from './ports';
import { requestHash } from './request-hash';
import { checkTarget, type TargetPolicy } from './target-check';
import { TERMINAL_STATES, type ApprovalRecord, type DecisionKind, type Person } from './types';

export interface ApprovalServiceOptions {
  store: ApprovalStore;
  tenant: TenantPort;
  audit: AuditLog;
  clock: Clock;
  policy: TargetPolicy & { ttlMs: number; dryRun: boolean };
  /** Wakes the worker after an approval, so execution starts at once instead of at the next poll. */
  onApproved?: (id: string) => void;
  newId?: () => string;
  /** This bot instance (its worker's owner id): the one that owes a new request its card. */
  instance?: string;
  /** Where `contain` and the single persistence actions find their items (see plan.ts). */
  sources?: PlanSources;
}

/** The result of a click, as the card and the invoke answer need it. */
export type DecideResult =
  | Exclude<DecisionOutcome, { kind: 'write' } | { kind: 'expired' }>
  | {
      kind: 'decided' | 'expired';
      record: ApprovalRecord;
    };

const MAX_CONFLICTS = 5;

function auditDetails(record: ApprovalRecord): Record<string, string | number | boolean | null> {
  return {
    approvalId: record.id,
    actionHash: record.hash,
    approvalAction: record.action,
    requester: record.requester.aadObjectId,
    requesterName: record.requester.name,
    decidedBy: record.decision?.by.aadObjectId ?? null,
    decidedByName: record.decision?.by.name ?? null,
    expiresAt: new Date(record.expiresAt).toISOString(),
    dryRun: record.dryRun,
    state: record.state,
    // The items of persistence the request names (their keys), so the trail shows what was asked for and approved.
    ...(record.steps.some((s) => s.item)
      ? { items: record.steps.flatMap((s) => (s.item ? [persistenceKey(s.item)] : [])).join('; ') }
      : {}),
    // An undo: which finished request it reverses, and exactly what it puts back (the before-state kept there).
    ...(record.steps.some((s) => s.restore)
      ? {
          undoes: [...new Set(record.steps.flatMap((s) => (s.undoOf ? [s.undoOf] : [])))].join('; '),
          restores: JSON.stringify(record.steps.flatMap((s) => (s.restore ? [s.restore] : []))),
        }
      : {}),
  };
}

export { auditDetails };

/** Request and decide: everything the chat side of the approval flow does. Graph writes happen in the worker. */
export function createApprovalService(options: ApprovalServiceOptions) {
  const { store, audit, clock } = options;
  const newId = options.newId ?? randomUUID;

  async function record(
    entry: ApprovalRecord,
    actor: Person | null,
    action: string,
    outcome: string,
    correlationId: string,
  ): Promise<void> {
    await audit.append({
      actor: actor ?? { aadObjectId: null, name: 'approval worker' },
      action,
      target: entry.target.id,
      outcome,
      correlationId,
      details: auditDetails(entry),
    });
  }

  return {
    /** Reads the target and plans the steps; refusals (admin, protected, synced password) end it here. */
    async prepare(input: PlanInput): Promise<PlanResult> {
      const target = await options.tenant.readTarget(input.target);
      // The undo actions read the before-state from the finished request they reverse (this store).
      const history = { get: async (id: string) => (await store.get(id))?.value ?? null };
      let plan = await planSteps(options.tenant, target, input, { ...options.sources, history });
      if (plan.kind !== 'ready') return plan;
      // Containment must still work for a synced user: the password step is left out, not the whole bundle.
      if (input.action === 'contain' && target.synced && !options.policy.passwordWriteback)
        plan = { ...plan, steps: plan.steps.filter((s) => s.kind !== 'reset-password') };
      const verdict = checkTarget(
        target,
        plan.steps.map((s) => s.kind),
        options.policy,
      );
      if (verdict.refusals.length > 0) return { kind: 'refused', target, refusals: verdict.refusals };
      return { ...plan, warnings: verdict.warnings };
    },

    /** Stores a pending request (create-only) and opens it in the durable queue. */
    async create(input: {
      plan: Extract<PlanResult, { kind: 'ready' }>;
      action: ApprovalRecord['action'];
      justification: string;
      requester: Person;
      origin: ConversationRef;
      correlationId: string;
    }): Promise<ApprovalRecord> {
      const id = newId();
      const createdAt = clock.now();
      const expiresAt = createdAt + options.policy.ttlMs;
      const { target, steps, warnings } = input.plan;
      const entry: ApprovalRecord = {
        id,
        action: input.action,
        target,
        steps,
        justification: input.justification,
        requester: input.requester,
        createdAt,
        expiresAt,
        hash: requestHash({
          id,
          action: input.action,
          targetId: target.id,
          steps,
          requester: input.requester,
          expiresAt,
        }),
        dryRun: options.policy.dryRun,
        warnings,
        state: 'pending',
        origin: input.origin,
        ...(options.instance ? { createdBy: options.instance } : {}),
      };
      // Opened first: a request that exists is always in the queue, so expiry is enforced even after a crash.
      await store.markOpen(id);
      const created = await store.create(entry);
      if (!created.ok) throw new CodedError('storage_version_conflict', 'approval id collision');
      await record(entry, input.requester, 'approval.requested', 'pending', input.correlationId);
      return entry;
    },

    /** Remembers where the card was posted (needed to update it for everyone). */
    async attachCard(id: string, card: NonNullable<ApprovalRecord['card']>): Promise<ApprovalRecord | null> {
      for (let i = 0; i < MAX_CONFLICTS; i++) {
        const current = await store.get(id);
        if (!current) return null;
        const result = await store.replace({ ...current.value, card }, current.version);
        if (result.ok) return result.item.value;
      }
      throw new CodedError('storage_version_conflict', 'approval card reference kept conflicting');
    },

    /**
     * One click. The write is conditional on the version read, so two approvers (or a double click) end with
     * exactly one decision; the loser re-reads and is told who decided (reliability-security.md §8 rows 15, 16, 41).
     */
    async decide(input: {
      id: string;
      hash: string;
      decision: DecisionKind;
      by: Person;
      correlationId: string;
    }): Promise<DecideResult> {
      for (let i = 0; i < MAX_CONFLICTS; i++) {
        const current = await store.get(input.id);
        const outcome = decide(current?.value, { ...input, now: clock.now() });
        if (outcome.kind === 'self-decision' && current) {
          await record(current.value, input.by, `approval.${input.decision}`, 'denied-self', input.correlationId);
          return outcome;
        }
        if (outcome.kind === 'expired') {
          if (!outcome.next || !current) return { kind: 'expired', record: current?.value as ApprovalRecord };
          const written = await store.replace(outcome.next, current.version);
          if (!written.ok) continue;
          await record(outcome.next, input.by, 'approval.expired', 'expired', input.correlationId);
          await store.close(input.id);
          return { kind: 'expired', record: outcome.next };
        }
        if (outcome.kind !== 'write' || !current) return outcome as DecideResult;
        const written = await store.replace(outcome.next, current.version);
        if (!written.ok) continue;
        const next = outcome.next;
        await record(next, input.by, `approval.${next.state}`, next.state, input.correlationId);
        if (next.state === 'rejected') await store.close(next.id);
        else options.onApproved?.(next.id);
        return { kind: 'decided', record: next };
      }
      throw new CodedError('storage_version_conflict', 'approval decision kept conflicting');
    },

    /** A request as stored (for refresh invokes, which only read). */
    async get(id: string): Promise<ApprovalRecord | null> {
      return (await store.get(id))?.value ?? null;
    },

    /** Requests still waiting for a decision, oldest first. */
    async pending(): Promise<ApprovalRecord[]> {
      const out: ApprovalRecord[] = [];
      for (const id of await store.openIds()) {
        const item = await store.get(id);
        if (item && !TERMINAL_STATES.includes(item.value.state)) out.push(item.value);
      }
      return out.sort((a, b) => a.createdAt - b.createdAt);
    },
  };
}

export type ApprovalService = ReturnType<typeof createApprovalService>;

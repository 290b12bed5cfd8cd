import { randomUUID } from 'node:crypto';
import type { DemoState, DemoUser, GraphObject } from './state';

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

export type Initiator =
  | { kind: 'user'; user: DemoUser; ipAddress?: string | null }
  | { kind: 'app'; appId: string | null; displayName: string; servicePrincipalId?: string | null };

export interface AuditSpec {
  activityDisplayName: string;
  loggedByService: string;
  category?: string;
  operationType?: string;
  result?: 'success' | 'failure' | 'timeout';
  resultReason?: string;
  correlationId?: string;
  at: number;
  initiatedBy: Initiator;
  target: DemoUser;
  modifiedProperties?: ModifiedProperty[];
  additionalDetails?: { key: string; value: string }[];
  id?: string;
}

/** The demo bot's app identity as it appears in audit records of writes it makes. */
export const DEMO_BOT_APP = {
  kind: 'app',
  appId: '5ec0b0a1-0000-4000-8000-0000000b0701',
  displayName: 'SecOps Bot (demo)',
  servicePrincipalId: '5ec0b0a1-0000-4000-8000-0000000b0702',
} as const satisfies Initiator;

export const STRONG_AUTH_SERVICE: Initiator = {
  kind: 'app',
  appId: null,
  displayName: 'Azure MFA StrongAuthenticationService',
  servicePrincipalId: null,
};

/** Encodes a modified-property value the way audit records do: a JSON string. */
export function auditValue(value: unknown): string {
  return JSON.stringify(value);
}

/** A directoryAudit in Graph's shape (graph-examples/auditLogs-directoryAudits-filter-initiatedBy.json). */
export function makeAudit(spec: AuditSpec): GraphObject {
  const correlationId = spec.correlationId ?? randomUUID();
  const initiatedBy =
    spec.initiatedBy.kind === 'user'
      ? {
          app: null,
          user: {
            id: spec.initiatedBy.user.id,
            displayName: null,
            userPrincipalName: spec.initiatedBy.user.userPrincipalName,
            ipAddress: spec.initiatedBy.ipAddress ?? null,
            userType: null,
            homeTenantId: null,
            homeTenantName: null,
          },
        }
      : {
          app: {
            appId: spec.initiatedBy.appId,
            displayName: spec.initiatedBy.displayName,
            servicePrincipalId: spec.initiatedBy.servicePrincipalId ?? null,
            servicePrincipalName: null,
          },
          user: null,
        };
  return {
    id: spec.id ?? `Directory_${correlationId}_${randomUUID().slice(0, 8).toUpperCase()}`,
    category: spec.category ?? 'UserManagement',
    correlationId,
    result: spec.result ?? 'success',
    resultReason: spec.resultReason ?? '',
    activityDisplayName: spec.activityDisplayName,
    activityDateTime: new Date(spec.at).toISOString(),
    loggedByService: spec.loggedByService,
    operationType: spec.operationType ?? 'Update',
    initiatedBy,
    targetResources: [
      {
        id: spec.target.id,
        displayName: null,
        type: 'User',
        userPrincipalName: spec.target.userPrincipalName,
        groupType: null,
        modifiedProperties: spec.modifiedProperties ?? [],
      },
    ],
    additionalDetails: spec.additionalDetails ?? [],
  };
}

/** Appends an audit record as a real tenant would after a write. */
export function appendAudit(state: DemoState, spec: AuditSpec): GraphObject {
  const record = makeAudit(spec);
  state.audits.push(record);
  return record;
}

/** `Included Updated Properties` lists the changed property names, as Core Directory writes it. */
export function includedProperties(names: string[]): ModifiedProperty {
  return { displayName: 'Included Updated Properties', oldValue: null, newValue: auditValue(names.join(', ')) };
}

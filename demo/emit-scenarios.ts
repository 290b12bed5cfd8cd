import { randomUUID } from 'node:crypto';
import type { DemoAlertScenario, EmitResult } from '../services/alerts/demo-emitter';
import { appendAudit, auditValue, includedProperties, STRONG_AUTH_SERVICE } from './audit';
import { rule } from './seed/scenarios-mail';
import { DEMO_WATCHED_MAILBOX } from './constants';
import { findUser, rulesOf, type DemoState, type DemoUser } from './state';

const AUTH_METHODS = 'Authentication Methods';
const SSPR = 'Self-service Password Management';
const IP = '203.0.113.77';

function user(state: DemoState, upn: string): DemoUser {
  const found = findUser(state, upn);
  if (!found) throw new Error(`demo user ${upn} is missing from the seed`);
  return found;
}

function device(deviceId: string, at: number): unknown[] {
  return [
    {
      DeviceName: 'Galaxy S24',
      DeviceId: deviceId,
      Id: deviceId,
      DeviceTag: 'SoftwareTokenActivated',
      PhoneAppVersion: '6.8.14',
      LastAuthenticatedTimestamp: new Date(at).toISOString(),
    },
  ];
}

/**
 * Makes a scenario happen now (demo only), the way a real tenant would record it: audit records, an inbox rule
 * on the watched mailbox, or a risky-user row. Returns what was done.
 */
export function emitScenario(state: DemoState, scenario: DemoAlertScenario, now: number, who?: string): EmitResult {
  const correlationId = randomUUID();
  // The scenario's own user, or the one asked for (`npm run demo:emit -- security-info-registered alexw@example.com`).
  const subject = (fallback: string): DemoUser => user(state, who ?? fallback);
  switch (scenario) {
    case 'security-info-registered': {
      const u = subject('isaiah@example.com');
      appendAudit(state, {
        activityDisplayName: 'User registered security info',
        loggedByService: AUTH_METHODS,
        resultReason: 'User registered Mobile Phone SMS',
        correlationId,
        at: now,
        initiatedBy: { kind: 'user', user: u, ipAddress: IP },
        target: u,
        operationType: 'Add',
      });
      return { scenario, user: u.userPrincipalName, records: 1 };
    }
    case 'stalled-registration': {
      const u = subject('lynner@example.com');
      // Backdated a minute, as Graph logs late: the poller's overlapping window still reads it.
      const at = now - 60_000;
      const deviceId = randomUUID();
      appendAudit(state, {
        activityDisplayName: 'User started security info registration',
        loggedByService: AUTH_METHODS,
        resultReason: 'User started the registration for Authenticator App with Notification and Code',
        correlationId,
        at,
        initiatedBy: { kind: 'user', user: u, ipAddress: IP },
        target: u,
        operationType: 'Add',
      });
      appendAudit(state, {
        activityDisplayName: 'Update user',
        loggedByService: 'Core Directory',
        at: at + 5_000,
        initiatedBy: STRONG_AUTH_SERVICE,
        target: u,
        modifiedProperties: [
          {
            displayName: 'StrongAuthenticationPhoneAppDetail',
            oldValue: auditValue([]),
            newValue: auditValue(device(deviceId, at)),
          },
          includedProperties(['StrongAuthenticationPhoneAppDetail']),
        ],
      });
      return { scenario, user: u.userPrincipalName, records: 2 };
    }
    case 'sspr-contact-admin': {
      const u = subject('nomfa@example.com');
      const base = {
        loggedByService: SSPR,
        correlationId,
        initiatedBy: { kind: 'user', user: u, ipAddress: IP } as const,
        target: u,
      };
      appendAudit(state, {
        ...base,
        activityDisplayName: 'Self-service password reset flow activity progress',
        resultReason: 'User submitted their user ID',
        at: now - 2_000,
      });
      appendAudit(state, {
        ...base,
        activityDisplayName: 'Self-service password reset flow activity progress',
        result: 'failure',
        resultReason:
          "User's account has insufficient authentication methods defined. Add authentication info to resolve this",
        at: now,
      });
      return { scenario, user: u.userPrincipalName, records: 2 };
    }
    case 'external-forwarding-rule': {
      const u = user(state, DEMO_WATCHED_MAILBOX);
      const rules = rulesOf(state, u);
      const id = `AQAAAJ5d${randomUUID().slice(0, 4)}=`;
      const address = 'payroll-archive@collector.example.org';
      rules.push(
        rule(
          id,
          'Sync',
          rules.length + 1,
          {},
          {
            forwardTo: [{ emailAddress: { name: address, address } }],
            stopProcessingRules: false,
          },
        ),
      );
      return { scenario, user: u.userPrincipalName, records: 1 };
    }
    case 'risky-user': {
      const u = subject('adelev@example.com');
      state.riskyUsers.set(u.id, {
        id: u.id,
        isDeleted: false,
        isProcessing: false,
        riskLastUpdatedDateTime: new Date(now).toISOString(),
        riskLevel: 'high',
        riskState: 'atRisk',
        riskDetail: 'none',
        userDisplayName: u.displayName,
        userPrincipalName: u.userPrincipalName,
      });
      return { scenario, user: u.userPrincipalName, records: 1 };
    }
    case 'consent-granted': {
      const u = subject('isaiah@example.com');
      const record = appendAudit(state, {
        activityDisplayName: 'Consent to application',
        loggedByService: 'Core Directory',
        category: 'ApplicationManagement',
        correlationId,
        at: now,
        initiatedBy: { kind: 'user', user: u, ipAddress: IP },
        target: u,
        modifiedProperties: [
          { displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: auditValue('False') },
          {
            displayName: 'ConsentAction.Permissions',
            oldValue: null,
            newValue: auditValue('Mail.ReadWrite offline_access'),
          },
        ],
      });
      // Consent targets the service principal, not the user.
      record.targetResources = [
        {
          id: '5ec0a990-0000-4000-8000-00000000c0a1',
          displayName: 'Mail Sync Pro',
          type: 'ServicePrincipal',
          userPrincipalName: null,
          groupType: null,
          modifiedProperties:
            (record.targetResources as { modifiedProperties: unknown }[])[0]?.modifiedProperties ?? [],
        },
      ];
      return { scenario, user: u.userPrincipalName, records: 1 };
    }
    case 'device-registered': {
      const u = subject('isaiah@example.com');
      const record = appendAudit(state, {
        activityDisplayName: 'Register device',
        loggedByService: 'Device Registration Service',
        category: 'Device',
        correlationId,
        at: now,
        initiatedBy: { kind: 'user', user: u, ipAddress: IP },
        target: u,
        operationType: 'Add',
      });
      // Registration targets the new device object.
      record.targetResources = [
        {
          id: randomUUID(),
          displayName: 'DESKTOP-7QK2M1R',
          type: 'Device',
          userPrincipalName: null,
          groupType: null,
          modifiedProperties: [],
        },
      ];
      return { scenario, user: u.userPrincipalName, records: 1 };
    }
  }
}

import type { Alert } from '../../../../services/alerts/types';

export const ALEX = '6e7b768e-07e2-4810-8459-485f84f8f204';
export const MEGAN = '48d31887-5fad-4d73-a9f5-3c356e68a038';

/** A "User registered security info" alert for Alex, done by Alex. */
export function ownSecurityInfoAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'alert-0000000001',
    rule: 'security-info-changed',
    severity: 'medium',
    dedupeKey: `security-info-changed:${ALEX}:user registered security info`,
    occurredAt: '2026-11-22T11:58:00.000Z',
    subject: { id: ALEX, upn: 'alexw@example.com', displayName: 'Alex Wilber' },
    actor: 'alexw@example.com',
    actorKind: 'user',
    ip: '203.0.113.77',
    location: null,
    activity: 'User registered security info',
    detail: 'User registered Mobile Phone SMS',
    sourceIds: ['audit-1'],
    ...overrides,
  };
}

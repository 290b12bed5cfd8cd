import type { ReportProgressView, ReportResultView } from '../../services/identity/mfa-report/types';
import { NOW } from '../unit/services/identity/mfa-fixtures';

/** `report mfa` views with a hostile string in every field that comes from Graph or chat. */
export function reportProgress(h: () => string): ReportProgressView {
  return {
    jobId: '0b0e0000-0000-4000-8000-000000000001',
    scope: { kind: 'group', groupId: h() },
    state: 'running',
    requesterName: h(),
    done: 1200,
    total: 50_000,
    usable: 900,
    notUsable: 250,
    ratePerMinute: 21_000,
    etaMs: 140_000,
    startedAt: NOW - 60_000,
    now: NOW,
  };
}

export function reportResult(h: () => string): ReportResultView {
  const listed = (category: 'registered-not-usable' | 'not-registered', i: number) => ({
    id: `0b0e0000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
    upn: h(),
    name: h(),
    category,
    reasons: category === 'registered-not-usable' ? (['never-verified'] as const).slice() : [],
  });
  return {
    ...reportProgress(h),
    state: 'done',
    byCategory: {
      usable: 40_000,
      'registered-not-usable': 4_000,
      'not-registered': 2_000,
      'cant-tell': 800,
      guest: 1_000,
      disabled: 900,
      unlicensed: 700,
      error: 3,
    },
    byMethod: {
      authenticatorPush: { usable: 35_000, notUsable: 3_000, cantTell: 800 },
      fido2: { usable: 900, notUsable: 1_500, cantTell: 0 },
      sms: { usable: 4_000, notUsable: 2_500, cantTell: 0 },
      voice: { usable: 0, notUsable: 6_500, cantTell: 0 },
      oath: { usable: 1_500, notUsable: 0, cantTell: 0 },
      windowsHello: { usable: 0, notUsable: 0, cantTell: 0 },
      tap: { usable: 0, notUsable: 0, cantTell: 0 },
    },
    caTargeted: 46_000,
    caWouldFail: 5_900,
    adminsNotUsable: 12,
    admins: Array.from({ length: 12 }, (_, i) => listed('registered-not-usable', i)),
    others: Array.from({ length: 20 }, (_, i) => listed(i % 2 ? 'not-registered' : 'registered-not-usable', 20 + i)),
    evidenceFrom: new Date(NOW - 30 * 24 * 3600_000).toISOString(),
    failure: null,
    cancelledBy: h(),
    csvUrl: null,
  };
}

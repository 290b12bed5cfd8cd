import assert from 'node:assert/strict';
import { guardActivity } from '../../../../bot/middleware/activity-guard';

const TENANT = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

// Row 2: Bot Framework authenticates the channel, not the tenant; every activity must name our tenant.
describe('bot/middleware/activity-guard', () => {
  it('an activity without channelData, or without a tenant in it, is refused as no_tenant (it never throws)', () => {
    const base = { channelId: 'msteams', conversation: { id: 'c' } };
    assert.deepEqual(guardActivity(base, TENANT), { ok: false, reason: 'no_tenant' });
    assert.deepEqual(guardActivity({ ...base, channelData: {} }, TENANT), { ok: false, reason: 'no_tenant' });
    assert.deepEqual(guardActivity({ ...base, channelData: { tenant: { id: '' } } }, TENANT), {
      ok: false,
      reason: 'no_tenant',
    });
  });

  it('compares tenants case-insensitively, in channelData and in the conversation; another channel is refused', () => {
    const upper = TENANT.toUpperCase();
    const ours = {
      channelId: 'msteams',
      channelData: { tenant: { id: upper } },
      conversation: { id: 'c', tenantId: TENANT },
    };
    assert.deepEqual(guardActivity(ours, TENANT), { ok: true, tenantId: upper });
    assert.deepEqual(guardActivity({ ...ours, conversation: { id: 'c', tenantId: 'other' } }, TENANT), {
      ok: false,
      reason: 'wrong_tenant',
    });
    assert.deepEqual(guardActivity({ ...ours, channelId: 'webchat' }, TENANT), { ok: false, reason: 'wrong_channel' });
  });
});

import { DEMO_VERIFIED_DOMAINS } from '../constants';
import { createEmptyState, type DemoState } from '../state';
import { seedDirectory } from './directory';

export interface SeedOptions {
  tenantId: string;
  t0: number;
  extraUsers: number;
  seed: number;
}

/** Builds the whole demo tenant: directory, scenarios, policies and generated users. */
export function seedTenant(opts: SeedOptions): DemoState {
  const state = createEmptyState(opts.tenantId, opts.t0, DEMO_VERIFIED_DOMAINS);
  seedDirectory(state, opts.t0);
  return state;
}

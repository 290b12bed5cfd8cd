import { DEMO_VERIFIED_DOMAINS, PLAYGROUND_USERS } from '../constants';
import { createEmptyState, passwordMethod, type DemoState } from '../state';
import { seedDirectory } from './directory';
import { generateUsers } from './generator';
import { DAY, HOUR } from './make-user';
import { authenticatorMethod, fido2Method, phoneMethod } from './methods';
import { seedPolicies } from './policies';
import { seedPosture } from './posture';
import { seedRoleScenarios } from './roles';
import { seedCompromisedScenario } from './scenario-compromised';
import { seedExchangeScenarios } from './scenarios-exchange';
import { seedIdentityScenarios } from './scenarios-identity';
import { seedMailScenarios } from './scenarios-mail';
import { seedMfaScenarios } from './scenarios-mfa';
import { makeSignIn, PLACES } from './sign-ins';

export interface SeedOptions {
  tenantId: string;
  t0: number;
  extraUsers: number;
  seed: number;
}

function seedPlaygroundMethods(state: DemoState, t0: number): void {
  PLAYGROUND_USERS.forEach((p, i) => {
    const created = new Date(t0 - (300 - i * 20) * DAY).toISOString();
    const list = [
      passwordMethod(),
      authenticatorMethod(`b0b0b0b0-0000-4000-8000-0000000000${20 + i}`, 'iPhone 15', created),
    ];
    if (i === 0) list.push(fido2Method('fido-alexw', created));
    if (i % 2 === 1) list.push(phoneMethod(`+1 42555501${20 + i}`));
    state.methods.set(p.aadObjectId, list);
  });
}

function seedOrdinarySignIns(state: DemoState, t0: number): void {
  let n = 0;
  for (const user of state.users.values()) {
    if (state.signIns.has(user.id) || user.userType === 'Guest') continue;
    n++;
    const hex = n.toString(16).padStart(4, '0');
    state.signIns.set(user.id, [
      makeSignIn(user, {
        id: `5e00${hex}-0000-4000-8000-000000000002`,
        at: t0 - (3 + (n % 5)) * HOUR,
        place: PLACES.seattle,
      }),
      makeSignIn(user, {
        id: `5e00${hex}-0000-4000-8000-000000000001`,
        at: t0 - (26 + (n % 7)) * HOUR,
        place: PLACES.newYork,
      }),
    ]);
  }
}

/** Builds the whole demo tenant: directory, scenarios, policies and generated users. */
export function seedTenant(opts: SeedOptions): DemoState {
  const state = createEmptyState(opts.tenantId, opts.t0, DEMO_VERIFIED_DOMAINS);
  seedPolicies(state, opts.t0);
  seedDirectory(state, opts.t0);
  seedPlaygroundMethods(state, opts.t0);
  seedMfaScenarios(state, opts.t0);
  seedMailScenarios(state, opts.t0);
  seedIdentityScenarios(state, opts.t0);
  seedRoleScenarios(state, opts.t0);
  seedCompromisedScenario(state, opts.t0);
  // After the Graph scenarios: it adds Exchange data to the compromised user they create (or creates it).
  seedExchangeScenarios(state, opts.t0);
  seedOrdinarySignIns(state, opts.t0);
  seedPosture(state, opts.t0);
  if (opts.extraUsers > 0) generateUsers(state, opts.t0, opts.extraUsers, opts.seed);
  return state;
}

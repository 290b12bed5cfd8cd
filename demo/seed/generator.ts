import { DEMO_VERIFIED_DOMAINS } from '../constants';
import { createRandom, pick } from '../random';
import { addUser, passwordMethod, type DemoState, type DemoUser, type GraphObject, type LazyUserData } from '../state';
import { DAY, HOUR, makeUser } from './make-user';
import { applyMfaMix, mixMethods } from './mfa-mix';
import { folderId } from './mail-folders';
import { rule } from './scenarios-mail';
import { makeSignIn, PLACES } from './sign-ins';
import { SKU } from './skus';

const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Dev',
  'Emma',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jonas',
  'Kira',
  'Liam',
  'Maya',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Ravi',
  'Sofia',
  'Tomas',
  'Uma',
  'Victor',
  'Wen',
  'Yara',
  'Zane',
];
const LAST = [
  'Adams',
  'Brook',
  'Chen',
  'Diaz',
  'Evans',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Khan',
  'Lopez',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Patel',
  'Quist',
  'Rossi',
  'Singh',
  'Tanaka',
  'Ueda',
  'Varga',
  'Weber',
  'Xu',
  'Young',
];
const DEPARTMENTS = ['Sales', 'Finance', 'Engineering', 'Marketing', 'Operations', 'Legal', 'HR', 'Support'];
const HOME = [PLACES.seattle, PLACES.newYork];

/** Generated user ids: valid GUIDs numbered from 1. */
export function generatedId(index: number): string {
  return `9e000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

function indexOf(user: DemoUser): number {
  return parseInt(user.id.slice(24), 16);
}

/** Per-user data, derived from (seed, index) only, so it is the same whenever it is first asked for. */
function createLazy(state: DemoState, seed: number, t0: number): LazyUserData {
  const rngFor = (user: DemoUser, salt: number): (() => number) =>
    createRandom((seed * 1_000_003) ^ (indexOf(user) * 7919) ^ salt);
  return {
    methods(user) {
      // The MFA mix (mfa-mix.ts) decides each generated user's methods; it knows the verdict a report must give.
      return mixMethods(state, user) ?? [passwordMethod()];
    },
    rules(user) {
      const r = rngFor(user, 0x22);
      const roll = r();
      const n = indexOf(user);
      if (roll < 0.01) {
        return [
          rule(
            `R${n}fwd=`,
            'Auto forward',
            1,
            {},
            { forwardTo: [{ emailAddress: { name: 'Home', address: `user${n}@personal-mail.example.org` } }] },
          ),
        ];
      }
      if (roll < 0.015) {
        return [
          rule(
            `R${n}int=`,
            'Forward to assistant',
            1,
            { importance: 'high' },
            { forwardTo: [{ emailAddress: { name: 'Assistant', address: `assistant${n % 50}@example.com` } }] },
          ),
        ];
      }
      if (roll < 0.3) {
        return [
          rule(
            `R${n}arc=`,
            'Newsletters',
            1,
            { subjectContains: ['newsletter'] },
            { moveToFolder: folderId(user, 'archive') },
          ),
        ];
      }
      return [];
    },
    signIns(user) {
      const r = rngFor(user, 0x33);
      const n = indexOf(user);
      const count = 1 + Math.floor(r() * 3);
      const out: GraphObject[] = [];
      for (let i = 0; i < count; i++) {
        const foreign = r() < 0.02;
        out.push(
          makeSignIn(user, {
            id: `5e${n.toString(16).padStart(6, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
            at: t0 - Math.floor(r() * 72 * HOUR) - i * HOUR,
            place: foreign ? PLACES.amsterdam : pick(r, HOME),
            errorCode: r() < 0.05 ? 50126 : 0,
            failureReason: null,
          }),
        );
      }
      return out.sort((a, b) => String(b.createdDateTime).localeCompare(String(a.createdDateTime)));
    },
  };
}

/** Adds `count` deterministic users (UPN first.last.N@example.com); their methods, rules and sign-ins are lazy. */
export function generateUsers(state: DemoState, t0: number, count: number, seed: number): void {
  const r = createRandom(seed ^ 0x9e);
  const domain = DEMO_VERIFIED_DOMAINS[0];
  for (let n = 1; n <= count; n++) {
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    const upn = `${first.toLowerCase()}.${last.toLowerCase()}.${n}@${domain}`;
    const licensed = r();
    const user = makeUser(t0, {
      id: generatedId(n),
      upn,
      displayName: `${first} ${last}`,
      department: pick(r, DEPARTMENTS),
      skuIds: licensed < 0.85 ? [SKU.e5.skuId] : licensed < 0.97 ? [SKU.e3.skuId] : [SKU.ems.skuId],
      synced: r() < 0.4,
      accountEnabled: r() > 0.02,
      createdAgo: Math.floor(r() * 1500 + 10) * DAY,
    });
    addUser(state, user);
    state.generatedIds.add(user.id);
  }
  applyMfaMix(state, t0, seed, [...state.generatedIds]);
  state.lazy = createLazy(state, seed, t0);
}

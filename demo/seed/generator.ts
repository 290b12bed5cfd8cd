import { DEMO_VERIFIED_DOMAINS } from '../constants';
import { createRandom, pick } from '../random';
import { addUser, passwordMethod, type DemoState, type DemoUser, type GraphObject, type LazyUserData } from '../state';
import { DAY, HOUR, makeUser } from './make-user';
import { authenticatorMethod, emailMethod, fido2Method, phoneMethod, softwareOathMethod } from './methods';
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
const DEVICES = ['iPhone 14', 'iPhone 15', 'Pixel 8', 'Galaxy S23', 'iPhone 13'];
const HOME = [PLACES.seattle, PLACES.newYork];

/** Generated user ids: valid GUIDs numbered from 1. */
export function generatedId(index: number): string {
  return `9e000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

function indexOf(user: DemoUser): number {
  return parseInt(user.id.slice(24), 16);
}

/** Per-user data, derived from (seed, index) only, so it is the same whenever it is first asked for. */
function createLazy(seed: number, t0: number): LazyUserData {
  const rngFor = (user: DemoUser, salt: number): (() => number) =>
    createRandom((seed * 1_000_003) ^ (indexOf(user) * 7919) ^ salt);
  return {
    methods(user) {
      const r = rngFor(user, 0x11);
      const created = new Date(t0 - Math.floor(r() * 700) * DAY).toISOString();
      const list: GraphObject[] = [passwordMethod()];
      const roll = r();
      const n = indexOf(user);
      if (roll < 0.7)
        list.push(
          authenticatorMethod(
            `a1${n.toString(16).padStart(6, '0')}-0000-4000-8000-000000000001`,
            pick(r, DEVICES),
            created,
          ),
        );
      if (roll >= 0.7 && roll < 0.9) list.push(phoneMethod(`+1 425555${(n % 10_000).toString().padStart(4, '0')}`));
      if (roll < 0.3) list.push(phoneMethod(`+1 206555${(n % 10_000).toString().padStart(4, '0')}`));
      if (r() < 0.05) list.push(emailMethod(`${user.userPrincipalName.split('@')[0] ?? 'user'}.home@example.org`));
      if (r() < 0.03) list.push(fido2Method(`fido-${n}`, created));
      if (r() < 0.02) list.push(softwareOathMethod(`oath-${n}`));
      return list;
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
  state.lazy = createLazy(seed, t0);
}

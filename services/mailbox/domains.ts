import { confusableSkeleton, editDistance } from '../similarity';

/** Whether an address is inside the tenant (a verified domain or its subdomain), outside it, or a look-alike. */
export type AddressKind = 'internal' | 'external' | 'lookalike' | 'invalid';

export interface AddressClass {
  kind: AddressKind;
  domain: string | null;
  /** The verified domain it imitates, for look-alikes. */
  lookalikeOf?: string;
}

/** The last two labels: a naive registrable domain, enough to compare against the tenant's own names. */
function registrable(domain: string): string {
  return domain.split('.').slice(-2).join('.');
}

function firstLabel(domain: string): string {
  return domain.split('.')[0] ?? domain;
}

/** The verified domain `domain` imitates, if any (confusable letters, one or two edits, a padded or prefixed name). */
export function lookalikeOf(domain: string, verified: readonly string[]): string | undefined {
  const d = domain.toLowerCase();
  const reg = registrable(d);
  for (const v of verified) {
    const vreg = registrable(v.toLowerCase());
    // onmicrosoft.com is shared by every tenant; its registrable part says nothing about ours.
    if (vreg === 'onmicrosoft.com' || vreg === reg) continue;
    const vlabel = firstLabel(vreg);
    const label = firstLabel(reg);
    if (d.startsWith(`${vreg}.`)) return v;
    if (confusableSkeleton(reg) === confusableSkeleton(vreg)) return v;
    if (vreg.length >= 6 && editDistance(reg, vreg) <= 1) return v;
    if (
      vlabel.length >= 5 &&
      label !== vlabel &&
      editDistance(label, vlabel) <= 2 &&
      reg.endsWith(vreg.slice(vlabel.length))
    )
      return v;
    if (vlabel.length >= 4 && label !== vlabel && label.split('-').includes(vlabel)) return v;
  }
  return undefined;
}

/** Classifies a recipient address against the tenant's verified domains. */
export function classifyAddress(address: string | null, verified: readonly string[]): AddressClass {
  const raw = (address ?? '').trim().replace(/^smtp:/i, '');
  const at = raw.lastIndexOf('@');
  if (at <= 0 || at === raw.length - 1) return { kind: 'invalid', domain: null };
  const domain = raw
    .slice(at + 1)
    .toLowerCase()
    .replace(/\.$/, '');
  const own = verified.map((v) => v.toLowerCase());
  if (own.some((v) => domain === v || domain.endsWith(`.${v}`))) return { kind: 'internal', domain };
  const imitated = lookalikeOf(domain, own);
  return imitated ? { kind: 'lookalike', domain, lookalikeOf: imitated } : { kind: 'external', domain };
}

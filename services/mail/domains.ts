/** Judges sender and link domains against Microsoft's, spotting look-alikes. Pure. */
import { confusableSkeleton, editDistance } from '../similarity';

/** Where Microsoft's SSPR notification comes from (msonlineservicesteam@microsoftonline.com). */
export const SSPR_SENDER_DOMAIN = 'microsoftonline.com';

/** Domains Microsoft's own mail links to (portal, docs, short links). */
export const MICROSOFT_LINK_DOMAINS = [
  'microsoft.com',
  'microsoftonline.com',
  'azure.com',
  'office.com',
  'office365.com',
  'microsoft365.com',
  'aka.ms',
  'live.com',
  'windowsazure.com',
  'cloud.microsoft',
  'msauth.net',
  'msftauth.net',
] as const;

export type DomainJudgement = 'trusted' | 'look-alike' | 'other';

function isWithin(domain: string, trusted: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return d === trusted || d.endsWith(`.${trusted}`);
}

// The look-alike skeleton of a domain name, letters only (hyphens and dots are padding in a look-alike).
function skeleton(label: string): string {
  return confusableSkeleton(label).replace(/[^a-z]/g, '');
}

const BRANDS = ['microsoftonline', 'microsoft', 'msonline', 'office365', 'azure'];

/** Trusted when inside one of `trusted`; look-alike when the name imitates a Microsoft brand; other otherwise. */
export function judgeDomain(domain: string, trusted: readonly string[]): DomainJudgement {
  const d = domain.trim().toLowerCase();
  if (trusted.some((t) => isWithin(d, t))) return 'trusted';
  if (d.split('.').some((l) => l.startsWith('xn--'))) return 'look-alike';
  const name = skeleton(d.split('.').slice(0, -1).join(''));
  for (const brand of BRANDS) {
    const b = skeleton(brand);
    if (name.includes(b)) return 'look-alike';
    if (b.length >= 6 && editDistance(name, b) <= 2) return 'look-alike';
  }
  return 'other';
}

/** The host of each http(s) link in the text and HTML of a message, deduplicated, lower-case. */
export function linkHosts(text: string, html: string | null): string[] {
  const hosts = new Set<string>();
  const sources = [text, html ?? ''];
  for (const source of sources) {
    for (const m of source.slice(0, 200_000).matchAll(/https?:\/\/([^\s/"'<>?#)\]]+)/gi)) {
      const host = (m[1] ?? '')
        .replace(/^[^@]*@/, '')
        .replace(/:\d+$/, '')
        .toLowerCase();
      if (host.length > 0 && host.length <= 253) hosts.add(host);
    }
  }
  return [...hosts];
}

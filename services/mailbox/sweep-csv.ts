import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock';
import type { Storage } from '../storage/port';
import { readChunks } from './sweep-store';

const HEADER = [
  'userPrincipalName',
  'userId',
  'status',
  'severity',
  'finding',
  'ruleName',
  'ruleId',
  'ruleEnabled',
  'target',
  'domains',
];

/**
 * One CSV cell: quoted, quotes doubled, and a leading = + - @ (or tab/CR) prefixed with ' so a spreadsheet never runs an
 * attacker-chosen rule name as a formula (OWASP CSV injection).
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""').replace(/[\r\n]+/g, ' ')}"`;
}

/** The CSV of every finding and every unreadable mailbox, streamed chunk by chunk from storage (bounded memory). */
export async function* sweepCsvLines(storage: Storage, jobId: string): AsyncGenerator<string, void, undefined> {
  yield `${HEADER.join(',')}\r\n`;
  for await (const { chunk } of readChunks(storage, jobId)) {
    let out = '';
    for (const row of chunk.rows) {
      if (row.status === 'error') {
        out += `${[row.upn, row.id, 'error', '', row.error ?? '', '', '', '', '', ''].map(csvCell).join(',')}\r\n`;
        continue;
      }
      for (const f of row.findings ?? []) {
        const cells = [
          row.upn,
          row.id,
          row.status,
          f.severity,
          f.what,
          f.ruleName ?? '',
          f.ruleId ?? '',
          String(f.enabled),
          f.target,
          f.domains.join(' '),
        ];
        out += `${cells.map(csvCell).join(',')}\r\n`;
      }
    }
    if (out !== '') yield out;
  }
}

/** Claims carried by a CSV download link. */
export interface CsvLinkClaims {
  jobId: string;
  requester: string;
  expiresAt: number;
}

export type CsvLinkCheck =
  { ok: true; claims: CsvLinkClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-job' };

/** Signs and checks download tokens: HMAC-SHA256 over job, requester and expiry, with a key kept in storage. */
export interface CsvLinkSigner {
  sign(jobId: string, requester: string, ttlMs: number): string;
  verify(token: string, jobId: string): CsvLinkCheck;
}

const SECRET_KEY = 'secret/sweep-csv-link';

/** Loads the link key from storage (creating it once), so links survive a restart and work on every instance. */
export async function loadCsvLinkSecret(storage: Storage): Promise<Buffer> {
  const existing = await storage.get<string>(SECRET_KEY);
  if (existing) return Buffer.from(existing.value, 'base64');
  const created = await storage.put(SECRET_KEY, randomBytes(32).toString('base64'), { ifAbsent: true });
  if (created.ok) return Buffer.from(created.item.value, 'base64');
  const raced = await storage.get<string>(SECRET_KEY);
  if (!raced) throw new Error('link secret vanished');
  return Buffer.from(raced.value, 'base64');
}

export function createCsvLinkSigner(secret: Buffer, clock: Clock): CsvLinkSigner {
  const mac = (payload: string): Buffer => createHmac('sha256', secret).update(payload).digest();
  return {
    sign(jobId, requester, ttlMs) {
      const payload = Buffer.from(JSON.stringify({ j: jobId, r: requester, e: clock.now() + ttlMs })).toString(
        'base64url',
      );
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(token, jobId) {
      const [payload, signature, extra] = token.split('.');
      if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
      const expected = mac(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: 'bad-signature' };
      let claims: { j?: unknown; r?: unknown; e?: unknown };
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (typeof claims.j !== 'string' || typeof claims.r !== 'string' || typeof claims.e !== 'number')
        return { ok: false, reason: 'malformed' };
      if (claims.j !== jobId) return { ok: false, reason: 'wrong-job' };
      if (claims.e <= clock.now()) return { ok: false, reason: 'expired' };
      return { ok: true, claims: { jobId: claims.j, requester: claims.r, expiresAt: claims.e } };
    },
  };
}

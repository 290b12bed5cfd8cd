import { createAuditLog, type ChainCheck } from '../audit/audit-log';
import type { Clock } from '../clock';
import { CodedError } from '../errors';
import { mapBounded } from './map-bounded';
import type { Storage, StoredItem } from './port';

/** What a copy did: keys by top-level prefix, and the audit chain as checked on both sides. */
export interface CopyReport {
  keys: number;
  byPrefix: Record<string, number>;
  auditSource: ChainCheck;
  auditDestination: ChainCheck;
}

const PAGE = 1_000;
const WRITE_CONCURRENCY = 16;

/**
 * Copies every key from one store to another (values as they are; versions are the destination's own), then
 * checks the audit chain on both sides. Meant for a stopped bot: a write during the copy may or may not be copied.
 */
export async function copyStorage(
  from: Storage,
  to: Storage,
  options: { clock: Clock; allowNonEmpty?: boolean },
): Promise<CopyReport> {
  if (!options.allowNonEmpty && (await to.list('', { limit: 1 })).length > 0)
    throw new CodedError('internal', 'the destination store is not empty (pass --allow-non-empty to copy over it)');
  const byPrefix: Record<string, number> = {};
  let keys = 0;
  let after: string | undefined;
  for (;;) {
    const page = await from.list<unknown>('', { limit: PAGE, ...(after !== undefined && { after }) });
    await mapBounded(page, WRITE_CONCURRENCY, async (item: StoredItem<unknown>) => {
      await to.put(item.key, item.value, { overwrite: true });
      const prefix = item.key.split('/')[0] ?? '';
      byPrefix[prefix] = (byPrefix[prefix] ?? 0) + 1;
      keys++;
    });
    if (page.length < PAGE) break;
    after = page.at(-1)?.key;
  }
  const [auditSource, auditDestination] = await Promise.all([
    createAuditLog(from, options.clock).verify(),
    createAuditLog(to, options.clock).verify(),
  ]);
  return { keys, byPrefix, auditSource, auditDestination };
}

/** The per-user CSV of a `report mfa` run, streamed chunk by chunk from storage (bounded memory). */
import { csvCell } from '../../mailbox/sweep-csv';
import type { Storage } from '../../storage/port';
import { readReportChunks } from './store';
import { CHART_METHODS, type MethodMark } from './types';

const MARK: Record<MethodMark, string> = { u: 'usable', n: 'not usable', c: "can't tell" };

const HEADER = [
  'userPrincipalName',
  'userId',
  'displayName',
  'verdict',
  'admin',
  'reasons',
  ...CHART_METHODS,
  'caRequiresMfa',
];

export async function* reportCsvLines(storage: Storage, jobId: string): AsyncGenerator<string, void, undefined> {
  yield `${HEADER.join(',')}\r\n`;
  for await (const { chunk } of readReportChunks(storage, jobId)) {
    let out = '';
    for (const row of chunk.rows) {
      const cells = [
        row.upn,
        row.id,
        row.name ?? '',
        row.error ? `error: ${row.error}` : row.category,
        String(row.admin),
        row.reasons.join(' '),
        ...CHART_METHODS.map((m) => {
          const mark = row.methods[m];
          return mark === undefined ? '' : MARK[mark];
        }),
        row.caTargeted === null ? '' : String(row.caTargeted),
      ];
      out += `${cells.map(csvCell).join(',')}\r\n`;
    }
    if (out !== '') yield out;
  }
}

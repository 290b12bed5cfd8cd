import type restify from 'restify';
import { z } from 'zod';
import type { AuditLog } from '../../services/audit/audit-log';
import type { Logger } from '../../services/log';
import { sweepCsvLines, type CsvLinkSigner } from '../../services/mailbox/sweep-csv';
import { readJob } from '../../services/mailbox/sweep-store';
import type { Storage } from '../../services/storage/port';

/** Path of a sweep's CSV; the token in `t` is the only credential (see docs in README: bearer link, 24 h, requester-bound). */
export const SWEEP_CSV_ROUTE = '/sweep/:jobId/findings.csv';

export function sweepCsvPath(jobId: string, token: string): string {
  return `/sweep/${encodeURIComponent(jobId)}/findings.csv?t=${encodeURIComponent(token)}`;
}

export interface SweepDownloadDeps {
  storage: Storage;
  signer: CsvLinkSigner;
  audit: AuditLog;
  logger: Logger;
}

const paramsSchema = z.object({ jobId: z.uuid() });

/** GET /sweep/{job}/findings.csv?t=…: streams the CSV when the HMAC token is valid, unexpired, and names the job's requester. */
export function registerSweepDownload(server: restify.Server, deps: SweepDownloadDeps): void {
  const log = deps.logger.child({ component: 'sweep-download' });
  server.get(SWEEP_CSV_ROUTE, async (req: restify.Request, res: restify.Response) => {
    const params = paramsSchema.safeParse(req.params);
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('t') ?? '';
    // One answer for every refusal, so the endpoint does not reveal which jobs exist.
    const refuse = (reason: string): void => {
      log.warn({ reason }, 'sweep CSV download refused');
      res.send(403, { error: 'forbidden' });
    };
    if (!params.success) return refuse('bad job id');
    const check = deps.signer.verify(token, params.data.jobId);
    if (!check.ok) return refuse(check.reason);
    const job = await readJob(deps.storage, params.data.jobId);
    if (!job || job.requester.aadObjectId !== check.claims.requester) return refuse('not the requester of this job');
    await deps.audit.append({
      actor: { aadObjectId: check.claims.requester, name: job.requester.name },
      action: 'sweep:csv-download',
      target: job.id,
      outcome: 'allowed',
      correlationId: job.id,
      details: { via: 'link' },
    });
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="forwarding-sweep-${job.id}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    try {
      for await (const chunk of sweepCsvLines(deps.storage, job.id)) {
        if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
      }
    } catch (error) {
      log.error({ err: error }, 'sweep CSV stream failed');
    }
    res.end();
  });
}

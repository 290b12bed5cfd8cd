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

/** What differs between the signed CSV downloads (the forwarding sweep's findings, the MFA report's users). */
export interface SignedCsvRoute {
  route: string;
  /** Names the route in logs and the audit action (`<name>:csv-download`). */
  name: string;
  filename: (jobId: string) => string;
  readJob: (
    storage: Storage,
    jobId: string,
  ) => Promise<{ id: string; requester: { aadObjectId: string; name: string | null } } | undefined>;
  lines: (storage: Storage, jobId: string) => AsyncIterable<string>;
}

/** GET {route}?t=…: streams the CSV when the HMAC token is valid, unexpired, and names the job's requester. */
export function registerSignedCsvDownload(server: restify.Server, spec: SignedCsvRoute, deps: SweepDownloadDeps): void {
  const log = deps.logger.child({ component: `${spec.name}-download` });
  server.get(spec.route, async (req: restify.Request, res: restify.Response) => {
    const params = paramsSchema.safeParse(req.params);
    const token = new URL(req.url ?? '/', 'http://x').searchParams.get('t') ?? '';
    // One answer for every refusal, so the endpoint does not reveal which jobs exist.
    const refuse = (reason: string): void => {
      log.warn({ reason }, `${spec.name} CSV download refused`);
      res.send(403, { error: 'forbidden' });
    };
    if (!params.success) return refuse('bad job id');
    const check = deps.signer.verify(token, params.data.jobId);
    if (!check.ok) return refuse(check.reason);
    const job = await spec.readJob(deps.storage, params.data.jobId);
    if (!job || job.requester.aadObjectId !== check.claims.requester) return refuse('not the requester of this job');
    await deps.audit.append({
      actor: { aadObjectId: check.claims.requester, name: job.requester.name },
      action: `${spec.name}:csv-download`,
      target: job.id,
      outcome: 'allowed',
      correlationId: job.id,
      details: { via: 'link' },
    });
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${spec.filename(job.id)}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    try {
      for await (const chunk of spec.lines(deps.storage, job.id)) {
        if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', () => resolve()));
      }
    } catch (error) {
      log.error({ err: error }, `${spec.name} CSV stream failed`);
      // The 200 head is already out: only an aborted connection tells the client the file is incomplete (a normal
      // end would hand over a truncated CSV that looks complete).
      res.destroy();
      return;
    }
    res.end();
  });
}

/** GET /sweep/{job}/findings.csv?t=…: the forwarding sweep's findings. */
export const SWEEP_DOWNLOAD = {
  route: SWEEP_CSV_ROUTE,
  name: 'sweep',
  filename: (id: string) => `forwarding-sweep-${id}.csv`,
  readJob,
  lines: sweepCsvLines,
  path: sweepCsvPath,
} satisfies SignedCsvRoute & { path: (jobId: string, token: string) => string };

export function registerSweepDownload(server: restify.Server, deps: SweepDownloadDeps): void {
  registerSignedCsvDownload(server, SWEEP_DOWNLOAD, deps);
}

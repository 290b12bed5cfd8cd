import type { GraphClient, GraphRequestSpec, GraphResponse } from '../graph/client';
import { graphErrorFromResponse } from '../graph/errors';
import { batchResponseSchema } from '../graph/schemas/batch';
import { currentJob, type SelfHealth } from './self-health';

const BACKGROUND = 'a background job';

/** The 401/403 items of a `$batch` reply (the batch itself answers 200), as the coded errors the items become. */
function deniedItems(spec: GraphRequestSpec, response: GraphResponse): unknown[] {
  const parsed = batchResponseSchema.safeParse(response.body);
  if (!parsed.success) return [];
  const sent = (spec.body as { requests?: { id: string; method: string; url: string }[] } | undefined)?.requests ?? [];
  return parsed.data.responses
    .filter((item) => item.status === 401 || item.status === 403)
    .map((item) => {
      const request = sent.find((r) => r.id === item.id);
      return graphErrorFromResponse(
        { status: item.status, headers: item.headers, body: item.body },
        { method: request?.method ?? 'GET', path: request?.url ?? '/$batch' },
      );
    });
}

/**
 * The Graph client as background jobs should use it: a 401 or 403 met by a job (a call made under runAsJob, or at
 * background priority) is also reported to self-health, which alerts the subscribed channels at most hourly.
 * Errors still reach the job unchanged; interactive commands are not reported (their caller sees the error).
 */
export function withHealthReports(graph: GraphClient, health: SelfHealth): GraphClient {
  const jobOf = (spec: GraphRequestSpec): string | null =>
    currentJob() ?? (spec.priority === 'background' ? BACKGROUND : null);
  const report = (job: string, error: unknown): void => {
    void health.report(job, error);
  };
  return {
    ...graph,
    async request(spec, budget) {
      const job = jobOf(spec);
      try {
        const response = await graph.request(spec, budget);
        if (job !== null && /^\/\$batch$/i.test(spec.path))
          for (const denied of deniedItems(spec, response)) report(job, denied);
        return response;
      } catch (error) {
        if (job !== null) report(job, error);
        throw error;
      }
    },
  };
}

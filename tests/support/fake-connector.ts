import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readTlsMaterial } from './certs';

/** One request the bot made to the connector. */
export interface ConnectorRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** What the fake answered: 200, the status failSends made it answer, or 0 for a held (unanswered) post. */
  status: number;
}

/** A stand-in for the Bot Connector service (the activity's serviceUrl): records requests, answers {id}. */
export interface FakeConnector {
  /** http://127.0.0.1:P/ (https://localhost:P/ with `https`) — use as activity.serviceUrl. */
  serviceUrl: string;
  requests: ConnectorRequest[];
  /** Resolves once `count` requests have arrived; rejects after timeoutMs. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ConnectorRequest[]>;
  /**
   * The next `count` posts and updates (POST/PUT of activities; those whose body `match`es, when given) are answered
   * `status` with Teams' error body, and `Retry-After` when given (in seconds): Teams throttling (429) or a passing
   * outage (502/503/504).
   */
  failSends(count: number, status: number, retryAfterSeconds?: number, match?: (body: unknown) => boolean): void;
  /**
   * The next `count` posts and updates (those whose body `match`es, when given) are never answered: the bot is
   * killed while it waits, for instance.
   */
  holdSends(count: number, match?: (body: unknown) => boolean): void;
  close(): Promise<void>;
}

/** Starts the fake connector on 127.0.0.1 and an ephemeral port; `https` serves the test certificate. */
export async function startFakeConnector(options: { https?: boolean } = {}): Promise<FakeConnector> {
  const requests: ConnectorRequest[] = [];
  const waiters = new Set<() => void>();
  const failures: { status: number; retryAfterSeconds?: number; match: (body: unknown) => boolean }[] = [];
  let held: { left: number; match: (body: unknown) => boolean } = { left: 0, match: () => true };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      if (text !== '') {
        try {
          body = JSON.parse(text) as unknown;
        } catch {
          body = text; // non-JSON bodies are recorded verbatim
        }
      }
      const isActivity = (req.method === 'POST' || req.method === 'PUT') && /\/activities/.test(req.url ?? '');
      const index = isActivity ? failures.findIndex((f) => f.match(body)) : -1;
      const failure = index >= 0 ? failures.splice(index, 1)[0] : undefined;
      const hold = isActivity && failure === undefined && held.left > 0 && held.match(body);
      if (hold) held.left -= 1;
      const status = hold ? 0 : (failure?.status ?? 200);
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, status });
      for (const wake of waiters) wake();
      if (hold) return;
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      if (failure?.retryAfterSeconds !== undefined) res.setHeader('retry-after', String(failure.retryAfterSeconds));
      res.end(
        JSON.stringify(
          failure
            ? { error: { code: status === 429 ? 'Throttled' : 'ServiceError', message: `fake connector ${status}` } }
            : { id: `reply-${requests.length}` },
        ),
      );
    });
  };
  const server: Server = options.https ? createHttpsServer(readTlsMaterial(), handle) : createServer(handle);
  // Longer than any client's idle keep-alive: a server closing an idle socket just as the bot reuses it makes a
  // "socket hang up" that Teams itself does not produce (seen on the loaded test machine).
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    serviceUrl: options.https ? `https://localhost:${port}/` : `http://127.0.0.1:${port}/`,
    requests,
    waitForRequests(count, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (requests.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(requests.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`fake connector: expected ${count} request(s), got ${requests.length} within ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    failSends(count, status, retryAfterSeconds, match = () => true) {
      for (let i = 0; i < count; i++)
        failures.push({ status, match, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
    },
    holdSends(count, match = () => true) {
      held = { left: count, match };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

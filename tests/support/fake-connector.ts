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
}

/** A stand-in for the Bot Connector service (the activity's serviceUrl): records requests, answers {id}. */
export interface FakeConnector {
  /** http://127.0.0.1:P/ (https://localhost:P/ with `https`) — use as activity.serviceUrl. */
  serviceUrl: string;
  requests: ConnectorRequest[];
  /** Resolves once `count` requests have arrived; rejects after timeoutMs. */
  waitForRequests(count: number, timeoutMs?: number): Promise<ConnectorRequest[]>;
  close(): Promise<void>;
}

/** Starts the fake connector on 127.0.0.1 and an ephemeral port; `https` serves the test certificate. */
export async function startFakeConnector(options: { https?: boolean } = {}): Promise<FakeConnector> {
  const requests: ConnectorRequest[] = [];
  const waiters = new Set<() => void>();
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
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: `reply-${requests.length}` }));
      for (const wake of waiters) wake();
    });
  };
  const server: Server = options.https ? createHttpsServer(readTlsMaterial(), handle) : createServer(handle);
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request. */
export type Fault =
  /** Answer with this status without forwarding (the service refused it). */
  | { kind: 'refuse'; status: number }
  /** Forward it, let the service apply it, then answer with this status (the response was lost). */
  | { kind: 'lose-response'; status: number };

/** A loopback HTTP proxy in front of a service (Azurite), injecting faults into chosen requests. */
export interface FaultProxy {
  origin: string;
  /** Requests seen, as "METHOD path". */
  readonly seen: string[];
  /** The next `count` requests that match get `fault`. */
  inject(fault: Fault, count: number, match?: (method: string, path: string) => boolean): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  const seen: string[] = [];
  const rules: { fault: Fault; left: number; match: (method: string, path: string) => boolean }[] = [];

  const forward = (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? '';
      const path = req.url ?? '';
      seen.push(`${method} ${path}`);
      const rule = rules.find((r) => r.left > 0 && r.match(method, path));
      if (rule) rule.left--;
      const fail = (status: number): void => {
        res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': 'ServerBusy' });
        res.end(
          '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>injected</Message></Error>',
        );
      };
      if (rule?.fault.kind === 'refuse') return fail(rule.fault.status);
      forward(req, Buffer.concat(chunks)).then(
        (answer) => {
          if (rule?.fault.kind === 'lose-response') return fail(rule.fault.status);
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
        () => fail(502),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    inject(fault, count, match = () => true) {
      rules.push({ fault, left: count, match });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

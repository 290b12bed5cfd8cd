import { strict as assert } from 'node:assert';
import type { DemoTenant } from '../../../demo/server';

export interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A request to the demo tenant with a parsed JSON body (empty object when there is none). */
export async function call(tenant: DemoTenant, path: string, init: RequestInit = {}): Promise<Reply> {
  const headers = new Headers(init.headers);
  if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(`${tenant.url}${path}`, { ...init, headers });
  const text = await res.text();
  const body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  return { status: res.status, headers: res.headers, body };
}

export function values(reply: Reply): Record<string, unknown>[] {
  assert.ok(Array.isArray(reply.body.value), `expected a value array, got ${JSON.stringify(reply.body).slice(0, 200)}`);
  return reply.body.value as Record<string, unknown>[];
}

export function errorCode(reply: Reply): string {
  const error = reply.body.error as { code?: string } | undefined;
  return error?.code ?? '';
}

export function post(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body) };
}

export function patch(body: unknown): RequestInit {
  return { method: 'PATCH', body: JSON.stringify(body) };
}

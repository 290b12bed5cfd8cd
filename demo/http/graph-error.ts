import type { DemoResponse, HandlerContext } from './types';

/** Graph's error body: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}. */
export function graphError(
  ctx: Pick<HandlerContext, 'now' | 'requestId' | 'clientRequestId'>,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
): DemoResponse {
  return {
    status,
    ...(headers ? { headers } : {}),
    body: {
      error: {
        code,
        message,
        innerError: {
          date: new Date(ctx.now()).toISOString().slice(0, 19),
          'request-id': ctx.requestId,
          'client-request-id': ctx.clientRequestId,
        },
      },
    },
  };
}

/** Graph's 429 body (graph-examples/error-429-throttling.json). */
export function throttledBody(ctx: Pick<HandlerContext, 'now' | 'requestId'>): unknown {
  return {
    error: {
      code: 'TooManyRequests',
      innerError: {
        code: '429',
        date: new Date(ctx.now()).toISOString().slice(0, 19),
        message: 'Please retry after',
        'request-id': ctx.requestId,
        status: '429',
      },
      message: 'Please retry again later.',
    },
  };
}

export function notFound(ctx: HandlerContext, id: string): DemoResponse {
  return graphError(
    ctx,
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );
}

export function badRequest(ctx: HandlerContext, message: string, code = 'BadRequest'): DemoResponse {
  return graphError(ctx, 400, code, message);
}

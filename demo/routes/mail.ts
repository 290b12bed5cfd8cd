import { z } from 'zod';
import { badRequest, graphError } from '../http/graph-error';
import type { DemoRequest, DemoResponse, HandlerContext, Route } from '../http/types';
import { hasMailbox } from '../mailbox';
import { entityResponse, pageResponse } from '../odata/query';
import { mailFoldersOf, resolveFolder } from '../seed/mail-folders';
import { rulesOf, type DemoUser } from '../state';
import { withUser } from './users';

const V = ['v1.0', 'beta'] as const;

function withMailbox(ctx: HandlerContext, id: string, then: (user: DemoUser) => DemoResponse): DemoResponse {
  return withUser(ctx, id, (user) =>
    hasMailbox(user)
      ? then(user)
      : graphError(
          ctx,
          404,
          'MailboxNotEnabledForRESTAPI',
          'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
        ),
  );
}

function inboxOnly(ctx: HandlerContext, folder: string): DemoResponse | null {
  return folder.toLowerCase() === 'inbox'
    ? null
    : badRequest(ctx, 'Message rules are only supported on the Inbox folder.', 'ErrorInvalidRequest');
}

function listRules(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withMailbox(ctx, params.id ?? '', (user) => {
    const wrong = inboxOnly(ctx, params.folder ?? '');
    if (wrong) return wrong;
    return pageResponse(ctx, req, rulesOf(ctx.state, user), {
      contextPath: `users('${user.id}')/mailFolders('inbox')/messageRules`,
      defaultTop: 1000,
      maxTop: 1000,
    });
  });
}

function getRule(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withMailbox(ctx, params.id ?? '', (user) => {
    const found = rulesOf(ctx.state, user).find((r) => r.id === params.ruleId);
    if (!found) return graphError(ctx, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return entityResponse(ctx, req, `users('${user.id}')/mailFolders('inbox')/messageRules/$entity`, found);
  });
}

const rulePatch = z
  .object({
    displayName: z.string().min(1).optional(),
    sequence: z.number().int().min(1).optional(),
    isEnabled: z.boolean().optional(),
    conditions: z.record(z.string(), z.unknown()).optional(),
    exceptions: z.record(z.string(), z.unknown()).optional(),
    actions: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

function updateRule(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withMailbox(ctx, params.id ?? '', (user) => {
    const parsed = rulePatch.safeParse(req.body);
    if (!parsed.success) return badRequest(ctx, 'Invalid messageRule update.', 'ErrorInvalidRequest');
    const list = rulesOf(ctx.state, user);
    const index = list.findIndex((r) => r.id === params.ruleId);
    const current = list[index];
    if (!current) return graphError(ctx, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const updated = { ...current, ...parsed.data };
    list[index] = updated;
    // Exchange records rule changes in the unified audit log (UpdateInboxRules), not in directoryAudits.
    return entityResponse(ctx, req, `users('${user.id}')/mailFolders('inbox')/messageRules/$entity`, updated);
  });
}

function deleteRule(ctx: HandlerContext, _req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withMailbox(ctx, params.id ?? '', (user) => {
    const list = rulesOf(ctx.state, user);
    const index = list.findIndex((r) => r.id === params.ruleId);
    if (index < 0) return graphError(ctx, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    list.splice(index, 1);
    return { status: 204 };
  });
}

function listFolders(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withMailbox(ctx, params.id ?? '', (user) =>
    pageResponse(ctx, req, mailFoldersOf(user), {
      contextPath: `users('${user.id}')/mailFolders`,
      defaultTop: 10,
      maxTop: 999,
      selectable: [
        'id',
        'displayName',
        'parentFolderId',
        'childFolderCount',
        'unreadItemCount',
        'totalItemCount',
        'sizeInBytes',
        'isHidden',
      ],
    }),
  );
}

function getFolder(ctx: HandlerContext, req: DemoRequest, params: Record<string, string>): DemoResponse {
  return withMailbox(ctx, params.id ?? '', (user) => {
    const folder = resolveFolder(user, params.folder ?? '');
    return folder
      ? entityResponse(ctx, req, `users('${user.id}')/mailFolders/$entity`, folder)
      : graphError(ctx, 404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  });
}

const outlook = { versions: V, throttle: 'outlook' } as const;

export const mailRoutes: Route[] = [
  { method: 'GET', pattern: 'users/:id/mailFolders/:folder/messageRules', ...outlook, handler: listRules },
  { method: 'GET', pattern: 'users/:id/mailFolders/:folder/messageRules/:ruleId', ...outlook, handler: getRule },
  {
    method: 'PATCH',
    pattern: 'users/:id/mailFolders/:folder/messageRules/:ruleId',
    ...outlook,
    write: true,
    handler: updateRule,
  },
  {
    method: 'DELETE',
    pattern: 'users/:id/mailFolders/:folder/messageRules/:ruleId',
    ...outlook,
    write: true,
    handler: deleteRule,
  },
  { method: 'GET', pattern: 'users/:id/mailFolders', ...outlook, handler: listFolders },
  { method: 'GET', pattern: 'users/:id/mailFolders/:folder', ...outlook, handler: getFolder },
];

import type { DemoUser, GraphObject } from '../state';

/** Well-known folders every mailbox has; ids are derived from the user id so they are stable. */
const FOLDERS = [
  ['inbox', 'Inbox'],
  ['archive', 'Archive'],
  ['rss', 'RSS Feeds'],
  ['conversationhistory', 'Conversation History'],
  ['deleteditems', 'Deleted Items'],
  ['drafts', 'Drafts'],
  ['junkemail', 'Junk Email'],
  ['sentitems', 'Sent Items'],
] as const;

export type FolderKey = (typeof FOLDERS)[number][0];

export function folderId(user: DemoUser, key: FolderKey): string {
  return Buffer.from(`AAMk-${user.id}-${key}`).toString('base64');
}

export function mailFoldersOf(user: DemoUser): GraphObject[] {
  return FOLDERS.map(([key, name]) => ({
    id: folderId(user, key),
    displayName: name,
    parentFolderId: Buffer.from(`AAMk-${user.id}-root`).toString('base64'),
    childFolderCount: 0,
    unreadItemCount: key === 'inbox' ? 3 : 0,
    totalItemCount: key === 'inbox' ? 42 : 0,
    sizeInBytes: key === 'inbox' ? 180_224 : 0,
    isHidden: false,
  }));
}

/** Resolves a folder path segment: a well-known name (inbox, archive…) or a folder id. */
export function resolveFolder(user: DemoUser, segment: string): GraphObject | undefined {
  const folders = mailFoldersOf(user);
  const key = segment.toLowerCase();
  const known = FOLDERS.findIndex(([k]) => k === key);
  return known >= 0 ? folders[known] : folders.find((f) => f.id === segment);
}

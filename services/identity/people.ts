/**
 * A name in a plain-language question ("what happened to grace") resolved among the tenant's users: those whose
 * display name, given name, surname or UPN starts with it (one Graph read), exact display-name matches first.
 */
import type { GraphClient } from '../graph/client';
import { endpoints } from '../graph/endpoints';
import { readOne, type ReadOptions } from '../graph/read';

export interface Person {
  id: string;
  displayName: string | null;
  userPrincipalName: string;
}

export interface PeopleMatch {
  /** At most `limit` users, best first. */
  people: Person[];
  /** More users than `limit` start with the name. */
  more: boolean;
}

export interface PeopleFinder {
  find(name: string, opts?: ReadOptions): Promise<PeopleMatch>;
}

/** How many users a question may choose among; more asks for a longer name. */
export const PEOPLE_LIMIT = 10;

/** Best first: the display name as typed, then a display name starting with it, then by display name and UPN. */
export function rankPeople(name: string, people: readonly Person[]): Person[] {
  const wanted = name.trim().toLowerCase();
  const rank = (p: Person): number => {
    const display = (p.displayName ?? '').toLowerCase();
    if (display === wanted) return 0;
    if (display.startsWith(wanted)) return 1;
    return 2;
  };
  const label = (p: Person): string => `${p.displayName ?? ''}\u0000${p.userPrincipalName}`.toLowerCase();
  return [...people].sort((a, b) => rank(a) - rank(b) || label(a).localeCompare(label(b)));
}

export function createPeopleFinder(client: GraphClient, limit = PEOPLE_LIMIT): PeopleFinder {
  return {
    async find(name, opts = {}) {
      const page = await readOne(client, endpoints.usersByName.at({ prefix: name.trim(), top: limit + 1 }), opts);
      const people = rankPeople(
        name,
        page.value.map((u) => ({
          id: u.id,
          displayName: u.displayName ?? null,
          userPrincipalName: u.userPrincipalName,
        })),
      );
      return { people: people.slice(0, limit), more: people.length > limit };
    },
  };
}

/** The user's manager from Graph (`users/{id}/manager`), for judging mailbox delegates. */
import { isCodedError } from '../errors';
import type { GraphClient } from '../graph/client';
import { endpoints } from '../graph/endpoints';
import { readOne } from '../graph/read';
import type { ManagerSource } from './investigation';

export function createGraphManagerSource(client: GraphClient): ManagerSource {
  return {
    async manager(ref) {
      try {
        const m = await readOne(client, endpoints.manager.at({ user: ref }));
        return { id: m.id, upn: m.userPrincipalName ?? null };
      } catch (error) {
        // Graph answers 404 (Request_ResourceNotFound) when no manager is set; the client codes any 404 under
        // /users/… as user_not_found. The user itself was resolved by the investigation's other reads.
        if (isCodedError(error, 'graph_not_found') || isCodedError(error, 'user_not_found')) return null;
        throw error;
      }
    },
  };
}

import { CodedError } from '../errors';
import type { GraphClient } from './client';
import { endpoints } from './endpoints';
import { readOne } from './read';
import type { Organization } from './schemas/organization';

/** The tenant and its verified domains; also the cheapest authenticated call, used by /readyz. */
export async function getOrganization(client: GraphClient): Promise<Organization> {
  const org = (await readOne(client, endpoints.organization.at({}))).value[0];
  if (!org) throw new CodedError('unexpected_response', 'Graph returned no organization', {});
  return org;
}

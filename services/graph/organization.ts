import { CodedError } from '../errors';
import type { GraphClient } from './client';
import { collectionSchema } from './schemas/collection';
import { organizationSchema } from './schemas/organization';
import type { Organization } from './schemas/organization';

const organizationPage = collectionSchema(organizationSchema);

/** The tenant and its verified domains; also the cheapest authenticated call, used by /readyz. */
export async function getOrganization(client: GraphClient): Promise<Organization> {
  const res = await client.request({
    method: 'GET',
    path: '/organization?$select=id,displayName,verifiedDomains',
  });
  const parsed = organizationPage.safeParse(res.body);
  const org = parsed.success ? parsed.data.value[0] : undefined;
  if (!org)
    throw new CodedError('graph_bad_request', 'Graph returned no organization', {
      requestId: res.headers['request-id'],
    });
  return org;
}

import type { Route } from '../http/types';
import { accessRoutes } from './access';
import { auditLogRoutes } from './audit-logs';
import { authMethodRoutes } from './auth-methods';
import { directoryRoutes } from './directory';
import { exchangeAdminRoutes } from './exchange-admin';
import { groupRoutes } from './groups';
import { identityProtectionRoutes } from './identity-protection';
import { loginRoutes } from './login';
import { managerRoutes } from './manager';
import { mailRoutes } from './mail';
import { policyRoutes } from './policies';
import { persistenceWriteRoutes } from './persistence-writes';
import { postureRoutes } from './posture';
import { restoreWriteRoutes } from './restore-writes';
import { userWriteRoutes } from './user-writes';
import { userRoutes } from './users';
import { teamworkRoutes } from './teamwork';

/** Every route the demo tenant serves, in match order. */
export const allRoutes: Route[] = [
  ...userRoutes,
  ...managerRoutes,
  ...userWriteRoutes,
  ...persistenceWriteRoutes,
  ...restoreWriteRoutes,
  ...authMethodRoutes,
  ...mailRoutes,
  ...directoryRoutes,
  ...groupRoutes,
  ...policyRoutes,
  ...auditLogRoutes,
  ...identityProtectionRoutes,
  ...loginRoutes,
  ...exchangeAdminRoutes,
  ...postureRoutes,
  ...accessRoutes,
  ...teamworkRoutes,
];

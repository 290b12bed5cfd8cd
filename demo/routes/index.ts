import type { Route } from '../http/types';
import { directoryRoutes } from './directory';
import { userRoutes } from './users';

/** Every route the demo tenant serves, in match order. */
export const allRoutes: Route[] = [...userRoutes, ...directoryRoutes];

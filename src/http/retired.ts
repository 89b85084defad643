import type { Request, Response } from 'express';
import { sendError } from './errors';

/** Route groups that moved to Auth/Core. Base keeps no data for them. */
export const RETIRED_GROUPS = [
  'auth',
  'users',
  'company-users',
  'invitations',
  'teams',
  'packages',
  'permissions',
  'roles',
  'subscriptions',
] as const;

export function retiredGroup(group: string) {
  return (req: Request, res: Response) =>
    sendError(
      res,
      req.requestId,
      'MOVED_TO_AUTH',
      `/api/${group} moved to Auth/Core: identity, users, membership, teams, packages, permissions, roles and subscriptions are served there, not by Base`,
    );
}

/**
 * The permission catalog of Base: every `basic.<resource>.<action>` string, in one table.
 * Auth grants them; Base only checks them. GraphQL (shield) and REST both read from here.
 */
export const CATALOG = {
  dashboard: ['view'],
  agency: ['view', 'create', 'edit', 'delete'],
  agreement: ['view', 'create', 'edit', 'delete'],
  artist: ['view', 'create', 'edit', 'delete'],
  avail: ['view', 'create', 'edit', 'delete'],
  company: ['view', 'edit'],
  event: ['view', 'create', 'edit', 'delete'],
  expense: ['view', 'create', 'edit', 'delete', 'approve'],
  approval: ['view'],
  income: ['view', 'create', 'edit', 'delete'],
  ticket: ['view', 'create', 'edit', 'delete'],
  file: ['view', 'create', 'delete'],
  notification: ['view'],
  offer: ['view', 'create', 'edit', 'delete'],
  task: ['view', 'create', 'edit', 'delete'],
  vendor: ['view', 'create', 'edit', 'delete'],
  venue: ['view', 'create', 'edit', 'delete'],
  xero: ['view', 'manage'],
  webhook: ['view', 'manage'],
  ai: ['use'],
} as const;

export type Resource = keyof typeof CATALOG;
export type Action<R extends Resource> = (typeof CATALOG)[R][number];
export type Permission = { [R in Resource]: `basic.${R}.${Action<R>}` }[Resource];

export const BASIC_MODULE = 'basic';

export const ALL_PERMISSIONS: readonly Permission[] = (Object.keys(CATALOG) as Resource[]).flatMap(
  (resource) => CATALOG[resource].map((action) => `basic.${resource}.${action}` as Permission),
);

/** Resources whose records can be read: the only ones a family can be made of. */
export type ViewableResource = { [R in Resource]: 'view' extends Action<R> ? R : never }[Resource];

/** A catalog entry; asking for one the catalog does not have is a programming error, even past a cast. */
export function permission<R extends Resource>(resource: R, action: Action<R>): Permission {
  if (!(CATALOG[resource] as readonly string[] | undefined)?.includes(action)) {
    throw new Error(`basic.${resource}.${action} is not in the permission catalog`);
  }
  return `basic.${resource}.${action}` as Permission;
}

/**
 * What a GraphQL field or REST route needs: one permission, all of several, or one of the two
 * access levels that need no business permission.
 *  - `public`: no token, no x-org (health, `_service`).
 *  - `member`: a resolved, active member of the company with the basic module, nothing more
 *    (the `_entities` entry point, whose per-type checks happen in the reference resolvers).
 */
export type Requirement = Permission | readonly Permission[] | 'public' | 'member';

export function describeRequirement(req: Requirement): string {
  return typeof req === 'string' ? req : req.join(' + ');
}

export function requiredPermissions(req: Requirement): Permission[] {
  if (req === 'public' || req === 'member') return [];
  return typeof req === 'string' ? [req] : [...req];
}

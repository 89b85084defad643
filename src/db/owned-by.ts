const owners = new WeakMap<object, string>();

/**
 * Records of this entity belong to one user of the company (a notification to its recipient): every
 * read, change and delete through a scope sees only the scope user's own, so another user's record is
 * absent (404) on every path that reaches it. Inserts are free: the domain makes them for others.
 */
export function OwnedBy(property: string): ClassDecorator {
  return (target) => void owners.set(target, property);
}

/** The property holding the user a record of this entity belongs to, when it is `@OwnedBy` one. */
export function ownerOf(entity: object): string | undefined {
  return owners.get(entity);
}

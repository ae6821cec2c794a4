import { ForbiddenError } from './domain/errors.ts';
import type { Person, Role } from './domain/model.ts';

export function hasRole(person: Person, ...roles: Role[]): boolean {
  return person.roles.some((role) => roles.includes(role));
}

/** Refuses unless the caller holds one of the roles (roles come from the directory). */
export function requireRole(person: Person, ...roles: Role[]): void {
  if (!hasRole(person, ...roles)) {
    throw new ForbiddenError(`This needs one of these roles: ${roles.join(', ')}.`);
  }
}

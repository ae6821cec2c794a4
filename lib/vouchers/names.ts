import type { AppDeps } from '../app.ts';
import type { Names } from '../ui/people.tsx';

/** Directory names of the people a page mentions (one read each, a handful per voucher). */
export async function namesOf(deps: Pick<AppDeps, 'store'>, emails: Iterable<string>): Promise<Names> {
  const people = await Promise.all([...new Set(emails)].map((email) => deps.store.people.get(email)));
  return new Map(people.flatMap((person) => (person ? [[person.email, person.name] as const] : [])));
}

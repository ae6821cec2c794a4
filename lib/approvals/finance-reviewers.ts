/** Who finance is for a voucher: its finance reviewer, and every finance reviewer of its entity. */
import type { AppDeps } from '../app.ts';
import type { Voucher } from '../domain/model.ts';

export async function financeOf(deps: AppDeps, voucher: Voucher): Promise<string[]> {
  const reviewer = voucher.route.steps.find((step) => step.step === 'FINANCE_REVIEW')?.assignee;
  const people = await deps.store.people.listByEntity(voucher.entityId);
  return [
    ...new Set(
      [
        reviewer,
        ...people.filter((person) => person.roles.includes('FINANCE_REVIEWER')).map((p) => p.email),
      ].filter((email): email is string => !!email),
    ),
  ];
}

/**
 * The payments still missing their invoice as a list people work through (POLICY 2.1(3), D9):
 * narrowed to the days paid (a key condition of the index), sorted, at most LIST_LIMIT — the list
 * page, its total and its XLSX file show the same vouchers.
 */
import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import { ValidationError } from '../domain/errors.ts';
import type { Person, Voucher } from '../domain/model.ts';
import type { DayRange } from '../platform/store.ts';
import { LIST_LIMIT } from '../vouchers/read-vouchers.ts';

/** How the list is ordered: by the day paid (oldest first, the default: the longest waiting), or amount. */
export const MISSING_SORTS = ['oldest', 'newest', 'amount-desc', 'amount-asc'] as const;
export type MissingSort = (typeof MISSING_SORTS)[number];

export interface MissingFilters {
  paid: DayRange;
  sort: MissingSort;
}

export async function missingInvoicesForList(
  deps: AppDeps,
  caller: Person,
  filters: MissingFilters,
): Promise<{ vouchers: Voucher[]; truncated: boolean }> {
  requireRole(caller, 'FINANCE_REVIEWER', 'CASHIER', 'ADMIN');
  const { from, to } = filters.paid;
  if (from && to && from > to) {
    const message = '开始日期不能晚于结束日期。The first day comes after the last.';
    throw new ValidationError(message, { issues: [{ path: 'from', message }] });
  }
  const found: Voucher[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.vouchers.awaitingInvoice(caller.entityId, {
      limit: 100,
      paid: filters.paid,
      newestFirst: filters.sort === 'newest',
      ...(cursor ? { cursor } : {}),
    });
    found.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && found.length < LIST_LIMIT);
  const vouchers = found.slice(0, LIST_LIMIT);
  if (filters.sort === 'amount-desc') vouchers.sort((a, b) => b.amountFen - a.amountFen);
  if (filters.sort === 'amount-asc') vouchers.sort((a, b) => a.amountFen - b.amountFen);
  return { vouchers, truncated: cursor !== undefined || found.length > LIST_LIMIT };
}

import type { AppDeps } from '../app.ts';
import { mayListEveryonesVouchers, mayReadVoucher } from '../domain/access.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { AuditEvent, Person, Voucher, VoucherStatus } from '../domain/model.ts';
import { normaliseVoucherNumber } from '../domain/voucher-number.ts';
import type { DayRange, Page } from '../platform/store.ts';

export async function getVoucher(
  deps: AppDeps,
  viewer: Person,
  voucherId: string,
): Promise<{ voucher: Voucher; history: AuditEvent[] }> {
  const voucher = await deps.store.vouchers.get(voucherId);
  // Not readable looks like not there: ids of other people's vouchers are not confirmed.
  if (!voucher || !mayReadVoucher(viewer, voucher)) {
    throw new NotFoundError(`没有这张凭单 ${voucherId}。No voucher ${voucherId}.`);
  }
  const history = await deps.store.vouchers.history(voucherId);
  return { voucher, history };
}

/**
 * The voucher a short number names in the viewer's entity (`FK-20261202-0007`, as typed: spaces,
 * lower case, a short place `-7` are read too), if they may read it; null otherwise — a number of a
 * voucher they may not read is not confirmed.
 */
export async function voucherByNumber(deps: AppDeps, viewer: Person, typed: string): Promise<Voucher | null> {
  const number = normaliseVoucherNumber(typed);
  if (number === null) {
    const message =
      '凭单号的格式是 FK-年月日-序号，例如 FK-20261202-0007。A voucher number reads FK-<day>-<place>, e.g. FK-20261202-0007.';
    throw new ValidationError(message, { issues: [{ path: 'number', message }] });
  }
  const id = await deps.store.vouchers.idByNumber(viewer.entityId, number);
  const voucher = id ? await deps.store.vouchers.get(id) : null;
  return voucher && mayReadVoucher(viewer, voucher) ? voucher : null;
}

export interface ListVouchersInput {
  status?: VoucherStatus | undefined;
  mine: boolean;
  limit: number;
  cursor?: string | undefined;
}

/**
 * `mine` lists the caller's own vouchers (newest first). Otherwise a status is needed, and only the
 * roles that review vouchers see everyone's; a merchandiser always gets their own.
 */
export async function listVouchers(
  deps: AppDeps,
  viewer: Person,
  input: ListVouchersInput,
): Promise<Page<Voucher>> {
  if (input.mine || !mayListEveryonesVouchers(viewer)) {
    return deps.store.vouchers.listByApplicant(viewer.email, {
      limit: input.limit,
      ...(input.cursor ? { cursor: input.cursor } : {}),
      ...(input.status ? { status: input.status } : {}),
    });
  }
  if (!input.status) {
    throw new ValidationError('请选择状态，或只看自己的凭单。Give a status, or mine=true.', {
      issues: [{ path: 'status', message: '请选择状态 required unless mine=true' }],
    });
  }
  return deps.store.vouchers.listByStatus(viewer.entityId, input.status, {
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
}

/** How a list page orders its vouchers. */
export const LIST_SORTS = ['newest', 'oldest', 'amount-desc', 'amount-asc'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

export interface ListFilters {
  /** `entity`: everyone's of the entity in one status (the oversight roles); otherwise the viewer's own. */
  scope: 'mine' | 'entity';
  status?: VoucherStatus | undefined;
  submitted: DayRange;
  sort: ListSort;
}

/** How many vouchers one list page (and its export) holds: more is narrowed by status or dates. */
export const LIST_LIMIT = 500;

/** The status an entity-wide list shows when none is chosen: what is being decided now. */
export const DEFAULT_ENTITY_STATUS: VoucherStatus = 'IN_APPROVAL';

/**
 * The vouchers a list page (or its XLSX export) shows: the viewer's own, or — for the roles that
 * oversee vouchers — the entity's in one status; narrowed to the days submitted (a key condition of
 * the index, docs/data-model.md #11, #12), sorted, at most LIST_LIMIT (`truncated` when more match).
 */
export async function vouchersForList(
  deps: AppDeps,
  viewer: Person,
  filters: ListFilters,
): Promise<{ vouchers: Voucher[]; truncated: boolean; scope: 'mine' | 'entity'; status?: VoucherStatus }> {
  const { from, to } = filters.submitted;
  if (from && to && from > to) {
    const message = '开始日期不能晚于结束日期。The first day comes after the last.';
    throw new ValidationError(message, { issues: [{ path: 'from', message }] });
  }
  const everyone = filters.scope === 'entity' && mayListEveryonesVouchers(viewer);
  const status = everyone ? (filters.status ?? DEFAULT_ENTITY_STATUS) : filters.status;
  const newestFirst = filters.sort !== 'oldest';
  const found: Voucher[] = [];
  let cursor: string | undefined;
  do {
    const options = { limit: 100, submitted: filters.submitted, newestFirst, ...(cursor ? { cursor } : {}) };
    const page = everyone
      ? await deps.store.vouchers.listByStatus(viewer.entityId, status ?? DEFAULT_ENTITY_STATUS, options)
      : await deps.store.vouchers.listByApplicant(viewer.email, {
          ...options,
          ...(status ? { status } : {}),
        });
    found.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && found.length < LIST_LIMIT);
  const vouchers = found.slice(0, LIST_LIMIT);
  if (filters.sort === 'amount-desc') vouchers.sort((a, b) => b.amountFen - a.amountFen);
  if (filters.sort === 'amount-asc') vouchers.sort((a, b) => a.amountFen - b.amountFen);
  return {
    vouchers,
    truncated: cursor !== undefined || found.length > LIST_LIMIT,
    scope: everyone ? 'entity' : 'mine',
    ...(status ? { status } : {}),
  };
}

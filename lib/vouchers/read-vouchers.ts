import type { AppDeps } from '../app.ts';
import { mayListEveryonesVouchers, mayReadVoucher } from '../domain/access.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { AuditEvent, Person, Voucher, VoucherStatus } from '../domain/model.ts';
import { normaliseVoucherNumber } from '../domain/voucher-number.ts';
import type { Page } from '../platform/store.ts';

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

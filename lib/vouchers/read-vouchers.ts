import type { AppDeps } from '../app.ts';
import { mayListEveryonesVouchers, mayReadVoucher } from '../domain/access.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { AuditEvent, Person, Voucher, VoucherStatus } from '../domain/model.ts';
import type { Page } from '../platform/store.ts';

export async function getVoucher(
  deps: AppDeps,
  viewer: Person,
  voucherId: string,
): Promise<{ voucher: Voucher; history: AuditEvent[] }> {
  const voucher = await deps.store.vouchers.get(voucherId);
  // Not readable looks like not there: ids of other people's vouchers are not confirmed.
  if (!voucher || !mayReadVoucher(viewer, voucher)) throw new NotFoundError(`No voucher ${voucherId}.`);
  const history = await deps.store.vouchers.history(voucherId);
  return { voucher, history };
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
    throw new ValidationError('Give a status, or mine=true.', {
      issues: [{ path: 'status', message: 'required unless mine=true' }],
    });
  }
  return deps.store.vouchers.listByStatus(viewer.entityId, input.status, {
    limit: input.limit,
    ...(input.cursor ? { cursor: input.cursor } : {}),
  });
}

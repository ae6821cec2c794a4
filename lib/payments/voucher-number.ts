/**
 * The short voucher number people say on the phone (`FK-20261202-0007`, per entity and day), beside
 * the ULID, wherever the payments show a voucher: the run, the bank files, the emails. Vouchers
 * submitted before numbers existed have none; they are named by their id alone.
 */
import type { Voucher } from '../domain/model.ts';

/** A voucher as the payments read it: with its short number once vouchers carry one. */
export type NumberedVoucher = Voucher & { readonly number?: string | undefined };

export const voucherNumberOf = (voucher: { readonly number?: string | null | undefined }): string | null =>
  voucher.number ?? null;

/** `FK-20261202-0007 (01K…)`, or the id alone. */
export function voucherName(voucher: {
  readonly id: string;
  readonly number?: string | null | undefined;
}): string {
  const number = voucherNumberOf(voucher);
  return number ? `${number} (${voucher.id})` : voucher.id;
}

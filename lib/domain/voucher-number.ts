/**
 * The voucher's short number, one people can say on the phone and write on paper: `FK-20261202-0007`
 * (付款, the day it was first submitted in Asia/Shanghai, its place that day). Unique per legal entity
 * (POLICY D17: each entity keeps its own books) and day; an edit after rejection keeps it (D19: the
 * same voucher in a new version). The ULID stays the voucher's id; the number stands beside it.
 */
import type { LocalDate } from './model.ts';

export const VOUCHER_NUMBER_PREFIX = 'FK';

/** `FK-YYYYMMDD-NNNN`: at least four digits (a day past 9,999 vouchers grows a fifth). */
export const VOUCHER_NUMBER_PATTERN = /^FK-(\d{4})(\d{2})(\d{2})-(\d{4,6})$/;

/** The `sequence`-th voucher of the entity on `day`: `formatVoucherNumber('2026-12-02', 7)` → `FK-20261202-0007`. */
export function formatVoucherNumber(day: LocalDate, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RangeError(`a voucher's place in its day starts at 1, got ${sequence}`);
  }
  return `${VOUCHER_NUMBER_PREFIX}-${day.replaceAll('-', '')}-${String(sequence).padStart(4, '0')}`;
}

/**
 * A number as a person typed it (`fk-20261202-7`, `FK 20261202 0007`, with spaces or full-width
 * characters) in its canonical form, or null when it is not one.
 */
export function normaliseVoucherNumber(typed: string): string | null {
  const compact = typed
    .normalize('NFKC')
    .trim()
    .toUpperCase()
    .replace(/[\s_－—–]+/g, '-');
  const match = /^FK-?(\d{8})-?(\d{1,6})$/.exec(compact);
  if (!match) return null;
  const [, day = '', sequence = ''] = match;
  const number = Number(sequence);
  if (number < 1) return null;
  const canonical = `${VOUCHER_NUMBER_PREFIX}-${day}-${String(number).padStart(4, '0')}`;
  return VOUCHER_NUMBER_PATTERN.test(canonical) ? canonical : null;
}

/**
 * A bank file's payments recorded at once (POLICY 2.2(3), D7, D18). The cashier exported a bank batch
 * file from a run (payment-run.ts, which records which vouchers it holds), uploaded it to the bank,
 * and the bank answers with one reference per transfer.
 *
 * Primary course:
 *  1. The cashier names the file (its run's day and batch id) and, for some or all of its vouchers,
 *     the bank's reference and the day paid — each reference once.
 *  2. Every row names a voucher of that very file, at the version that went into it; a row naming any
 *     other voucher refuses the whole request and nothing is recorded (the wrong file is open).
 *  3. Each row is a payment as recordPayment makes it — paid at most once, the orders checked again
 *     (D7), never by someone who held another step of it (D18) — each in its own transaction, so a row
 *     refused (a dispute opened since) leaves the others paid.
 *  4. The answer names every row's outcome: paid now, paid already with this very reference (the same
 *     form sent twice changes nothing twice), or refused and why.
 */
import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import { AppError, type Issue, RuleViolationError, ValidationError } from '../domain/errors.ts';
import type { LocalDate, Person, Voucher } from '../domain/model.ts';
import { shanghaiDate } from '../domain/time.ts';
import { logger } from '../observability/logger.ts';
import type { BankFile } from '../platform/store.ts';
import { bankFileOf, bankFileSummary, paymentRunItem, tally } from './payment-run.ts';
import { payOnce } from './payments.ts';
import { voucherName } from './voucher-number.ts';

export interface BankFileRow {
  voucherId: string;
  bankReference: string;
  paidOn: LocalDate;
}

export type BankFileRowResult =
  | { voucherId: string; result: 'PAID' | 'UNCHANGED'; voucher: Voucher }
  | { voucherId: string; result: 'REFUSED'; error: AppError };

/** How many rows are paid at the same moment: each is its own transaction on its own voucher. */
const AT_ONCE = 8;

/** The file as the bulk form shows it: each voucher as it is now, in the file's order. */
export async function bankFileView(deps: AppDeps, viewer: Person, day: LocalDate, id: string) {
  const file = await bankFileOf(deps, viewer, day, id);
  const today = shanghaiDate(deps.clock.now());
  const vouchers = await Promise.all(file.vouchers.map((entry) => deps.store.vouchers.get(entry.voucherId)));
  const items = file.vouchers.flatMap((entry, index) => {
    const voucher = vouchers[index];
    if (!voucher) return [];
    const item = paymentRunItem(voucher, viewer, day, today);
    // Edited since it went into this file (returned after a failure, resubmitted): not this file's transfer.
    return [
      {
        ...item,
        inThisFile: voucher.version === entry.version,
        mayPay: item.mayPay && voucher.version === entry.version,
      },
    ];
  });
  return {
    ...bankFileSummary(file),
    items,
    due: tally(items.filter((item) => item.status === 'DUE')),
    paid: tally(items.filter((item) => item.status === 'PAID')),
    failed: tally(items.filter((item) => item.status === 'PAYMENT_FAILED')),
  };
}

export type BankFileView = Awaited<ReturnType<typeof bankFileView>>;

/** Steps 1–4. */
export async function recordBankFilePayments(
  deps: AppDeps,
  caller: Person,
  day: LocalDate,
  id: string,
  rows: readonly BankFileRow[],
): Promise<{ file: BankFile; rows: BankFileRowResult[] }> {
  requireRole(caller, 'CASHIER');
  const file = await bankFileOf(deps, caller, day, id);
  assertOneReferencePerRow(rows);
  const versions = new Map(file.vouchers.map((entry) => [entry.voucherId, entry.version]));
  const strangers: Issue[] = rows.flatMap((row, index) =>
    versions.has(row.voucherId)
      ? []
      : [{ path: `rows.${index}.voucherId`, message: `${row.voucherId} 不在此文件中 is not in this file` }],
  );
  if (strangers.length > 0) {
    throw new RuleViolationError(
      'NOT_IN_BANK_FILE',
      `有 ${strangers.length} 行不是银行文件 ${file.fileName} 中的凭单，未登记任何付款。${strangers.length} row(s) name a voucher that is not in the bank file ${file.fileName}; nothing was recorded.`,
      { issues: strangers },
    );
  }
  const results = await eachAtMost(AT_ONCE, rows, async (row): Promise<BankFileRowResult> => {
    try {
      const current = await deps.store.vouchers.get(row.voucherId);
      if (current && current.version !== versions.get(row.voucherId)) {
        throw new RuleViolationError(
          'BANK_FILE_OUTDATED',
          `凭单 ${voucherName(current)} 放入此文件后已被修改，文件中的转账不是它现在的版本。Voucher ${voucherName(current)} was edited since it went into this file; the file’s transfer was for its earlier version.`,
        );
      }
      const { voucher, changed } = await payOnce(deps, caller, row.voucherId, {
        status: 'PAID',
        bankReference: row.bankReference,
        paidOn: row.paidOn,
      });
      return { voucherId: row.voucherId, result: changed ? 'PAID' : 'UNCHANGED', voucher };
    } catch (error) {
      // A refusal of this row (its own 4xx); anything else is a fault of ours, and fails the request —
      // the rows paid before it stay paid, and sending the form again repeats them harmlessly.
      if (error instanceof AppError) return { voucherId: row.voucherId, result: 'REFUSED', error };
      throw error;
    }
  });
  logger.info('bank file payments recorded', {
    date: day,
    batch: id,
    rows: rows.length,
    paid: results.filter((row) => row.result === 'PAID').length,
    refused: results.filter((row) => row.result === 'REFUSED').length,
    by: caller.email,
  });
  return { file, rows: results };
}

/**
 * One row per voucher and one bank reference per transfer: a reference given twice is a typing slip
 * (the bank gives each transfer its own), refused before anything is recorded.
 */
function assertOneReferencePerRow(rows: readonly BankFileRow[]): void {
  const issues: Issue[] = [];
  const seen = { voucher: new Map<string, number>(), reference: new Map<string, number>() };
  rows.forEach((row, index) => {
    const voucher = seen.voucher.get(row.voucherId);
    if (voucher !== undefined) {
      issues.push({
        path: `rows.${index}.voucherId`,
        message: `与第 ${voucher + 1} 行是同一张凭单 the same voucher as row ${voucher + 1}`,
      });
    }
    const reference = seen.reference.get(row.bankReference);
    if (reference !== undefined) {
      issues.push({
        path: `rows.${index}.bankReference`,
        message: `与第 ${reference + 1} 行的银行流水号相同 the same bank reference as row ${reference + 1}`,
      });
    }
    if (voucher === undefined) seen.voucher.set(row.voucherId, index);
    if (reference === undefined) seen.reference.set(row.bankReference, index);
  });
  if (issues.length > 0) {
    throw new ValidationError(
      '每张凭单一行，每笔转账一个银行流水号。One row per voucher, and one bank reference per transfer.',
      { issues },
    );
  }
}

/** `act` on every item, at most `limit` at the same moment; the results in the items' order. */
async function eachAtMost<T, R>(
  limit: number,
  items: readonly T[],
  act: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await act(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

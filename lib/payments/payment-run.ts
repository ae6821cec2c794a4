/**
 * A day's payment run (POLICY 2.2(3), D3–D6): the vouchers due that day, those still unpaid from
 * earlier days, and those paid or failed that day — with the payee's full account for the cashier and
 * finance only (masked for everyone else), the run's totals, the pending countersigns that do not block
 * payment (D6), and the bank batch file the cashier uploads to the bank.
 */
import { Stringifier } from 'csv-stringify';
import type { AppDeps } from '../app.ts';
import { accountFor, hasRole, requireRole } from '../domain/access.ts';
import { whyMayNotPay } from '../domain/approval-rules.ts';
import { RuleViolationError } from '../domain/errors.ts';
import type { LocalDate, Person, Voucher } from '../domain/model.ts';
import { fenToYuanString } from '../domain/money.ts';
import { pullIntoTodayRefusal } from '../domain/payment-date.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { allows } from '../domain/voucher-lifecycle.ts';
import { newId } from '../ids.ts';
import { logger } from '../observability/logger.ts';
import { changeVouchers, type VoucherChange } from '../platform/change.ts';
import { workingDayCalendar } from '../working-days.ts';

export function canSeeRun(person: Person): boolean {
  return hasRole(person, 'CASHIER', 'FINANCE_REVIEWER', 'CEO', 'ADMIN');
}

/**
 * One voucher as the run of `date` shows it. Overdue: still unpaid after its own run's day — judged
 * against today when `date` is later (a run not yet open shows what is overdue now, not a forecast).
 */
export function paymentRunItem(voucher: Voucher, viewer: Person, date: LocalDate, today: LocalDate) {
  const payment = voucher.payment;
  const asOf = date < today ? date : today;
  return {
    voucherId: voucher.id,
    version: voucher.version,
    applicant: voucher.applicant,
    supplierName: voucher.supplierName,
    goods: voucher.goods,
    payee: {
      name: voucher.payee.name,
      bank: voucher.payee.bank,
      account: accountFor(viewer, 'payment-run', voucher.payee.account),
    },
    amount: fenToYuanString(voucher.amountFen),
    amountFen: voucher.amountFen,
    status: payment?.status ?? 'DUE',
    voucherStatus: voucher.status,
    dueDate: payment?.dueDate ?? date,
    overdue: payment?.status === 'DUE' && payment.dueDate < asOf,
    override: payment?.override ?? null,
    bankReference: payment?.bankReference ?? null,
    paidOn: payment?.paidOn ?? null,
    failureReason: payment?.status === 'PAYMENT_FAILED' ? (payment.failureReason ?? null) : null,
    /** Whether the viewer may pay it (a cashier who held no other step of it, POLICY D18). */
    mayPay: hasRole(viewer, 'CASHIER') && whyMayNotPay(voucher, viewer.email) === null,
    /** The latest bank batch file it is in, if any: check the bank before exporting or paying again. */
    exported: payment?.exports?.at(-1) ?? null,
    flags: voucher.flags,
    // POLICY D6: outstanding countersigns do not block payment, but the cashier sees them.
    pendingCountersigns: (voucher.approvals ?? [])
      .filter(
        (approval) =>
          approval.version === voucher.version &&
          approval.countersign === 'PENDING' &&
          approval.withdrawn === undefined,
      )
      .map((approval) => ({ step: approval.step, approver: approval.decidedBy })),
  };
}

export type PaymentRunItem = ReturnType<typeof paymentRunItem>;

const ORDER = { DUE: 0, PAYMENT_FAILED: 1, PAID: 2 } as const;

/** Bank files a voucher remembers being in (the latest ones): bounded, so its item stays small. */
export const KEPT_EXPORTS = 5;

export async function paymentRun(deps: AppDeps, viewer: Person, date: LocalDate | undefined) {
  requireRole(viewer, 'CASHIER', 'FINANCE_REVIEWER', 'CEO', 'ADMIN');
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const day = date ?? today;
  const vouchers = await deps.store.vouchers.paymentRun(viewer.entityId, day);
  const items = vouchers
    .map((voucher) => paymentRunItem(voucher, viewer, day, today))
    .sort(
      (a, b) =>
        ORDER[a.status] - ORDER[b.status] ||
        a.dueDate.localeCompare(b.dueDate) ||
        a.voucherId.localeCompare(b.voucherId),
    );
  const sum = (list: PaymentRunItem[]) => list.reduce((total, item) => total + item.amountFen, 0);
  const due = items.filter((item) => item.status === 'DUE');
  const paid = items.filter((item) => item.status === 'PAID');
  const pullable = day === today ? await pullableIntoToday(deps, viewer, now) : [];
  logger.info('payment run read', { date: day, items: items.length, by: viewer.email });
  return {
    date: day,
    items,
    total: fenToYuanString(sum(items)),
    totalFen: sum(items),
    due: { count: due.length, total: fenToYuanString(sum(due)), totalFen: sum(due) },
    paid: { count: paid.length, total: fenToYuanString(sum(paid)), totalFen: sum(paid) },
    pullable: pullable.map((voucher) => paymentRunItem(voucher, viewer, day, today)),
  };
}

/**
 * POLICY D5: beside today's run, the vouchers that became payable this afternoon — due in the next
 * working day's run — which the cashier or finance may pull into today's. Nobody else may pull.
 */
async function pullableIntoToday(deps: AppDeps, viewer: Person, now: Date): Promise<Voucher[]> {
  if (!hasRole(viewer, 'CASHIER', 'FINANCE_REVIEWER')) return [];
  const calendar = await workingDayCalendar(deps);
  const nextRun = calendar.nextWorkingDay(shanghaiDate(now));
  const candidates = await deps.store.vouchers.dueOn(viewer.entityId, nextRun);
  return candidates
    .filter((voucher) => voucher.payment && pullIntoTodayRefusal(voucher.payment, now, calendar) === null)
    .sort((a, b) => a.id.localeCompare(b.id));
}

export type PaymentRunView = Awaited<ReturnType<typeof paymentRun>>;

/** The columns of the bank batch file: what a corporate online bank's batch transfer asks for. */
const BATCH_COLUMNS = [
  { key: 'no', header: '序号 No.' },
  { key: 'payeeName', header: '收款人名称 Payee name' },
  { key: 'account', header: '收款账号 Account' },
  { key: 'bank', header: '收款银行 Bank' },
  { key: 'amount', header: '金额 Amount (CNY)' },
  { key: 'purpose', header: '用途 Purpose' },
  { key: 'voucherId', header: '凭单号 Voucher' },
] as const;

type BatchRow = Record<(typeof BATCH_COLUMNS)[number]['key'], string | number>;

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with an
 * apostrophe: payee names come from people and suppliers (OWASP "CSV injection").
 */
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function batchRows(vouchers: Voucher[], viewer: Person): BatchRow[] {
  return vouchers.map((voucher, index) => ({
    no: index + 1,
    payeeName: inert(voucher.payee.name),
    account: inert(accountFor(viewer, 'bank-batch', voucher.payee.account).replace(/\s+/g, '')),
    bank: inert(voucher.payee.bank),
    amount: fenToYuanString(voucher.amountFen),
    purpose: inert(`货款 ${voucher.id}`),
    voucherId: voucher.id,
  }));
}

/**
 * The bank batch of an open run (POLICY 2.2(3); "paid at most once"): for the cashier and finance
 * only (full accounts). Every voucher in the file is read again from the table itself (the run comes
 * from an index, a moment behind) and must still be unpaid; each is recorded as exported, audited, so
 * a voucher already in one file — uploaded to the bank but not yet marked paid — is left out of the
 * next one unless asked for explicitly (a lost file, a batch the bank refused).
 */
export async function exportBankBatch(
  deps: AppDeps,
  viewer: Person,
  date: LocalDate | undefined,
  format: 'csv' | 'xlsx',
  options: { includeExported: boolean } = { includeExported: false },
): Promise<{ fileName: string; contentType: string; body: Buffer; vouchers: string[] }> {
  requireRole(viewer, 'CASHIER', 'FINANCE_REVIEWER');
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const day = date ?? today;
  if (day > today) {
    throw new RuleViolationError(
      'RUN_NOT_OPEN',
      `The run of ${day} opens at 00:00 that day; nothing in it may be paid before, so it is not exported yet.`,
    );
  }
  const fileName = `fundflow-payment-run-${day}-${toShanghaiIso(now).slice(11, 19).replaceAll(':', '')}.${format}`;
  // One batch id for this file, whatever a lost race makes the marking do again: it is how the export
  // knows the vouchers it marked itself.
  const batch = newId();
  const exported = await markExported(deps, viewer, { id: batch, day, file: fileName, now, ...options });
  if (exported.vouchers.length === 0) {
    const why = [
      exported.skipped.inAFile &&
        `${exported.skipped.inAFile} in a bank file already (check the bank, then ask again including those)`,
      exported.skipped.notYours &&
        `${exported.skipped.notYours} not yours to pay (POLICY D18: another cashier exports them)`,
    ].filter(Boolean);
    throw new RuleViolationError(
      'NOTHING_TO_EXPORT',
      `Nothing to put in a bank file for the run of ${day}${why.length ? `: ${why.join('; ')}` : ': nothing is waiting to be paid'}.`,
    );
  }
  const rows = batchRows(exported.vouchers, viewer);
  logger.info('bank batch exported', { date: day, rows: rows.length, format, by: viewer.email });
  const vouchers = exported.vouchers.map((voucher) => voucher.id);
  if (format === 'csv') {
    return { fileName, contentType: 'text/csv; charset=utf-8', body: await csv(rows), vouchers };
  }
  return {
    fileName,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await xlsx(rows, day),
    vouchers,
  };
}

/**
 * The vouchers of the run that go into this file, as the table has them now (the run's index lags a
 * moment), recorded as in it under the file's batch id. A run larger than one transaction is marked in
 * several: when a later one loses its race (a voucher paid or changed in between), the export reads
 * and judges the run again under the same batch id, and a voucher already marked with it is in this
 * file — not "in a bank file already" (which left it out of the file that marked it). Should the
 * export still fail, the vouchers it marked say so, and the cashier asks again including them.
 */
async function markExported(
  deps: AppDeps,
  viewer: Person,
  batch: { id: string; day: LocalDate; file: string; now: Date; includeExported: boolean },
): Promise<{ vouchers: Voucher[]; skipped: { inAFile: number; notYours: number } }> {
  return changeVouchers(deps, async () => {
    const candidates = (await deps.store.vouchers.paymentRun(viewer.entityId, batch.day))
      .filter((voucher) => voucher.payment?.status === 'DUE')
      .map((voucher) => voucher.id);
    const current = await Promise.all(candidates.map((id) => deps.store.vouchers.get(id)));
    const skipped = { inAFile: 0, notYours: 0 };
    // Marked in this very file by an earlier part of this export, before a later part lost its race.
    const inThisFile: Voucher[] = [];
    const at = toShanghaiIso(batch.now);
    const changes = current.flatMap((voucher) => {
      const payment = voucher?.payment;
      if (
        !voucher ||
        !allows(voucher.status, 'PUT_IN_BANK_FILE') ||
        payment?.status !== 'DUE' ||
        payment.dueDate > batch.day
      ) {
        return [];
      }
      if (payment.exports?.some((entry) => entry.batch === batch.id)) {
        inThisFile.push(voucher);
        return [];
      }
      if (payment.exports?.length && !batch.includeExported) {
        skipped.inAFile += 1;
        return [];
      }
      // POLICY D18: the file is the payment; whoever may not pay a voucher does not put it in one.
      if (whyMayNotPay(voucher, viewer.email) !== null) {
        skipped.notYours += 1;
        return [];
      }
      const change: VoucherChange = {
        action: 'PUT_IN_BANK_FILE',
        actor: { kind: 'PERSON', email: viewer.email, roles: viewer.roles },
        next: {
          ...voucher,
          payment: {
            ...payment,
            // The latest files only (what the next export and the run page need); the history has them all.
            exports: [
              ...(payment.exports ?? []),
              { batch: batch.id, at, by: viewer.email, file: batch.file },
            ].slice(-KEPT_EXPORTS),
          },
        },
        event: {
          at,
          actor: viewer.email,
          type: 'BANK_BATCH_EXPORTED',
          version: voucher.version,
          details: { batch: batch.id, file: batch.file, again: (payment.exports?.length ?? 0) > 0 },
        },
      };
      return [{ read: voucher, change }];
    });
    return {
      changes,
      result: (written) => ({
        vouchers: [...inThisFile, ...written.map((change) => change.voucher)].sort(
          (a, b) =>
            (a.payment?.dueDate ?? '').localeCompare(b.payment?.dueDate ?? '') || a.id.localeCompare(b.id),
        ),
        skipped,
      }),
    };
  });
}

async function csv(rows: BatchRow[]): Promise<Buffer> {
  // A BOM so spreadsheet programs read the Chinese names as UTF-8.
  const stringifier = new Stringifier({
    bom: true,
    header: true,
    columns: BATCH_COLUMNS.map((column) => ({ key: column.key, header: column.header })),
  });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    stringifier.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
    stringifier.on('end', resolve);
    stringifier.on('error', reject);
  });
  for (const row of rows) stringifier.write(row);
  stringifier.end();
  await done;
  return Buffer.concat(chunks);
}

async function xlsx(rows: BatchRow[], day: LocalDate): Promise<Buffer> {
  // exceljs and its zip libraries (about a megabyte) load when a workbook is asked for, not at every
  // cold start of the functions that can export one.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'fundflow';
  const sheet = workbook.addWorksheet(`Run ${day}`);
  sheet.columns = BATCH_COLUMNS.map((column) => ({
    key: column.key,
    header: column.header,
    width: column.key === 'no' ? 6 : 28,
  }));
  for (const row of rows) {
    // Accounts and amounts stay text: a 19-digit account is not a number a spreadsheet may round.
    sheet.addRow(row);
  }
  sheet.getColumn('account').numFmt = '@';
  sheet.getColumn('amount').alignment = { horizontal: 'right' };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A day's payment run (POLICY 2.2(3), D3–D6): the vouchers due that day, those still unpaid from
 * earlier days, and those paid or failed that day — with the payee's full account for the cashier and
 * finance only (masked for everyone else), the run's totals, the pending countersigns that do not block
 * payment (D6), and the bank batch file the cashier uploads to the bank.
 */
import { Stringifier } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { hasRole, requireRole } from '../access.ts';
import type { AppDeps } from '../app.ts';
import type { LocalDate, Person, Voucher } from '../domain/model.ts';
import { fenToYuanString } from '../domain/money.ts';
import { pullIntoTodayRefusal } from '../domain/payment-date.ts';
import { maskAccount } from '../domain/supplier-checks.ts';
import { shanghaiDate } from '../domain/time.ts';
import { logger } from '../observability/logger.ts';
import { workingDayCalendar } from '../working-days.ts';

export function canSeeRun(person: Person): boolean {
  return hasRole(person, 'CASHIER', 'FINANCE_REVIEWER', 'CEO', 'ADMIN');
}

/** POLICY: the full account is for the people who pay and review payments. */
function seesFullAccount(person: Person): boolean {
  return hasRole(person, 'CASHIER', 'FINANCE_REVIEWER');
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
      account: seesFullAccount(viewer) ? voucher.payee.account : maskAccount(voucher.payee.account),
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
    flags: voucher.flags,
    // POLICY D6: outstanding countersigns do not block payment, but the cashier sees them.
    pendingCountersigns: (voucher.approvals ?? [])
      .filter((approval) => approval.version === voucher.version && approval.countersign === 'PENDING')
      .map((approval) => ({ step: approval.step, approver: approval.decidedBy })),
  };
}

export type PaymentRunItem = ReturnType<typeof paymentRunItem>;

const ORDER = { DUE: 0, PAYMENT_FAILED: 1, PAID: 2 } as const;

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

function batchRows(run: PaymentRunView): BatchRow[] {
  return run.items
    .filter((item) => item.status === 'DUE')
    .map((item, index) => ({
      no: index + 1,
      payeeName: inert(item.payee.name),
      account: inert(item.payee.account.replace(/\s+/g, '')),
      bank: inert(item.payee.bank),
      amount: item.amount,
      purpose: inert(`货款 ${item.voucherId}`),
      voucherId: item.voucherId,
    }));
}

/** The bank batch of a run's unpaid vouchers: for the cashier and finance only (full accounts). */
export async function bankBatch(
  deps: AppDeps,
  viewer: Person,
  date: LocalDate | undefined,
  format: 'csv' | 'xlsx',
): Promise<{ fileName: string; contentType: string; body: Buffer }> {
  requireRole(viewer, 'CASHIER', 'FINANCE_REVIEWER');
  const run = await paymentRun(deps, viewer, date);
  const rows = batchRows(run);
  const fileName = `fundflow-payment-run-${run.date}.${format}`;
  logger.info('bank batch exported', { date: run.date, rows: rows.length, format, by: viewer.email });
  if (format === 'csv') {
    return { fileName, contentType: 'text/csv; charset=utf-8', body: await csv(rows) };
  }
  return {
    fileName,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await xlsx(rows, run),
  };
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

async function xlsx(rows: BatchRow[], run: PaymentRunView): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'fundflow';
  const sheet = workbook.addWorksheet(`Run ${run.date}`);
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

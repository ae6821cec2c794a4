/**
 * A day's payment run (POLICY 2.2(3), D3–D6): the vouchers due that day, those still unpaid from
 * earlier days, and those paid or failed that day — with the payee's full account for the cashier and
 * finance only (masked for everyone else), the run's totals (due, overdue, paid, failed), the pending
 * countersigns that do not block payment (D6), and the bank batch files the cashier uploads to the
 * bank — each recorded (lib/platform/store.ts BankFile), so it can be downloaded again and its
 * vouchers marked paid from the bank's references (bank-files.ts).
 */
import type { AppDeps } from '../app.ts';
import { accountFor, hasRole, requireRole } from '../domain/access.ts';
import { whyMayNotPay } from '../domain/approval-rules.ts';
import { NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { LocalDate, Person, Voucher } from '../domain/model.ts';
import { fenToYuanString } from '../domain/money.ts';
import { pullIntoTodayRefusal } from '../domain/payment-date.ts';
import { pendingChangeFlags, type SupplierChange } from '../domain/supplier-change.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { allows } from '../domain/voucher-lifecycle.ts';
import { newId } from '../ids.ts';
import { logger } from '../observability/logger.ts';
import { changeVouchers, type VoucherChange } from '../platform/change.ts';
import { type BankFile, MAX_VOUCHERS_PER_BANK_FILE } from '../platform/store.ts';
import { workingDayCalendar } from '../working-days.ts';
import { type NumberedVoucher, voucherNumberOf } from './voucher-number.ts';

export function canSeeRun(person: Person): boolean {
  return hasRole(person, 'CASHIER', 'FINANCE_REVIEWER', 'CEO', 'ADMIN');
}

/**
 * One voucher as the run of `date` shows it. Overdue: still unpaid after its own run's day — judged
 * against today when `date` is later (a run not yet open shows what is overdue now, not a forecast).
 */
export function paymentRunItem(
  voucher: NumberedVoucher,
  viewer: Person,
  date: LocalDate,
  today: LocalDate,
  /** The pending change requests of the run's suppliers (D8), where the caller read them. */
  pendingChanges?: Map<string, SupplierChange[]>,
) {
  const payment = voucher.payment;
  const asOf = date < today ? date : today;
  return {
    voucherId: voucher.id,
    /** The short number people say (`FK-20261202-0007`), once vouchers carry one. */
    number: voucherNumberOf(voucher),
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
    // POLICY D8: a change of the supplier's details waiting for review, which the cashier sees.
    pendingSupplierChange: pendingChanges ? pendingChangeFor(voucher, pendingChanges, viewer) : null,
  };
}

export type PaymentRunItem = ReturnType<typeof paymentRunItem>;

const ORDER = { DUE: 0, PAYMENT_FAILED: 1, PAID: 2 } as const;

/** Bank files a voucher remembers being in (the latest ones): bounded, so its item stays small. */
export const KEPT_EXPORTS = 5;

/** A count and its total, in fen and as a yuan string. */
export function tally(list: readonly { amountFen: number }[]) {
  const totalFen = list.reduce((total, item) => total + item.amountFen, 0);
  return { count: list.length, total: fenToYuanString(totalFen), totalFen };
}

export async function paymentRun(deps: AppDeps, viewer: Person, date: LocalDate | undefined) {
  requireRole(viewer, 'CASHIER', 'FINANCE_REVIEWER', 'CEO', 'ADMIN');
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const day = date ?? today;
  const vouchers = await deps.store.vouchers.paymentRun(viewer.entityId, day);
  const pending = await pendingChangesOf(deps, vouchers);
  const items = vouchers
    .map((voucher) => paymentRunItem(voucher, viewer, day, today, pending))
    .sort(
      (a, b) =>
        ORDER[a.status] - ORDER[b.status] ||
        a.dueDate.localeCompare(b.dueDate) ||
        a.voucherId.localeCompare(b.voucherId),
    );
  const due = items.filter((item) => item.status === 'DUE');
  const pullable = day === today ? await pullableIntoToday(deps, viewer, now) : [];
  // The files exported from this run: who may export may download them again and record their payments.
  const bankFiles = hasRole(viewer, 'CASHIER', 'FINANCE_REVIEWER')
    ? await deps.store.bankFiles.ofRun(viewer.entityId, day)
    : [];
  logger.info('payment run read', { date: day, items: items.length, by: viewer.email });
  const { total, totalFen } = tally(items);
  return {
    date: day,
    items,
    total,
    totalFen,
    /** Everything still to pay in this run, the overdue ones among it. */
    due: tally(due),
    /** Due in an earlier run and still unpaid (part of `due`). */
    overdue: tally(due.filter((item) => item.overdue)),
    paid: tally(items.filter((item) => item.status === 'PAID')),
    failed: tally(items.filter((item) => item.status === 'PAYMENT_FAILED')),
    pullable: pullable.map((voucher) => paymentRunItem(voucher, viewer, day, today, pending)),
    bankFiles: bankFiles.map(bankFileSummary),
  };
}

/** A bank file as the run lists it. */
export function bankFileSummary(file: BankFile) {
  return {
    id: file.id,
    day: file.day,
    fileName: file.fileName,
    format: file.format,
    at: file.at,
    by: file.by,
    vouchers: file.vouchers.map((entry) => entry.voucherId),
    ...tally(file.vouchers),
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

/** POLICY D8: the pending change requests of the suppliers in a run (a handful of suppliers a day). */
async function pendingChangesOf(deps: AppDeps, vouchers: readonly Voucher[]) {
  const pending = new Map<string, SupplierChange[]>();
  for (const supplierId of new Set(vouchers.map((voucher) => voucher.supplierId))) {
    const changes = await deps.store.supplierChanges.listBySupplier(supplierId);
    pending.set(
      supplierId,
      changes.filter((change) => change.status === 'PENDING'),
    );
  }
  return pending;
}

/**
 * POLICY D8: what the cashier sees of a pending change of the voucher's supplier — that the master may
 * be about to change, and whether this voucher pays the proposed (not yet approved) account.
 */
function pendingChangeFor(voucher: Voucher, pending: Map<string, SupplierChange[]>, viewer: Person) {
  const change = pending.get(voucher.supplierId)?.at(-1);
  if (!change) return null;
  return {
    changeId: change.id,
    fields: change.fields,
    openedBy: change.openedBy,
    openedAt: change.openedAt,
    proposedAccount: accountFor(viewer, 'payment-run', change.proposed.bankAccount),
    paysProposed: pendingChangeFlags(voucher.payee, [change]).length > 0,
  };
}

export type PaymentRunView = Awaited<ReturnType<typeof paymentRun>>;

/**
 * The columns of the bank batch file: what a corporate online bank's batch transfer asks for. The
 * voucher's short number (when it has one) is the purpose the supplier reads on its statement.
 */
const BATCH_COLUMNS = [
  { key: 'no', header: '序号 No.' },
  { key: 'payeeName', header: '收款人名称 Payee name' },
  { key: 'account', header: '收款账号 Account' },
  { key: 'bank', header: '收款银行 Bank' },
  { key: 'amount', header: '金额 Amount (CNY)' },
  { key: 'purpose', header: '用途 Purpose' },
  { key: 'voucherId', header: '凭单号 Voucher' },
  { key: 'voucherNumber', header: '凭单编号 Voucher no.' },
] as const;

type BatchKey = (typeof BATCH_COLUMNS)[number]['key'];

/** A row of the file: its amount in fen (each format writes it its own way), every other cell text. */
type BatchRow = Record<Exclude<BatchKey, 'no' | 'amount'>, string> & {
  no: number | string;
  amountFen: number;
};

/** The text columns: an account or an id is never a number a spreadsheet may round (3.3E+18). */
const TEXT_COLUMNS: readonly BatchKey[] = [
  'payeeName',
  'account',
  'bank',
  'purpose',
  'voucherId',
  'voucherNumber',
];

/**
 * A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) is prefixed with an
 * apostrophe: payee names come from people and suppliers (OWASP "CSV injection").
 */
function inert(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function batchRows(vouchers: readonly NumberedVoucher[], viewer: Person): BatchRow[] {
  return vouchers.map((voucher, index) => {
    const number = voucherNumberOf(voucher);
    return {
      no: index + 1,
      payeeName: inert(voucher.payee.name),
      account: inert(accountFor(viewer, 'bank-batch', voucher.payee.account).replace(/\s+/g, '')),
      bank: inert(voucher.payee.bank),
      amountFen: voucher.amountFen,
      purpose: inert(`货款 ${number ?? voucher.id}`),
      voucherId: voucher.id,
      voucherNumber: number ?? '',
    };
  });
}

/** The last row: how many transfers and their sum, to check against what the bank's import reads. */
function totalRow(rows: readonly BatchRow[]): BatchRow {
  return {
    no: '合计 Total',
    payeeName: `${rows.length} 笔 transfers`,
    account: '',
    bank: '',
    amountFen: rows.reduce((sum, row) => sum + row.amountFen, 0),
    purpose: '',
    voucherId: '',
    voucherNumber: '',
  };
}

export interface BankFileDownload {
  fileName: string;
  contentType: string;
  body: Buffer;
}

async function bankFileBody(
  format: 'csv' | 'xlsx',
  rows: BatchRow[],
  day: LocalDate,
): Promise<{ contentType: string; body: Buffer }> {
  if (format === 'csv') return { contentType: 'text/csv; charset=utf-8', body: await csv(rows) };
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await xlsx(rows, day),
  };
}

/**
 * The bank batch of an open run (POLICY 2.2(3); "paid at most once"): for the cashier and finance
 * only (full accounts). Every voucher in the file is read again from the table itself (the run comes
 * from an index, a moment behind) and must still be unpaid; each is recorded as exported, audited, so
 * a voucher already in one file — uploaded to the bank but not yet marked paid — is left out of the
 * next one unless asked for explicitly (a lost file, a batch the bank refused). The file itself is
 * recorded (which vouchers, at which version and amount) before it is handed out: it can be downloaded
 * again, and its payments recorded from the bank's references for exactly its vouchers. At most
 * `MAX_VOUCHERS_PER_BANK_FILE` go into one file, the oldest due first; the next export takes the rest
 * (`left`).
 */
export async function exportBankBatch(
  deps: AppDeps,
  viewer: Person,
  date: LocalDate | undefined,
  format: 'csv' | 'xlsx',
  options: { includeExported: boolean } = { includeExported: false },
): Promise<BankFileDownload & { vouchers: string[]; batch: BankFile; left: number }> {
  requireRole(viewer, 'CASHIER', 'FINANCE_REVIEWER');
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const day = date ?? today;
  if (day > today) {
    throw new RuleViolationError(
      'RUN_NOT_OPEN',
      `${day} 的付款批次当天 00:00 才开始，之前不能付款，也不能导出。The run of ${day} opens at 00:00 that day; nothing in it may be paid before, so it is not exported yet.`,
    );
  }
  const fileName = `fundflow-payment-run-${day}-${toShanghaiIso(now).slice(11, 19).replaceAll(':', '')}.${format}`;
  // One batch id for this file, whatever a lost race makes the marking do again: it is how the export
  // knows the vouchers it marked itself.
  const id = newId();
  const exported = await markExported(deps, viewer, { id, day, file: fileName, now, ...options });
  if (exported.vouchers.length === 0) {
    const { inAFile, notYours } = exported.skipped;
    const why = [
      inAFile > 0 && {
        zh: `${inAFile} 笔已在银行文件中（请先查银行，再勾选“含已导出的”重新导出）`,
        en: `${inAFile} in a bank file already (check the bank, then ask again including those)`,
      },
      notYours > 0 && {
        zh: `${notYours} 笔不能由你付款（由另一位出纳导出）`,
        en: `${notYours} not yours to pay (POLICY D18: another cashier exports them)`,
      },
    ].filter((reason) => reason !== false);
    throw new RuleViolationError(
      'NOTHING_TO_EXPORT',
      `${day} 的付款批次没有可放入银行文件的凭单${why.length ? `：${why.map((reason) => reason.zh).join('；')}` : '：没有待付款的凭单'}。Nothing to put in a bank file for the run of ${day}${why.length ? `: ${why.map((reason) => reason.en).join('; ')}` : ': nothing is waiting to be paid'}.`,
    );
  }
  const batch: BankFile = {
    id,
    entityId: viewer.entityId,
    day,
    fileName,
    format,
    at: toShanghaiIso(now),
    by: viewer.email,
    vouchers: exported.vouchers.map((voucher) => ({
      voucherId: voucher.id,
      version: voucher.version,
      amountFen: voucher.amountFen,
    })),
  };
  // Recorded before the file is handed out: no file leaves without its record. Should this fail, the
  // vouchers are marked as in a file nobody received, and the cashier exports again including them.
  await deps.store.bankFiles.record(batch);
  const rows = batchRows(exported.vouchers, viewer);
  logger.info('bank batch exported', { date: day, rows: rows.length, format, batch: id, by: viewer.email });
  return {
    fileName,
    ...(await bankFileBody(format, rows, day)),
    vouchers: exported.vouchers.map((voucher) => voucher.id),
    batch,
    left: exported.skipped.forNextFile,
  };
}

/** A recorded bank file of a run of the viewer's entity (another entity's is none at all). */
export async function bankFileOf(
  deps: AppDeps,
  viewer: Person,
  day: LocalDate,
  id: string,
): Promise<BankFile> {
  requireRole(viewer, 'CASHIER', 'FINANCE_REVIEWER');
  const file = await deps.store.bankFiles.get(viewer.entityId, day, id);
  if (!file) {
    throw new NotFoundError(`${day} 的付款批次没有这个银行文件。No bank file ${id} in the run of ${day}.`);
  }
  return file;
}

/**
 * The same bank file again (a lost download; the run page's link after the export): its vouchers in
 * its order, as they went into it, marking nothing. Refused when one of them was edited since (a
 * returned voucher resubmitted with other payee details): the file would no longer be the one sent.
 */
export async function bankFileAgain(
  deps: AppDeps,
  viewer: Person,
  day: LocalDate,
  id: string,
): Promise<BankFileDownload> {
  const file = await bankFileOf(deps, viewer, day, id);
  const vouchers = await Promise.all(file.vouchers.map((entry) => deps.store.vouchers.get(entry.voucherId)));
  const changed = file.vouchers.filter(
    (entry, index) =>
      vouchers[index]?.version !== entry.version || vouchers[index]?.amountFen !== entry.amountFen,
  );
  if (changed.length > 0) {
    throw new RuleViolationError(
      'BANK_FILE_OUTDATED',
      `文件中有 ${changed.length} 笔凭单已被修改，无法重新生成此文件；请重新导出。${changed.length} voucher(s) of this file were edited since (${changed.map((entry) => entry.voucherId).join(', ')}); it cannot be made again as it was — export a new file.`,
    );
  }
  const rows = batchRows(
    vouchers.filter((voucher): voucher is Voucher => voucher !== null),
    viewer,
  );
  logger.info('bank batch downloaded again', { date: day, batch: id, rows: rows.length, by: viewer.email });
  return { fileName: file.fileName, ...(await bankFileBody(file.format, rows, day)) };
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
): Promise<{ vouchers: Voucher[]; skipped: { inAFile: number; notYours: number; forNextFile: number } }> {
  const fileOrder = (a: Voucher, b: Voucher) =>
    (a.payment?.dueDate ?? '').localeCompare(b.payment?.dueDate ?? '') || a.id.localeCompare(b.id);
  return changeVouchers(deps, async () => {
    const candidates = (await deps.store.vouchers.paymentRun(viewer.entityId, batch.day))
      .filter((voucher) => voucher.payment?.status === 'DUE')
      .map((voucher) => voucher.id);
    const current = (await Promise.all(candidates.map((id) => deps.store.vouchers.get(id))))
      .filter((voucher): voucher is Voucher => voucher !== null)
      .sort(fileOrder);
    const skipped = { inAFile: 0, notYours: 0, forNextFile: 0 };
    // Marked in this very file by an earlier part of this export, before a later part lost its race.
    const inThisFile: Voucher[] = [];
    const changes: { read: Voucher; change: VoucherChange }[] = [];
    const at = toShanghaiIso(batch.now);
    for (const voucher of current) {
      const payment = voucher.payment;
      if (
        !allows(voucher.status, 'PUT_IN_BANK_FILE') ||
        payment?.status !== 'DUE' ||
        payment.dueDate > batch.day
      ) {
        continue;
      }
      if (payment.exports?.some((entry) => entry.batch === batch.id)) {
        inThisFile.push(voucher);
        continue;
      }
      if (payment.exports?.length && !batch.includeExported) {
        skipped.inAFile += 1;
        continue;
      }
      // POLICY D18: the file is the payment; whoever may not pay a voucher does not put it in one.
      if (whyMayNotPay(voucher, viewer.email) !== null) {
        skipped.notYours += 1;
        continue;
      }
      // In file order, so those marked by an earlier part of this export come first and stay in it.
      if (inThisFile.length + changes.length >= MAX_VOUCHERS_PER_BANK_FILE) {
        skipped.forNextFile += 1;
        continue;
      }
      changes.push({
        read: voucher,
        change: {
          action: 'PUT_IN_BANK_FILE',
          actor: { kind: 'PERSON', email: viewer.email, roles: viewer.roles },
          next: {
            ...voucher,
            payment: {
              ...payment,
              // The latest files only (what the next export and the run page need); the history has them all.
              exports: [
                ...(payment.exports ?? []),
                { batch: batch.id, at, by: viewer.email, file: batch.file, run: batch.day },
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
        },
      });
    }
    return {
      changes,
      result: (written) => ({
        vouchers: [...inThisFile, ...written.map((change) => change.voucher)].sort(fileOrder),
        skipped,
      }),
    };
  });
}

/**
 * CSV for the bank's import, which reads every field as text: amounts plain (`1234.00`, no
 * thousands separator), every text field quoted (the account and the voucher id among them), a BOM
 * so spreadsheet programs read the Chinese names as UTF-8. Opened in a spreadsheet program a quoted
 * 19-digit account still becomes 3.3E+18 — and is saved so: the XLSX is the file to look at.
 */
async function csv(rows: BatchRow[]): Promise<Buffer> {
  // csv-stringify loads with the first bank file asked for as CSV, not at every cold start.
  const { Stringifier } = await import('csv-stringify');
  const stringifier = new Stringifier({
    bom: true,
    header: true,
    columns: BATCH_COLUMNS.map((column) => ({ key: column.key, header: column.header })),
    cast: {
      string: (value, context) =>
        !context.header && TEXT_COLUMNS.includes(context.column as BatchKey) && value !== ''
          ? { value, quoted: true }
          : value,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    stringifier.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
    stringifier.on('end', resolve);
    stringifier.on('error', reject);
  });
  for (const row of [...rows, totalRow(rows)]) {
    const { amountFen, ...cells } = row;
    stringifier.write({ ...cells, amount: fenToYuanString(amountFen) });
  }
  stringifier.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * XLSX: amounts are numbers shown with two decimals, so the sheet adds them up; accounts, ids and
 * names are text cells (format `@`), so no 19-digit account turns into 3.3E+18; the total row last.
 */
async function xlsx(rows: BatchRow[], day: LocalDate): Promise<Buffer> {
  // exceljs and its zip libraries (about a megabyte) load when a workbook is asked for, not at every
  // cold start of the functions that can export one.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'fundflow';
  const sheet = workbook.addWorksheet(`Run ${day}`, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = BATCH_COLUMNS.map((column) => ({
    key: column.key,
    header: column.header,
    width: column.key === 'no' ? 10 : column.key === 'amount' ? 16 : 28,
  }));
  sheet.getRow(1).font = { bold: true };
  const write = (row: BatchRow) => {
    const { amountFen, ...cells } = row;
    // Fen are integers; a yuan amount of two decimals is exactly what the bank reads, as a number.
    const added = sheet.addRow({ ...cells, amount: amountFen / 100 });
    for (const key of TEXT_COLUMNS) added.getCell(key).numFmt = '@';
    added.getCell('amount').numFmt = '#,##0.00';
    return added;
  };
  for (const row of rows) write(row);
  write(totalRow(rows)).font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * A list of vouchers as an XLSX file (exceljs): the numbers as numbers (the amount in yuan, two
 * decimals shown), long ids, accounts and order ids as text — Excel turns a bare 19-digit account into
 * 3.3E+18 — and a total row (the count, and a SUM with its value). What each column shows is what the
 * list page shows this viewer (the account masked unless they are finance or the cashier).
 */
import { accountFor } from '../domain/access.ts';
import type { LocalDate, Person, Voucher } from '../domain/model.ts';
import { shanghaiTime } from '../ui/format.ts';
import { labelText, VOUCHER_STATUS_LABELS } from '../ui/labels.ts';

const COLUMNS = [
  { key: 'number', header: '凭单号 Number', width: 20, text: true },
  { key: 'id', header: '凭单 ID', width: 30, text: true },
  { key: 'submitted', header: '提交时间 Submitted', width: 18, text: true },
  { key: 'status', header: '状态 Status', width: 22, text: true },
  { key: 'applicant', header: '申请人 Applicant', width: 28, text: true },
  { key: 'supplier', header: '供应商 Supplier', width: 30, text: true },
  { key: 'payee', header: '收款人 Payee', width: 30, text: true },
  { key: 'account', header: '收款账号 Account', width: 26, text: true },
  { key: 'bank', header: '开户行 Bank', width: 28, text: true },
  { key: 'orders', header: '订单 Orders', width: 30, text: true },
  { key: 'goods', header: '商品 Goods', width: 30, text: true },
  { key: 'amount', header: '金额（元）Amount (yuan)', width: 18, text: false },
] as const;

/** Another list's file: its name (`<name>-<day>.xlsx`, the sheet's title) and the day each was paid. */
export interface XlsxOptions {
  name?: string;
  title?: string;
  paidOn?: boolean;
}

const PAID_ON = { key: 'paidOn', header: '付款日 Paid on', width: 14, text: true } as const;

export async function vouchersXlsx(
  vouchers: readonly Voucher[],
  viewer: Person,
  day: LocalDate,
  options: XlsxOptions = {},
): Promise<{ contentType: string; fileName: string; body: Buffer }> {
  const columns = options.paidOn ? [PAID_ON, ...COLUMNS] : COLUMNS;
  // The amount is the last column; its letter names the total's SUM (fewer than 26 columns).
  const amountColumn = String.fromCharCode(64 + columns.length);
  // Loaded when a file is asked for: the list pages themselves do not pay for it at cold start.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'fundflow';
  const sheet = workbook.addWorksheet(`${options.title ?? 'Vouchers'} ${day}`);
  sheet.columns = columns.map((column) => ({ key: column.key, header: column.header, width: column.width }));
  for (const voucher of vouchers) {
    sheet.addRow({
      ...(options.paidOn ? { paidOn: voucher.payment?.paidOn ?? '' } : {}),
      number: voucher.number ?? '',
      id: voucher.id,
      submitted: shanghaiTime(voucher.submittedAt),
      status: labelText(VOUCHER_STATUS_LABELS[voucher.status]),
      applicant: voucher.applicant,
      supplier: voucher.supplierName,
      payee: voucher.payee.name,
      account: accountFor(viewer, 'voucher', voucher.payee.account),
      bank: voucher.payee.bank,
      orders: voucher.orderIds.join(', '),
      goods: voucher.goods,
      // Yuan as a number: fen are whole, so fen / 100 is exact to the two decimals shown.
      amount: voucher.amountFen / 100,
    });
  }
  const first = 2;
  const last = vouchers.length + 1;
  const total = vouchers.reduce((sum, voucher) => sum + voucher.amountFen, 0) / 100;
  const totalRow = sheet.addRow({
    [columns[0].key]: `合计 Total: ${vouchers.length}`,
    amount:
      vouchers.length > 0
        ? { formula: `SUM(${amountColumn}${first}:${amountColumn}${last})`, result: total }
        : 0,
  });
  totalRow.font = { bold: true };
  for (const column of columns) {
    // Text stays text however it looks (an account of digits, an id that could read as a number).
    if (column.text) sheet.getColumn(column.key).numFmt = '@';
  }
  sheet.getColumn('amount').numFmt = '#,##0.00';
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `${options.name ?? 'vouchers'}-${day}.xlsx`,
    body: Buffer.from(await workbook.xlsx.writeBuffer()),
  };
}

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

export async function vouchersXlsx(
  vouchers: readonly Voucher[],
  viewer: Person,
  day: LocalDate,
): Promise<{ contentType: string; fileName: string; body: Buffer }> {
  // Loaded when a file is asked for: the list pages themselves do not pay for it at cold start.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'fundflow';
  const sheet = workbook.addWorksheet(`Vouchers ${day}`);
  sheet.columns = COLUMNS.map((column) => ({ key: column.key, header: column.header, width: column.width }));
  for (const voucher of vouchers) {
    sheet.addRow({
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
    number: `合计 Total: ${vouchers.length}`,
    amount: vouchers.length > 0 ? { formula: `SUM(L${first}:L${last})`, result: total } : 0,
  });
  totalRow.font = { bold: true };
  for (const column of COLUMNS) {
    // Text stays text however it looks (an account of digits, an id that could read as a number).
    if (column.text) sheet.getColumn(column.key).numFmt = '@';
  }
  sheet.getColumn('amount').numFmt = '#,##0.00';
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `vouchers-${day}.xlsx`,
    body: Buffer.from(await workbook.xlsx.writeBuffer()),
  };
}

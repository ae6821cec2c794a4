/**
 * The daily export's files (POLICY 3.1, D10), as finance opens them in Excel: CSV in UTF-8 with a BOM
 * (so Excel shows the Chinese names), and XLSX with numbers as numbers (yuan), ids as text and a total
 * row. Columns: order, supplier id and name, amount, supplier payable, receipt confirmed, funds
 * credited, claimed by vouchers so far, late.
 */
import { Stringifier } from 'csv-stringify';
import type { DailyExportRow, DailyExportTotals } from '../domain/daily-export.ts';
import type { Fen, LocalDate } from '../domain/model.ts';
import { fenToYuanString } from '../domain/money.ts';

export const EXPORT_COLUMNS = [
  { key: 'orderId', header: '订单号 Order' },
  { key: 'supplierId', header: '供应商编号 Supplier id' },
  { key: 'supplierName', header: '供应商名称 Supplier name' },
  { key: 'amount', header: '订单金额 Amount (yuan)' },
  { key: 'supplierPayable', header: '应付供应商 Supplier payable (yuan)' },
  { key: 'receiptConfirmedAt', header: '确认收货 Receipt confirmed' },
  { key: 'fundsCreditedAt', header: '款项到账 Funds credited' },
  { key: 'claimed', header: '已申请付款 Claimed by vouchers (yuan)' },
  { key: 'late', header: '迟到 Late' },
] as const;

const yesNo = (late: boolean) => (late ? '是 yes' : '否 no');

/** Yuan as a number for a spreadsheet cell: fen are whole, so dividing by 100 is exact to the fen shown. */
const yuanNumber = (fen: Fen) => fen / 100;

export async function exportCsv(rows: readonly DailyExportRow[], totals: DailyExportTotals): Promise<Buffer> {
  const stringifier = new Stringifier({
    bom: true,
    header: true,
    columns: EXPORT_COLUMNS.map((column) => ({ key: column.key, header: column.header })),
  });
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    stringifier.on('data', (chunk: Buffer | string) => chunks.push(Buffer.from(chunk)));
    stringifier.on('end', resolve);
    stringifier.on('error', reject);
  });
  for (const row of rows) {
    stringifier.write({
      orderId: row.orderId,
      supplierId: row.supplierId,
      supplierName: row.supplierName,
      amount: fenToYuanString(row.amountFen),
      supplierPayable: fenToYuanString(row.supplierPayableFen),
      receiptConfirmedAt: row.receiptConfirmedAt ?? '',
      fundsCreditedAt: row.fundsCreditedAt ?? '',
      claimed: fenToYuanString(row.claimedFen),
      late: yesNo(row.late),
    });
  }
  stringifier.write({
    orderId: `合计 Total: ${totals.orders}`,
    amount: fenToYuanString(totals.amountFen),
    supplierPayable: fenToYuanString(totals.supplierPayableFen),
    claimed: fenToYuanString(totals.claimedFen),
    late: String(totals.late),
  });
  stringifier.end();
  await done;
  return Buffer.concat(chunks);
}

export async function exportXlsx(
  rows: readonly DailyExportRow[],
  totals: DailyExportTotals,
  date: LocalDate,
): Promise<Buffer> {
  // exceljs and its zip libraries (about a megabyte) load when the workbook is made, not at every
  // cold start of the daily export's function.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'fundflow';
  const sheet = workbook.addWorksheet(`Export ${date}`);
  sheet.columns = EXPORT_COLUMNS.map((column) => ({
    key: column.key,
    header: column.header,
    width: column.key === 'supplierName' ? 32 : 24,
  }));
  for (const row of rows) {
    sheet.addRow({
      orderId: row.orderId,
      supplierId: row.supplierId,
      supplierName: row.supplierName,
      amount: yuanNumber(row.amountFen),
      supplierPayable: yuanNumber(row.supplierPayableFen),
      receiptConfirmedAt: row.receiptConfirmedAt ?? '',
      fundsCreditedAt: row.fundsCreditedAt ?? '',
      claimed: yuanNumber(row.claimedFen),
      late: yesNo(row.late),
    });
  }
  const total = sheet.addRow({
    orderId: `合计 Total: ${totals.orders}`,
    amount: yuanNumber(totals.amountFen),
    supplierPayable: yuanNumber(totals.supplierPayableFen),
    claimed: yuanNumber(totals.claimedFen),
    late: totals.late,
  });
  total.font = { bold: true };
  sheet.getRow(1).font = { bold: true };
  // Ids stay text: a long order number is not a number a spreadsheet may round or reformat.
  for (const key of ['orderId', 'supplierId'] as const) sheet.getColumn(key).numFmt = '@';
  for (const key of ['amount', 'supplierPayable', 'claimed'] as const) {
    sheet.getColumn(key).numFmt = '#,##0.00';
  }
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/**
 * The week's report as XLSX (POLICY 3.2): a summary sheet (totals and counts), one sheet of
 * differences and one of matched lines — written as a stream (exceljs' WorkbookWriter), so a million
 * matched lines never sit in memory. Amounts are numbers (yuan, two decimals), ids and accounts text.
 */
import ExcelJS from 'exceljs';
import type { ReconcileResult } from './engine.ts';
import type { Provenance } from './errors.ts';
import { DIFFERENCE_CATEGORIES, type Difference, type DifferenceSide } from './model.ts';
import type { ReconciliationWeek } from './week.ts';

/** Excel's last row is 1,048,576: matched lines beyond a sheet's worth continue on the next sheet. */
const ROWS_PER_SHEET = 1_000_000;
const YUAN = '#,##0.00';

const yuan = (fen: number) => fen / 100;
const where = (at: Provenance | null) => (at ? `${at.file}:${at.line}` : '');
const sideValue = (side: DifferenceSide | undefined) =>
  side === undefined || side.value === null
    ? ''
    : typeof side.value === 'number'
      ? yuan(side.value)
      : side.value;

export const CATEGORY_TITLES: Record<(typeof DIFFERENCE_CATEGORIES)[number], string> = {
  MISSING_IN_SUMMARY: '汇总表缺少 Missing in the summary',
  NOT_IN_PLATFORM: '平台无此订单 Not in fundflow',
  AMOUNT_MISMATCH: '金额不符 Amount differs',
  DUPLICATE_LINE: '重复行 Duplicated line',
  OUTSIDE_PERIOD: '不在本周 Outside the week',
  MISSING_IN_STATEMENT: '支付宝无入账 No Alipay credit',
  NOT_IN_ORDERS: '支付宝入账无订单 Alipay credit without order',
  STATEMENT_AMOUNT_MISMATCH: '入账金额不符 Alipay amount differs',
  UNRECORDED_REFUND: '未记录的退款 Unrecorded refund',
  UNKNOWN_PARTY: '未知供应商/客户 Unknown party',
  MASTER_DATA_CHANGE: '主数据变更（待审核） Master data change (review)',
};

export async function writeReconciliationReport(
  file: string,
  week: ReconciliationWeek,
  result: ReconcileResult,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: true,
    useSharedStrings: false,
  });

  const summary = workbook.addWorksheet('汇总 Summary');
  summary.columns = [
    { header: '项目 Item', key: 'item', width: 44 },
    { header: '数量 Count', key: 'count', width: 14 },
    { header: '金额 Amount (CNY)', key: 'amount', width: 20, style: { numFmt: YUAN } },
  ];
  const { totals } = result;
  const line = (item: string, count: number | string, amountFen?: number) =>
    summary.addRow({ item, count, amount: amountFen === undefined ? null : yuan(amountFen) }).commit();
  line('周 Week', week.week);
  line('截止日 Due on', week.dueOn);
  line('销售汇总表行 Summary lines', totals.summary.lines, totals.summary.amountFen);
  line(
    '平台本周完成订单 fundflow orders complete this week',
    totals.platform.ordersInWeek,
    totals.platform.amountFen,
  );
  line('支付宝入账 Alipay credits', totals.statement.credits.count, totals.statement.credits.fen);
  line('支付宝退款 Alipay refunds', totals.statement.refunds.count, totals.statement.refunds.fen);
  line('支付宝服务费 Alipay fees', totals.statement.fees.count, totals.statement.fees.fen);
  line('核对一致 Matched lines', totals.matchedLines);
  for (const category of DIFFERENCE_CATEGORIES) line(CATEGORY_TITLES[category], result.counts[category]);
  line(
    '差异合计 Differences in total',
    Object.values(result.counts).reduce((sum, count) => sum + count, 0),
  );
  summary.commit();

  const differences = workbook.addWorksheet('差异 Differences');
  differences.columns = [
    { header: '编号 Id', key: 'id', width: 40 },
    { header: '类别 Category', key: 'category', width: 28 },
    { header: '订单 Order', key: 'orderId', width: 24 },
    { header: '供应商 Supplier', key: 'supplierId', width: 14 },
    { header: '字段 Field', key: 'field', width: 16 },
    { header: '来源一 Source 1', key: 'source1', width: 18 },
    { header: '值一 Value 1', key: 'value1', width: 18, style: { numFmt: YUAN } },
    { header: '位置一 Where 1', key: 'at1', width: 34 },
    { header: '来源二 Source 2', key: 'source2', width: 18 },
    { header: '值二 Value 2', key: 'value2', width: 18, style: { numFmt: YUAN } },
    { header: '位置二 Where 2', key: 'at2', width: 34 },
    { header: '说明 Note', key: 'note', width: 60 },
  ];
  for await (const difference of result.differences()) differences.addRow(differenceRow(difference)).commit();
  differences.commit();

  let sheetNumber = 1;
  let rows = 0;
  let matched = matchedSheet(workbook, sheetNumber);
  const sums = { amount: 0, payable: 0, credit: 0, count: 0 };
  for await (const line of result.matched()) {
    if (rows === ROWS_PER_SHEET) {
      matched.commit();
      matched = matchedSheet(workbook, ++sheetNumber);
      rows = 0;
    }
    rows++;
    sums.count++;
    sums.amount += line.amountFen;
    sums.payable += line.supplierPayableFen;
    sums.credit += line.statementCreditFen ?? 0;
    matched
      .addRow({
        orderId: line.orderId,
        supplierId: line.supplierId,
        amount: yuan(line.amountFen),
        payable: yuan(line.supplierPayableFen),
        credit: line.statementCreditFen === null ? null : yuan(line.statementCreditFen),
        summaryAt: where(line.summaryAt),
        platformAt: where(line.platformAt),
      })
      .commit();
  }
  const total = matched.addRow({
    orderId: `合计 Total (${sums.count})`,
    amount: yuan(sums.amount),
    payable: yuan(sums.payable),
    credit: yuan(sums.credit),
  });
  total.font = { bold: true };
  total.commit();
  matched.commit();
  await workbook.commit();
}

function matchedSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, number: number) {
  const sheet = workbook.addWorksheet(number === 1 ? '一致 Matched' : `一致 Matched ${number}`);
  sheet.columns = [
    { header: '订单 Order', key: 'orderId', width: 24 },
    { header: '供应商 Supplier', key: 'supplierId', width: 14 },
    { header: '金额 Amount', key: 'amount', width: 16, style: { numFmt: YUAN } },
    { header: '应付供应商 Supplier payable', key: 'payable', width: 18, style: { numFmt: YUAN } },
    { header: '支付宝入账 Alipay credit', key: 'credit', width: 18, style: { numFmt: YUAN } },
    { header: '汇总表位置 Summary line', key: 'summaryAt', width: 34 },
    { header: '平台位置 fundflow line', key: 'platformAt', width: 34 },
  ];
  return sheet;
}

function differenceRow(difference: Difference) {
  const [first, second] = difference.sides;
  return {
    id: difference.id,
    category: CATEGORY_TITLES[difference.category],
    orderId: difference.orderId ?? '',
    supplierId: difference.supplierId ?? '',
    field: difference.field ?? '',
    source1: first?.source ?? '',
    value1: sideValue(first),
    at1: where(first?.at ?? null),
    source2: second?.source ?? '',
    value2: sideValue(second),
    at2: where(second?.at ?? null),
    note: difference.note,
  };
}

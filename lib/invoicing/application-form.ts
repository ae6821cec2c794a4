/**
 * The 《开票申请表》 of a batch (POLICY 4, D12) on the national e-tax bureau's batch-issuance import
 * template for fully digital invoices (数电票 批量开具), so finance can upload it as it is: sheet
 * `1-发票基本信息` (one row per invoice) and `2-发票明细信息` (one row per line), row 1 the
 * template's instruction, row 2 the required markers, row 3 the headers, data from row 4, every cell
 * text; 发票流水号 (the request number, ≤ 20 characters, unique in the file) links the two sheets; the
 * order ids go in 备注; the template's other sheets (`3-特定业务信息`, `4-附加要素信息`, empty here, and
 * the hidden `excelVersion`) as V260401 has them. A sheet after them lists the whole batch for
 * finance's own check (docs/invoicing.md: the template version and where its columns come from).
 */
import type ExcelJS from 'exceljs';
import type { InvoiceRequest } from '../domain/invoice-request.ts';
import { fenToYuanString } from '../domain/money.ts';
import { remarkOf } from './remark.ts';

export const BASIC_SHEET = '1-发票基本信息';
export const DETAIL_SHEET = '2-发票明细信息';
export const CHECK_SHEET = '批次核对 Batch check';

type Marker = '必填' | '非必填' | '有条件必填';

/** The template's columns of sheet 1 (V260401: 39, A–AM), in order, with its required markers. */
export const BASIC_COLUMNS: readonly (readonly [string, Marker])[] = [
  ['发票流水号', '必填'],
  ['发票类型', '必填'],
  ['特定业务类型', '非必填'],
  ['是否含税', '必填'],
  ['受票方自然人标识', '非必填'],
  ['购买方名称', '必填'],
  ['购买方纳税人识别号', '有条件必填'],
  ['购买方证件类型', '非必填'],
  ['购买方证件号码', '非必填'],
  ['购买方国籍（或地区）', '非必填'],
  ['购买方地址', '有条件必填'],
  // Four columns under one header in V260401 (the region's levels), as the template has them.
  ['购买方所在地区（报废产品收购必填）', '有条件必填'],
  ['购买方所在地区（报废产品收购必填）', '有条件必填'],
  ['购买方所在地区（报废产品收购必填）', '有条件必填'],
  ['购买方所在地区（报废产品收购必填）', '有条件必填'],
  ['购买方详细地址（报废产品收购必填）', '有条件必填'],
  ['购买方电话', '有条件必填'],
  ['购买方开户银行', '非必填'],
  ['购买方银行账号', '非必填'],
  ['是否展示购买方地址电话银行账号', '非必填'],
  ['是否开具涉税专业服务发票品目', '非必填'],
  ['涉税专业服务协议编号', '有条件必填'],
  ['备注', '非必填'],
  ['报废产品销售类型', '有条件必填'],
  ['每千克煤炭发热量', '有条件必填'],
  ['干基全硫', '有条件必填'],
  ['干燥无灰基挥发分', '有条件必填'],
  ['销售方开户行', '非必填'],
  ['销售方银行账号', '非必填'],
  ['是否展示销售方地址电话银行账号', '非必填'],
  ['购买方邮箱', '非必填'],
  ['购买方经办人姓名', '非必填'],
  ['购买方经办人证件类型', '非必填'],
  ['购买方经办人证件号码', '非必填'],
  ['经办人国籍(地区)', '非必填'],
  ['经办人自然人纳税人识别号', '非必填'],
  ['放弃享受减按1%征收率原因', '有条件必填'],
  ['收款人', '非必填'],
  ['复核人', '非必填'],
];

/** The template's columns of sheet 2 (V260401: 14, A–N), in order. */
export const DETAIL_COLUMNS: readonly (readonly [string, Marker])[] = [
  ['发票流水号', '必填'],
  ['项目名称', '必填'],
  ['商品和服务税收编码', '必填'],
  ['规格型号', '非必填'],
  ['单位', '非必填'],
  ['数量', '非必填'],
  ['单价', '非必填'],
  ['金额', '必填'],
  ['税率', '必填'],
  ['折扣金额', '非必填'],
  ['是否使用优惠政策', '非必填'],
  ['优惠政策类型', '有条件必填'],
  ['即征即退类型', '有条件必填'],
  ['煤炭种类', '有条件必填'],
];

/** The template's version, as its hidden `excelVersion` sheet carries it (cell A4). */
export const TEMPLATE_VERSION = 'pt:20260401';
export const BUSINESS_SHEET = '3-特定业务信息';
export const EXTRA_SHEET = '4-附加要素信息';
export const VERSION_SHEET = 'excelVersion';

export const CHECK_COLUMNS = [
  '发票流水号 Number',
  '状态 Status',
  '发票类型 Kind',
  '购买方 Buyer',
  '纳税人识别号 Tax id',
  '订单 Orders',
  '金额 Amount (yuan)',
  '提醒 Warnings',
  '发票号码 Invoice number',
  '开票日期 Issued on',
] as const;

const INVOICE_TYPE_TEXT = { VAT_SPECIAL: '增值税专用发票', VAT_ORDINARY: '普通发票' } as const;

/** VAT rate as the template writes it: 13 → "0.13", 0 → "0". */
const rateText = (percent: number): string => (percent === 0 ? '0' : String(percent / 100));

function basicRow(request: InvoiceRequest): string[] {
  const { buyer } = request;
  const email = request.delivery.method === 'EMAIL' ? request.delivery.email : (buyer.email ?? '');
  const values: Record<string, string> = {
    发票流水号: request.number,
    发票类型: INVOICE_TYPE_TEXT[request.kind],
    // Order amounts are what the customer paid: tax included.
    是否含税: '是',
    受票方自然人标识: buyer.type === 'INDIVIDUAL' ? '是' : '否',
    购买方名称: buyer.name,
    购买方纳税人识别号: buyer.taxId ?? '',
    购买方地址: buyer.address ?? '',
    购买方电话: buyer.phone ?? '',
    购买方开户银行: buyer.bank ?? '',
    购买方银行账号: buyer.account ?? '',
    备注: remarkOf(request.orderIds),
    购买方邮箱: email,
  };
  return BASIC_COLUMNS.map(([header]) => values[header] ?? '');
}

function detailRows(request: InvoiceRequest): string[][] {
  return request.lines.map((line) => {
    const values: Record<string, string> = {
      发票流水号: request.number,
      项目名称: line.itemName,
      商品和服务税收编码: line.taxCode,
      金额: fenToYuanString(line.amountFen),
      税率: rateText(line.taxRatePercent),
    };
    return DETAIL_COLUMNS.map(([header]) => values[header] ?? '');
  });
}

/** A template sheet: instruction, markers, headers, then the rows — every cell text. */
function templateSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  instruction: string,
  columns: readonly (readonly [string, Marker])[],
  rows: readonly string[][],
): void {
  const sheet = workbook.addWorksheet(name);
  sheet.getRow(1).getCell(1).value = instruction;
  columns.forEach(([header, marker], index) => {
    sheet.getRow(2).getCell(index + 1).value = marker;
    sheet.getRow(3).getCell(index + 1).value = header;
    sheet.getColumn(index + 1).numFmt = '@';
    sheet.getColumn(index + 1).width = Math.max(12, header.length * 2 + 2);
  });
  rows.forEach((cells, rowIndex) => {
    const row = sheet.getRow(4 + rowIndex);
    cells.forEach((value, index) => {
      const cell = row.getCell(index + 1);
      cell.value = value;
      cell.numFmt = '@';
    });
  });
}

/**
 * The file: `toIssue` on the template's two sheets (the lines still with finance), the whole batch on
 * the check sheet. Refuses a request number longer than 20 characters or used twice (a bug: numbers
 * are made so) rather than write a file the bureau would refuse.
 */
export async function applicationWorkbook(input: {
  batchDate: string;
  toIssue: readonly InvoiceRequest[];
  batch: readonly InvoiceRequest[];
}): Promise<Buffer> {
  const numbers = new Set<string>();
  for (const request of input.toIssue) {
    if (request.number.length > 20 || numbers.has(request.number)) {
      throw new Error(`request number ${request.number} is not a unique 发票流水号 of at most 20 characters`);
    }
    numbers.add(request.number);
  }
  // exceljs and its zip libraries (about a megabyte) load when the file is asked for, not at every
  // cold start of the invoicing functions.
  const { default: Excel } = await import('exceljs');
  // The status labels (the UI kit's, ~20 KB) with it: the requests' and orders' JSON functions import
  // this module for the remark alone.
  const { INVOICE_REQUEST_STATUS_LABELS, labelText } = await import('../ui/labels.ts');
  const workbook = new Excel.Workbook();
  workbook.creator = 'fundflow';
  templateSheet(
    workbook,
    BASIC_SHEET,
    `开票申请表 ${input.batchDate}：第 3 行为表头，第 4 行起为数据，发票流水号与 2-发票明细信息 对应。`,
    BASIC_COLUMNS,
    input.toIssue.map(basicRow),
  );
  templateSheet(
    workbook,
    DETAIL_SHEET,
    '发票明细：每行一个项目，以发票流水号对应 1-发票基本信息。',
    DETAIL_COLUMNS,
    input.toIssue.flatMap(detailRows),
  );
  // No special business (特定业务) and no extra elements (附加要素) on these invoices: the sheets are
  // there, with their headers, because the bureau's client reads the workbook as its template.
  templateSheet(workbook, BUSINESS_SHEET, '特定业务信息：本批无特定业务。', [['发票流水号', '必填']], []);
  templateSheet(
    workbook,
    EXTRA_SHEET,
    '附加要素信息：本批无附加要素。',
    [
      ['发票流水号', '必填'],
      ['附加要素名称', '必填'],
      ['附加要素内容', '必填'],
    ],
    [],
  );
  const version = workbook.addWorksheet(VERSION_SHEET, { state: 'hidden' });
  version.getCell('A4').value = TEMPLATE_VERSION;
  const check = workbook.addWorksheet(CHECK_SHEET);
  check.addRow([...CHECK_COLUMNS]);
  for (const request of input.batch) {
    check.addRow([
      request.number,
      labelText(INVOICE_REQUEST_STATUS_LABELS[request.status]),
      INVOICE_TYPE_TEXT[request.kind],
      request.buyer.name,
      request.buyer.taxId ?? '',
      request.orderIds.join(','),
      // A number, so Excel sums it (the total row below).
      request.amountFen / 100,
      request.warnings.map((warning) => warning.code).join(','),
      request.invoice?.number ?? '',
      request.invoice?.issuedOn ?? '',
    ]);
  }
  const total = input.batch.reduce((sum, request) => sum + request.amountFen, 0);
  check.addRow(['合计 Total', '', '', '', '', '', total / 100, '', '', '']);
  check.getColumn(7).numFmt = '#,##0.00';
  for (const column of [1, 5, 6, 9]) check.getColumn(column).numFmt = '@';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

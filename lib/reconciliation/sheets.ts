/**
 * The sheets merchandising hands in (POLICY 3.2) and fundflow's own order file, as async iterables of
 * rows with their file and line. Columns are found by header name; extra columns are ignored. Amounts
 * are yuan with at most two decimals, read as digits into integer fen (D14) — never through a float.
 */
import type { AccountType, DisputeStatus } from '../domain/model.ts';
import { InvalidAmountError, parseYuan } from '../domain/money.ts';
import { isLocalDate, parseInstant } from '../domain/time.ts';
import { type Provenance, ReconciliationInputError } from './errors.ts';
import type { MasterDataLine, PlatformOrderLine, SummaryLine } from './model.ts';
import { columnIndex, type InputFile, type TableRecord, tableRecords } from './text-input.ts';

/** Far above any order; the ceiling only keeps a typo of a thousand billion from passing. */
const CEILING_FEN = 10 ** 13;

export const SUMMARY_COLUMNS = [
  'orderId',
  'supplierId',
  'supplierName',
  'amount',
  'supplierPayable',
  'completedAt',
] as const;
const SUMMARY_REQUIRED = ['orderId', 'supplierId', 'amount', 'supplierPayable'] as const;

export const MASTER_DATA_COLUMNS = [
  'kind',
  'id',
  'name',
  'bankAccount',
  'bankName',
  'accountType',
  'taxId',
] as const;

/** fundflow's order file: the import format (lib/orders/import-orders.ts ORDER_CSV_COLUMNS). */
const ORDER_REQUIRED = ['orderId', 'supplierId', 'amount', 'supplierPayable', 'fundsCreditedAt'] as const;

/** Excel shows a long number as `2.02609E+19`, and saves it so: the id is lost. */
const SCIENTIFIC = /^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$/;

/** An id cell: trimmed (Alipay ends ids with a tab), refused when Excel turned it into a float. */
export function idCell(text: string | undefined, at: Provenance, column: string): string {
  const value = (text ?? '').trim();
  // Only a text with an exponent can be scientific: most ids are checked without the regex.
  if ((value.includes('E') || value.includes('e')) && SCIENTIFIC.test(value)) {
    throw new ReconciliationInputError(
      'STATEMENT_ID_SCIENTIFIC',
      `${column}「${value}」是科学计数法：文件被 Excel 打开又保存过，长数字被舍入，真实编号已丢失。请上传下载时的原始文件（或把这一列设为文本）。${column} "${value}" is in scientific notation: the file was opened and saved again in Excel, which ` +
        'rounds long numbers, so the real id is lost. Upload the file as it was downloaded (or format the column as text).',
      at,
    );
  }
  return value;
}

/** The form nearly every cell has (`1234.56`): read directly; anything else goes through parseYuan. */
const PLAIN_YUAN = /^(?:0|[1-9]\d{0,10})\.\d{2}$/;

function yuanCell(text: string | undefined, at: Provenance, column: string): number {
  if (text !== undefined && PLAIN_YUAN.test(text)) {
    return Number(text.slice(0, -3)) * 100 + Number(text.slice(-2));
  }
  try {
    return parseYuan((text ?? '').trim(), { ceilingFen: CEILING_FEN, allowZero: true });
  } catch (error) {
    if (error instanceof InvalidAmountError) {
      throw new ReconciliationInputError('INPUT_LINE_INVALID', `${column}: ${error.message}`, at);
    }
    throw error;
  }
}

const isBlank = (cells: readonly string[]) => cells.every((cell) => cell.trim() === '');

/** The header record and a column map; refused when a required column is missing. */
async function* withHeader<const T extends string>(
  file: InputFile,
  wanted: readonly T[],
  required: readonly T[],
): AsyncGenerator<{ records: TableRecord[]; col: { [K in T]: number | undefined } }> {
  let col: { [K in T]: number | undefined } | null = null;
  for await (const batch of tableRecords(file)) {
    const records: TableRecord[] = [];
    for (const record of batch) {
      if (isBlank(record.cells)) continue;
      if (col === null) {
        const found = columnIndex(record.cells, required);
        if ('missing' in found) {
          throw new ReconciliationInputError(
            'INPUT_HEADER_MISSING',
            `第一行必须是列名；没有找到 ${found.missing.join(', ')}（列：${wanted.join(',')}）。The first row must name the columns; ${found.missing.join(', ')} not found (columns: ${wanted.join(',')}).`,
            { file: file.name, line: record.line },
          );
        }
        const positions = new Map(record.cells.map((name, index) => [name.trim(), index]));
        col = Object.fromEntries(wanted.map((name) => [name, positions.get(name)])) as {
          [K in T]: number | undefined;
        };
        continue;
      }
      records.push(record);
    }
    if (col !== null && records.length > 0) yield { records, col };
  }
  if (col === null) {
    throw new ReconciliationInputError('INPUT_HEADER_MISSING', '文件是空的。The file is empty.', {
      file: file.name,
      line: 1,
    });
  }
}

const cell = (record: TableRecord, index: number | undefined) =>
  index === undefined ? '' : (record.cells[index] ?? '').trim();

/** 销售情况汇总表: CSV (UTF-8 or GBK) or XLSX. */
export async function* readSalesSummary(file: InputFile): AsyncGenerator<SummaryLine[]> {
  for await (const { records, col } of withHeader(file, SUMMARY_COLUMNS, SUMMARY_REQUIRED)) {
    const lines: SummaryLine[] = [];
    for (const record of records) {
      const at = { file: file.name, line: record.line };
      const orderId = idCell(cell(record, col.orderId), at, 'orderId');
      if (orderId === '')
        throw new ReconciliationInputError(
          'INPUT_LINE_INVALID',
          '订单号（orderId）为空。The orderId is empty.',
          at,
        );
      lines.push({
        orderId,
        supplierId: idCell(cell(record, col.supplierId), at, 'supplierId'),
        supplierName: cell(record, col.supplierName),
        amountFen: yuanCell(cell(record, col.amount), at, 'amount'),
        supplierPayableFen: yuanCell(cell(record, col.supplierPayable), at, 'supplierPayable'),
        completedAt: cell(record, col.completedAt),
        at,
      });
    }
    yield lines;
  }
}

const ACCOUNT_TYPES: Record<string, AccountType> = {
  CORPORATE: 'CORPORATE',
  PERSONAL: 'PERSONAL',
  对公: 'CORPORATE',
  对私: 'PERSONAL',
};

/** 供应商客户信息维护表. */
export async function* readMasterData(file: InputFile): AsyncGenerator<MasterDataLine[]> {
  for await (const { records, col } of withHeader(file, MASTER_DATA_COLUMNS, MASTER_DATA_COLUMNS)) {
    const lines: MasterDataLine[] = [];
    for (const record of records) {
      const at = { file: file.name, line: record.line };
      const kind = cell(record, col.kind).toUpperCase();
      if (kind !== 'SUPPLIER' && kind !== 'CUSTOMER') {
        throw new ReconciliationInputError(
          'INPUT_LINE_INVALID',
          `类型（kind）必须是 SUPPLIER 或 CUSTOMER，不能是「${kind}」。The kind must be SUPPLIER or CUSTOMER, not "${kind}".`,
          at,
        );
      }
      const typed = cell(record, col.accountType);
      const accountType = typed === '' ? '' : ACCOUNT_TYPES[typed.toUpperCase()];
      if (accountType === undefined) {
        throw new ReconciliationInputError(
          'INPUT_LINE_INVALID',
          `账户类型（accountType）必须是对公（CORPORATE）或对私（PERSONAL），不能是「${typed}」。The accountType must be CORPORATE or PERSONAL, not "${typed}".`,
          at,
        );
      }
      const id = idCell(cell(record, col.id), at, 'id');
      if (id === '')
        throw new ReconciliationInputError('INPUT_LINE_INVALID', '编号（id）为空。The id is empty.', at);
      lines.push({
        kind,
        id,
        name: cell(record, col.name),
        bankAccount: idCell(cell(record, col.bankAccount), at, 'bankAccount'),
        bankName: cell(record, col.bankName),
        accountType,
        taxId: cell(record, col.taxId),
        at,
      });
    }
    yield lines;
  }
}

const DISPUTES = new Set<DisputeStatus>(['NONE', 'OPEN', 'CLOSED']);

/** `2026-09-30T12:00:00+08:00` (what fundflow writes): checked by shape and its day, then Date.parse. */
const PLAIN_INSTANT =
  /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,3})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;
const realDays = new Map<string, boolean>();

/**
 * What Date.parse gives for a PLAIN_INSTANT text, parsed once per minute and offset (a week's million
 * orders share 10,080 minutes), the seconds added; a fraction of a second is parsed whole. Keyed by the
 * minute as a number and the offset (a copy, it is short): a key sliced from the text would keep the
 * whole decoded chunk it came from alive.
 */
/** Where yyyyMMddHHmm's digits are in `yyyy-MM-ddTHH:mm:ss…` (and in Alipay's `yyyy-MM-dd HH:mm:ss`). */
export const MINUTE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15] as const;
const minuteMs = new Map<string, Map<number, number>>();
function plainInstantMs(text: string): number {
  if (text.charCodeAt(19) === 46) return Date.parse(text);
  const offset = text.slice(19);
  let minutes = minuteMs.get(offset);
  if (minutes === undefined) {
    minutes = new Map();
    if (minuteMs.size < 100) minuteMs.set(offset, minutes);
  }
  let minute = 0;
  for (const i of MINUTE_DIGITS) minute = minute * 10 + (text.charCodeAt(i) - 48);
  let base = minutes.get(minute);
  if (base === undefined) {
    base = Date.parse(`${text.slice(0, 16)}:00${offset}`);
    if (minutes.size < 100_000) minutes.set(minute, base);
  }
  return base + ((text.charCodeAt(17) - 48) * 10 + (text.charCodeAt(18) - 48)) * 1000;
}

function instantMs(text: string): number {
  const match = PLAIN_INSTANT.exec(text);
  if (match) {
    const day = match[1] ?? '';
    let real = realDays.get(day);
    if (real === undefined) {
      real = isLocalDate(day);
      if (realDays.size < 10_000) realDays.set(day, real);
    }
    if (real) return plainInstantMs(text);
  }
  return parseInstant(text).getTime();
}

/** fundflow's orders as a file in the import format (the CLI's and the bench's platform side). */
export async function* readPlatformOrders(file: InputFile): AsyncGenerator<PlatformOrderLine[]> {
  const wanted = [...ORDER_REQUIRED, 'disputeStatus'] as const;
  for await (const { records, col } of withHeader(file, wanted, ORDER_REQUIRED)) {
    const orders: PlatformOrderLine[] = [];
    for (const record of records) {
      const at = { file: file.name, line: record.line };
      const credited = cell(record, col.fundsCreditedAt);
      let completedAtMs: number | null = null;
      if (credited !== '') {
        try {
          completedAtMs = instantMs(credited);
        } catch (error) {
          throw new ReconciliationInputError(
            'INPUT_LINE_INVALID',
            `到账时间（fundsCreditedAt）读不出来。The fundsCreditedAt cannot be read: ${(error as Error).message}`,
            at,
          );
        }
      }
      const dispute = (cell(record, col.disputeStatus) || 'NONE') as DisputeStatus;
      if (!DISPUTES.has(dispute)) {
        throw new ReconciliationInputError(
          'INPUT_LINE_INVALID',
          `争议状态（disputeStatus）「${dispute}」不是 NONE、OPEN 或 CLOSED。The disputeStatus "${dispute}" is not NONE, OPEN or CLOSED.`,
          at,
        );
      }
      orders.push({
        orderId: cell(record, col.orderId),
        supplierId: cell(record, col.supplierId),
        amountFen: yuanCell(cell(record, col.amount), at, 'amount'),
        supplierPayableFen: yuanCell(cell(record, col.supplierPayable), at, 'supplierPayable'),
        completedAtMs,
        disputeStatus: dispute,
        at,
      });
    }
    yield orders;
  }
}

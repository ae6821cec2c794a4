/**
 * Alipay merchant bills exactly as downloaded (POLICY 3.2; FACTS.md "Alipay merchant bills"): the
 * 账务明细 (account log) and the 业务明细 (trade detail), plain or as the `.csv.zip`, GBK text (read as
 * GB18030), `#` comment lines before the table (kind, account, 起始日期/终止日期 range) and after it (the
 * end marker and the totals). Read a row at a time; the footer totals are checked against the rows
 * read, so a truncated, mis-decoded or edited file is refused naming the line that disagrees.
 *
 * Unlike the open-source readers (dax-pay, roncoo-pay) nothing goes through a double and nothing is
 * silently collapsed: repeated rows are judged by the engine (counted once, or refused).
 */
import { createReadStream } from 'node:fs';
import type { Fen } from '../domain/model.ts';
import { type Provenance, ReconciliationInputError } from './errors.ts';
import type { StatementFileKind, StatementRow, StatementRowType } from './model.ts';
import { idCell, MINUTE_DIGITS } from './sheets.ts';
import { decodedLines, type InputFile, sniffFormat, zipEntries } from './text-input.ts';

export const ACCOUNT_LOG_TITLE = '#支付宝账务明细查询';
export const TRADE_DETAIL_TITLE = '#支付宝业务明细查询';

/** The account log's columns the engine reads (newer files add columns and reorder: found by name). */
export const ACCOUNT_LOG_COLUMNS = {
  serial: '账务流水号',
  business: '业务流水号',
  orderId: '商户订单号',
  time: '发生时间',
  income: '收入金额（+元）',
  expense: '支出金额（-元）',
  type: '业务类型',
} as const;

export const TRADE_DETAIL_COLUMNS = {
  tradeNo: '支付宝交易号',
  orderId: '商户订单号',
  type: '业务类型',
  created: '创建时间',
  completed: '完成时间',
  orderAmount: '订单金额（元）',
  received: '商家实收（元）',
  fee: '服务费（元）',
} as const;
const TRADE_REFUND_BATCH = '退款批次号/请求号';

/** What one statement file said about itself, and what its rows added up to. */
export interface StatementFileSummary {
  file: string;
  kind: StatementFileKind;
  account: string;
  /** The 起始日期/终止日期 range, epoch ms, end exclusive. */
  rangeStartMs: number;
  rangeEndMs: number;
  rangeLine: number;
  rows: number;
  credits: { count: number; fen: Fen };
  refunds: { count: number; fen: Fen };
  /** Alipay's fees: totalled, not listed (POLICY 3.2 issue: "fees are totalled per week"). */
  fees: { count: number; fen: Fen };
  /** Rows dated outside the week (a statement for a longer range): checked in the totals, not matched. */
  outsideWeek: number;
}

/** The part of a statement file read before its rows. */
export interface StatementHeader {
  file: string;
  kind: StatementFileKind;
  account: string;
  rangeStartMs: number;
  rangeEndMs: number;
  rangeLine: number;
}

const RANGE =
  /起始日期：\[(\d{4})年(\d{2})月(\d{2})日 (\d{2}):(\d{2}):(\d{2})\]\s*终止日期：\[(\d{4})年(\d{2})月(\d{2})日 (\d{2}):(\d{2}):(\d{2})\]/;
const ACCOUNT = /账号：\[([^\]]*)\]/;
const COUNT_AND_SUM = /(\d+)笔，(?:商家实收)?共(-?\d+(?:\.\d{1,2})?)元/;
const TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

/** `2026年10月04日 23:59:59` is the last second of the day, inclusive: its end is the next midnight. */
function rangeMs(parts: string[], end: boolean): number {
  const [y, mo, d, h, mi, s] = parts;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}+08:00`);
  return end && s === '59' ? ms + 1000 : ms;
}

/** The form nearly every amount has (`1234.56`): read directly; anything else goes through the regex. */
const PLAIN_YUAN = /^(?:0|[1-9]\d{0,10})\.\d{2}$/;

function signedFen(text: string | undefined, at: Provenance, column: string): Fen {
  const value = (text ?? '').trim();
  if (value === '') return 0;
  if (PLAIN_YUAN.test(value)) return Number(value.slice(0, -3)) * 100 + Number(value.slice(-2));
  const match = /^([+-]?)(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) {
    throw new ReconciliationInputError(
      'INPUT_LINE_INVALID',
      `${column}「${value}」不是最多两位小数的元金额。${column} "${value}" is not an amount in yuan with at most two decimals.`,
      at,
    );
  }
  const fen = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -fen : fen;
}

/**
 * A `yyyy-MM-dd HH:mm:ss` that TIME matched, as Date.parse reads it — parsed once per minute (a week's
 * million rows share 10,080 minutes), the seconds added; the forms where that could differ from
 * parsing the whole text (second 60+, hour 24) are parsed whole. The cache is keyed by the minute as a
 * number (yyyyMMddHHmm): a key sliced from the text would keep the whole decoded chunk it came from alive.
 */
const minuteMs = new Map<number, number>();
const digit = (text: string, i: number) => text.charCodeAt(i) - 48;
function timeMs(value: string): number {
  const seconds = digit(value, 17) * 10 + digit(value, 18);
  if (seconds > 59 || value.startsWith('24', 11))
    return Date.parse(`${value.slice(0, 10)}T${value.slice(11)}+08:00`);
  let minute = 0;
  for (const i of MINUTE_DIGITS) minute = minute * 10 + digit(value, i);
  let base = minuteMs.get(minute);
  if (base === undefined) {
    base = Date.parse(`${value.slice(0, 10)}T${value.slice(11, 16)}:00+08:00`);
    if (minuteMs.size < 100_000) minuteMs.set(minute, base);
  }
  return base + seconds * 1000;
}
function beijingMs(text: string | undefined, at: Provenance, column: string): number {
  const value = (text ?? '').trim();
  const ms = TIME.test(value) ? timeMs(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ReconciliationInputError(
      'INPUT_LINE_INVALID',
      `${column}「${(text ?? '').trim()}」不是 yyyy-MM-dd HH:mm:ss 格式的时间。${column} "${(text ?? '').trim()}" is not a time yyyy-MM-dd HH:mm:ss.`,
      at,
    );
  }
  return ms;
}

/** The text streams of a statement upload: the file itself, or each statement inside its zip. */
async function* statementTexts(
  file: InputFile,
): AsyncGenerator<{ name: string; lines: AsyncGenerator<string[]> }> {
  if ((await sniffFormat(file)) === 'TEXT') {
    yield {
      name: file.name,
      lines: decodedLines(createReadStream(file.path, { highWaterMark: 1 << 18 }), 'gb18030', file.name),
    };
    return;
  }
  let found = 0;
  for await (const entry of zipEntries(file)) {
    // A bill's zip holds the detail and a 汇总 (totals per type) file; the detail is the statement.
    if (!entry.name.toLowerCase().endsWith('.csv') || entry.name.includes('汇总')) {
      entry.stream.resume();
      continue;
    }
    found++;
    const name = `${file.name}/${entry.name}`;
    yield { name, lines: decodedLines(entry.stream, 'gb18030', name) };
  }
  if (found === 0) {
    throw new ReconciliationInputError(
      'INPUT_ARCHIVE',
      '压缩包里没有对账单（.csv）文件。The zip holds no statement (.csv) file.',
      {
        file: file.name,
        line: 0,
      },
    );
  }
}

interface Week {
  startMs: number;
  endMs: number;
}

/**
 * Reads the header of every statement in the upload (kind, account, range) and checks the range
 * against the week: a file outside it is refused.
 */
export async function readStatementHeaders(file: InputFile, week: Week): Promise<StatementHeader[]> {
  const headers: StatementHeader[] = [];
  for await (const text of statementTexts(file)) {
    const parser = new StatementParser(text.name, week);
    reading: for await (const lines of text.lines) {
      for (const line of lines) {
        parser.line(line);
        if (parser.headerRead()) break reading;
      }
    }
    await text.lines.return(undefined);
    headers.push(parser.header());
  }
  return headers;
}

/**
 * The rows of an upload that are about orders (credits and refunds), a batch at a time, each with its file and line;
 * `onFile` gets each file's summary once its footer has been checked.
 */
export async function* readAlipayStatement(
  file: InputFile,
  week: Week,
  onFile: (summary: StatementFileSummary) => void = () => undefined,
): AsyncGenerator<StatementRow[]> {
  for await (const text of statementTexts(file)) {
    const parser = new StatementParser(text.name, week);
    for await (const lines of text.lines) {
      const rows: StatementRow[] = [];
      for (const line of lines) {
        const row = parser.line(line);
        if (row) rows.push(row);
      }
      if (rows.length > 0) yield rows;
    }
    onFile(parser.finish());
  }
}

type Stage = 'PREAMBLE' | 'HEADER' | 'ROWS' | 'FOOTER';

/** One statement file, a line at a time. */
class StatementParser {
  private stage: Stage = 'PREAMBLE';
  private lineNumber = 0;
  private kind: StatementFileKind | null = null;
  private account = '';
  private range: { start: number; end: number; line: number } | null = null;
  private col: Record<string, number> = {};
  private columns = 0;
  private endMarkerLine = 0;
  private shortRow: { line: number; cells: number } | null = null;
  private readonly footer = new Map<string, { count: number; fen: Fen; line: number }>();
  private readonly totals = {
    rows: 0,
    income: { count: 0, fen: 0 },
    expense: { count: 0, fen: 0 },
    trades: { count: 0, fen: 0 },
    tradeRefunds: { count: 0, fen: 0 },
    credits: { count: 0, fen: 0 },
    refunds: { count: 0, fen: 0 },
    fees: { count: 0, fen: 0 },
    outsideWeek: 0,
  };

  // Fields, not constructor parameter properties: Node's own type stripping (reconcile()'s worker
  // threads, threads.ts) refuses those.
  private readonly file: string;
  private readonly week: Week;
  constructor(file: string, week: Week) {
    this.file = file;
    this.week = week;
  }

  private at(line = this.lineNumber): Provenance {
    return { file: this.file, line };
  }

  headerRead(): boolean {
    return this.stage === 'ROWS';
  }

  header(): StatementHeader {
    if (!this.kind || !this.range || this.stage === 'PREAMBLE' || this.stage === 'HEADER') {
      throw new ReconciliationInputError(
        'STATEMENT_TRUNCATED',
        '文件在对账单表格开始之前就结束了。The file ends before the statement table begins.',
        this.at(),
      );
    }
    return {
      file: this.file,
      kind: this.kind,
      account: this.account,
      rangeStartMs: this.range.start,
      rangeEndMs: this.range.end,
      rangeLine: this.range.line,
    };
  }

  line(raw: string): StatementRow | null {
    this.lineNumber++;
    if (this.shortRow) {
      throw new ReconciliationInputError(
        'INPUT_LINE_INVALID',
        `这一行只有 ${this.shortRow.cells} 列，表头有 ${this.columns} 列。This row has ${this.shortRow.cells} of the ${this.columns} columns of the header.`,
        this.at(this.shortRow.line),
      );
    }
    const text = raw.trim();
    switch (this.stage) {
      case 'PREAMBLE':
        this.preamble(text);
        return null;
      case 'HEADER':
        this.headerLine(text);
        return null;
      case 'ROWS':
        if (text.startsWith('#')) {
          this.stage = 'FOOTER';
          this.footerLine(text);
          return null;
        }
        if (text === '') return null;
        return this.row(raw);
      case 'FOOTER':
        this.footerLine(text);
        return null;
    }
  }

  private preamble(text: string): void {
    const bare = text.replace(/,+$/, '');
    if (this.lineNumber === 1) {
      if (bare === ACCOUNT_LOG_TITLE) this.kind = 'ACCOUNT_LOG';
      else if (bare === TRADE_DETAIL_TITLE) this.kind = 'TRADE_DETAIL';
      else {
        throw new ReconciliationInputError(
          'STATEMENT_UNKNOWN_FORMAT',
          `第一行是「${bare.slice(0, 40)}」，不是${ACCOUNT_LOG_TITLE}或${TRADE_DETAIL_TITLE}：请上传从支付宝下载的原始账务明细或业务明细文件（GBK 文件按其他编码读取也会这样）。The first line is "${bare.slice(0, 40)}", not ${ACCOUNT_LOG_TITLE} or ${TRADE_DETAIL_TITLE}: upload the 账务明细 or 业务明细 file exactly as downloaded from Alipay (a GBK file read as something else also looks like this).`,
          this.at(),
        );
      }
      return;
    }
    if (!bare.startsWith('#')) {
      throw new ReconciliationInputError(
        'STATEMENT_UNKNOWN_FORMAT',
        '表格出现在「明细列表」这一行之前。The table begins before its 明细列表 line.',
        this.at(),
      );
    }
    const account = ACCOUNT.exec(bare);
    if (account) this.account = (account[1] ?? '').trim();
    const range = RANGE.exec(bare);
    if (range) {
      const start = rangeMs(range.slice(1, 7), false);
      const end = rangeMs(range.slice(7, 13), true);
      // The statement must touch the week; one for another week is refused (a file for a longer range is fine).
      if (end <= this.week.startMs || start >= this.week.endMs) {
        throw new ReconciliationInputError(
          'STATEMENT_OUTSIDE_WEEK',
          '对账单的起始日期–终止日期不在这一周内，请上传这一周的账单。The statement’s 起始日期–终止日期 range does not fall in this week; upload the bill of this week.',
          this.at(),
        );
      }
      this.range = { start, end, line: this.lineNumber };
    }
    if (/明细列表/.test(bare) && /-{5,}/.test(bare)) {
      if (!this.range) {
        throw new ReconciliationInputError(
          'STATEMENT_UNKNOWN_FORMAT',
          '表格前没有「#起始日期：[…] 终止日期：[…]」这一行，无法知道对账单覆盖哪几天。No #起始日期：[…] 终止日期：[…] line before the table: which days the statement covers is unknown.',
          this.at(),
        );
      }
      this.stage = 'HEADER';
    }
  }

  private headerLine(text: string): void {
    const names = text.split(',').map((name) => name.trim());
    const wanted: Record<string, string> =
      this.kind === 'ACCOUNT_LOG' ? ACCOUNT_LOG_COLUMNS : TRADE_DETAIL_COLUMNS;
    const positions = new Map(names.map((name, index) => [name, index]));
    const missing = Object.values(wanted).filter((name) => !positions.has(name));
    if (missing.length > 0) {
      throw new ReconciliationInputError(
        'INPUT_HEADER_MISSING',
        `对账单的表头缺少${missing.join('、')}。The statement's header lacks ${missing.join('、')}.`,
        this.at(),
      );
    }
    for (const [key, name] of Object.entries(wanted)) this.col[key] = positions.get(name) ?? -1;
    this.col.refundBatch = positions.get(TRADE_REFUND_BATCH) ?? -1;
    this.columns = names.filter((name) => name !== '').length;
    this.stage = 'ROWS';
  }

  private cell(cells: string[], key: string): string | undefined {
    const index = this.col[key] ?? -1;
    return index < 0 ? undefined : cells[index];
  }

  private row(raw: string): StatementRow | null {
    // One line per row: a field with a comma in quotes is read by the CSV reader; most have none.
    const cells = raw.includes('"') ? quotedCells(raw) : raw.split(',');
    if (cells.length < this.columns) {
      this.shortRow = { line: this.lineNumber, cells: cells.length };
      return null;
    }
    this.totals.rows++;
    return this.kind === 'ACCOUNT_LOG' ? this.accountLogRow(cells) : this.tradeDetailRow(cells);
  }

  private accountLogRow(cells: string[]): StatementRow | null {
    const at = this.at();
    const serial = idCell(this.cell(cells, 'serial'), at, ACCOUNT_LOG_COLUMNS.serial);
    const orderId = idCell(this.cell(cells, 'orderId'), at, ACCOUNT_LOG_COLUMNS.orderId);
    const business = idCell(this.cell(cells, 'business'), at, ACCOUNT_LOG_COLUMNS.business);
    const income = signedFen(this.cell(cells, 'income'), at, ACCOUNT_LOG_COLUMNS.income);
    const expense = Math.abs(signedFen(this.cell(cells, 'expense'), at, ACCOUNT_LOG_COLUMNS.expense));
    const businessType = (this.cell(cells, 'type') ?? '').trim();
    const atMs = beijingMs(this.cell(cells, 'time'), at, ACCOUNT_LOG_COLUMNS.time);
    if (income !== 0) {
      this.totals.income.count++;
      this.totals.income.fen += income;
    }
    if (expense !== 0) {
      this.totals.expense.count++;
      this.totals.expense.fen += expense;
    }
    let type: StatementRowType;
    let amountFen: Fen;
    if (/服务费|手续费|收费/.test(businessType)) {
      // A fee is what Alipay kept: counted positive.
      type = 'FEE';
      amountFen = expense - income;
    } else if (businessType.includes('退款')) {
      type = 'REFUND';
      amountFen = income - expense;
    } else if (income > 0) {
      type = 'CREDIT';
      amountFen = income;
    } else {
      type = 'OTHER';
      amountFen = income - expense;
    }
    return this.counted({
      fileKind: 'ACCOUNT_LOG',
      uniqueKey: serial,
      orderId,
      type,
      amountFen,
      atMs,
      fingerprint: `${business}|${orderId}|${type}|${amountFen}|${atMs}`,
      at,
    });
  }

  private tradeDetailRow(cells: string[]): StatementRow | null {
    const at = this.at();
    const tradeNo = idCell(this.cell(cells, 'tradeNo'), at, TRADE_DETAIL_COLUMNS.tradeNo);
    const orderId = idCell(this.cell(cells, 'orderId'), at, TRADE_DETAIL_COLUMNS.orderId);
    const businessType = (this.cell(cells, 'type') ?? '').trim();
    const orderAmount = signedFen(this.cell(cells, 'orderAmount'), at, TRADE_DETAIL_COLUMNS.orderAmount);
    const received = signedFen(this.cell(cells, 'received'), at, TRADE_DETAIL_COLUMNS.received);
    const fee = signedFen(this.cell(cells, 'fee'), at, TRADE_DETAIL_COLUMNS.fee);
    const completed = (this.cell(cells, 'completed') ?? '').trim() || this.cell(cells, 'created');
    const atMs = beijingMs(completed, at, TRADE_DETAIL_COLUMNS.completed);
    const batch = idCell(this.cell(cells, 'refundBatch'), at, TRADE_REFUND_BATCH);
    if (fee !== 0) {
      this.totals.fees.count++;
      this.totals.fees.fen += fee;
    }
    const refund = businessType.includes('退款');
    const bucket = refund ? this.totals.tradeRefunds : this.totals.trades;
    bucket.count++;
    bucket.fen += received;
    const type: StatementRowType = refund ? 'REFUND' : businessType.includes('交易') ? 'CREDIT' : 'OTHER';
    // A refund carries the original trade number: the trade number alone does not name a row.
    const amountFen = refund ? -Math.abs(orderAmount) : orderAmount;
    return this.counted({
      fileKind: 'TRADE_DETAIL',
      uniqueKey: `${tradeNo}|${businessType}|${batch || atMs}`,
      orderId,
      type,
      amountFen,
      atMs,
      fingerprint: `${orderId}|${type}|${amountFen}|${received}|${fee}|${atMs}`,
      at,
    });
  }

  /** Adds the row to the file's totals; a fee is only totalled, a row outside the week only checked. */
  private counted(row: StatementRow): StatementRow | null {
    if (row.type === 'FEE') {
      this.totals.fees.count++;
      this.totals.fees.fen += row.amountFen;
      return null;
    }
    if (row.atMs < this.week.startMs || row.atMs >= this.week.endMs) {
      this.totals.outsideWeek++;
      return null;
    }
    if (row.type === 'CREDIT') {
      this.totals.credits.count++;
      this.totals.credits.fen += row.amountFen;
    } else if (row.type === 'REFUND') {
      this.totals.refunds.count++;
      this.totals.refunds.fen += row.amountFen;
    }
    return row.type === 'OTHER' ? null : row;
  }

  private footerLine(text: string): void {
    const bare = text.replace(/,+$/, '');
    if (/列表结束/.test(bare)) {
      this.endMarkerLine = this.lineNumber;
      return;
    }
    for (const name of ['收入合计', '支出合计', '交易合计', '退款合计']) {
      if (!bare.startsWith(`#${name}`)) continue;
      const match = COUNT_AND_SUM.exec(bare);
      if (!match) {
        throw new ReconciliationInputError(
          'STATEMENT_TOTALS_DISAGREE',
          `无法读取合计「${bare}」。The total "${bare}" cannot be read.`,
          this.at(),
        );
      }
      this.footer.set(name, {
        count: Number(match[1]),
        fen: signedFen(match[2], this.at(), name),
        line: this.lineNumber,
      });
    }
  }

  /** The footer against the rows read: the end marker and every total must be there and agree. */
  finish(): StatementFileSummary {
    const header = this.header();
    if (this.shortRow) {
      throw new ReconciliationInputError(
        'STATEMENT_TRUNCATED',
        `文件在一行的中间结束（${this.shortRow.cells}/${this.columns} 列）：文件不完整，请重新下载。The file ends in the middle of a row (${this.shortRow.cells} of ${this.columns} columns): it was cut short; download it again.`,
        this.at(this.shortRow.line),
      );
    }
    const expected =
      this.kind === 'ACCOUNT_LOG'
        ? ([
            ['收入合计', this.totals.income, false],
            ['支出合计', this.totals.expense, true],
          ] as const)
        : ([
            ['交易合计', this.totals.trades, false],
            ['退款合计', this.totals.tradeRefunds, true],
          ] as const);
    if (this.endMarkerLine === 0 || !this.footer.has(expected[0][0])) {
      throw new ReconciliationInputError(
        'STATEMENT_TRUNCATED',
        `文件在 ${this.totals.rows} 行后结束，没有「列表结束」行和 #${expected[0][0]} 合计：文件不完整，请重新下载。The file ends after ${this.totals.rows} rows without the 列表结束 line and the #${expected[0][0]} total: it was cut short; download it again.`,
        this.at(),
      );
    }
    for (const [name, computed, absolute] of expected) {
      const stated = this.footer.get(name);
      // The refund total is left out of some exports when there was none; then there must be none.
      if (!stated) {
        if (computed.count === 0) continue;
        throw new ReconciliationInputError(
          'STATEMENT_TRUNCATED',
          `缺少 #${name}，但明细里有 ${computed.count} 行这类记录。The #${name} total is missing, yet the rows hold ${computed.count} such rows.`,
          this.at(),
        );
      }
      const statedFen = absolute ? Math.abs(stated.fen) : stated.fen;
      const computedFen = absolute ? Math.abs(computed.fen) : computed.fen;
      if (stated.count !== computed.count || statedFen !== computedFen) {
        throw new ReconciliationInputError(
          'STATEMENT_TOTALS_DISAGREE',
          `#${name} 写的是 ${stated.count} 笔、${yuan(statedFen)} 元，上面的明细合计 ${computed.count} 笔、${yuan(computedFen)} 元：文件不完整、被修改过或编码读错了，请重新下载。#${name} says ${stated.count} rows, ${yuan(statedFen)} yuan; the rows above add up to ${computed.count} rows, ${yuan(computedFen)} yuan. The file is incomplete, edited or was read with the wrong encoding; download it again.`,
          this.at(stated.line),
        );
      }
    }
    return {
      ...header,
      rows: this.totals.rows,
      credits: { ...this.totals.credits },
      refunds: { ...this.totals.refunds },
      fees: { ...this.totals.fees },
      outsideWeek: this.totals.outsideWeek,
    };
  }
}

function yuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function quotedCells(raw: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quoted) {
      if (ch === '"' && raw[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(current);
      current = '';
    } else current += ch;
  }
  cells.push(current);
  return cells;
}

/**
 * Several statements together must cover the whole week before it can run (the union of their
 * ranges from Monday 00:00 to the next Monday 00:00); the first gap is named.
 */
export function uncoveredFrom(headers: readonly StatementHeader[], week: Week): number | null {
  const ranges = headers
    .filter(
      (header) =>
        header.kind === (headers.some((h) => h.kind === 'ACCOUNT_LOG') ? 'ACCOUNT_LOG' : 'TRADE_DETAIL'),
    )
    .map((header) => [header.rangeStartMs, header.rangeEndMs] as const)
    .sort((a, b) => a[0] - b[0]);
  let covered = week.startMs;
  for (const [start, end] of ranges) {
    if (start > covered) return covered;
    covered = Math.max(covered, end);
    if (covered >= week.endMs) return null;
  }
  return covered >= week.endMs ? null : covered;
}

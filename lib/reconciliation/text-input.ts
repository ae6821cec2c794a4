/**
 * Reading the reconciliation's files as streams, a line or a row at a time — never the whole file
 * (a week's statement is hundreds of MB): the bytes (plain, or an entry of a `.zip`, via yauzl), the
 * text (UTF-8 or GB18030, decoded as it streams), the CSV records, or the rows of an XLSX sheet
 * (exceljs' streaming reader).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import yauzl from 'yauzl';
import { ReconciliationInputError } from './errors.ts';

/** A file on local disk (in AWS: the S3 object downloaded to the function's /tmp), and its uploader's name for it. */
export interface InputFile {
  name: string;
  path: string;
}

export type FileFormat = 'ZIP' | 'TEXT';

/** Typed from its first bytes, not its name (POLICY: declared types are untrusted). */
export async function sniffFormat(file: InputFile): Promise<FileFormat> {
  const handle = await open(file.path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50 ? 'ZIP' : 'TEXT';
  } finally {
    await handle.close();
  }
}

export interface ZipEntryStream {
  /** The entry's name, decoded as UTF-8 when flagged so, else GB18030 (Alipay's names are GBK, unflagged). */
  name: string;
  stream: Readable;
}

/** The entries of a zip, one stream at a time (yauzl reads the central directory, not the whole file). */
export async function* zipEntries(file: InputFile): AsyncGenerator<ZipEntryStream> {
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file.path, { lazyEntries: true, decodeStrings: false }, (error, opened) =>
        error || !opened ? reject(error) : resolve(opened),
      ),
    );
  } catch (cause) {
    throw new ReconciliationInputError(
      'INPUT_ARCHIVE',
      `无法读取这个压缩包（${(cause as Error).message}），请重新下载。This zip file cannot be read (${(cause as Error).message}); download it again.`,
      { file: file.name, line: 0 },
    );
  }
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | null>((resolve, reject) => {
        const done = () => {
          zip.off('entry', onEntry);
          zip.off('end', onEnd);
          zip.off('error', onError);
        };
        const onEntry = (value: yauzl.Entry) => {
          done();
          resolve(value);
        };
        const onEnd = () => {
          done();
          resolve(null);
        };
        const onError = (error: Error) => {
          done();
          reject(error);
        };
        zip.on('entry', onEntry);
        zip.on('end', onEnd);
        zip.on('error', onError);
        zip.readEntry();
      });
      if (entry === null) return;
      const raw = entry.fileName as unknown as Buffer;
      const utf8 = (entry.generalPurposeBitFlag & 0x800) !== 0;
      const name = new TextDecoder(utf8 ? 'utf-8' : 'gb18030').decode(raw);
      if (name.endsWith('/')) continue;
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (error, opened) => (error || !opened ? reject(error) : resolve(opened))),
      );
      yield { name, stream };
    }
  } finally {
    zip.close();
  }
}

export type TextEncodingName = 'utf-8' | 'gb18030';

/**
 * The decoded lines of a byte stream (`\n` or `\r\n`, a leading BOM dropped), a chunk's lines at a
 * time (one await per chunk, not per line: a million lines). `auto` takes UTF-8 when the first chunk
 * is valid UTF-8 and GB18030 otherwise; a UTF-8 file that stops being UTF-8 later is refused rather
 * than shown with replacement characters.
 */
export async function* decodedLines(
  bytes: AsyncIterable<Buffer>,
  encoding: TextEncodingName | 'auto',
  fileName: string,
): AsyncGenerator<string[]> {
  let decoder: TextDecoder | null = encoding === 'auto' ? null : new TextDecoder(encoding);
  let rest = '';
  let first = true;
  let lineNumber = 0;
  for await (const chunk of bytes) {
    if (decoder === null) {
      decoder = new TextDecoder('utf-8', { fatal: true });
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(chunk, { stream: true });
      } catch {
        decoder = new TextDecoder('gb18030');
      }
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new ReconciliationInputError(
        'INPUT_ENCODING',
        '文本从这里起不再是 UTF-8：请把整个文件存为 UTF-8（或 GBK）后重新上传。The text stops being UTF-8 here; save the whole file as UTF-8 (or GBK) and upload it again.',
        { file: fileName, line: lineNumber + 1 },
      );
    }
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    rest += text;
    let start = 0;
    const lines: string[] = [];
    for (;;) {
      const end = rest.indexOf('\n', start);
      if (end < 0) break;
      lines.push(rest.charCodeAt(end - 1) === 13 ? rest.slice(start, end - 1) : rest.slice(start, end));
      start = end + 1;
    }
    lineNumber += lines.length;
    rest = rest.slice(start);
    if (lines.length > 0) yield lines;
  }
  if (decoder) rest += decoder.decode();
  if (rest !== '') yield [rest.endsWith('\r') ? rest.slice(0, -1) : rest];
}

/** A CSV record and the line it starts on. */
export interface TableRecord {
  line: number;
  cells: string[];
}

/**
 * CSV records from batches of lines. Most lines hold no quote and are split on commas (fast: a
 * million lines); a line with quotes goes through csv-parse, joined with the next while a quoted field
 * is still open.
 */
export async function* csvRecords(batches: AsyncIterable<string[]>): AsyncGenerator<TableRecord[]> {
  let lineNumber = 0;
  let pending: string | null = null;
  let pendingStart = 0;
  for await (const lines of batches) {
    const records: TableRecord[] = [];
    for (const line of lines) {
      lineNumber++;
      const text: string = pending === null ? line : `${pending}\n${line}`;
      if (text.includes('"')) {
        if (countQuotes(text) % 2 === 1) {
          if (pending === null) pendingStart = lineNumber;
          pending = text;
          continue;
        }
        const startLine = pending === null ? lineNumber : pendingStart;
        pending = null;
        const parsed = parseCsv(text, { relax_column_count: true, relax_quotes: true }) as string[][];
        records.push({ line: startLine, cells: parsed[0] ?? [] });
        continue;
      }
      records.push({ line: lineNumber, cells: text.split(',') });
    }
    if (records.length > 0) yield records;
  }
  if (pending !== null) {
    yield [{ line: pendingStart, cells: (parseCsv(pending, { relax_quotes: true }) as string[][])[0] ?? [] }];
  }
}

function countQuotes(text: string): number {
  let count = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) count++;
  return count;
}

/** The rows of the first worksheet of an XLSX, as text cells (1-based row numbers as lines). */
export async function* xlsxRecords(file: InputFile): AsyncGenerator<TableRecord[]> {
  // Loaded when a sheet is an XLSX: exceljs takes a few hundred ms to load, and most weeks are CSV
  // (each of reconcile's threads would load it for nothing).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(file.path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
  });
  for await (const sheet of workbook) {
    let records: TableRecord[] = [];
    for await (const row of sheet) {
      const values = Array.isArray(row.values) ? row.values.slice(1) : [];
      records.push({ line: row.number, cells: values.map(cellText) });
      if (records.length === 1000) {
        yield records;
        records = [];
      }
    }
    if (records.length > 0) yield records;
    // Only the first sheet is the table; the others (instructions, pivots) are not read.
    return;
  }
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // A number cell keeps the shortest text that round-trips (12.34 → "12.34"): parsed as digits after.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const cell = value as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (Array.isArray(cell.richText)) return cell.richText.map((part) => part.text).join('');
    if (cell.result !== undefined) return cellText(cell.result);
    if (cell.text !== undefined) return cellText(cell.text);
  }
  return String(value);
}

/** The records of a summary or master-data sheet: XLSX (a zip) or CSV (UTF-8 or GBK). */
export async function* tableRecords(file: InputFile): AsyncGenerator<TableRecord[]> {
  if ((await sniffFormat(file)) === 'ZIP') {
    yield* xlsxRecords(file);
    return;
  }
  yield* csvRecords(decodedLines(createReadStream(file.path, { highWaterMark: 1 << 18 }), 'auto', file.name));
}

/** Column positions found by header name (trimmed, case kept); extra columns are ignored. */
export function columnIndex<const T extends string>(
  header: readonly string[],
  wanted: readonly T[],
): { [K in T]: number } | { missing: T[] } {
  const positions = new Map(header.map((name, index) => [name.trim().replace(/^\uFEFF/, ''), index]));
  const missing = wanted.filter((name) => !positions.has(name));
  if (missing.length > 0) return { missing };
  return Object.fromEntries(wanted.map((name) => [name, positions.get(name)])) as { [K in T]: number };
}

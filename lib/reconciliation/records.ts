/**
 * The engine's records in the partition store, one line each: tab-separated fields, a tag first.
 * Written and read once per row of a million-order week, so this is plain text built by hand
 * rather than JSON (JSON.stringify/parse and their arrays were a third of the engine's time).
 * Text fields (ids, names, times as typed) may hold anything a CSV cell can — a tab, a newline, a
 * backslash — so those four are escaped (`\t`, `\n`, `\r`, `\\`); numbers are decimal integers; a
 * null number is the empty field.
 */
import type { DisputeStatus, Fen } from '../domain/model.ts';
import type { StatementFileKind } from './model.ts';

// A record is a tuple: the tag, then its fields in a fixed order (the engine reads them by position).
export type PlatformRecord = ['P', string, string, Fen, Fen, number | null, DisputeStatus, number, number];
export type SummaryRecord = ['S', string, string, string, Fen, Fen, string, number, number];
export type StatementRecord = [
  'A',
  string,
  string,
  'CREDIT' | 'REFUND',
  Fen,
  StatementFileKind,
  number,
  number,
];
export type KeyRecord = [string, string, number, number];
/** A matched line as stored: order, supplier, amount, payable, credit (or null), summary file:line, platform file:line. */
export type MatchedRecord = [string, string, Fen, Fen, Fen | null, number, number, number, number];

const ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\' };
const UNESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', '\\': '\\' };

/** Whether a text holds a tab, newline, carriage return or backslash: a loop, cheaper than a regex here. */
function special(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 14 ? c === 9 || c === 10 || c === 13 : c === 92) return true;
  }
  return false;
}

function text(value: string): string {
  return special(value) ? value.replace(/[\t\n\r\\]/g, (ch) => ESCAPES[ch] ?? ch) : value;
}

function untext(field: string | undefined): string {
  if (field === undefined) return '';
  return field.indexOf('\\') < 0
    ? field
    : field.replace(/\\([tnr\\])/g, (_, ch: string) => UNESCAPES[ch] ?? ch);
}

const int = (field: string | undefined): number => Number(field);
const intOrNull = (field: string | undefined): number | null =>
  field === undefined || field === '' ? null : Number(field);

export function encodePlatform(r: PlatformRecord): string {
  return `P\t${text(r[1])}\t${text(r[2])}\t${r[3]}\t${r[4]}\t${r[5] ?? ''}\t${r[6]}\t${r[7]}\t${r[8]}`;
}

export function encodeSummary(r: SummaryRecord): string {
  return `S\t${text(r[1])}\t${text(r[2])}\t${text(r[3])}\t${r[4]}\t${r[5]}\t${text(r[6])}\t${r[7]}\t${r[8]}`;
}

export function encodeStatement(r: StatementRecord): string {
  return `A\t${text(r[1])}\t${text(r[2])}\t${r[3]}\t${r[4]}\t${r[5]}\t${r[6]}\t${r[7]}`;
}

/**
 * One line of an order partition, back into its record: the split's own array, its fields
 * converted in place (one array per record, not two: this runs for every row of the week).
 */
export function decodePartitionRecord(line: string): PlatformRecord | SummaryRecord | StatementRecord {
  const f: (string | number | null | undefined)[] = line.split('\t');
  switch (f[0]) {
    case 'P':
      f.length = 9;
      f[1] = untext(f[1] as string | undefined);
      f[2] = untext(f[2] as string | undefined);
      f[3] = Number(f[3]);
      f[4] = Number(f[4]);
      f[5] = intOrNull(f[5] as string | undefined);
      f[7] = Number(f[7]);
      f[8] = Number(f[8]);
      return f as PlatformRecord;
    case 'S':
      f.length = 9;
      f[1] = untext(f[1] as string | undefined);
      f[2] = untext(f[2] as string | undefined);
      f[3] = untext(f[3] as string | undefined);
      f[4] = Number(f[4]);
      f[5] = Number(f[5]);
      f[6] = untext(f[6] as string | undefined);
      f[7] = Number(f[7]);
      f[8] = Number(f[8]);
      return f as SummaryRecord;
    case 'A':
      f.length = 8;
      f[1] = untext(f[1] as string | undefined);
      f[2] = untext(f[2] as string | undefined);
      f[4] = Number(f[4]);
      f[6] = Number(f[6]);
      f[7] = Number(f[7]);
      return f as StatementRecord;
    default:
      throw new Error(`not a partition record: ${line.slice(0, 40)}`);
  }
}

export function encodeKey(r: KeyRecord): string {
  return `${text(r[0])}\t${text(r[1])}\t${r[2]}\t${r[3]}`;
}

export function decodeKey(line: string): KeyRecord {
  const f = line.split('\t');
  return [untext(f[0]), untext(f[1]), int(f[2]), int(f[3])];
}

export function encodeMatched(r: MatchedRecord): string {
  return `${text(r[0])}\t${text(r[1])}\t${r[2]}\t${r[3]}\t${r[4] ?? ''}\t${r[5]}\t${r[6]}\t${r[7]}\t${r[8]}`;
}

export function decodeMatched(line: string): MatchedRecord {
  const f = line.split('\t');
  return [
    untext(f[0]),
    untext(f[1]),
    int(f[2]),
    int(f[3]),
    intOrNull(f[4]),
    int(f[5]),
    int(f[6]),
    int(f[7]),
    int(f[8]),
  ];
}

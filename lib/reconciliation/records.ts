/**
 * The engine's records in the partition store: a fixed binary layout, appended to a stream's bytes
 * (`PartitionStore.appendBytes`) and read back in order. Written and read once per row of a
 * million-order week, so neither JSON nor text lines (JSON.stringify/parse and their arrays were a
 * third of the engine's time; tab-separated lines still cost a split, an escape pass and a
 * number parse per field). A record is a tag byte, then its fields in a fixed order:
 *   - a number: a float64, little-endian (amounts in fen pass 2^31; every value here is an integer
 *     a double holds exactly); a number that may be null: a flag byte (0 null, 1 a number) first;
 *     a file index or a line number: a uint32;
 *   - a text (ids, names, times as typed — anything a CSV cell can hold): its UTF-8 byte length as
 *     a uint32, the top bit set when the text is not all ASCII, then the bytes (read back as
 *     Latin-1 when ASCII: the cheaper decode);
 *   - a value of a small fixed set (dispute status, statement row type, file kind): one byte.
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

const TAG_P = 0x50; // 'P'
const TAG_S = 0x53; // 'S'
const TAG_A = 0x41; // 'A'
const TAG_K = 0x4b; // 'K'
const TAG_M = 0x4d; // 'M'

const DISPUTES: readonly DisputeStatus[] = ['NONE', 'OPEN', 'CLOSED'];
const ROW_TYPES: readonly StatementRecord[3][] = ['CREDIT', 'REFUND'];
const FILE_KINDS: readonly StatementFileKind[] = ['ACCOUNT_LOG', 'TRADE_DETAIL'];

function code<T>(values: readonly T[], value: T): number {
  const i = values.indexOf(value);
  if (i < 0) throw new RangeError(`not a record value: ${String(value)}`);
  return i;
}

function decoded<T>(values: readonly T[], i: number): T {
  const value = values[i];
  if (value === undefined) throw new RangeError(`not a record value code: ${i}`);
  return value;
}

const NON_ASCII = 0x80000000;
const LENGTH = 0x7fffffff;

/** Node's own slice coders (on Buffer.prototype since Node 0.x, not in its typings). */
type SliceBuffer = Buffer & {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
};

/**
 * Records appended into one growable byte buffer. `bytes()` is a view of what was appended since the
 * last `reset()`, valid until the next append (the buffer may move when it grows): copy it, or
 * hand it to the store, before appending again.
 */
export class RecordEncoder {
  private buffer: SliceBuffer;
  private view: DataView;
  /** Bytes appended since the last reset. */
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = Buffer.allocUnsafeSlow(capacity) as SliceBuffer;
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(
      Math.max(this.buffer.length * 2, this.length + bytes),
    ) as SliceBuffer;
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.byteLength);
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value;
  }

  u32(value: number): void {
    this.room(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  f64(value: number): void {
    this.room(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  f64OrNull(value: number | null): void {
    if (value === null) {
      this.byte(0);
      return;
    }
    this.room(9);
    this.buffer[this.length] = 1;
    this.view.setFloat64(this.length + 1, value, true);
    this.length += 9;
  }

  text(value: string): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    this.room(4 + value.length * 3);
    const start = this.length + 4;
    // Node's own encoder (faster than a loop over the units, even for short ASCII ids); the text is
    // ASCII exactly when each unit took one byte (any other takes two or more).
    const written = this.buffer.write(value, start, 'utf8');
    this.view.setUint32(this.length, (written === value.length ? written : written | NON_ASCII) >>> 0, true);
    this.length = start + written;
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }
}

/** Records read back in the order appended, from the bytes of a stream. */
export class RecordDecoder {
  private readonly buffer: SliceBuffer;
  private readonly view: DataView;
  private readonly end: number;
  position = 0;

  constructor(bytes: Uint8Array) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as SliceBuffer;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.end = bytes.byteLength;
  }

  /** Whether every record has been read. */
  get done(): boolean {
    return this.position >= this.end;
  }

  private need(bytes: number): void {
    if (this.position + bytes > this.end) throw new RangeError('a partition record is cut short');
  }

  byte(): number {
    this.need(1);
    return this.buffer[this.position++] as number;
  }

  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.position, true);
    this.position += 4;
    return value;
  }

  f64(): number {
    this.need(8);
    const value = this.view.getFloat64(this.position, true);
    this.position += 8;
    return value;
  }

  f64OrNull(): number | null {
    return this.byte() === 0 ? null : this.f64();
  }

  /** Past the next text, not decoded. */
  skipText(): void {
    const length = this.u32() & LENGTH;
    this.need(length);
    this.position += length;
  }

  /** Whether the texts whose length fields are at `a` and `b` are the same, byte for byte. */
  sameText(a: number, b: number): boolean {
    const header = this.view.getUint32(a, true);
    if (header !== this.view.getUint32(b, true)) return false;
    const length = header & LENGTH;
    const buffer = this.buffer;
    for (let i = 4; i < 4 + length; i++) if (buffer[a + i] !== buffer[b + i]) return false;
    return true;
  }

  text(): string {
    const header = this.u32();
    const length = header & LENGTH;
    if (length === 0) return '';
    this.need(length);
    const start = this.position;
    this.position += length;
    return header & NON_ASCII
      ? this.buffer.utf8Slice(start, this.position)
      : this.buffer.latin1Slice(start, this.position);
  }
}

export function encodePlatform(out: RecordEncoder, r: PlatformRecord): void {
  out.byte(TAG_P);
  out.text(r[1]);
  out.text(r[2]);
  out.f64(r[3]);
  out.f64(r[4]);
  out.f64OrNull(r[5]);
  out.byte(code(DISPUTES, r[6]));
  out.u32(r[7]);
  out.u32(r[8]);
}

export function encodeSummary(out: RecordEncoder, r: SummaryRecord): void {
  out.byte(TAG_S);
  out.text(r[1]);
  out.text(r[2]);
  out.text(r[3]);
  out.f64(r[4]);
  out.f64(r[5]);
  out.text(r[6]);
  out.u32(r[7]);
  out.u32(r[8]);
}

export function encodeStatement(out: RecordEncoder, r: StatementRecord): void {
  out.byte(TAG_A);
  out.text(r[1]);
  out.text(r[2]);
  out.byte(code(ROW_TYPES, r[3]));
  out.f64(r[4]);
  out.byte(code(FILE_KINDS, r[5]));
  out.u32(r[6]);
  out.u32(r[7]);
}

/** The next record of an order partition. */
export function decodePartitionRecord(d: RecordDecoder): PlatformRecord | SummaryRecord | StatementRecord {
  const tag = d.byte();
  switch (tag) {
    case TAG_P:
      return [
        'P',
        d.text(),
        d.text(),
        d.f64(),
        d.f64(),
        d.f64OrNull(),
        decoded(DISPUTES, d.byte()),
        d.u32(),
        d.u32(),
      ];
    case TAG_S:
      return ['S', d.text(), d.text(), d.text(), d.f64(), d.f64(), d.text(), d.u32(), d.u32()];
    case TAG_A:
      return [
        'A',
        d.text(),
        d.text(),
        decoded(ROW_TYPES, d.byte()),
        d.f64(),
        decoded(FILE_KINDS, d.byte()),
        d.u32(),
        d.u32(),
      ];
    default:
      throw new Error(`not a partition record: tag ${tag} at byte ${d.position - 1}`);
  }
}

function expectTag(d: RecordDecoder, tag: number, kind: string): void {
  const found = d.byte();
  if (found !== tag) throw new Error(`not a ${kind} record: tag ${found} at byte ${d.position - 1}`);
}

export function encodeKey(out: RecordEncoder, r: KeyRecord): void {
  out.byte(TAG_K);
  out.text(r[0]);
  out.text(r[1]);
  out.u32(r[2]);
  out.u32(r[3]);
}

export function decodeKey(d: RecordDecoder): KeyRecord {
  expectTag(d, TAG_K, 'key');
  return [d.text(), d.text(), d.u32(), d.u32()];
}

/**
 * The 流水号 of the next key record, read past the whole record without decoding its fingerprint
 * (nearly every serial is met once): `sameKeyRow` compares two records' fingerprints as bytes, and
 * `decodeKeyAt` reads a record whole, for a conflict.
 */
export function nextKeySerial(d: RecordDecoder): string {
  expectTag(d, TAG_K, 'key');
  const serial = d.text();
  d.skipText();
  d.u32();
  d.u32();
  return serial;
}

/** Where the fingerprint of the key record starting at `start` is: past its tag and its serial. */
function fingerprintAt(d: RecordDecoder, start: number): number {
  const position = d.position;
  d.position = start + 1;
  d.skipText();
  const at = d.position;
  d.position = position;
  return at;
}

/** Whether the key records starting at `a` and `b` have the same fingerprint (the same row). */
export function sameKeyRow(d: RecordDecoder, a: number, b: number): boolean {
  return d.sameText(fingerprintAt(d, a), fingerprintAt(d, b));
}

/** The key record starting at `start`, the decoder left where it was. */
export function decodeKeyAt(d: RecordDecoder, start: number): KeyRecord {
  const position = d.position;
  d.position = start;
  const record = decodeKey(d);
  d.position = position;
  return record;
}

export function encodeMatched(out: RecordEncoder, r: MatchedRecord): void {
  out.byte(TAG_M);
  out.text(r[0]);
  out.text(r[1]);
  out.f64(r[2]);
  out.f64(r[3]);
  out.f64OrNull(r[4]);
  out.u32(r[5]);
  out.u32(r[6]);
  out.u32(r[7]);
  out.u32(r[8]);
}

export function decodeMatched(d: RecordDecoder): MatchedRecord {
  expectTag(d, TAG_M, 'matched');
  return [d.text(), d.text(), d.f64(), d.f64(), d.f64OrNull(), d.u32(), d.u32(), d.u32(), d.u32()];
}

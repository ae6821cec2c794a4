/**
 * The engine's partition records (lib/reconciliation/records.ts) and the store they live in: what a
 * reconciliation writes into a partition is what it reads back, whatever the cells held.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TempDirPartitions } from '../../lib/reconciliation/partitions.ts';
import {
  decodeKey,
  decodeKeyAt,
  decodeMatched,
  decodePartitionRecord,
  encodeKey,
  encodeMatched,
  encodePlatform,
  encodeStatement,
  encodeSummary,
  type KeyRecord,
  type MatchedRecord,
  nextKeySerial,
  type PlatformRecord,
  RecordDecoder,
  RecordEncoder,
  type StatementRecord,
  type SummaryRecord,
  sameKeyRow,
} from '../../lib/reconciliation/records.ts';

const stores: TempDirPartitions[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.dispose();
});

/** A text cell as a CSV may hold it: quoted tab and newline, a backslash, Chinese, an emoji. */
const AWKWARD = '供应商\t"甲"\n第二行\\n\r末尾\\ 🧾';

type OrderRecord = PlatformRecord | SummaryRecord | StatementRecord;

function encodeOrderRecord(out: RecordEncoder, record: OrderRecord): void {
  if (record[0] === 'P') encodePlatform(out, record);
  else if (record[0] === 'S') encodeSummary(out, record);
  else encodeStatement(out, record);
}

/** A copy of what the encoder holds: its bytes() are a view of a buffer that moves as it grows. */
const copied = (out: RecordEncoder) => Uint8Array.from(out.bytes());

describe('partition records', () => {
  it('read back every field of every record kind: awkward and empty text, null numbers, large and negative amounts', () => {
    const records: OrderRecord[] = [
      ['P', `LS${AWKWARD}`, 'SUP-1', 12345, -1, null, 'OPEN', 0, 17],
      ['P', 'LS1', '', 2 ** 31 + 7, -(2 ** 40), 1_790_560_800_000, 'NONE', 4_000_000_000, 0],
      ['P', '', '', 0, 0, -5, 'CLOSED', 0, 0],
      ['S', 'LS1', `SUP\\t${AWKWARD}`, AWKWARD, 0, 9_999_999_999_999, AWKWARD, 2, 3],
      ['S', '', '', '', -9_999_999_999_999, 2 ** 53 - 1, '', 0, 1],
      ['A', 'NO-ORDER-ID#2026\t1', AWKWARD, 'REFUND', -100, 'TRADE_DETAIL', 1, 9],
      ['A', '订单🙂', '', 'CREDIT', 3_000_000_000, 'ACCOUNT_LOG', 7, 2 ** 32 - 1],
    ];
    const out = new RecordEncoder(8);
    for (const record of records) encodeOrderRecord(out, record);
    const d = new RecordDecoder(copied(out));
    const read: OrderRecord[] = [];
    while (!d.done) read.push(decodePartitionRecord(d));
    expect(read).toEqual(records);

    const keys: KeyRecord[] = [
      [`2026${AWKWARD}`, `fp|${AWKWARD}`, 4, 5],
      ['', '', 0, 0],
    ];
    const matched: MatchedRecord[] = [
      ['LS1', AWKWARD, 100, 80, null, 0, 2, 1, 3],
      ['', '', -(2 ** 33), 2 ** 33, -1, 1, 1, 1, 1],
      ['LS2', 'SUP-2', 1, 1, 0, 0, 0, 0, 0],
    ];
    out.reset();
    for (const key of keys) encodeKey(out, key);
    const k = new RecordDecoder(copied(out));
    expect([decodeKey(k), decodeKey(k)]).toEqual(keys);
    expect(k.done).toBe(true);
    out.reset();
    for (const line of matched) encodeMatched(out, line);
    const m = new RecordDecoder(copied(out));
    expect(matched.map(() => decodeMatched(m))).toEqual(matched);
    expect(m.done).toBe(true);
  });

  it('tell a repeated 流水号 row from a different row under the same 流水号 without decoding the fingerprint', () => {
    const out = new RecordEncoder();
    const rows: KeyRecord[] = [
      [`2026${AWKWARD}`, `fp|${AWKWARD}`, 0, 5],
      ['2027', 'fp|a', 1, 6],
      [`2026${AWKWARD}`, `fp|${AWKWARD}`, 2, 7],
      [`2026${AWKWARD}`, `fp|${AWKWARD}x`, 3, 8],
      [`2026${AWKWARD}`, `fp|${AWKWARD.replace('甲', '乙')}`, 4, 9],
    ];
    for (const row of rows) encodeKey(out, row);
    const d = new RecordDecoder(copied(out));
    const starts: number[] = [];
    const serials: string[] = [];
    while (!d.done) {
      starts.push(d.position);
      serials.push(nextKeySerial(d));
    }
    expect(serials).toEqual(rows.map((row) => row[0]));
    const [first = 0, , same = 0, longer = 0, other = 0] = starts;
    expect(sameKeyRow(d, first, same)).toBe(true);
    expect(sameKeyRow(d, first, longer)).toBe(false);
    expect(sameKeyRow(d, first, other)).toBe(false);
    expect(starts.map((start) => decodeKeyAt(d, start))).toEqual(rows);
    expect(d.done).toBe(true);
  });

  it('refuse bytes that are not the records they are read as, or are cut short', () => {
    const out = new RecordEncoder();
    encodeKey(out, ['2026', 'fp', 1, 2]);
    const bytes = copied(out);
    expect(() => decodeMatched(new RecordDecoder(bytes))).toThrow(/not a matched record/);
    expect(() => decodePartitionRecord(new RecordDecoder(bytes))).toThrow(/not a partition record/);
    expect(() => decodeKey(new RecordDecoder(bytes.subarray(0, bytes.length - 1)))).toThrow(/cut short/);
  });

  it('come back from the store in the order appended, across buffer flushes and long records', async () => {
    const store = new TempDirPartitions();
    stores.push(store);
    const records: SummaryRecord[] = Array.from({ length: 5000 }, (_, i) => [
      'S',
      `LS${i}`,
      'SUP-1',
      `${AWKWARD}${i}`,
      i,
      i,
      '',
      0,
      i,
    ]);
    const long: SummaryRecord = ['S', 'LS-long', 'SUP-1', '名'.repeat(40_000), 1, 1, '', 0, 1];
    const all = [...records.slice(0, 2500), long, ...records.slice(2500)];
    // One encoder reused for every record, as the engine does: the store copies what it is given.
    const out = new RecordEncoder();
    for (const record of all) {
      out.reset();
      encodeSummary(out, record);
      store.appendBytes('p-0000', out.bytes());
    }
    store.append('d-0000', AWKWARD.replace(/[\n\r]/g, ' '));
    await store.seal();
    const d = new RecordDecoder(await store.partitionBytes('p-0000'));
    const read: OrderRecord[] = [];
    while (!d.done) read.push(decodePartitionRecord(d));
    expect(read).toEqual(all);
    expect(await store.partitionBytes('p-0001')).toHaveLength(0);
    expect(store.holdsBytes('p-0000')).toBe(true);
    expect(store.holdsBytes('d-0000')).toBe(false);
    expect(() => store.append('p-0000', 'text')).toThrow(/holds bytes/);
  });
});

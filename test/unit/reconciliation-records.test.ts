/**
 * The engine's partition records (lib/reconciliation/records.ts) and the store they live in: what a
 * reconciliation writes into a partition is what it reads back, whatever the cells held.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TempDirPartitions } from '../../lib/reconciliation/partitions.ts';
import {
  decodeKey,
  decodeMatched,
  decodePartitionRecord,
  encodeKey,
  encodeMatched,
  encodePlatform,
  encodeStatement,
  encodeSummary,
  type PlatformRecord,
  type StatementRecord,
  type SummaryRecord,
} from '../../lib/reconciliation/records.ts';

const stores: TempDirPartitions[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.dispose();
});

/** A text cell as a CSV may hold it: quoted tab and newline, a backslash, Chinese. */
const AWKWARD = '供应商\t"甲"\n第二行\\n\r末尾\\';

describe('partition records', () => {
  it('read back every field of every record kind, text with tabs, newlines and backslashes included', () => {
    const platform: PlatformRecord = ['P', `LS${AWKWARD}`, 'SUP-1', 12345, -1, null, 'OPEN', 0, 17];
    const summary: SummaryRecord = [
      'S',
      'LS1',
      `SUP\\t${AWKWARD}`,
      AWKWARD,
      0,
      9_999_999_999_999,
      AWKWARD,
      2,
      3,
    ];
    const statement: StatementRecord = [
      'A',
      'NO-ORDER-ID#2026\t1',
      AWKWARD,
      'REFUND',
      -100,
      'TRADE_DETAIL',
      1,
      9,
    ];
    for (const record of [platform, summary, statement]) {
      const line =
        record[0] === 'P'
          ? encodePlatform(record)
          : record[0] === 'S'
            ? encodeSummary(record)
            : encodeStatement(record);
      expect(line).not.toContain('\n');
      expect(decodePartitionRecord(line)).toEqual(record);
    }
    expect(decodeKey(encodeKey([`2026${AWKWARD}`, `fp|${AWKWARD}`, 4, 5]))).toEqual([
      `2026${AWKWARD}`,
      `fp|${AWKWARD}`,
      4,
      5,
    ]);
    expect(decodeMatched(encodeMatched(['LS1', AWKWARD, 100, 80, null, 0, 2, 1, 3]))).toEqual([
      'LS1',
      AWKWARD,
      100,
      80,
      null,
      0,
      2,
      1,
      3,
    ]);
    expect(
      decodePartitionRecord(encodePlatform(['P', 'LS1', '', 1, 1, 1_790_560_800_000, 'NONE', 0, 2]))[5],
    ).toBe(1_790_560_800_000);
  });

  it('come back from the store in the order appended, across buffer flushes and long lines', async () => {
    const store = new TempDirPartitions();
    stores.push(store);
    const lines = Array.from({ length: 5000 }, (_, i) =>
      encodeSummary(['S', `LS${i}`, 'SUP-1', `${AWKWARD}${i}`, i, i, '', 0, i]),
    );
    const long = encodeSummary(['S', 'LS-long', 'SUP-1', '名'.repeat(40_000), 1, 1, '', 0, 1]);
    for (const line of lines.slice(0, 2500)) store.append('p-0000', line);
    store.append('p-0000', long);
    for (const line of lines.slice(2500)) store.append('p-0000', line);
    await store.seal();
    const read: string[] = [];
    for await (const line of store.lines('p-0000')) read.push(line);
    expect(read).toEqual([...lines.slice(0, 2500), long, ...lines.slice(2500)]);
    expect(decodePartitionRecord(read[2500] as string)[3]).toBe('名'.repeat(40_000));
  });
});

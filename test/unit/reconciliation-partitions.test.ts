/**
 * The reconciliation engine's three steps (engine.ts), as the workflow's tasks run them one per
 * Lambda: a partition matched on its own leaves its unknown parties to the merge, and the merge keeps
 * the lowest partition's for a party several found, refuses a week on the lowest partition's row
 * conflict, and merges nothing without every partition's result.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../lib/domain/calendar.ts';
import { DEFAULT_POLICY } from '../../lib/domain/policy.ts';
import {
  differencesOf,
  matchPartition,
  mergePartitions,
  type PartitionResult,
  partitionWeek,
} from '../../lib/reconciliation/engine.ts';
import type { Difference } from '../../lib/reconciliation/model.ts';
import { partitionLines, partitionOf, TempDirPartitions } from '../../lib/reconciliation/partitions.ts';
import { reconciliationWeek } from '../../lib/reconciliation/week.ts';
import { accountLogText, gbk } from '../support/alipay-files.ts';

const WEEK = reconciliationWeek('2026-09-28', new WorkingDayCalendar(), DEFAULT_POLICY);
const PARTITIONS = 4;
const stores: TempDirPartitions[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.dispose();
});
const known = {
  get: async (id: string) =>
    id === 'SUP-1'
      ? { id, name: 'A', bankAccount: '1', bankName: 'B', accountType: 'CORPORATE' as const }
      : null,
};

/** The first `GHOST-<n>` order id that hashes to partition `p`. */
function ghostIn(p: number): string {
  for (let n = 0; ; n++) if (partitionOf(`GHOST-${n}`, PARTITIONS) === p) return `GHOST-${n}`;
}

/** A week whose summary names the unknown supplier SUP-9 on an order of partition 2 first, then of partition 0. */
async function partitioned() {
  const dir = mkdtempSync(path.join(tmpdir(), 'fundflow-parts-'));
  const file = (name: string, body: string | Buffer) => {
    writeFileSync(path.join(dir, name), body);
    return { name, path: path.join(dir, name) };
  };
  const [high, low] = [ghostIn(2), ghostIn(0)];
  const summary = file(
    'summary.csv',
    [
      'orderId,supplierId,supplierName,amount,supplierPayable,completedAt',
      `${high},SUP-9,无名,10.00,9.00,`,
      `${low},SUP-9,无名,11.00,9.00,`,
      'OTHER-1,SUP-1,A,12.00,9.00,',
    ].join('\n'),
  );
  const statement = file(
    'log.csv',
    gbk(accountLogText({ from: '2026-09-28T00:00:00', to: '2026-10-05T00:00:00', rows: [] })),
  );
  const store = new TempDirPartitions(dir);
  stores.push(store);
  const manifest = await partitionWeek(
    {
      week: WEEK,
      summaries: [summary],
      statements: [statement],
      platformOrders: async function* () {},
      suppliers: known,
    },
    { store, partitions: PARTITIONS },
  );
  return { store, manifest, high, low };
}

describe('a partition matched on its own (one Map iteration)', () => {
  it('writes only its own orders’ differences, and leaves its unknown party to the merge as a candidate', async () => {
    const { store, manifest, high } = await partitioned();

    const result = await matchPartition(WEEK, manifest, 2, { store });
    await store.seal();

    const own = (await partitionLines(store, differencesOf(2))).map((text) => JSON.parse(text) as Difference);
    expect(own.map((d) => d.id)).toEqual([`NOT_IN_PLATFORM:${high}`]);
    expect(result.counts).toMatchObject({ NOT_IN_PLATFORM: 1, UNKNOWN_PARTY: 0 });
    expect(result.candidates).toEqual([
      expect.objectContaining({
        supplierId: 'SUP-9',
        difference: expect.objectContaining({ id: 'UNKNOWN_PARTY:SUPPLIER:SUP-9' }),
      }),
    ]);
  });
});

describe('the merge of the partitions', () => {
  it('keeps the lowest partition’s unknown party when several found it, listed once among that partition’s differences', async () => {
    const { store, manifest, low } = await partitioned();
    const results = await Promise.all(
      Array.from({ length: PARTITIONS }, (_, p) => matchPartition(WEEK, manifest, p, { store })),
    );
    await store.seal();

    const merged = await mergePartitions(manifest, results.reverse(), {
      store,
      masterData: [],
      suppliers: known,
    });
    const differences: Difference[] = [];
    for await (const difference of merged.differences()) differences.push(difference);

    const unknown = differences.filter((d) => d.category === 'UNKNOWN_PARTY');
    expect(unknown).toHaveLength(1);
    // Line 3 of the summary: partition 0's order, though partition 2's line comes first in the file.
    expect(unknown[0]?.sides[0]?.at).toEqual({ file: 'summary.csv', line: 3 });
    expect(merged.counts.UNKNOWN_PARTY).toBe(1);
    // Partition 0's differences come first, the kept candidate among them in id order.
    const inZero = (d: Difference) =>
      d.category === 'UNKNOWN_PARTY' || partitionOf(d.orderId ?? '', PARTITIONS) === 0;
    const head = differences.slice(0, differences.filter(inZero).length).map((d) => d.id);
    expect(head).toContain(`NOT_IN_PLATFORM:${low}`);
    expect(head).toContain('UNKNOWN_PARTY:SUPPLIER:SUP-9');
    expect(head).toEqual([...head].sort());
  });

  it('refuses the week with the lowest partition’s row conflict (two different rows under one 流水号)', async () => {
    const { store, manifest } = await partitioned();
    const results = await Promise.all(
      Array.from({ length: PARTITIONS }, (_, p) => matchPartition(WEEK, manifest, p, { store })),
    );
    const conflicting = results.map(
      (result, p): PartitionResult =>
        p === 1 || p === 3
          ? {
              ...result,
              conflict: {
                serial: `SERIAL-${p}`,
                first: { file: 'a.csv', line: 7 },
                at: { file: 'b.csv', line: 9 },
              },
            }
          : result,
    );

    await expect(
      mergePartitions(manifest, conflicting, { store, masterData: [], suppliers: known }),
    ).rejects.toMatchObject({ code: 'STATEMENT_ROW_CONFLICT', message: expect.stringContaining('SERIAL-1') });
  });

  it('merges nothing without every partition’s result', async () => {
    const { store, manifest } = await partitioned();
    const results = await Promise.all([0, 1, 3].map((p) => matchPartition(WEEK, manifest, p, { store })));

    await expect(
      mergePartitions(manifest, results, { store, masterData: [], suppliers: known }),
    ).rejects.toThrow(/all 4 partitions/);
  });
});

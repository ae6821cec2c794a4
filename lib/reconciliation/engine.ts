/**
 * The weekly sales reconciliation (POLICY 3.2, D11), streaming: never the whole week in memory.
 *
 * Primary course:
 *  1. Check that the statements cover the week together (their 起始日期–终止日期 headers), and refuse
 *     one outside it.
 *  2. Read every input a row at a time and append each row, by a hash of its order id, to one of N
 *     partitions (statement rows also by their 账务流水号 to a second set, to find one 流水号 under two
 *     different rows); each statement's footer is checked when its last row has been read.
 *  3. Judge each 流水号 partition (a repeat counts once; two different rows under one number refuse
 *     the week), then match each order partition on its own — only one partition is in memory — and
 *     append its differences and matched lines.
 *  4. Compare the master-data sheet with fundflow's supplier master (small: thousands of lines).
 *  5. Merge: counts per category and the week's totals (Alipay's fees totalled, not listed).
 * In AWS steps 3's partitions are the items of a Map state, one Lambda each (docs/reconciliation.md).
 */
import { stat } from 'node:fs/promises';
import type { AccountType, Fen } from '../domain/model.ts';
import {
  readAlipayStatement,
  readStatementHeaders,
  type StatementFileSummary,
  uncoveredFrom,
} from './alipay.ts';
import { type Provenance, ReconciliationInputError } from './errors.ts';
import {
  DIFFERENCE_CATEGORIES,
  type Difference,
  type DifferenceCategory,
  type DifferenceSide,
  type MasterDataLine,
  type PlatformOrderLine,
  type StatementFileKind,
} from './model.ts';
import { type PartitionStore, partitionLines, partitionName, partitionOf } from './partitions.ts';
import {
  decodeKey,
  decodeMatched,
  decodePartitionRecord,
  encodeKey,
  encodeMatched,
  encodePlatform,
  encodeStatement,
  encodeSummary,
  type KeyRecord,
  type PlatformRecord,
  type StatementRecord,
  type SummaryRecord,
} from './records.ts';
import { readMasterData, readSalesSummary } from './sheets.ts';
import type { InputFile } from './text-input.ts';
import type { ReconciliationWeek } from './week.ts';

/** fundflow's supplier master as the engine compares it (POLICY D8). */
export interface SupplierMaster {
  id: string;
  name: string;
  bankAccount: string;
  bankName: string;
  accountType: AccountType;
  taxId?: string | undefined;
}

export interface SupplierDirectory {
  get(supplierId: string): Promise<SupplierMaster | null>;
}

export interface ReconcileInput {
  week: ReconciliationWeek;
  summaries: readonly InputFile[];
  statements: readonly InputFile[];
  masterData: readonly InputFile[];
  /** fundflow's orders: at least every order complete in the week, and those the summary names. */
  platformOrders: () => AsyncIterable<readonly PlatformOrderLine[]>;
  suppliers: SupplierDirectory;
}

export interface ReconcileOptions {
  store: PartitionStore;
  /** How many partitions; by default one per 1 MB of input, at most 512 (each partition's memory stays flat). */
  partitions?: number;
  onProgress?: (progress: ReconcileProgress) => void;
}

export interface ReconcileProgress {
  stage: 'READING' | 'MATCHING' | 'DONE';
  rowsRead: number;
  partitions: number;
  partitionsDone: number;
}

/** A supplier whose sheet line differs from the master: what a supplier change request proposes (D8). */
export interface ProposedSupplierChange {
  supplierId: string;
  fields: string[];
  proposed: Omit<SupplierMaster, 'id'>;
  at: Provenance;
}

export interface MatchedLine {
  orderId: string;
  supplierId: string;
  amountFen: Fen;
  supplierPayableFen: Fen;
  statementCreditFen: Fen | null;
  summaryAt: Provenance;
  platformAt: Provenance;
}

export interface ReconcileTotals {
  summary: { lines: number; amountFen: Fen; supplierPayableFen: Fen };
  platform: { ordersRead: number; ordersInWeek: number; amountFen: Fen };
  statement: {
    files: StatementFileSummary[];
    credits: { count: number; fen: Fen };
    refunds: { count: number; fen: Fen };
    fees: { count: number; fen: Fen };
    /** The same row in two overlapping files (or twice in one), counted once. */
    repeatedRows: number;
  };
  masterData: { suppliers: number; customers: number };
  matchedLines: number;
}

export interface ReconcileResult {
  partitions: number;
  counts: Record<DifferenceCategory, number>;
  totals: ReconcileTotals;
  supplierChanges: ProposedSupplierChange[];
  /** The differences, partition by partition (read from the store: call before disposing it). */
  differences(): AsyncIterable<Difference>;
  matched(): AsyncIterable<MatchedLine>;
}

// Small enough that most of a partition's records die young: at 4 MB each partition's maps outlived
// two young-generation collections and were copied into the old generation (matching took ~40% longer).
const PARTITION_BYTES = 1024 * 1024;

export async function reconcile(input: ReconcileInput, options: ReconcileOptions): Promise<ReconcileResult> {
  const { store } = options;
  const week = { startMs: Date.parse(input.week.periodStart), endMs: Date.parse(input.week.periodEnd) };
  const files: string[] = [];
  const fileIndex = (name: string) => {
    let index = files.indexOf(name);
    if (index < 0) index = files.push(name) - 1;
    return index;
  };
  const at = (file: number, line: number): Provenance => ({ file: files[file] ?? '?', line });

  // 1. The statements must cover the week together.
  const headers = (
    await Promise.all(input.statements.map((file) => readStatementHeaders(file, week)))
  ).flat();
  const gap = uncoveredFrom(headers, week);
  if (gap !== null) {
    const from = new Date(gap + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    throw new ReconciliationInputError(
      'STATEMENTS_DO_NOT_COVER_WEEK',
      `支付宝对账单没有覆盖这一周从 ${from}（北京时间）起的时间，请补上缺少那几天的账单。The Alipay statements do not cover the week from ${from} (Beijing time) on; add the bill of the missing days.`,
      null,
    );
  }
  const preferredKind: StatementFileKind = headers.some((h) => h.kind === 'ACCOUNT_LOG')
    ? 'ACCOUNT_LOG'
    : 'TRADE_DETAIL';

  const sizes = await Promise.all(
    [...input.summaries, ...input.statements].map(async (file) => (await stat(file.path)).size),
  );
  const partitions =
    options.partitions ??
    Math.min(512, Math.max(4, Math.ceil(sizes.reduce((sum, size) => sum + size, 0) / PARTITION_BYTES)));
  const progress: ReconcileProgress = { stage: 'READING', rowsRead: 0, partitions, partitionsDone: 0 };
  const tick = () => {
    progress.rowsRead++;
    if ((progress.rowsRead & 0x3fff) === 0) options.onProgress?.({ ...progress });
  };
  // Partition records are tab-separated lines (records.ts), with a file index instead of the file name.
  const orderPartitions = Array.from({ length: partitions }, (_, p) => partitionName('p', p));
  const keyPartitions = Array.from({ length: partitions }, (_, k) => partitionName('k', k));
  const toPartition = (orderId: string, line: string) =>
    store.append(orderPartitions[partitionOf(orderId, partitions)] as string, line);

  // 2. Partition every row by its order id.
  let ordersRead = 0;
  for await (const batch of input.platformOrders())
    for (const order of batch) {
      ordersRead++;
      tick();
      const record: PlatformRecord = [
        'P',
        order.orderId,
        order.supplierId,
        order.amountFen,
        order.supplierPayableFen,
        order.completedAtMs,
        order.disputeStatus,
        fileIndex(order.at.file),
        order.at.line,
      ];
      toPartition(order.orderId, encodePlatform(record));
    }
  for (const file of input.summaries) {
    for await (const batch of readSalesSummary(file))
      for (const line of batch) {
        tick();
        const record: SummaryRecord = [
          'S',
          line.orderId,
          line.supplierId,
          line.supplierName,
          line.amountFen,
          line.supplierPayableFen,
          line.completedAt,
          fileIndex(line.at.file),
          line.at.line,
        ];
        toPartition(line.orderId, encodeSummary(record));
      }
  }
  const statementFiles: StatementFileSummary[] = [];
  for (const file of input.statements) {
    for await (const batch of readAlipayStatement(file, week, (summary) => statementFiles.push(summary)))
      for (const row of batch) {
        tick();
        if (row.type !== 'CREDIT' && row.type !== 'REFUND') continue;
        const f = fileIndex(row.at.file);
        // A credit without a 商户订单号 (a transfer in) is a credit with no order of its own: listed alone.
        const orderId = row.orderId === '' ? `NO-ORDER-ID#${row.uniqueKey}` : row.orderId;
        const record: StatementRecord = [
          'A',
          orderId,
          row.uniqueKey,
          row.type,
          row.amountFen,
          row.fileKind,
          f,
          row.at.line,
        ];
        toPartition(orderId, encodeStatement(record));
        const key: KeyRecord = [row.uniqueKey, row.fingerprint, f, row.at.line];
        store.append(keyPartitions[partitionOf(row.uniqueKey, partitions)] as string, encodeKey(key));
      }
  }
  await store.seal();

  // 3a. One 流水号, one row: a repeat counts once, a different row under the same number is refused.
  for (let k = 0; k < partitions; k++) {
    const seen = new Map<string, KeyRecord>();
    for (const text of await partitionLines(store, keyPartitions[k] as string)) {
      const record = decodeKey(text);
      const earlier = seen.get(record[0]);
      if (!earlier) seen.set(record[0], record);
      else if (earlier[1] !== record[1]) {
        const first = at(earlier[2], earlier[3]);
        throw new ReconciliationInputError(
          'STATEMENT_ROW_CONFLICT',
          `流水号 ${record[0].split('|')[0]} 也出现在 ${first.file} 第 ${first.line} 行，内容不同；一个流水号只应有一行，其中一个文件有误。Serial number ${record[0].split('|')[0]} is also on ${first.file} line ${first.line}, with other values; one number is one row, so one of the files is wrong.`,
          at(record[2], record[3]),
        );
      }
    }
  }

  // 3b. Match each partition.
  progress.stage = 'MATCHING';
  options.onProgress?.({ ...progress });
  const counts = Object.fromEntries(DIFFERENCE_CATEGORIES.map((category) => [category, 0])) as Record<
    DifferenceCategory,
    number
  >;
  const totals: ReconcileTotals = {
    summary: { lines: 0, amountFen: 0, supplierPayableFen: 0 },
    platform: { ordersRead, ordersInWeek: 0, amountFen: 0 },
    statement: {
      files: statementFiles,
      credits: { count: 0, fen: 0 },
      refunds: { count: 0, fen: 0 },
      fees: {
        count: statementFiles.reduce((sum, file) => sum + file.fees.count, 0),
        fen: statementFiles.reduce((sum, file) => sum + file.fees.fen, 0),
      },
      repeatedRows: 0,
    },
    masterData: { suppliers: 0, customers: 0 },
    matchedLines: 0,
  };
  const emit = (difference: Difference) => {
    counts[difference.category]++;
    store.append('differences', JSON.stringify(difference));
  };
  const supplierCache = new Map<string, SupplierMaster | null>();
  const supplier = async (id: string) => {
    // The key is copied: an id sliced from a partition's text would keep that whole text alive.
    if (!supplierCache.has(id)) supplierCache.set(ownCopy(id), await input.suppliers.get(id));
    return supplierCache.get(id) ?? null;
  };
  const unknownSuppliers = new Set<string>();

  for (let p = 0; p < partitions; p++) {
    const platform = new Map<string, PlatformRecord>();
    const summary = new Map<string, SummaryRecord>();
    const credits = new Map<string, { fen: Fen; first: StatementRecord }>();
    const refunds = new Map<string, { fen: Fen; first: StatementRecord }>();
    const statementKeys = new Set<string>();
    const differences: Difference[] = [];
    let matched = 0;
    for (const text of await partitionLines(store, orderPartitions[p] as string)) {
      const record = decodePartitionRecord(text);
      const orderId = record[1];
      if (record[0] === 'P') {
        const earlier = platform.get(orderId);
        if (earlier) differences.push(duplicate('PLATFORM', orderId, earlier, record, at));
        else platform.set(orderId, record);
      } else if (record[0] === 'S') {
        totals.summary.lines++;
        totals.summary.amountFen += record[4];
        totals.summary.supplierPayableFen += record[5];
        const earlier = summary.get(orderId);
        if (earlier) differences.push(duplicate('SALES_SUMMARY', orderId, earlier, record, at));
        else summary.set(orderId, record);
      } else {
        if (statementKeys.has(record[2])) {
          totals.statement.repeatedRows++;
          continue;
        }
        statementKeys.add(record[2]);
        // With both kinds registered, the account log (money actually booked) is the one matched.
        if (record[5] !== preferredKind) continue;
        const bucket = record[3] === 'CREDIT' ? credits : refunds;
        const sums = record[3] === 'CREDIT' ? totals.statement.credits : totals.statement.refunds;
        sums.count++;
        sums.fen += record[4];
        const entry = bucket.get(orderId);
        if (entry) entry.fen += record[4];
        else bucket.set(orderId, { fen: record[4], first: record });
      }
    }

    // In the same order as spreading the four key lists, without building the arrays.
    const orderIds = new Set<string>(platform.keys());
    for (const keys of [summary.keys(), credits.keys(), refunds.keys()])
      for (const id of keys) orderIds.add(id);
    for (const orderId of orderIds) {
      const order = platform.get(orderId);
      const line = summary.get(orderId);
      const credit = credits.get(orderId);
      const refund = refunds.get(orderId);
      const completed = order?.[5] ?? null;
      const inWeek = completed !== null && completed >= week.startMs && completed < week.endMs;
      const platformAt = order ? at(order[7], order[8]) : null;
      const summaryAt = line ? at(line[7], line[8]) : null;
      const statementAt = (record: StatementRecord | undefined) => (record ? at(record[6], record[7]) : null);
      if (order && inWeek) {
        totals.platform.ordersInWeek++;
        totals.platform.amountFen += order[3];
      }
      if (line) {
        if (!order) {
          differences.push({
            id: `NOT_IN_PLATFORM:${orderId}`,
            category: 'NOT_IN_PLATFORM',
            orderId,
            supplierId: line[2],
            sides: [side('SALES_SUMMARY', line[4], summaryAt), side('PLATFORM', null, null)],
            note: '汇总表里的订单在 fundflow 里没有。The summary lists an order fundflow does not know.',
          });
        } else if (!inWeek) {
          differences.push({
            id: `OUTSIDE_PERIOD:${orderId}:SALES_SUMMARY`,
            category: 'OUTSIDE_PERIOD',
            orderId,
            supplierId: order[2],
            field: 'completedAt',
            sides: [
              side('SALES_SUMMARY', line[6] || null, summaryAt),
              side('PLATFORM', completed === null ? null : shanghaiIso(completed), platformAt),
            ],
            note:
              completed === null
                ? '汇总表里的订单尚未到账（未完成）。The summary lists an order whose funds are not credited yet (not complete).'
                : '汇总表里的订单是在其他周完成的。The summary lists an order that completed in another week.',
          });
        } else {
          let same = true;
          for (const [field, summaryFen, platformFen] of [
            ['amount', line[4], order[3]],
            ['supplierPayable', line[5], order[4]],
          ] as const) {
            if (summaryFen === platformFen) continue;
            same = false;
            differences.push({
              id: `AMOUNT_MISMATCH:${orderId}:${field}`,
              category: 'AMOUNT_MISMATCH',
              orderId,
              supplierId: order[2],
              field,
              sides: [
                side('SALES_SUMMARY', summaryFen, summaryAt),
                side('PLATFORM', platformFen, platformAt),
              ],
              note: `汇总表的 ${field} 与 fundflow 相差 ${signedYuan(summaryFen - platformFen)} 元。The summary's ${field} differs from fundflow's by ${signedYuan(summaryFen - platformFen)} yuan.`,
            });
          }
          if (same) {
            // Streamed to the store as found, not held: the matched lines are most of the week.
            matched++;
            store.append(
              'matched',
              encodeMatched([
                orderId,
                order[2],
                order[3],
                order[4],
                credit?.fen ?? null,
                line[7],
                line[8],
                order[7],
                order[8],
              ]),
            );
          }
        }
        const supplierId = line[2];
        // A supplier already known is checked without an await (one per summary line otherwise).
        if (
          supplierId !== '' &&
          !unknownSuppliers.has(supplierId) &&
          !supplierCache.get(supplierId) &&
          (await supplier(supplierId)) === null
        ) {
          unknownSuppliers.add(ownCopy(supplierId));
          differences.push({
            id: `UNKNOWN_PARTY:SUPPLIER:${supplierId}`,
            category: 'UNKNOWN_PARTY',
            supplierId,
            sides: [side('SALES_SUMMARY', line[3] || supplierId, summaryAt), side('PLATFORM', null, null)],
            note: '汇总表里的供应商不在 fundflow 的主数据里。The summary names a supplier that is not in fundflow’s master data.',
          });
        }
      } else if (order && inWeek) {
        differences.push({
          id: `MISSING_IN_SUMMARY:${orderId}`,
          category: 'MISSING_IN_SUMMARY',
          orderId,
          supplierId: order[2],
          sides: [side('PLATFORM', order[3], platformAt), side('SALES_SUMMARY', null, null)],
          note: '在 fundflow 里本周已完成，但汇总表里没有。Complete in fundflow this week, but not in the summary.',
        });
      }
      if (order && inWeek) {
        if (!credit) {
          differences.push({
            id: `MISSING_IN_STATEMENT:${orderId}`,
            category: 'MISSING_IN_STATEMENT',
            orderId,
            supplierId: order[2],
            sides: [side('PLATFORM', order[3], platformAt), side('ALIPAY_STATEMENT', null, null)],
            note: '在 fundflow 里本周已完成，但支付宝没有这笔入账。Complete in fundflow this week, but Alipay shows no credit for it.',
          });
        } else if (credit.fen !== order[3]) {
          differences.push({
            id: `STATEMENT_AMOUNT_MISMATCH:${orderId}`,
            category: 'STATEMENT_AMOUNT_MISMATCH',
            orderId,
            supplierId: order[2],
            field: 'amount',
            sides: [
              side('ALIPAY_STATEMENT', credit.fen, statementAt(credit.first)),
              side('PLATFORM', order[3], platformAt),
            ],
            note: `支付宝入账比订单金额多 ${signedYuan(credit.fen - order[3])} 元。Alipay credited ${signedYuan(credit.fen - order[3])} yuan more than the order's amount.`,
          });
        }
      } else if (credit) {
        differences.push(
          order
            ? {
                id: `OUTSIDE_PERIOD:${orderId}:ALIPAY_STATEMENT`,
                category: 'OUTSIDE_PERIOD',
                orderId,
                supplierId: order[2],
                field: 'completedAt',
                sides: [
                  side('ALIPAY_STATEMENT', credit.fen, statementAt(credit.first)),
                  side('PLATFORM', completed === null ? null : shanghaiIso(completed), platformAt),
                ],
                note: '支付宝本周入账，但 fundflow 里这笔订单在其他周完成（或尚未完成）。Alipay credited it this week; fundflow has it complete in another week (or not yet).',
              }
            : {
                id: `NOT_IN_ORDERS:${orderId}`,
                category: 'NOT_IN_ORDERS',
                orderId,
                sides: [
                  side('ALIPAY_STATEMENT', credit.fen, statementAt(credit.first)),
                  side('PLATFORM', null, null),
                ],
                note: '支付宝入账的订单在 fundflow 里没有。An Alipay credit for an order fundflow does not know.',
              },
        );
      }
      if (refund && (!order || order[6] === 'NONE')) {
        differences.push({
          id: `UNRECORDED_REFUND:${orderId}`,
          category: 'UNRECORDED_REFUND',
          orderId,
          ...(order ? { supplierId: order[2] } : {}),
          sides: [
            side('ALIPAY_STATEMENT', refund.fen, statementAt(refund.first)),
            side('PLATFORM', order ? order[6] : null, platformAt),
          ],
          note: '支付宝退了这笔订单的款，fundflow 里却既没有退款也没有争议。Alipay refunded this order; fundflow shows it neither refunded nor disputed.',
        });
      }
    }
    differences.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const difference of differences) emit(difference);
    totals.matchedLines += matched;
    progress.partitionsDone++;
    options.onProgress?.({ ...progress });
  }

  // 4. The master-data sheet against fundflow's supplier master (D8: differences open a review).
  const supplierChanges: ProposedSupplierChange[] = [];
  const masterSeen = new Map<string, MasterDataLine>();
  for (const file of input.masterData) {
    for await (const batch of readMasterData(file))
      for (const line of batch) {
        tick();
        const key = `${line.kind}:${line.id}`;
        const earlier = masterSeen.get(key);
        if (earlier) {
          emit({
            id: `DUPLICATE_LINE:MASTER_DATA:${key}:${line.at.line}`,
            category: 'DUPLICATE_LINE',
            supplierId: line.id,
            sides: [side('MASTER_DATA', earlier.name, earlier.at), side('MASTER_DATA', line.name, line.at)],
            note: `${line.kind === 'SUPPLIER' ? '供应商' : '客户'} ${line.id} 在表里出现了两行。${line.kind === 'SUPPLIER' ? 'Supplier' : 'Customer'} ${line.id} is on two lines of the sheet.`,
          });
          continue;
        }
        masterSeen.set(key, line);
        // fundflow keeps no customer master: customer lines are read and counted, not compared.
        if (line.kind === 'CUSTOMER') {
          totals.masterData.customers++;
          continue;
        }
        totals.masterData.suppliers++;
        const master = await supplier(line.id);
        if (!master) {
          if (unknownSuppliers.has(line.id)) continue;
          unknownSuppliers.add(line.id);
          emit({
            id: `UNKNOWN_PARTY:SUPPLIER:${line.id}`,
            category: 'UNKNOWN_PARTY',
            supplierId: line.id,
            sides: [side('MASTER_DATA', line.name, line.at), side('PLATFORM', null, null)],
            note: '维护表里的供应商不在 fundflow 的主数据里。The master-data sheet names a supplier that is not in fundflow’s master data.',
          });
          continue;
        }
        const proposed = {
          name: line.name,
          bankAccount: line.bankAccount,
          bankName: line.bankName,
          accountType: line.accountType === '' ? master.accountType : line.accountType,
          taxId: line.taxId === '' ? master.taxId : line.taxId,
        };
        const fields = (['name', 'bankAccount', 'bankName', 'accountType', 'taxId'] as const).filter(
          (field) => normalized(proposed[field]) !== normalized(master[field]),
        );
        for (const field of fields) {
          emit({
            id: `MASTER_DATA_CHANGE:${line.id}:${field}`,
            category: 'MASTER_DATA_CHANGE',
            supplierId: line.id,
            field,
            sides: [
              side('MASTER_DATA', proposed[field] ?? null, line.at),
              side('PLATFORM', master[field] ?? null, null),
            ],
            note: '维护表与 fundflow 的供应商主数据不同，已提交一条供应商资料变更待审核（主数据未改）。The sheet differs from fundflow’s supplier master; a supplier change is opened for review (the master is unchanged).',
          });
        }
        if (fields.length > 0) supplierChanges.push({ supplierId: line.id, fields, proposed, at: line.at });
      }
  }
  await store.seal();

  // 5. Merged.
  progress.stage = 'DONE';
  options.onProgress?.({ ...progress });
  return {
    partitions,
    counts,
    totals,
    supplierChanges,
    differences: async function* () {
      for await (const text of store.lines('differences')) yield JSON.parse(text) as Difference;
    },
    matched: async function* () {
      for await (const text of store.lines('matched')) {
        const r = decodeMatched(text);
        yield {
          orderId: r[0],
          supplierId: r[1],
          amountFen: r[2],
          supplierPayableFen: r[3],
          statementCreditFen: r[4],
          summaryAt: at(r[5], r[6]),
          platformAt: at(r[7], r[8]),
        } satisfies MatchedLine;
      }
    },
  };
}

/** A flat copy of a string: `slice` of a text keeps the whole text alive (V8's sliced strings). */
function ownCopy(text: string): string {
  return ` ${text}`.slice(1);
}

function side(
  source: DifferenceSide['source'],
  value: DifferenceSide['value'],
  at: Provenance | null,
): DifferenceSide {
  return { source, value, at };
}

function duplicate(
  source: 'PLATFORM' | 'SALES_SUMMARY',
  orderId: string,
  earlier: PlatformRecord | SummaryRecord,
  later: PlatformRecord | SummaryRecord,
  at: (file: number, line: number) => Provenance,
): Difference {
  const position = (record: PlatformRecord | SummaryRecord) =>
    record[0] === 'P' ? at(record[7], record[8]) : at(record[7], record[8]);
  const amount = (record: PlatformRecord | SummaryRecord) => (record[0] === 'P' ? record[3] : record[4]);
  const second = position(later);
  return {
    id: `DUPLICATE_LINE:${source}:${orderId}:${second.line}`,
    category: 'DUPLICATE_LINE',
    orderId,
    supplierId: earlier[2],
    sides: [
      { source, value: amount(earlier), at: position(earlier) },
      { source, value: amount(later), at: second },
    ],
    note: '同一订单在一个文件里出现了两行，只核对第一行。The same order is on two lines of one input; the first is the one reconciled.',
  };
}

/** Whitespace inside account numbers and names is how people type them, not a change. */
function normalized(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, '').toUpperCase();
}

function signedYuan(fen: Fen): string {
  const sign = fen < 0 ? '-' : '+';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function shanghaiIso(ms: number): string {
  return `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

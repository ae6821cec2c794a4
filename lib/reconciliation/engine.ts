/**
 * The weekly sales reconciliation (POLICY 3.2, D11), streaming: never the whole week in memory.
 *
 * Primary course:
 *  1. Check that the statements cover the week together (their 起始日期–终止日期 headers), and refuse
 *     one outside it.
 *  2. Read every input a row at a time and append each row, by a hash of its order id, to one of N
 *     partitions (statement rows also by their 账务流水号 to a second set, to find one 流水号 under two
 *     different rows); each statement's footer is checked when its last row has been read.
 *  3. Per partition, on its own — only the partitions being matched are in memory: judge its 流水号
 *     partition (a repeat counts once; two different rows under one number refuse the week), then
 *     match its order partition and append its differences and matched lines to its own streams.
 *  4. Merge: the partitions' counts and totals, the lowest partition's candidate for an unknown party
 *     found in several; the master-data sheet against fundflow's supplier master (small: thousands
 *     of lines); Alipay's fees totalled, not listed.
 * The three steps are `partitionWeek`, `matchPartition` and `mergePartitions`: in AWS each is a task of
 * the `reconciliation` workflow, step 3 one Lambda per partition in a Map state (run-tasks.ts);
 * `reconcile` runs the three in one process (`npm run reconcile`, the bench).
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
import {
  type PartitionStore,
  partitionName,
  partitionNames,
  partitionOf,
  TempDirPartitions,
} from './partitions.ts';
import {
  decodeKeyAt,
  decodeMatched,
  decodePartitionRecord,
  encodeKey,
  encodeMatched,
  encodePlatform,
  encodeStatement,
  encodeSummary,
  type KeyRecord,
  nextKeySerial,
  type PlatformRecord,
  RecordDecoder,
  RecordEncoder,
  type StatementRecord,
  type SummaryRecord,
  sameKeyRow,
} from './records.ts';
import { readMasterData, readSalesSummary } from './sheets.ts';
import type { InputFile } from './text-input.ts';
import { ReconcileThreads, type StatementsDone, type SummariesDone, type ThreadJob } from './threads.ts';
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
  /**
   * Threads that partition and match beside this one, when the store is a local folder
   * (TempDirPartitions); by default two for a week of 4 MB of input or more (a thread takes a few
   * hundred ms to start), none below; 0: everything in this thread.
   */
  threads?: number;
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
/** Partitions matched side by side in one process (in threads: one per core of a 2-core machine). */
const MATCH_CONCURRENCY = 2;
/** Below this much input, starting the threads costs more than they save. */
const THREADS_FROM_BYTES = 4 * 1024 * 1024;
/**
 * Each thread's heap: a partition's records, or the input it reads (the process's RSS counts every
 * thread's). The young generation holds a partition's records while they are matched (semi-spaces of
 * about 16 MB: most die there, not copied into the old generation).
 */
const THREAD_HEAP = { oldMb: 128, youngMb: 48 };

/**
 * What the partitioning leaves for the partitions' matches and the merge: small (a few KB whatever the
 * week), so it travels as an object beside the partitions, never in a Step Functions payload.
 */
export interface PartitionManifest {
  partitions: number;
  /** The files' names by the index the partition records carry (records.ts). */
  files: string[];
  /** With both kinds registered, the account log (money actually booked) is the one matched. */
  preferredKind: StatementFileKind;
  ordersRead: number;
  rowsRead: number;
  statementFiles: StatementFileSummary[];
  /**
   * The summary's suppliers that are not in fundflow's master, looked up once here (a few thousand
   * distinct suppliers a week), so a partition's match looks up none: hundreds of partitions would
   * otherwise each look up every supplier again.
   */
  unknownSuppliers: string[];
  /**
   * The streams of an order partition, read in this order: in one process each input kind is
   * written by its own thread to its own (`p` orders, `s` summaries, `a` statements); absent, as the
   * workflow's partitioning writes them, `p` holds all three.
   */
  streams?: ('p' | 's' | 'a')[];
}

/** Supplier lookups side by side while the partitioning looks up the summary's suppliers. */
const LOOKUP_CONCURRENCY = 16;

/** Two different rows under one 流水号: the week is refused (the lowest partition's, as one pass finds it). */
export interface RowConflict {
  serial: string;
  first: Provenance;
  at: Provenance;
}

/** An UNKNOWN_PARTY a partition found; the merge keeps the lowest partition's for a party found in several. */
export interface UnknownPartyCandidate {
  supplierId: string;
  difference: Difference;
}

/**
 * One partition's match: its counts and totals (its differences and matched lines are its own streams
 * `d-<p>` and `m-<p>` in the store), and the unknown parties it found, left to the merge.
 */
export interface PartitionResult {
  partition: number;
  /** The partition's differences by category, its unknown-party candidates not included. */
  counts: Record<DifferenceCategory, number>;
  summary: ReconcileTotals['summary'];
  platform: { ordersInWeek: number; amountFen: Fen };
  statement: {
    credits: { count: number; fen: Fen };
    refunds: { count: number; fen: Fen };
    repeatedRows: number;
  };
  matchedLines: number;
  candidates: UnknownPartyCandidate[];
  conflict: RowConflict | null;
}

export type PartitionInput = Omit<ReconcileInput, 'masterData'>;

/** The week's differences and matched lines of partition `p`. */
export const differencesOf = (p: number) => partitionName('d', p);
export const matchedOf = (p: number) => partitionName('m', p);

const zeroCounts = () =>
  Object.fromEntries(DIFFERENCE_CATEGORIES.map((category) => [category, 0])) as Record<
    DifferenceCategory,
    number
  >;

const weekRange = (week: ReconciliationWeek) => ({
  startMs: Date.parse(week.periodStart),
  endMs: Date.parse(week.periodEnd),
});

const provenanceOf =
  (files: readonly string[]) =>
  (file: number, line: number): Provenance => ({ file: files[file] ?? '?', line });

/**
 * The whole week on one machine: partition, match every partition (side by side, as the Map state
 * does), merge — the same three steps as the workflow's tasks, so there is one engine (`npm run
 * reconcile`, the bench, the tests). With the store a local folder, threads share the work
 * (threads.ts): the summaries and the statements are partitioned by a thread each beside the
 * orders, then the threads match the partitions.
 */
export async function reconcile(input: ReconcileInput, options: ReconcileOptions): Promise<ReconcileResult> {
  const { store } = options;
  const plan = await planPartitions(input, options.partitions);
  const threadCount = options.threads ?? (plan.inputBytes >= THREADS_FROM_BYTES ? MATCH_CONCURRENCY : 0);
  // Threads only share a local folder (the partitions are its files).
  const folder = store instanceof TempDirPartitions && threadCount > 0 ? store : null;
  const threads = folder ? ReconcileThreads.start(threadCount, THREAD_HEAP) : null;
  const local = folder && threads ? { threads, store: folder } : null;
  try {
    const manifest = local
      ? await partitionInThreads(input, options, local.store, plan, local.threads)
      : await partitionInThisThread(input, options, plan);
    const progress: ReconcileProgress = {
      stage: 'MATCHING',
      rowsRead: manifest.rowsRead,
      partitions: manifest.partitions,
      partitionsDone: 0,
    };
    options.onProgress?.({ ...progress });
    // A few partitions at a time, as the Map state's MaxConcurrency does: each one being matched is in
    // memory, so all at once would be the whole week.
    const results: PartitionResult[] = [];
    let next = 0;
    const matcher = async (thread: number) => {
      while (next < manifest.partitions) {
        const p = next++;
        results[p] = local
          ? await local.threads.run<PartitionResult>(thread, {
              job: 'match',
              dir: local.store.dir,
              week: input.week,
              manifest,
              partition: p,
            })
          : await matchPartition(input.week, manifest, p, { store });
        progress.partitionsDone++;
        options.onProgress?.({ ...progress });
      }
    };
    const side = Math.min(local?.threads.size ?? MATCH_CONCURRENCY, manifest.partitions);
    await Promise.all(Array.from({ length: side }, (_, thread) => matcher(thread)));
    // The threads' differences and matched lines, readable here.
    local?.store.rescan();
    await store.seal();
    const merged = await mergePartitions(manifest, results, {
      store,
      masterData: input.masterData,
      suppliers: input.suppliers,
    });
    options.onProgress?.({ ...progress, stage: 'DONE' });
    return merged;
  } finally {
    await threads?.close();
  }
}

/**
 * Steps 1–2 with threads: the orders here (they come from an iterator, not a file), the summaries
 * and the statements each in a thread, each kind into its own streams (`p`, `s`, `a`; the manifest's
 * `streams`), read by the match in that order — the same records in the same order as `partitionWeek`.
 */
async function partitionInThreads(
  input: PartitionInput,
  options: ReconcileOptions,
  store: TempDirPartitions,
  plan: PartitionPlan,
  threads: ReconcileThreads,
): Promise<PartitionManifest> {
  const { partitions, preferredKind } = plan;
  const progress: ReconcileProgress = { stage: 'READING', rowsRead: 0, partitions, partitionsDone: 0 };
  let reported = 0;
  const count = (rows: number) => {
    progress.rowsRead += rows;
    if (progress.rowsRead - reported >= 0x4000) {
      reported = progress.rowsRead;
      options.onProgress?.({ ...progress });
    }
  };
  // Three writers, so file j of writer k is index 3j + k (`interleavedFiles`).
  const job = { dir: store.dir, partitions, stride: 3 };
  const summaries = threads.run<SummariesDone>(
    0,
    { job: 'summaries', ...job, offset: 1, files: input.summaries },
    count,
  );
  // One thread runs one job at a time: with one, the statements wait for the summaries.
  const statementJob: ThreadJob = {
    job: 'statements',
    ...job,
    offset: 2,
    files: input.statements,
    week: input.week,
  };
  const statements =
    threads.size > 1
      ? threads.run<StatementsDone>(1, statementJob, count)
      : summaries.then(() => threads.run<StatementsDone>(0, statementJob, count));
  const orderFiles: string[] = [];
  const orders = partitionOrders(input.platformOrders, {
    store,
    partitions,
    prefix: 'p',
    fileIndex: fileIndexer(orderFiles, 3, 0),
    tick: () => count(1),
  });
  const unknown = summaries.then((done) => unknownOf(new Set(done.suppliers), input.suppliers));
  const settled = await Promise.allSettled([orders, summaries, statements, unknown]);
  // The first refusal in the order the inputs are read one after another.
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  await store.seal();
  store.rescan();
  const [ordersRead, summaryDone, statementDone, unknownSuppliers] = await Promise.all([
    orders,
    summaries,
    statements,
    unknown,
  ]);
  progress.rowsRead = ordersRead + summaryDone.rows + statementDone.rows;
  options.onProgress?.({ ...progress });
  return {
    partitions,
    files: interleavedFiles([orderFiles, summaryDone.files, statementDone.files]),
    preferredKind,
    ordersRead,
    rowsRead: progress.rowsRead,
    statementFiles: statementDone.statementFiles,
    unknownSuppliers,
    streams: ['p', 's', 'a'],
  };
}

/**
 * Steps 1–2: the statements cover the week, and every row goes, by a hash of its order id, to one
 * of N partitions `p-<n>` (statement rows also by their 账务流水号 to `k-<n>`); the store is sealed.
 */
export async function partitionWeek(
  input: PartitionInput,
  options: Omit<ReconcileOptions, 'store'> & { store: PartitionStore },
): Promise<PartitionManifest> {
  return partitionInThisThread(input, options, await planPartitions(input, options.partitions));
}

async function partitionInThisThread(
  input: PartitionInput,
  options: Omit<ReconcileOptions, 'store'> & { store: PartitionStore },
  plan: PartitionPlan,
): Promise<PartitionManifest> {
  const { store } = options;
  const { partitions, preferredKind } = plan;
  const progress: ReconcileProgress = { stage: 'READING', rowsRead: 0, partitions, partitionsDone: 0 };
  const tick = () => {
    progress.rowsRead++;
    if ((progress.rowsRead & 0x3fff) === 0) options.onProgress?.({ ...progress });
  };
  // 2. Partition every row by its order id, one input kind after the other, all into `p-<n>`.
  const files: string[] = [];
  const writer = (): PartitionWriter => ({
    store,
    partitions,
    prefix: 'p',
    fileIndex: fileIndexer(files),
    tick,
  });
  const ordersRead = await partitionOrders(input.platformOrders, writer());
  const summarySuppliers = await partitionSummaries(input.summaries, writer());
  const unknownSuppliers = await unknownOf(summarySuppliers, input.suppliers);
  const statementFiles = await partitionStatements(input.statements, input.week, writer());
  await store.seal();
  options.onProgress?.({ ...progress });
  return {
    partitions,
    files,
    preferredKind,
    ordersRead,
    rowsRead: progress.rowsRead,
    statementFiles,
    unknownSuppliers,
  };
}

/**
 * Step 1, and how many partitions: the statements cover the week together (else the week is
 * refused), and which statement kind is matched.
 */
export async function planPartitions(
  input: Pick<PartitionInput, 'week' | 'summaries' | 'statements'>,
  requested: number | undefined,
): Promise<PartitionPlan> {
  const week = weekRange(input.week);
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
  const inputBytes = sizes.reduce((sum, size) => sum + size, 0);
  const partitions = requested ?? Math.min(512, Math.max(4, Math.ceil(inputBytes / PARTITION_BYTES)));
  return { partitions, preferredKind, inputBytes };
}

export interface PartitionPlan {
  partitions: number;
  preferredKind: StatementFileKind;
  /** The summaries' and the statements' bytes together. */
  inputBytes: number;
}

/**
 * Where one input kind's rows go: `<prefix>-<n>` by order id (statement rows also `k-<n>` by 流水号).
 * Partition records are binary (records.ts), with a file index instead of the file name.
 */
export interface PartitionWriter {
  store: PartitionStore;
  partitions: number;
  prefix: 'p' | 's' | 'a';
  fileIndex: (name: string) => number;
  tick: () => void;
}

/**
 * The index a record carries for its file: the `files` list grows as files are met. With several
 * writers at once (one per input kind), writer `offset` of `stride` numbers its j-th file j·stride +
 * offset, so the manifest's list is theirs interleaved (`interleavedFiles`).
 */
export const fileIndexer =
  (files: string[], stride = 1, offset = 0) =>
  (name: string): number => {
    let j = files.indexOf(name);
    if (j < 0) j = files.push(name) - 1;
    return j * stride + offset;
  };

/** The writers' file lists, writer k's j-th file at j·lists.length + k (a gap is '?'). */
export function interleavedFiles(lists: readonly (readonly string[])[]): string[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  const files = Array.from({ length: longest * lists.length }, () => '?');
  lists.forEach((list, k) => {
    list.forEach((name, j) => {
      files[j * lists.length + k] = name;
    });
  });
  return files;
}

/** fundflow's orders to their partitions; how many were read. */
export async function partitionOrders(
  platformOrders: PartitionInput['platformOrders'],
  w: PartitionWriter,
): Promise<number> {
  const names = partitionNames(w.prefix, w.partitions);
  const out = new RecordEncoder();
  let ordersRead = 0;
  for await (const batch of platformOrders())
    for (const order of batch) {
      ordersRead++;
      w.tick();
      const record: PlatformRecord = [
        'P',
        order.orderId,
        order.supplierId,
        order.amountFen,
        order.supplierPayableFen,
        order.completedAtMs,
        order.disputeStatus,
        w.fileIndex(order.at.file),
        order.at.line,
      ];
      out.reset();
      encodePlatform(out, record);
      w.store.appendBytes(names[partitionOf(order.orderId, w.partitions)] as string, out.bytes());
    }
  return ordersRead;
}

/** The sales summaries' lines to their partitions; the suppliers they name. */
export async function partitionSummaries(
  summaries: readonly InputFile[],
  w: PartitionWriter,
): Promise<Set<string>> {
  const names = partitionNames(w.prefix, w.partitions);
  const out = new RecordEncoder();
  const summarySuppliers = new Set<string>();
  for (const file of summaries) {
    for await (const batch of readSalesSummary(file))
      for (const line of batch) {
        w.tick();
        // The id is copied: one sliced from the file's text would keep that whole text alive.
        if (line.supplierId !== '' && !summarySuppliers.has(line.supplierId))
          summarySuppliers.add(ownCopy(line.supplierId));
        const record: SummaryRecord = [
          'S',
          line.orderId,
          line.supplierId,
          line.supplierName,
          line.amountFen,
          line.supplierPayableFen,
          line.completedAt,
          w.fileIndex(line.at.file),
          line.at.line,
        ];
        out.reset();
        encodeSummary(out, record);
        w.store.appendBytes(names[partitionOf(line.orderId, w.partitions)] as string, out.bytes());
      }
  }
  return summarySuppliers;
}

/** The statements' credits and refunds to their partitions (and `k-<n>`); each file's summary. */
export async function partitionStatements(
  statements: readonly InputFile[],
  reconciliationWeek: ReconciliationWeek,
  w: PartitionWriter,
): Promise<StatementFileSummary[]> {
  const week = weekRange(reconciliationWeek);
  const names = partitionNames(w.prefix, w.partitions);
  const keyNames = partitionNames('k', w.partitions);
  const out = new RecordEncoder();
  const statementFiles: StatementFileSummary[] = [];
  for (const file of statements) {
    for await (const batch of readAlipayStatement(file, week, (summary) => statementFiles.push(summary)))
      for (const row of batch) {
        w.tick();
        if (row.type !== 'CREDIT' && row.type !== 'REFUND') continue;
        const f = w.fileIndex(row.at.file);
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
        out.reset();
        encodeStatement(out, record);
        w.store.appendBytes(names[partitionOf(orderId, w.partitions)] as string, out.bytes());
        const key: KeyRecord = [row.uniqueKey, row.fingerprint, f, row.at.line];
        out.reset();
        encodeKey(out, key);
        w.store.appendBytes(keyNames[partitionOf(row.uniqueKey, w.partitions)] as string, out.bytes());
      }
  }
  return statementFiles;
}

/** The ids not in the supplier master, in the order given. */
async function unknownOf(ids: ReadonlySet<string>, suppliers: SupplierDirectory): Promise<string[]> {
  const all = [...ids];
  const unknown: boolean[] = [];
  let next = 0;
  const lookup = async () => {
    while (next < all.length) {
      const i = next++;
      unknown[i] = (await suppliers.get(all[i] as string)) === null;
    }
  };
  await Promise.all(Array.from({ length: LOOKUP_CONCURRENCY }, lookup));
  return all.filter((_, i) => unknown[i]);
}

/**
 * Step 3, for partition `p` alone (one Map iteration; only this partition is in memory): judge its
 * 流水号 partition `k-<p>` (a repeat counts once; two different rows under one number are a conflict
 * the merge refuses the week for), then match its order partition `p-<p>`, appending its differences
 * to `d-<p>` (sorted by id) and its matched lines to `m-<p>`. The caller seals the store.
 */
export async function matchPartition(
  reconciliationWeek: ReconciliationWeek,
  manifest: PartitionManifest,
  p: number,
  deps: { store: PartitionStore },
): Promise<PartitionResult> {
  const { store } = deps;
  const week = weekRange(reconciliationWeek);
  const at = provenanceOf(manifest.files);
  const { preferredKind } = manifest;
  const result: PartitionResult = {
    partition: p,
    counts: zeroCounts(),
    summary: { lines: 0, amountFen: 0, supplierPayableFen: 0 },
    platform: { ordersInWeek: 0, amountFen: 0 },
    statement: { credits: { count: 0, fen: 0 }, refunds: { count: 0, fen: 0 }, repeatedRows: 0 },
    matchedLines: 0,
    candidates: [],
    conflict: null,
  };

  // 3a. One 流水号, one row: each serial's first record, by where it starts (its fingerprint is
  // compared as bytes, decoded only for a conflict).
  const seen = new Map<string, number>();
  for (const keys = new RecordDecoder(await store.partitionBytes(partitionName('k', p))); !keys.done; ) {
    const start = keys.position;
    const serial = nextKeySerial(keys);
    const earlierStart = seen.get(serial);
    if (earlierStart === undefined) seen.set(serial, start);
    else if (!sameKeyRow(keys, earlierStart, start)) {
      const earlier = decodeKeyAt(keys, earlierStart);
      const record = decodeKeyAt(keys, start);
      // Refused whole by the merge: nothing of this partition is matched.
      result.conflict = {
        serial: record[0].split('|')[0] ?? record[0],
        first: at(earlier[2], earlier[3]),
        at: at(record[2], record[3]),
      };
      return result;
    }
  }
  seen.clear();

  // 3b. Match the partition.
  const totals = result;
  const notInMaster = new Set(manifest.unknownSuppliers);
  const unknownSuppliers = new Set<string>();
  // One map of the partition's orders, each with what every input says of it: one lookup per record
  // and one per order (four maps cost four lookups per record and per order, and four tables).
  const orders = new Map<string, OrderEntry>();
  const entryOf = (orderId: string): OrderEntry => {
    let entry = orders.get(orderId);
    if (entry === undefined) {
      entry = new OrderEntry(orderId);
      orders.set(orderId, entry);
    }
    return entry;
  };
  const statementKeys = new Set<string>();
  const differences: Difference[] = [];
  const matchedName = matchedOf(p);
  const out = new RecordEncoder();
  let matched = 0;
  // One stream at a time (orders, summaries, statements: the order one stream of all three has).
  for (const stream of manifest.streams ?? ['p'])
    for (
      const records = new RecordDecoder(await store.partitionBytes(partitionName(stream, p)));
      !records.done;
    ) {
      const record = decodePartitionRecord(records);
      const orderId = record[1];
      if (record[0] === 'P') {
        const entry = entryOf(orderId);
        const earlier = entry.order;
        if (earlier) differences.push(duplicate('PLATFORM', orderId, earlier, record, at));
        else entry.order = record;
      } else if (record[0] === 'S') {
        totals.summary.lines++;
        totals.summary.amountFen += record[4];
        totals.summary.supplierPayableFen += record[5];
        const entry = entryOf(orderId);
        const earlier = entry.line;
        if (earlier) differences.push(duplicate('SALES_SUMMARY', orderId, earlier, record, at));
        else entry.line = record;
      } else {
        if (statementKeys.has(record[2])) {
          totals.statement.repeatedRows++;
          continue;
        }
        statementKeys.add(record[2]);
        // With both kinds registered, the account log (money actually booked) is the one matched.
        if (record[5] !== preferredKind) continue;
        const credit = record[3] === 'CREDIT';
        const sums = credit ? totals.statement.credits : totals.statement.refunds;
        sums.count++;
        sums.fen += record[4];
        const entry = entryOf(orderId);
        const sum = credit ? entry.credit : entry.refund;
        if (sum) sum.fen += record[4];
        else if (credit) entry.credit = { fen: record[4], first: record };
        else entry.refund = { fen: record[4], first: record };
      }
    }
  // Where a record came from, made only for a difference (most orders have none).
  const recordAt = (record: PlatformRecord | SummaryRecord | undefined) =>
    record ? at(record[7], record[8]) : null;
  const statementAt = (record: StatementRecord | undefined) => (record ? at(record[6], record[7]) : null);
  // Every order once, in the order first met: the streams are read orders first, then summaries,
  // then statements, so the orders fundflow has, then those only the summary names, then the rest.
  for (const entry of orders.values()) {
    const { orderId, order, line, credit, refund } = entry;
    const completed = order?.[5] ?? null;
    const inWeek = completed !== null && completed >= week.startMs && completed < week.endMs;
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
          sides: [side('SALES_SUMMARY', line[4], recordAt(line)), side('PLATFORM', null, null)],
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
            side('SALES_SUMMARY', line[6] || null, recordAt(line)),
            side('PLATFORM', completed === null ? null : shanghaiIso(completed), recordAt(order)),
          ],
          note:
            completed === null
              ? '汇总表里的订单尚未到账（未完成）。The summary lists an order whose funds are not credited yet (not complete).'
              : '汇总表里的订单是在其他周完成的。The summary lists an order that completed in another week.',
        });
      } else {
        const sameAmount = line[4] === order[3];
        const samePayable = line[5] === order[4];
        if (!sameAmount) differences.push(amountMismatch(orderId, 'amount', line, order, at));
        if (!samePayable) differences.push(amountMismatch(orderId, 'supplierPayable', line, order, at));
        if (sameAmount && samePayable) {
          // Streamed to the store as found, not held: the matched lines are most of the week.
          matched++;
          out.reset();
          encodeMatched(out, [
            orderId,
            order[2],
            order[3],
            order[4],
            credit?.fen ?? null,
            line[7],
            line[8],
            order[7],
            order[8],
          ]);
          store.appendBytes(matchedName, out.bytes());
        }
      }
      const supplierId = line[2];
      // Looked up by the partitioning (the manifest): no await per summary line.
      if (supplierId !== '' && !unknownSuppliers.has(supplierId) && notInMaster.has(supplierId)) {
        unknownSuppliers.add(ownCopy(supplierId));
        // Not this partition's difference yet: a lower partition may have found the party first.
        result.candidates.push({
          supplierId,
          difference: {
            id: `UNKNOWN_PARTY:SUPPLIER:${supplierId}`,
            category: 'UNKNOWN_PARTY',
            supplierId,
            sides: [
              side('SALES_SUMMARY', line[3] || supplierId, recordAt(line)),
              side('PLATFORM', null, null),
            ],
            note: '汇总表里的供应商不在 fundflow 的主数据里。The summary names a supplier that is not in fundflow’s master data.',
          },
        });
      }
    } else if (order && inWeek) {
      differences.push({
        id: `MISSING_IN_SUMMARY:${orderId}`,
        category: 'MISSING_IN_SUMMARY',
        orderId,
        supplierId: order[2],
        sides: [side('PLATFORM', order[3], recordAt(order)), side('SALES_SUMMARY', null, null)],
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
          sides: [side('PLATFORM', order[3], recordAt(order)), side('ALIPAY_STATEMENT', null, null)],
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
            side('PLATFORM', order[3], recordAt(order)),
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
                side('PLATFORM', completed === null ? null : shanghaiIso(completed), recordAt(order)),
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
          side('PLATFORM', order ? order[6] : null, recordAt(order)),
        ],
        note: '支付宝退了这笔订单的款，fundflow 里却既没有退款也没有争议。Alipay refunded this order; fundflow shows it neither refunded nor disputed.',
      });
    }
  }
  differences.sort(byId);
  for (const difference of differences) {
    result.counts[difference.category]++;
    store.append(differencesOf(p), JSON.stringify(difference));
  }
  result.candidates.sort((a, b) => byId(a.difference, b.difference));
  result.matchedLines = matched;
  return result;
}

/** One order of a partition being matched: its record from each input (the first, for a repeat). */
class OrderEntry {
  order: PlatformRecord | undefined = undefined;
  line: SummaryRecord | undefined = undefined;
  credit: { fen: Fen; first: StatementRecord } | undefined = undefined;
  refund: { fen: Fen; first: StatementRecord } | undefined = undefined;
  readonly orderId: string;
  constructor(orderId: string) {
    this.orderId = orderId;
  }
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The refusal of a week with two different rows under one 流水号. */
export function rowConflictError(conflict: RowConflict): ReconciliationInputError {
  const { serial, first } = conflict;
  return new ReconciliationInputError(
    'STATEMENT_ROW_CONFLICT',
    `流水号 ${serial} 也出现在 ${first.file} 第 ${first.line} 行，内容不同；一个流水号只应有一行，其中一个文件有误。Serial number ${serial} is also on ${first.file} line ${first.line}, with other values; one number is one row, so one of the files is wrong.`,
    conflict.at,
  );
}

/**
 * Steps 4–5: the partitions' results combined — a row conflict refuses the week (the lowest
 * partition's), an unknown party found in several partitions is the lowest partition's — then the
 * master-data sheet against fundflow's supplier master, and the week's counts and totals (Alipay's
 * fees totalled, not listed). The differences read back partition by partition, each partition's
 * kept unknown parties among its own in id order: the same stream as one pass over the partitions.
 */
export async function mergePartitions(
  manifest: PartitionManifest,
  results: readonly PartitionResult[],
  deps: { store: PartitionStore; masterData: readonly InputFile[]; suppliers: SupplierDirectory },
): Promise<ReconcileResult> {
  const { store } = deps;
  const ordered = [...results].sort((a, b) => a.partition - b.partition);
  if (ordered.length !== manifest.partitions || ordered.some((result, p) => result.partition !== p))
    throw new Error(`the merge needs the results of all ${manifest.partitions} partitions`);
  const conflict = ordered.find((result) => result.conflict !== null)?.conflict;
  if (conflict) throw rowConflictError(conflict);
  const at = provenanceOf(manifest.files);

  const counts = zeroCounts();
  const { statementFiles } = manifest;
  const totals: ReconcileTotals = {
    summary: { lines: 0, amountFen: 0, supplierPayableFen: 0 },
    platform: { ordersRead: manifest.ordersRead, ordersInWeek: 0, amountFen: 0 },
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
  const unknownSuppliers = new Set<string>();
  const kept: Difference[][] = [];
  for (const result of ordered) {
    for (const category of DIFFERENCE_CATEGORIES) counts[category] += result.counts[category];
    totals.summary.lines += result.summary.lines;
    totals.summary.amountFen += result.summary.amountFen;
    totals.summary.supplierPayableFen += result.summary.supplierPayableFen;
    totals.platform.ordersInWeek += result.platform.ordersInWeek;
    totals.platform.amountFen += result.platform.amountFen;
    totals.statement.credits.count += result.statement.credits.count;
    totals.statement.credits.fen += result.statement.credits.fen;
    totals.statement.refunds.count += result.statement.refunds.count;
    totals.statement.refunds.fen += result.statement.refunds.fen;
    totals.statement.repeatedRows += result.statement.repeatedRows;
    totals.matchedLines += result.matchedLines;
    const mine: Difference[] = [];
    for (const candidate of result.candidates) {
      if (unknownSuppliers.has(candidate.supplierId)) continue;
      unknownSuppliers.add(candidate.supplierId);
      counts.UNKNOWN_PARTY++;
      mine.push(candidate.difference);
    }
    kept.push(mine);
  }

  // 4. The master-data sheet against fundflow's supplier master (D8: differences open a review).
  // Small (thousands of lines): its differences are held, not streamed.
  const masterDifferences: Difference[] = [];
  const emit = (difference: Difference) => {
    counts[difference.category]++;
    masterDifferences.push(difference);
  };
  const supplierChanges: ProposedSupplierChange[] = [];
  const masterSeen = new Map<string, MasterDataLine>();
  for (const file of deps.masterData) {
    for await (const batch of readMasterData(file))
      for (const line of batch) {
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
        const master = await deps.suppliers.get(line.id);
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

  // 5. Merged.
  return {
    partitions: manifest.partitions,
    counts,
    totals,
    supplierChanges,
    differences: async function* () {
      for (let p = 0; p < manifest.partitions; p++) {
        const mine = kept[p] ?? [];
        let next = 0;
        for await (const text of store.lines(differencesOf(p))) {
          const difference = JSON.parse(text) as Difference;
          while (next < mine.length && byId(mine[next] as Difference, difference) < 0)
            yield mine[next++] as Difference;
          yield difference;
        }
        while (next < mine.length) yield mine[next++] as Difference;
      }
      yield* masterDifferences;
    },
    matched: async function* () {
      for (let p = 0; p < manifest.partitions; p++)
        for (const records = new RecordDecoder(await store.partitionBytes(matchedOf(p))); !records.done; ) {
          const r = decodeMatched(records);
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

function amountMismatch(
  orderId: string,
  field: 'amount' | 'supplierPayable',
  line: SummaryRecord,
  order: PlatformRecord,
  at: (file: number, line: number) => Provenance,
): Difference {
  const summaryFen = field === 'amount' ? line[4] : line[5];
  const platformFen = field === 'amount' ? order[3] : order[4];
  return {
    id: `AMOUNT_MISMATCH:${orderId}:${field}`,
    category: 'AMOUNT_MISMATCH',
    orderId,
    supplierId: order[2],
    field,
    sides: [
      side('SALES_SUMMARY', summaryFen, at(line[7], line[8])),
      side('PLATFORM', platformFen, at(order[7], order[8])),
    ],
    note: `汇总表的 ${field} 与 fundflow 相差 ${signedYuan(summaryFen - platformFen)} 元。The summary's ${field} differs from fundflow's by ${signedYuan(summaryFen - platformFen)} yuan.`,
  };
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

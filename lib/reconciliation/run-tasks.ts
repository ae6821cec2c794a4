/**
 * The `reconciliation` workflow's tasks (infra/constructs/reconciliation-workflow.ts): partition a
 * week's run, match each partition (a Map state, one Lambda per partition), merge, then wait for
 * finance's sign-off. Each task is idempotent and picks up what an earlier attempt finished (a retry,
 * a restart of the local runtime mid-Map): the objects it leaves under the run's prefix
 * (files.ts runWorkPrefixOf) are written last, when its work is whole.
 *
 * PartitionWeek, primary course:
 *  1. The week is still at this run and RUNNING (otherwise a later run or a change superseded it:
 *     nothing to do; READY already: on to the sign-off's wait).
 *  2. Each input is streamed from the object store to the task's disk; fundflow's orders are read
 *     from the table a page at a time (platform-orders.ts); the engine partitions every row by order id
 *     (engine.ts partitionWeek), and each partition is put into the object store.
 *  3. The manifest (files, partition count, statement footers) is put beside them; the partition
 *     numbers are the Map state's items (a few KB at 512 partitions: the payload limit is 256 KiB).
 * MatchPartition(p): reads partition p of every input, matches it (engine.ts matchPartition), puts its
 *  differences `d-<p>` and matched lines `m-<p>`, then its result `r-<p>.json` (counts, totals, its
 *  candidate unknown parties); returns a small summary, never the differences.
 * MergePartitions, primary course:
 *  1. The week is still at this run and RUNNING.
 *  2. The partitions' results are combined (engine.ts mergePartitions) and the master-data sheet
 *     compared with fundflow's supplier master.
 *  3. The differences are put into the table under the run (stable ids: a retried task puts the same
 *     items again); each MASTER_DATA_CHANGE opens a supplier change request (D8: never the master);
 *     the XLSX report is stored beside the inputs.
 *  4. The week becomes READY with its counts and totals, in one conditional write with its event.
 * An input the engine refuses (a footer that disagrees, two different rows under one 流水号 across
 * files, …) puts the week back to AWAITING_INPUTS with the refusal for people to read; the workflow
 * then ends.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppDeps } from '../app.ts';
import { toShanghaiIso } from '../domain/time.ts';
import type { Reconciliation, StoredDifference } from '../platform/store.ts';
import { workingDayCalendar } from '../working-days.ts';
import type { PartitionManifest, PartitionResult } from './engine.ts';
import { ReconciliationInputError } from './errors.ts';
import { reportKeyOf, runWorkPrefixOf } from './files.ts';
import { ObjectPartitions } from './object-partitions.ts';
import { tablePlatformOrders } from './platform-orders.ts';
import { openSupplierChangesOfWeek, storeSupplierDirectory } from './supplier-changes.ts';
import type { InputFile } from './text-input.ts';
import { reconciliationWeek } from './week.ts';
import { loadWeek, type RunInput, signOffWaitOf } from './weeks.ts';

/** Differences are put a few hundred at a time: the run never holds them all. */
const DIFFERENCE_BATCH = 500;
/** Progress is written every this many rows at most (and at each partition). */
const PROGRESS_EVERY_MS = 1000;
/** Partition results read side by side by the merge. */
const READ_CONCURRENCY = 8;

export type RunOutcome = 'READY' | 'REFUSED' | 'SUPERSEDED';

/** The Map state's items: the partition numbers (the run's own fields are the items' selector's). */
export type PartitionOutcome = { outcome: 'PARTITIONED'; partitions: number[] } | { outcome: RunOutcome };

/** What a partition's Lambda returns to the Map state: a few numbers (the rest is in its objects). */
export interface PartitionSummary {
  partition: number;
  differences: number;
  matchedLines: number;
}

const manifestKeyOf = (input: RunInput) =>
  `${runWorkPrefixOf(input.entityId, input.week, input.run)}manifest.json`;
const resultKeyOf = (input: RunInput, p: number) =>
  `${runWorkPrefixOf(input.entityId, input.week, input.run)}r-${String(p).padStart(4, '0')}.json`;

async function getJson<T>(deps: AppDeps, key: string): Promise<T | null> {
  const bytes = await deps.evidence.get(key);
  return bytes === null ? null : (JSON.parse(Buffer.from(bytes).toString('utf8')) as T);
}

async function putJson(deps: AppDeps, key: string, value: unknown): Promise<void> {
  await deps.evidence.put({
    key,
    contentType: 'application/json',
    body: Buffer.from(JSON.stringify(value), 'utf8'),
  });
}

/** The week at this run, RUNNING; or why this task has nothing to do. */
async function runningWeek(
  deps: AppDeps,
  input: RunInput,
): Promise<{ read: Reconciliation } | { outcome: RunOutcome }> {
  const read = await loadWeek(deps, input.entityId, input.week);
  if (read.run !== input.run) return { outcome: 'SUPERSEDED' };
  // Done already (a task re-run after a restart lost its result): on to the sign-off's wait, which
  // answers itself once the week is signed off.
  if (read.status === 'READY' || read.status === 'SIGNED_OFF') return { outcome: 'READY' };
  if (read.status !== 'RUNNING') return { outcome: 'SUPERSEDED' };
  return { read };
}

async function weekOf(deps: AppDeps, read: Reconciliation) {
  const policy = await deps.store.settings.policy(read.entityId, read.policyVersion);
  return reconciliationWeek(read.week, await workingDayCalendar(deps), policy);
}

/** The registered inputs of these kinds, streamed from the object store into `dir`. */
async function downloadInputs(
  deps: AppDeps,
  read: Reconciliation,
  dir: string,
  kinds: readonly string[],
): Promise<Record<string, InputFile[]>> {
  const files: Record<string, InputFile[]> = { SALES_SUMMARY: [], MASTER_DATA: [], ALIPAY_STATEMENT: [] };
  for (const [index, registered] of read.inputs.entries()) {
    if (!kinds.includes(registered.kind)) continue;
    const local = path.join(dir, `input-${index}`);
    if (!(await deps.evidence.download(registered.uploadKey, local)))
      throw new Error(`input ${registered.uploadKey} of week ${read.week} is not in the object store`);
    files[registered.kind]?.push({ name: registered.fileName, path: local });
  }
  return files;
}

/** A refused input: the week waits for inputs again, with the refusal for people to read. */
async function refuse(deps: AppDeps, read: Reconciliation, input: RunInput, error: ReconciliationInputError) {
  const now = toShanghaiIso(deps.clock.now());
  await deps.store.reconciliations.save({
    reconciliation: {
      ...read,
      status: 'AWAITING_INPUTS',
      refusal: { code: error.code, message: error.message },
      updatedAt: now,
      revision: read.revision + 1,
    },
    expectedRevision: read.revision,
    event: {
      at: now,
      actor: 'reconciliation',
      type: 'RECONCILIATION_RUN_REFUSED',
      version: input.run,
      details: { week: read.week, run: input.run, code: error.code, message: error.message },
    },
  });
  return { outcome: 'REFUSED' as const };
}

const partitionList = (manifest: PartitionManifest) =>
  Array.from({ length: manifest.partitions }, (_, p) => p);

/**
 * A task's working folder in /tmp and the run's partitions in the object store, beside each other:
 * each task removes the folder when it ends.
 */
async function runWork(
  deps: AppDeps,
  input: { entityId: string; week: string; run: number },
  task: 'run' | 'part' | 'merge',
): Promise<{ dir: string; store: ObjectPartitions }> {
  const dir = await mkdtemp(path.join(tmpdir(), `fundflow-${task}-`));
  return {
    dir,
    store: new ObjectPartitions(deps.evidence, runWorkPrefixOf(input.entityId, input.week, input.run), dir),
  };
}

export async function partitionRun(deps: AppDeps, input: RunInput): Promise<PartitionOutcome> {
  const running = await runningWeek(deps, input);
  if (!('read' in running)) return running;
  const { read } = running;
  // Partitioned already (a retry, a restart mid-Map): the partitions are whole once the manifest is.
  const done = await getJson<PartitionManifest>(deps, manifestKeyOf(input));
  if (done) return { outcome: 'PARTITIONED', partitions: partitionList(done) };
  const week = await weekOf(deps, read);
  // The engine's readers (yauzl, the GBK decoder) load here, not at cold start.
  const { partitionWeek } = await import('./engine.ts');
  const { dir, store } = await runWork(deps, input, 'run');
  try {
    const files = await downloadInputs(deps, read, dir, ['SALES_SUMMARY', 'ALIPAY_STATEMENT']);
    const summaries = files.SALES_SUMMARY ?? [];
    let lastWrite = 0;
    const manifest = await partitionWeek(
      {
        week,
        summaries,
        statements: files.ALIPAY_STATEMENT ?? [],
        platformOrders: tablePlatformOrders(deps, read.entityId, week, summaries),
        suppliers: storeSupplierDirectory(deps),
      },
      {
        store,
        onProgress: (progress) => {
          const now = Date.now();
          if (now - lastWrite < PROGRESS_EVERY_MS) return;
          lastWrite = now;
          void deps.store.reconciliations.progress(read.entityId, read.week, progress).catch(() => undefined); // progress is for people; the run's result is what counts
        },
      },
    );
    await putJson(deps, manifestKeyOf(input), manifest);
    await deps.store.reconciliations.progress(read.entityId, read.week, {
      stage: 'MATCHING',
      rowsRead: manifest.rowsRead,
      partitions: manifest.partitions,
      partitionsDone: 0,
    });
    return { outcome: 'PARTITIONED', partitions: partitionList(manifest) };
  } catch (error) {
    if (!(error instanceof ReconciliationInputError)) throw error;
    return await refuse(deps, read, input, error);
  } finally {
    await store.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

const summaryOf = (result: PartitionResult): PartitionSummary => ({
  partition: result.partition,
  differences: Object.values(result.counts).reduce((sum, n) => sum + n, 0),
  matchedLines: result.matchedLines,
});

export async function matchRunPartition(
  deps: AppDeps,
  input: RunInput & { partition: number },
): Promise<PartitionSummary | { partition: number; outcome: RunOutcome }> {
  const running = await runningWeek(deps, input);
  if (!('read' in running)) return { partition: input.partition, ...running };
  // Matched already (a retry, a restart mid-Map): its result is written after its streams.
  const done = await getJson<PartitionResult>(deps, resultKeyOf(input, input.partition));
  if (done) return summaryOf(done);
  const manifest = await getJson<PartitionManifest>(deps, manifestKeyOf(input));
  if (!manifest) throw new Error(`run ${input.run} of week ${input.week} has no partitions yet`);
  if (input.partition >= manifest.partitions)
    throw new RangeError(`run ${input.run} of week ${input.week} has no partition ${input.partition}`);
  const week = await weekOf(deps, running.read);
  const { matchPartition } = await import('./engine.ts');
  const { dir, store } = await runWork(deps, input, 'part');
  try {
    const result = await matchPartition(week, manifest, input.partition, { store });
    await store.seal();
    await putJson(deps, resultKeyOf(input, input.partition), result);
    await deps.store.reconciliations.partitionDone(input.entityId, input.week).catch(() => undefined); // progress is for people
    return summaryOf(result);
  } finally {
    await store.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function mergeRun(deps: AppDeps, input: RunInput): Promise<{ outcome: RunOutcome }> {
  const running = await runningWeek(deps, input);
  if (!('read' in running)) return running;
  const { read } = running;
  const manifest = await getJson<PartitionManifest>(deps, manifestKeyOf(input));
  if (!manifest) throw new Error(`run ${input.run} of week ${input.week} has no partitions yet`);
  const week = await weekOf(deps, read);
  // The engine and the report's workbook (exceljs) load here, not at cold start.
  const { mergePartitions } = await import('./engine.ts');
  const { writeReconciliationReport } = await import('./report.ts');
  const { dir, store } = await runWork(deps, input, 'merge');
  try {
    // Awaited: a progress write landing after the READY below would undo its DONE.
    await deps.store.reconciliations.progress(read.entityId, read.week, {
      stage: 'MERGING',
      rowsRead: manifest.rowsRead,
      partitions: manifest.partitions,
      partitionsDone: manifest.partitions,
    });
    const results: PartitionResult[] = [];
    let next = 0;
    const reader = async () => {
      while (next < manifest.partitions) {
        const p = next++;
        const result = await getJson<PartitionResult>(deps, resultKeyOf(input, p));
        if (!result)
          throw new Error(`partition ${p} of run ${input.run} of week ${input.week} is not matched`);
        results[p] = result;
      }
    };
    await Promise.all(Array.from({ length: READ_CONCURRENCY }, reader));
    const files = await downloadInputs(deps, read, dir, ['MASTER_DATA']);
    const result = await mergePartitions(manifest, results, {
      store,
      masterData: files.MASTER_DATA ?? [],
      suppliers: storeSupplierDirectory(deps),
    });
    // 3. The differences, under this run.
    let batch: StoredDifference[] = [];
    let total = 0;
    for await (const difference of result.differences()) {
      total++;
      batch.push({ ...difference, run: input.run, status: 'OPEN' });
      if (batch.length === DIFFERENCE_BATCH) {
        await deps.store.reconciliations.putDifferences(read.entityId, read.week, batch);
        batch = [];
      }
    }
    await deps.store.reconciliations.putDifferences(read.entityId, read.week, batch);
    await openSupplierChangesOfWeek(deps, read.week, result.supplierChanges);
    const reportFile = path.join(dir, 'report.xlsx');
    await writeReconciliationReport(reportFile, week, result);
    await deps.evidence.put({
      key: reportKeyOf(read.entityId, read.week, input.run),
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: await readFile(reportFile),
    });
    // 4. READY, if nothing changed the week meanwhile (a progress write does not bump the revision).
    const now = toShanghaiIso(deps.clock.now());
    await deps.store.reconciliations.save({
      reconciliation: {
        ...read,
        status: 'READY',
        progress: {
          stage: 'DONE',
          rowsRead: manifest.rowsRead,
          partitions: result.partitions,
          partitionsDone: result.partitions,
        },
        counts: result.counts,
        open: total,
        totals: { ...result.totals },
        updatedAt: now,
        revision: read.revision + 1,
      },
      expectedRevision: read.revision,
      event: {
        at: now,
        actor: 'reconciliation',
        type: 'RECONCILIATION_READY',
        version: input.run,
        details: { week: read.week, run: input.run, differences: total, counts: result.counts },
      },
    });
    return { outcome: 'READY' };
  } catch (error) {
    if (!(error instanceof ReconciliationInputError)) throw error;
    return await refuse(deps, read, input, error);
  } finally {
    await store.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * AwaitSignOff: keeps the task token while the week is READY at this run; finance's sign-off (or a
 * change that supersedes the run) answers it through the outbox. Moved on already: answered here.
 */
export async function awaitSignOff(deps: AppDeps, input: RunInput & { taskToken: string }): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const week = await loadWeek(deps, input.entityId, input.week);
    if (week.status === 'READY' && week.run === input.run) {
      const kept = await deps.store.waits.keep(
        signOffWaitOf(input.entityId, input.week, input.run),
        input.taskToken,
        { while: { status: 'READY', version: input.run }, revision: week.revision },
      );
      if (kept) return;
      continue;
    }
    await deps.taskTokens.succeed(
      input.taskToken,
      week.status === 'SIGNED_OFF' && week.run === input.run && week.signedOff
        ? { signedOffBy: week.signedOff.by, signedOffAt: week.signedOff.at }
        : { superseded: true },
    );
    return;
  }
  throw new Error(`week ${input.week} kept changing; its sign-off wait will be retried`);
}

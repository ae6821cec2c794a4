/**
 * The `reconciliation` workflow's tasks (infra/constructs/reconciliation-workflow.ts): reconcile a
 * week's run, then wait for finance's sign-off.
 *
 * ReconcileWeek, primary course:
 *  1. The week is still at this run and RUNNING (otherwise a later run or a change superseded it:
 *     nothing to do).
 *  2. Each input is streamed from the object store to the task's disk; fundflow's orders are read
 *     from the table a page at a time (platform-orders.ts); the engine partitions every row by order id
 *     into its partition store and matches one partition at a time (engine.ts), reporting progress.
 *  3. The differences are put into the table under the run (stable ids: a retried task puts the same
 *     items again); each MASTER_DATA_CHANGE opens a supplier change request (D8: never the master);
 *     the XLSX report is stored beside the inputs.
 *  4. The week becomes READY with its counts and totals, in one conditional write with its event.
 * An input the engine refuses (two different rows under one 流水号 across files, …) puts the week back
 * to AWAITING_INPUTS with the refusal for people to read; the workflow then ends.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppDeps } from '../app.ts';
import { toShanghaiIso } from '../domain/time.ts';
import type { StoredDifference } from '../platform/store.ts';
import { workingDayCalendar } from '../working-days.ts';
import { ReconciliationInputError } from './errors.ts';
import { reportKeyOf } from './files.ts';
import { TempDirPartitions } from './partitions.ts';
import { tablePlatformOrders } from './platform-orders.ts';
import { openSupplierChangesOfWeek, storeSupplierDirectory } from './supplier-changes.ts';
import type { InputFile } from './text-input.ts';
import { reconciliationWeek } from './week.ts';
import { loadWeek, type RunInput, signOffWaitOf } from './weeks.ts';

/** Differences are put a few hundred at a time: the run never holds them all. */
const DIFFERENCE_BATCH = 500;
/** Progress is written every this many rows at most (and at each partition). */
const PROGRESS_EVERY_MS = 1000;

export async function reconcileWeek(
  deps: AppDeps,
  input: RunInput,
): Promise<{ outcome: 'READY' | 'REFUSED' | 'SUPERSEDED' }> {
  const read = await loadWeek(deps, input.entityId, input.week);
  if (read.run !== input.run) return { outcome: 'SUPERSEDED' };
  // Done already (a task re-run after a restart lost its result): on to the sign-off's wait, which
  // answers itself once the week is signed off.
  if (read.status === 'READY' || read.status === 'SIGNED_OFF') return { outcome: 'READY' };
  if (read.status !== 'RUNNING') return { outcome: 'SUPERSEDED' };
  const policy = await deps.store.settings.policy(read.entityId, read.policyVersion);
  const week = reconciliationWeek(read.week, await workingDayCalendar(deps), policy);
  // The engine's readers and the report's workbook (exceljs, yauzl) load here, not at cold start.
  const { reconcile } = await import('./engine.ts');
  const { writeReconciliationReport } = await import('./report.ts');
  const dir = await mkdtemp(path.join(tmpdir(), 'fundflow-run-'));
  const partitions = new TempDirPartitions(dir);
  try {
    const files: Record<string, InputFile[]> = { SALES_SUMMARY: [], MASTER_DATA: [], ALIPAY_STATEMENT: [] };
    for (const [index, registered] of read.inputs.entries()) {
      const local = path.join(dir, `input-${index}`);
      if (!(await deps.evidence.download(registered.uploadKey, local)))
        throw new Error(`input ${registered.uploadKey} of week ${read.week} is not in the object store`);
      files[registered.kind]?.push({ name: registered.fileName, path: local });
    }
    const summaries = files.SALES_SUMMARY ?? [];
    let lastWrite = 0;
    const result = await reconcile(
      {
        week,
        summaries,
        statements: files.ALIPAY_STATEMENT ?? [],
        masterData: files.MASTER_DATA ?? [],
        platformOrders: tablePlatformOrders(deps, read.entityId, week, summaries),
        suppliers: storeSupplierDirectory(deps),
      },
      {
        store: partitions,
        onProgress: (progress) => {
          const now = Date.now();
          if (now - lastWrite < PROGRESS_EVERY_MS && progress.stage !== 'DONE') return;
          lastWrite = now;
          void deps.store.reconciliations
            .progress(read.entityId, read.week, { ...progress, stage: progress.stage })
            .catch(() => undefined); // progress is for people; the run's result is what counts
        },
      },
    );
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
          rowsRead: 0,
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
    return { outcome: 'REFUSED' };
  } finally {
    await partitions.dispose();
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

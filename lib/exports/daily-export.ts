/**
 * The daily back-office export (POLICY 3.1, D10): on every working day at 17:30 Asia/Shanghai (the
 * policy's `dailyExportTime`), each legal entity gets the orders that became complete and recorded
 * since its previous export, as CSV and XLSX in the object store, and its merchandising and finance
 * get an email with the links and the totals.
 *
 * Primary course, per entity:
 *  1. Claim the (day, entity) unit (lib/storage/job-run-repository.ts): a unit done, or held by another
 *     run, is left alone — a rerun of the day changes nothing and mails nothing.
 *  2. The window runs from the previous export's end to the day's 17:30 (never past the present, less
 *     a margin for the index): a weekend or National Day between two runs is simply a longer window.
 *  3. The orders of the window (one key condition on `ordersCompleteRecorded`), each marked late when
 *     an earlier export's window held its completion time; the files are stored, then the export is
 *     recorded with its audit event.
 *  4. The email goes out; then the unit is done. A failure gives the unit back: the retry finds the
 *     export recorded and only sends what is missing.
 */
import type { AppDeps } from '../app.ts';
import { DAILY_EXPORT_ROLES, hasRole } from '../domain/access.ts';
import {
  type DailyExportRow,
  exportOccurrence,
  exportWindow,
  isLate,
  totalsOf,
} from '../domain/daily-export.ts';
import type { LegalEntity, LocalDate, PlatformOrder } from '../domain/model.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { type JobInput, jobDay, scheduledAt } from '../jobs/job-input.ts';
import { logger } from '../observability/logger.ts';
import type { DailyExport } from '../platform/store.ts';
import { workingDayCalendar } from '../working-days.ts';
import { exportFileKey, exportLinks } from './export-files.ts';

export const DAILY_EXPORT_JOB = 'dailyExport';

/**
 * The files' writers (csv-stringify, and exceljs behind them) and the email load when an export is made
 * or mailed: the job runs every few minutes and does neither on most runs.
 */
const fileWriters = () => import('./files.ts');

/**
 * How far behind the present a window ends at the latest: the index is read eventually consistent,
 * and an order written a moment ago may not be in it yet. An order recorded in the margin goes into
 * the next export (not late: its completion lies in that export's window).
 */
export const INDEX_MARGIN_MS = 60_000;

/** NOT_YET: a scheduled run before the entity's export time (its policy's `dailyExportTime`). */
export type EntityOutcome = 'EXPORTED' | 'ALREADY_DONE' | 'SUPERSEDED' | 'NOT_YET';

export interface DailyExportResult {
  date: LocalDate;
  /** Each entity's outcome; none on a day that is not a working day. */
  entities: Record<string, EntityOutcome>;
}

/**
 * `scheduledAt`: the occurrence of a scheduled run, which exports an entity only once its own export
 * time has come on `date` (POLICY D17: the time is each entity's versioned setting; the job runs every
 * few minutes). A run by hand for a day (no occurrence) exports it whatever the time.
 */
export async function runDailyExport(
  deps: AppDeps,
  input: { date: LocalDate; now: Date; scheduledAt?: Date },
): Promise<DailyExportResult> {
  const result: DailyExportResult = { date: input.date, entities: {} };
  // POLICY D10: working days only; the days between go into the next working day's window.
  if (!(await workingDayCalendar(deps)).isWorkingDay(input.date)) return result;
  const failures: { entityId: string; error: unknown }[] = [];
  for (const entity of await deps.store.people.listEntities()) {
    try {
      result.entities[entity.id] = await exportEntity(deps, entity, input);
    } catch (error) {
      logger.error('daily export failed', {
        job: DAILY_EXPORT_JOB,
        date: input.date,
        entityId: entity.id,
        error: error as Error,
      });
      failures.push({ entityId: entity.id, error });
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(
      failures.map((failure) => failure.error),
      `The daily export of ${input.date} failed for ${failures.map((failure) => failure.entityId).join(', ')}; ` +
        'the other entities were done. A retry does only what is missing.',
    );
  }
  return result;
}

/** The scheduled job's entry: the occurrence's day (or the day given by hand), on the clock's time. */
export function dailyExportJob(deps: AppDeps, input: JobInput = {}): Promise<DailyExportResult> {
  const now = deps.clock.now();
  const occurrence = scheduledAt(input);
  return runDailyExport(deps, {
    date: jobDay(input, now),
    now,
    ...(occurrence ? { scheduledAt: occurrence } : {}),
  });
}

async function exportEntity(
  deps: AppDeps,
  entity: LegalEntity,
  { date, now, scheduledAt }: { date: LocalDate; now: Date; scheduledAt?: Date },
): Promise<EntityOutcome> {
  const unit = `${date}#${entity.id}`;
  if (await deps.store.jobRuns.done(DAILY_EXPORT_JOB, unit)) return 'ALREADY_DONE';
  if (scheduledAt) {
    // POLICY 3.1, D10, D17: at the entity's own export time (the version in force now, as makeExport).
    const policy = await deps.store.settings.currentPolicy(entity.id, now);
    if (scheduledAt.getTime() < exportOccurrence(date, policy.dailyExportTime).getTime()) return 'NOT_YET';
  }
  const claimed = await deps.store.jobRuns.claim(DAILY_EXPORT_JOB, unit, now);
  if (claimed.status !== 'CLAIMED') return 'ALREADY_DONE';
  if (claimed.tookOverFrom) {
    logger.warn('daily export taken over from a run that did not finish', {
      job: DAILY_EXPORT_JOB,
      unit,
      claimedAt: claimed.tookOverFrom,
    });
  }
  try {
    const record =
      (await deps.store.dailyExports.get(entity.id, date)) ?? (await makeExport(deps, entity, date, now));
    if (record === 'SUPERSEDED') {
      await deps.store.jobRuns.complete(claimed.claim, now, { superseded: true });
      return 'SUPERSEDED';
    }
    await mailExport(deps, record);
    if (!(await deps.store.jobRuns.complete(claimed.claim, now, { orders: record.orders }))) {
      logger.warn('daily export mailed after its claim was taken over; it may have gone twice', {
        job: DAILY_EXPORT_JOB,
        unit,
      });
    }
    return 'EXPORTED';
  } catch (error) {
    // Not done: give the unit back so the retry does it (the export, once recorded, is not made again).
    await deps.store.jobRuns.release(claimed.claim).catch((releaseError: unknown) => {
      logger.error('daily export claim not released', {
        job: DAILY_EXPORT_JOB,
        unit,
        error: releaseError as Error,
      });
    });
    throw error;
  }
}

/** Steps 2–3: the window, its orders, the files, the record. */
async function makeExport(
  deps: AppDeps,
  entity: LegalEntity,
  date: LocalDate,
  now: Date,
): Promise<DailyExport | 'SUPERSEDED'> {
  const previous = await deps.store.dailyExports.latest(entity.id);
  if (previous && previous.date > date) {
    // A later day's export exists (a missed day run by hand afterwards): its window already holds
    // this day's orders, and a second window over them would put them in two exports.
    logger.warn('daily export of an earlier day skipped: a later export covers it', {
      job: DAILY_EXPORT_JOB,
      date,
      entityId: entity.id,
      later: previous.date,
    });
    return 'SUPERSEDED';
  }
  const policy = await deps.store.settings.currentPolicy(entity.id, now);
  const { windowStart, windowEnd } = exportWindow({
    previousWindowEnd: previous?.windowEnd ?? null,
    occurrence: exportOccurrence(date, policy.dailyExportTime),
    now: new Date(now.getTime() - INDEX_MARGIN_MS),
  });
  const orders = await deps.store.orders.completeRecordedBetween(entity.id, windowStart, windowEnd);
  const rows = await rowsOf(deps, orders, windowStart);
  const totals = totalsOf(rows);
  const files = { csv: exportFileKey(entity.id, date, 'csv'), xlsx: exportFileKey(entity.id, date, 'xlsx') };
  await deps.evidence.put({
    key: files.csv,
    contentType: 'text/csv; charset=utf-8',
    body: await (await fileWriters()).exportCsv(rows, totals),
  });
  await deps.evidence.put({
    key: files.xlsx,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await (await fileWriters()).exportXlsx(rows, totals, date),
  });
  const record: DailyExport = {
    entityId: entity.id,
    date,
    windowStart,
    windowEnd,
    orders: totals.orders,
    amountFen: totals.amountFen,
    supplierPayableFen: totals.supplierPayableFen,
    claimedFen: totals.claimedFen,
    late: totals.late,
    files,
    policyVersion: policy.version,
    createdAt: toShanghaiIso(now),
  };
  await deps.store.dailyExports.create(record, {
    at: record.createdAt,
    actor: 'fundflow',
    type: 'DAILY_EXPORT_CREATED',
    version: 1,
    details: { date, windowStart, windowEnd, orders: totals.orders, late: totals.late },
  });
  return record;
}

async function rowsOf(
  deps: AppDeps,
  orders: readonly PlatformOrder[],
  windowStart: string,
): Promise<DailyExportRow[]> {
  const names = new Map<string, string>();
  for (const supplierId of new Set(orders.map((order) => order.supplierId))) {
    names.set(supplierId, (await deps.store.suppliers.get(supplierId))?.name ?? '');
  }
  return orders.map((order) => ({
    orderId: order.orderId,
    supplierId: order.supplierId,
    supplierName: names.get(order.supplierId) ?? '',
    amountFen: order.amountFen,
    supplierPayableFen: order.supplierPayableFen,
    receiptConfirmedAt: order.receiptConfirmedAt,
    fundsCreditedAt: order.fundsCreditedAt,
    claimedFen: order.claimedFen,
    late: isLate(order, windowStart),
  }));
}

/** Step 4: merchandising and finance of the entity (POLICY 3.1: "delivered to merchandising and finance"). */
async function mailExport(deps: AppDeps, record: DailyExport): Promise<void> {
  const people = await deps.store.people.listByEntity(record.entityId);
  const to = people.filter((person) => hasRole(person, ...DAILY_EXPORT_ROLES)).map((person) => person.email);
  if (to.length === 0) {
    // The mail service refuses a message without recipients; the export is there on the page.
    logger.warn('daily export not mailed: the entity has no merchandising or finance people', {
      job: DAILY_EXPORT_JOB,
      date: record.date,
      entityId: record.entityId,
    });
    return;
  }
  const { dailyExportReady } = await import('./emails.ts');
  await deps.mailer.send(dailyExportReady(record, to, exportLinks(deps.publicBaseUrl, record.date)));
}

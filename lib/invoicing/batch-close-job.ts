/**
 * The batch close as a scheduled job (POLICY 4, D12): every day at 17:00 Asia/Shanghai, and again at
 * 17:01 (the status index may not yet show a request recorded just before the close), it decides
 * whether the day is a batch day of each entity (the 10th and the 25th, or the working day before:
 * lib/domain/invoicing.ts), closes that entity's batch (closeBatch: idempotent) and emails finance
 * once. It runs for the day of its occurrence (or a day given by hand).
 *
 * The email is claimed per (day, entity) in the job runs (lib/storage/job-run-repository.ts) before it
 * is sent, so the 17:01 run, a repeated delivery or a run by hand closes again but mails nothing twice.
 * One entity's failure does not stop the others; the job fails at the end, naming them.
 */
import type { AppDeps } from '../app.ts';
import { batchClosesAt, batchDaysOfMonth } from '../domain/invoicing.ts';
import type { LegalEntity, LocalDate } from '../domain/model.ts';
import { type JobInput, jobDay } from '../jobs/job-input.ts';
import { logger } from '../observability/logger.ts';
import { workingDayCalendar } from '../working-days.ts';
import { closeBatch } from './batches.ts';
import { batchForFinance } from './emails.ts';

const JOB = 'invoiceBatchClose';

export interface BatchCloseResult {
  date: LocalDate;
  /** The entities whose batch of the day is closed (now or before), with the lines this run sent. */
  closed: { entityId: string; sent: number; closedNow: boolean; mailed: boolean }[];
}

export async function closeDueInvoiceBatches(deps: AppDeps, input: JobInput = {}): Promise<BatchCloseResult> {
  const now = deps.clock.now();
  const date = jobDay(input, now);
  const result: BatchCloseResult = { date, closed: [] };
  const calendar = await workingDayCalendar(deps);
  const failures: { entityId: string; error: unknown }[] = [];
  for (const entity of await deps.store.people.listEntities()) {
    try {
      const policy = await deps.store.settings.currentPolicy(entity.id, now);
      const [year, month] = date.split('-').map(Number) as [number, number];
      // D12: not a batch day of this entity, or not yet 17:00 (a run by hand before the close).
      if (!batchDaysOfMonth(year, month, calendar, policy).includes(date)) continue;
      if (now.getTime() < batchClosesAt(date, policy).getTime()) continue;
      const { batch, sent, closedNow } = await closeBatch(deps, { entityId: entity.id, batchDate: date });
      const mailed = await mailFinance(deps, entity, date, batch.dueBy, now);
      result.closed.push({ entityId: entity.id, sent: sent.length, closedNow, mailed });
    } catch (error) {
      logger.error('invoice batch close failed', {
        job: JOB,
        date,
        entityId: entity.id,
        error: error as Error,
      });
      failures.push({ entityId: entity.id, error });
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(
      failures.map((failure) => failure.error),
      `Invoice batch close of ${date} failed for ${failures.map((failure) => failure.entityId).join(', ')}; ` +
        'the other entities were done. A retry closes and mails only what is missing.',
    );
  }
  return result;
}

/** Finance's email about the closed batch, once per (day, entity): true when this run sent it. */
async function mailFinance(
  deps: AppDeps,
  entity: LegalEntity,
  date: LocalDate,
  dueBy: LocalDate,
  now: Date,
): Promise<boolean> {
  const unit = `${date}#${entity.id}`;
  if (await deps.store.jobRuns.done(JOB, unit)) return false;
  const withFinance = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.invoiceRequests.listByStatus(entity.id, 'WITH_FINANCE', {
      limit: 100,
      batchDate: date,
      ...(cursor ? { cursor } : {}),
    });
    withFinance.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  // An empty batch needs nobody: no email (a later run of the day finds the same).
  if (withFinance.length === 0) return false;
  // POLICY 4: finance's invoicing clerk issues; with none, the finance reviewer is who can act.
  const people = await deps.store.people.listByEntity(entity.id);
  const withRole = (role: 'FINANCE_INVOICING' | 'FINANCE_REVIEWER') =>
    people.filter((person) => person.roles.includes(role)).map((person) => person.email);
  const invoicing = withRole('FINANCE_INVOICING');
  const finance = invoicing.length > 0 ? invoicing : withRole('FINANCE_REVIEWER');
  if (finance.length === 0) {
    logger.warn('invoice batch email not sent: the entity has nobody in finance', {
      job: JOB,
      date,
      entityId: entity.id,
    });
    return false;
  }
  const claimed = await deps.store.jobRuns.claim(JOB, unit, now);
  if (claimed.status !== 'CLAIMED') return false;
  try {
    await deps.mailer.send(
      batchForFinance({
        batchDate: date,
        dueBy,
        lines: withFinance.length,
        totalFen: withFinance.reduce((sum, request) => sum + request.amountFen, 0),
        to: finance,
        link: `${deps.publicBaseUrl}/invoice-requests?status=WITH_FINANCE`,
      }),
    );
  } catch (error) {
    // Not sent: give the unit back, so the retry of this job sends it.
    await deps.store.jobRuns.release(claimed.claim).catch((releaseError: unknown) => {
      logger.error('invoice batch email claim not released', {
        job: JOB,
        unit,
        error: releaseError as Error,
      });
    });
    throw error;
  }
  await deps.store.jobRuns.complete(claimed.claim, now, { lines: withFinance.map((request) => request.id) });
  return true;
}

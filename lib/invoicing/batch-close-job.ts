/**
 * The batch close as a scheduled job (POLICY 4, D12): every 5 minutes it decides whether the day is a
 * batch day of each entity (the 10th and the 25th, or the working day before: lib/domain/invoicing.ts)
 * and the entity's close time has come (its policy's `invoiceBatchCloseHour`, 17:00 by default — a
 * versioned setting of each entity, D17, so no one cron could hold it), and closes that entity's batch
 * (closeBatch: idempotent). The close starts the batch's own workflow through the outbox
 * (`invoiceBatch`, named `<entityId>-<batchDate>`), which emails finance once and keeps the deadlines
 * (lib/invoicing/batch-workflow.ts); the runs after it (the status index may not yet have shown a
 * request recorded just before the close), a repeated delivery or a run by hand close again but
 * start nothing new. It runs for the day of its
 * occurrence (or a day given by hand). One entity's failure does not stop the others; the job fails
 * at the end, naming them.
 */
import type { AppDeps } from '../app.ts';
import { batchClosesAt, batchDaysOfMonth } from '../domain/invoicing.ts';
import type { LocalDate } from '../domain/model.ts';
import { type JobInput, jobDay, scheduledAt } from '../jobs/job-input.ts';
import { logger } from '../observability/logger.ts';
import { workingDayCalendar } from '../working-days.ts';
import { closeBatch } from './batches.ts';

const JOB = 'invoiceBatchClose';

/**
 * A batch closed this long before a scheduled run has been closed again by the run after (which
 * moves what the status index showed late, as the 17:01 run once did): the day's later runs — every
 * five minutes until midnight — leave it alone rather than read its requests again.
 */
const CLOSED_AND_SETTLED_MS = 10 * 60_000;

export interface BatchCloseResult {
  date: LocalDate;
  /** The entities whose batch of the day is closed (now or before), with the lines this run sent. */
  closed: { entityId: string; sent: number; closedNow: boolean }[];
}

export async function closeDueInvoiceBatches(deps: AppDeps, input: JobInput = {}): Promise<BatchCloseResult> {
  const now = deps.clock.now();
  const date = jobDay(input, now);
  const occurrence = scheduledAt(input);
  const result: BatchCloseResult = { date, closed: [] };
  const calendar = await workingDayCalendar(deps);
  const failures: { entityId: string; error: unknown }[] = [];
  for (const entity of await deps.store.people.listEntities()) {
    try {
      const policy = await deps.store.settings.currentPolicy(entity.id, now);
      const [year, month] = date.split('-').map(Number) as [number, number];
      // D12: not a batch day of this entity, or not yet its close time (a run before the close).
      if (!batchDaysOfMonth(year, month, calendar, policy).includes(date)) continue;
      if (now.getTime() < batchClosesAt(date, policy).getTime()) continue;
      if (occurrence) {
        const closed = await deps.store.invoiceBatches.get(entity.id, date);
        if (closed && Date.parse(closed.sentAt) <= occurrence.getTime() - CLOSED_AND_SETTLED_MS) continue;
      }
      const { sent, closedNow } = await closeBatch(deps, { entityId: entity.id, batchDate: date });
      result.closed.push({ entityId: entity.id, sent: sent.length, closedNow });
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

/**
 * End of a payment day (POLICY 2.2(3), issue "the cashier's day"): every voucher of the day's run that
 * is still not recorded as paid goes to the entity's cashiers as a reminder, and finance is told
 * (escalation). Scheduled every day at 17:30 Asia/Shanghai; on a non-working day there is no run and
 * the job does nothing. It runs for the day of its occurrence (or a day given by hand).
 *
 * EventBridge Scheduler delivers at least once and Lambda retries a failed asynchronous invocation, so
 * two runs for one day may overlap. Each (day, entity) is claimed before its email is sent: a run that
 * finds it done, or claimed moments ago by another run, leaves it; a claim left by a run that crashed
 * is taken over after a few minutes. One entity's failure does not stop the others; the job fails at
 * the end, naming the entities, so the retry sends what is missing and nothing twice.
 */
import type { AppDeps } from '../app.ts';
import type { LegalEntity, LocalDate } from '../domain/model.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { type JobInput, jobDay } from '../jobs/job-input.ts';
import { logger } from '../observability/logger.ts';
import { workingDayCalendar } from '../working-days.ts';

/**
 * The reminder's email (the UI kit's email layout, preact and its renderer), loaded by `await
 * import()` when a run is left unpaid: a day with none never parses it.
 */
const emails = () => import('./emails.ts');

const JOB = 'cashierReminders';

export interface CashierReminderResult {
  date: LocalDate;
  /** How many unpaid vouchers this run reminded of. */
  reminded: number;
  /** The entities whose reminder for the day was sent already, or is being sent by another run. */
  alreadySent: string[];
}

export async function remindUnpaidRuns(deps: AppDeps, input: JobInput = {}): Promise<CashierReminderResult> {
  // 1. The day the occurrence is for; nothing on a non-working day (no run, POLICY D4).
  // 2. Each entity on its own: a failure is kept and the next entity goes ahead.
  // 3. Any failure fails the job at the end, so the scheduler's retry redoes what is missing.
  const now = deps.clock.now();
  const date = jobDay(input, now);
  const result: CashierReminderResult = { date, reminded: 0, alreadySent: [] };
  if (!(await workingDayCalendar(deps)).isWorkingDay(date)) return result;
  const failures: { entityId: string; error: unknown }[] = [];
  for (const entity of await deps.store.people.listEntities()) {
    try {
      const outcome = await remindEntity(deps, entity, date, now);
      if (outcome === 'ALREADY_SENT') result.alreadySent.push(entity.id);
      else result.reminded += outcome;
    } catch (error) {
      logger.error('cashier reminder failed', { job: JOB, date, entityId: entity.id, error: error as Error });
      failures.push({ entityId: entity.id, error });
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(
      failures.map((failure) => failure.error),
      `Cashier reminders of ${date} failed for ${failures.map((failure) => failure.entityId).join(', ')}; ` +
        'the other entities were done. A retry sends only what is missing.',
    );
  }
  return result;
}

/** One entity's reminder for the day: how many vouchers it named, or that it was sent already. */
async function remindEntity(
  deps: AppDeps,
  entity: LegalEntity,
  date: LocalDate,
  now: Date,
): Promise<number | 'ALREADY_SENT'> {
  const unit = `${date}#${entity.id}`;
  if (await deps.store.jobRuns.done(JOB, unit)) return 'ALREADY_SENT';
  const unpaid = (await deps.store.vouchers.paymentRun(entity.id, date)).filter(
    (voucher) => voucher.status === 'READY_FOR_PAYMENT',
  );
  if (unpaid.length === 0) return 0;
  // POLICY 2.2(1): the cashier pays, after finance review; with no cashier, finance is who can act.
  const people = await deps.store.people.listByEntity(entity.id);
  const withRole = (role: 'CASHIER' | 'FINANCE_REVIEWER') =>
    people.filter((person) => person.roles.includes(role)).map((person) => person.email);
  const finance = withRole('FINANCE_REVIEWER');
  const cashiers = withRole('CASHIER');
  const to = cashiers.length > 0 ? cashiers : finance;
  if (to.length === 0) {
    // SES refuses a message without recipients; the directory has to be fixed, not the job retried.
    logger.warn('cashier reminder not sent: the entity has no cashier and no finance reviewer', {
      job: JOB,
      date,
      entityId: entity.id,
      unpaid: unpaid.map((voucher) => voucher.id),
    });
    return 0;
  }

  const claimed = await deps.store.jobRuns.claim(JOB, unit, now);
  if (claimed.status !== 'CLAIMED') return 'ALREADY_SENT';
  if (claimed.tookOverFrom) {
    logger.warn('cashier reminder taken over from a run that did not finish', {
      job: JOB,
      date,
      entityId: entity.id,
      claimedAt: claimed.tookOverFrom,
    });
  }
  try {
    await deps.mailer.send(
      (await emails()).unpaidRunReminder(
        date,
        unpaid,
        to,
        finance,
        `${deps.publicBaseUrl}/payment-runs/${date}`,
      ),
    );
  } catch (error) {
    // Not sent: give the unit back, so the retry of this job sends it. Should that fail too, the claim
    // goes stale and a later delivery takes it over.
    await deps.store.jobRuns.release(claimed.claim).catch((releaseError: unknown) => {
      logger.error('cashier reminder claim not released', { job: JOB, unit, error: releaseError as Error });
    });
    throw error;
  }
  // Done before the history is written: once the email is out, no retry may send it again.
  const reminded = unpaid.map((voucher) => voucher.id);
  if (!(await deps.store.jobRuns.complete(claimed.claim, now, { reminded }))) {
    logger.warn('cashier reminder sent after its claim was taken over; it may have gone twice', {
      job: JOB,
      date,
      entityId: entity.id,
    });
  }
  for (const voucher of unpaid) {
    await deps.store.vouchers.recordEvent(voucher.id, {
      at: toShanghaiIso(now),
      actor: 'fundflow',
      type: 'PAYMENT_OVERDUE_REMINDED',
      version: voucher.version,
      details: { run: date, dueDate: voucher.payment?.dueDate, to, escalatedTo: finance },
    });
  }
  return unpaid.length;
}

/**
 * The weekly reconciliation's reminders as a scheduled job (POLICY 3.2, D11): every 5 minutes, and for
 * an entity from its policy's `reconciliationReminderTime` (10:00 by default, Asia/Shanghai; a
 * versioned setting of each entity, D17) on, for each entity and each week due that
 * day whose sales summary is not registered, the entity's merchandisers and head of merchandising are
 * reminded; the next working day, finance and the head of merchandising are told it is late.
 *
 * Each (day, entity, kind, week) is claimed in the job runs before its email is sent, so a rerun, a
 * repeated delivery or a run by hand (`POST /api/dev/jobs/reconciliation-reminders`) mails nothing
 * twice. One entity's failure does not stop the others; the job fails at the end, naming them.
 */
import type { AppDeps } from '../app.ts';
import type { LegalEntity, LocalDate, Role } from '../domain/model.ts';
import { addDays, isoDayOfWeek, parseInstant } from '../domain/time.ts';
import { type JobInput, jobDay, scheduledAt } from '../jobs/job-input.ts';
import { logger } from '../observability/logger.ts';
import { workingDayCalendar } from '../working-days.ts';
import { type ReconciliationWeek, reconciliationWeek } from './week.ts';

const JOB = 'reconciliationReminders';
export type ReminderKind = 'SUMMARY_DUE' | 'SUMMARY_LATE';

export interface ReconciliationRemindersResult {
  date: LocalDate;
  sent: { entityId: string; week: LocalDate; kind: ReminderKind; to: string[] }[];
}

/** The Mondays whose week may be due around `day`: a due day is at most a few weeks after its week. */
function candidateWeeks(day: LocalDate): LocalDate[] {
  const monday = addDays(day, 1 - isoDayOfWeek(day));
  return [1, 2, 3].map((weeksBack) => addDays(monday, -7 * weeksBack));
}

export async function remindReconciliations(
  deps: AppDeps,
  input: JobInput = {},
): Promise<ReconciliationRemindersResult> {
  const now = deps.clock.now();
  const date = jobDay(input, now);
  const calendar = await workingDayCalendar(deps);
  const occurrence = scheduledAt(input);
  const result: ReconciliationRemindersResult = { date, sent: [] };
  const failures: { entityId: string; error: unknown }[] = [];
  for (const entity of await deps.store.people.listEntities()) {
    try {
      const policy = await deps.store.settings.currentPolicy(entity.id, now);
      // D17: a scheduled run reminds an entity from its own reminder time on (a versioned setting).
      const remindFrom = parseInstant(`${date}T${policy.reconciliationReminderTime}:00+08:00`);
      if (occurrence && occurrence.getTime() < remindFrom.getTime()) continue;
      for (const monday of candidateWeeks(date)) {
        const week = reconciliationWeek(monday, calendar, policy);
        const kind: ReminderKind | null =
          week.dueOn === date
            ? 'SUMMARY_DUE'
            : calendar.nextWorkingDay(week.dueOn) === date
              ? 'SUMMARY_LATE'
              : null;
        if (!kind) continue;
        const stored = await deps.store.reconciliations.get(entity.id, week.week);
        if (stored?.inputs.some((i) => i.kind === 'SALES_SUMMARY')) continue;
        // Sent already today (the job runs every few minutes): no recipients read, no claim tried.
        if (await deps.store.jobRuns.done(JOB, unitOf(date, entity, kind, week))) continue;
        const to = await recipients(deps, entity, kind);
        if (to.length === 0) {
          logger.warn('reconciliation reminder not sent: nobody to send it to', {
            job: JOB,
            date,
            entityId: entity.id,
            kind,
          });
          continue;
        }
        if (await sendOnce(deps, entity, date, week, kind, to, now))
          result.sent.push({ entityId: entity.id, week: week.week, kind, to });
      }
    } catch (error) {
      logger.error('reconciliation reminder failed', {
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
      `Reconciliation reminders of ${date} failed for ${failures.map((f) => f.entityId).join(', ')}; the other entities were done. A retry sends only what is missing.`,
    );
  }
  return result;
}

async function recipients(deps: AppDeps, entity: LegalEntity, kind: ReminderKind): Promise<string[]> {
  const people = await deps.store.people.listByEntity(entity.id);
  const withRole = (...roles: Role[]) =>
    people
      .filter((person) => person.roles.some((role) => roles.includes(role)))
      .map((person) => person.email);
  // D11: due → merchandising and its head; late → finance and the head of merchandising.
  return kind === 'SUMMARY_DUE'
    ? withRole('MERCHANDISER', 'HEAD_OF_MERCHANDISING')
    : [...new Set([...withRole('FINANCE_REVIEWER'), ...withRole('HEAD_OF_MERCHANDISING')])];
}

/** The job-run unit a reminder is claimed under: (day, entity, kind, week). */
const unitOf = (day: LocalDate, entity: LegalEntity, kind: ReminderKind, week: ReconciliationWeek) =>
  `${day}#${entity.id}#${kind}#${week.week}`;

async function sendOnce(
  deps: AppDeps,
  entity: LegalEntity,
  day: LocalDate,
  week: ReconciliationWeek,
  kind: ReminderKind,
  to: string[],
  now: Date,
): Promise<boolean> {
  const unit = unitOf(day, entity, kind, week);
  const claimed = await deps.store.jobRuns.claim(JOB, unit, now);
  if (claimed.status !== 'CLAIMED') return false;
  try {
    await deps.mailer.send(await reminderEmail(deps.publicBaseUrl, week, kind, to));
  } catch (error) {
    await deps.store.jobRuns.release(claimed.claim).catch((releaseError: unknown) => {
      logger.error('reconciliation reminder claim not released', {
        job: JOB,
        unit,
        error: releaseError as Error,
      });
    });
    throw error;
  }
  await deps.store.jobRuns.complete(claimed.claim, now, { week: week.week, kind, to });
  return true;
}

/** The email (the UI kit's layout, preact) loads when one is sent: the job runs every few minutes. */
async function reminderEmail(base: string, week: ReconciliationWeek, kind: ReminderKind, to: string[]) {
  const { email } = await import('../ui/email.tsx');
  const period = `${week.week} – ${addDays(week.week, 6)}`;
  const words =
    kind === 'SUMMARY_DUE'
      ? {
          subject: `提醒：本周对账的销售情况汇总表今天到期 Reminder: the sales summary for the week of ${week.week} is due today`,
          intro: `${period} 这一周的销售情况汇总表今天（${week.dueOn}）到期，还没有上传。请下载预填的汇总表，核对后上传。The sales summary for the week ${period} is due today (${week.dueOn}) and has not been uploaded. Download the pre-filled summary, check it and upload it.`,
        }
      : {
          subject: `已逾期：销售情况汇总表未上传 Late: the sales summary for the week of ${week.week} was not uploaded`,
          intro: `${period} 这一周的销售情况汇总表昨天（${week.dueOn}）到期，商品部仍未上传。The sales summary for the week ${period} was due on ${week.dueOn}; merchandising has not uploaded it yet.`,
        };
  return email({
    to,
    subject: `[fundflow] ${words.subject}`,
    lines: [words.intro],
    // The week's page: its files, the upload form and the pre-filled summary's download.
    links: [{ href: `${base}/reconciliations/${week.week}`, label: '打开这一周的对账 Open the week' }],
  });
}

/**
 * End of a payment day (POLICY 2.2(3), issue "the cashier's day"): every voucher of the day's run that
 * is still not recorded as paid goes to the entity's cashiers as a reminder, and finance is told
 * (escalation). Scheduled every day at 17:30 Asia/Shanghai; on a non-working day there is no run and
 * the job does nothing. It runs for the day of its occurrence (or a day given by hand); a second run
 * for the same day and entity (at-least-once delivery, a retry) sends nothing again.
 */
import type { AppDeps } from '../app.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { type JobInput, jobDay } from '../jobs/job-input.ts';
import { workingDayCalendar } from '../working-days.ts';
import { unpaidRunReminder } from './emails.tsx';

const JOB = 'cashierReminders';

export async function remindUnpaidRuns(
  deps: AppDeps,
  input: JobInput = {},
): Promise<{ date: string; reminded: number; alreadySent: string[] }> {
  const now = deps.clock.now();
  const today = jobDay(input, now);
  const alreadySent: string[] = [];
  if (!(await workingDayCalendar(deps)).isWorkingDay(today)) return { date: today, reminded: 0, alreadySent };
  let reminded = 0;
  for (const entity of await deps.store.people.listEntities()) {
    const unit = `${today}#${entity.id}`;
    if (await deps.store.jobRuns.done(JOB, unit)) {
      alreadySent.push(entity.id);
      continue;
    }
    const unpaid = (await deps.store.vouchers.paymentRun(entity.id, today)).filter(
      (voucher) => voucher.status === 'READY_FOR_PAYMENT',
    );
    if (unpaid.length === 0) continue;
    const people = await deps.store.people.listByEntity(entity.id);
    const withRole = (role: 'CASHIER' | 'FINANCE_REVIEWER') =>
      people.filter((person) => person.roles.includes(role)).map((person) => person.email);
    const cashiers = withRole('CASHIER');
    const finance = withRole('FINANCE_REVIEWER');
    await deps.mailer.send(
      unpaidRunReminder(
        today,
        unpaid,
        cashiers.length > 0 ? cashiers : finance,
        finance,
        `${deps.publicBaseUrl}/payment-runs/${today}`,
      ),
    );
    for (const voucher of unpaid) {
      await deps.store.vouchers.recordEvent(voucher.id, {
        at: toShanghaiIso(now),
        actor: 'fundflow',
        type: 'PAYMENT_OVERDUE_REMINDED',
        version: voucher.version,
        details: { run: today, dueDate: voucher.payment?.dueDate, to: cashiers, escalatedTo: finance },
      });
    }
    await deps.store.jobRuns.markDone(JOB, unit, now, { reminded: unpaid.map((voucher) => voucher.id) });
    reminded += unpaid.length;
  }
  return { date: today, reminded, alreadySent };
}

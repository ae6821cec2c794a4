/**
 * The invoice batch workflow's tasks (POLICY 4, D12, D13; infra/constructs/invoice-batch-workflow.ts):
 *  - MailFinance: the closed batch's queued lines go to finance (again: idempotent) and finance is
 *    emailed once, with the batch page and the 《开票申请表》 attached; it plans the workflow's two
 *    timestamps (09:00 on the due day, 09:00 the working day after);
 *  - RemindFinance / EscalateFinance: the due day's reminder and the next working day's escalation,
 *    while lines remain — the same email, under the same claim, as the 09:00 deadlines job sends, so
 *    whichever comes first mails it and the other nothing;
 *  - AwaitIssued / AwaitMailed: the task token kept in the wait store under the batch until no line is
 *    with finance, then until every issued line's mailing is recorded; the line's change that ends it
 *    answers through the outbox (lib/platform/change.ts).
 * Every task is idempotent: a replay of the execution (the local runtime after a restart) mails
 * nothing twice and waits again for what is still open.
 */
import type { AppDeps } from '../app.ts';
import { financeEscalationDay } from '../domain/invoicing.ts';
import type { LocalDate } from '../domain/model.ts';
import { logger } from '../observability/logger.ts';
import { type InvoiceBatchWaitKind, invoiceBatchWait } from '../platform/store.ts';
import { workingDayCalendar } from '../working-days.ts';
import { applicationWorkbook } from './application-form.ts';
import { requestsOf, sendQueuedToFinance } from './batches.ts';
import { sendDeadlineNotice } from './deadlines-job.ts';
import { batchForFinance } from './emails.ts';

/** The claim of finance's email of a closed batch: the close job's, as before the workflow. */
const CLOSE_JOB = 'invoiceBatchClose';
/** D13: reminders and escalations go at 09:00 Asia/Shanghai (the deadlines job's hour). */
export const INVOICE_NOTICE_TIME = '09:00';

export interface BatchRef {
  entityId: string;
  batchDate: LocalDate;
}

export interface BatchPlan {
  dueBy: LocalDate;
  escalationDay: LocalDate;
  /** RFC 3339 in UTC (a Wait state's TimestampPath): 09:00 Shanghai on the due day. */
  remindAt: string;
  /** 09:00 Shanghai the working day after the due day. */
  escalateAt: string;
}

/** `2026-11-30` at 09:00 in Shanghai, as Step Functions' Wait takes it (`2026-11-30T01:00:00Z`). */
export function noticeTimestamp(day: LocalDate): string {
  return new Date(`${day}T${INVOICE_NOTICE_TIME}:00+08:00`).toISOString().replace('.000Z', 'Z');
}

async function closedBatch(deps: AppDeps, ref: BatchRef) {
  const batch = await deps.store.invoiceBatches.get(ref.entityId, ref.batchDate);
  if (!batch) throw new Error(`the invoice batch ${ref.entityId} ${ref.batchDate} has not closed`);
  return batch;
}

/** MailFinance: the batch reaches finance; finance's one email; the plan of the workflow's waits. */
export async function mailBatchToFinance(deps: AppDeps, ref: BatchRef): Promise<BatchPlan> {
  const batch = await closedBatch(deps, ref);
  await sendQueuedToFinance(deps, ref);
  const calendar = await workingDayCalendar(deps);
  const escalationDay = financeEscalationDay(batch.dueBy, calendar);
  await mailFinanceOnce(deps, ref, batch.dueBy);
  return {
    dueBy: batch.dueBy,
    escalationDay,
    remindAt: noticeTimestamp(batch.dueBy),
    escalateAt: noticeTimestamp(escalationDay),
  };
}

/** Finance's email about the closed batch, once per (day, entity): true when this call sent it. */
async function mailFinanceOnce(deps: AppDeps, ref: BatchRef, dueBy: LocalDate): Promise<boolean> {
  const now = deps.clock.now();
  const unit = `${ref.batchDate}#${ref.entityId}`;
  if (await deps.store.jobRuns.done(CLOSE_JOB, unit)) return false;
  const batch = await requestsOf(deps, ref.entityId, ref.batchDate);
  const withFinance = batch.filter((request) => request.status === 'WITH_FINANCE');
  // An empty batch needs nobody: no email.
  if (withFinance.length === 0) return false;
  // POLICY 4: finance's invoicing clerk issues; with none, the finance reviewer is who can act.
  const people = await deps.store.people.listByEntity(ref.entityId);
  const withRole = (role: 'FINANCE_INVOICING' | 'FINANCE_REVIEWER') =>
    people.filter((person) => person.roles.includes(role)).map((person) => person.email);
  const invoicing = withRole('FINANCE_INVOICING');
  const finance = invoicing.length > 0 ? invoicing : withRole('FINANCE_REVIEWER');
  if (finance.length === 0) {
    logger.warn('invoice batch email not sent: the entity has nobody in finance', { ...ref });
    return false;
  }
  const claimed = await deps.store.jobRuns.claim(CLOSE_JOB, unit, now);
  if (claimed.status !== 'CLAIMED') return false;
  try {
    const workbook = await applicationWorkbook({ batchDate: ref.batchDate, toIssue: withFinance, batch });
    await deps.mailer.send({
      ...batchForFinance({
        batchDate: ref.batchDate,
        dueBy,
        lines: withFinance.length,
        totalFen: withFinance.reduce((sum, request) => sum + request.amountFen, 0),
        to: finance,
        link: `${deps.publicBaseUrl}/invoice-batches/${ref.batchDate}`,
        fileLink: `${deps.publicBaseUrl}/invoice-batches/${ref.batchDate}/application.xlsx`,
      }),
      attachments: [
        {
          fileName: `kaipiao-shenqing-${ref.batchDate}.xlsx`,
          contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          content: workbook,
        },
      ],
    });
  } catch (error) {
    // Not sent: give the unit back, so the task's retry sends it.
    await deps.store.jobRuns.release(claimed.claim).catch((releaseError: unknown) => {
      logger.error('invoice batch email claim not released', { unit, error: releaseError as Error });
    });
    throw error;
  }
  await deps.store.jobRuns.complete(claimed.claim, now, { lines: withFinance.map((request) => request.id) });
  return true;
}

/**
 * RemindFinance (`REMINDER`, on the due day) and EscalateFinance (`ESCALATION`, the working day
 * after): the deadlines job's email of that day, claimed once, while lines remain. Returns how many.
 */
export async function tellFinanceOfDeadline(
  deps: AppDeps,
  input: BatchRef & { kind: 'REMINDER' | 'ESCALATION'; day: LocalDate },
): Promise<{ withFinance: number }> {
  const batch = await closedBatch(deps, input);
  const withFinance = batch.withFinance ?? 0;
  if (withFinance > 0) {
    await sendDeadlineNotice(
      deps,
      input.entityId,
      input.day,
      input.kind === 'REMINDER' ? 'FINANCE_REMINDER' : 'FINANCE_ESCALATION',
    );
  }
  return { withFinance };
}

/**
 * AwaitIssued / AwaitMailed: answers at once when the batch is there already; otherwise keeps the
 * token while the batch is exactly as read (a line's change in between bumps its revision: read again).
 */
export async function awaitInvoiceBatch(
  deps: AppDeps,
  input: BatchRef & { kind: InvoiceBatchWaitKind; taskToken: string },
): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const batch = await closedBatch(deps, input);
    const withFinance = batch.withFinance ?? 0;
    const unmailed = batch.unmailed ?? 0;
    const done = input.kind === 'ISSUED' ? withFinance === 0 : withFinance === 0 && unmailed === 0;
    if (done) {
      await deps.taskTokens.succeed(input.taskToken, { withFinance, unmailed });
      return;
    }
    const kept = await deps.store.waits.keep(invoiceBatchWait(input, input.kind), input.taskToken, {
      while: { status: batch.status, version: batch.version ?? 1, revision: batch.revision },
      revision: batch.revision,
    });
    if (kept) return;
  }
  throw new Error(
    `invoice batch ${input.entityId} ${input.batchDate} kept changing; its wait will be retried`,
  );
}

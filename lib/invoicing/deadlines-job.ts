/**
 * Finance's and customer service's invoicing deadlines as a scheduled job (POLICY 4, D13): every day
 * at 09:00 Asia/Shanghai, for each entity, what invoiceWorkDue finds for the day — finance reminded on
 * a batch's due day while lines remain, the finance reviewer's manager and the CEO told the working
 * day after; customer service reminded on an invoice's mailing day, finance told after it.
 *
 * Each (day, entity, kind) is claimed in the job runs (lib/storage/job-run-repository.ts) before its
 * email is sent, so a rerun, a repeated delivery or a run by hand mails nothing twice. One entity's
 * failure does not stop the others; the job fails at the end, naming them.
 */
import type { AppDeps } from '../app.ts';
import type { LegalEntity, LocalDate, Person, Role } from '../domain/model.ts';
import { type JobInput, jobDay } from '../jobs/job-input.ts';
import { logger } from '../observability/logger.ts';
import { invoiceWorkDue } from './batches.ts';
import type { InvoiceDeadlineKind, invoiceDeadlineNotice } from './emails.ts';

const JOB = 'invoiceDeadlines';

export interface InvoiceDeadlinesResult {
  date: LocalDate;
  /** The emails this run sent, by entity and kind. */
  sent: { entityId: string; kind: InvoiceDeadlineKind; items: number }[];
}

export async function remindInvoiceDeadlines(
  deps: AppDeps,
  input: JobInput = {},
): Promise<InvoiceDeadlinesResult> {
  const now = deps.clock.now();
  const date = jobDay(input, now);
  const result: InvoiceDeadlinesResult = { date, sent: [] };
  const failures: { entityId: string; error: unknown }[] = [];
  for (const entity of await deps.store.people.listEntities()) {
    try {
      for (const notice of await noticesOf(deps, entity, date)) {
        if (await sendOnce(deps, entity, date, notice, now)) {
          result.sent.push({ entityId: entity.id, kind: notice.kind, items: notice.items.length });
        }
      }
    } catch (error) {
      logger.error('invoice deadline notice failed', {
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
      `Invoice deadline notices of ${date} failed for ${failures.map((failure) => failure.entityId).join(', ')}; ` +
        'the other entities were done. A retry sends only what is missing.',
    );
  }
  return result;
}

type Notice = Parameters<typeof invoiceDeadlineNotice>[0];

/**
 * One kind of the day's emails of one entity, claimed as this job claims it: what the batch
 * workflow's reminder and escalation tasks send (lib/invoicing/batch-workflow.ts), so whichever of
 * the two comes first mails it and the other nothing. True when this call sent it.
 */
export async function sendDeadlineNotice(
  deps: AppDeps,
  entityId: string,
  day: LocalDate,
  kind: InvoiceDeadlineKind,
): Promise<boolean> {
  const entity = (await deps.store.people.listEntities()).find((candidate) => candidate.id === entityId);
  if (!entity) throw new Error(`no entity ${entityId}`);
  const notice = (await noticesOf(deps, entity, day)).find((candidate) => candidate.kind === kind);
  return notice ? sendOnce(deps, entity, day, notice, deps.clock.now()) : false;
}

/** The day's emails of one entity, one per kind with something in it. */
async function noticesOf(deps: AppDeps, entity: LegalEntity, day: LocalDate): Promise<Notice[]> {
  const due = await invoiceWorkDue(deps, { entityId: entity.id, day });
  const people = await deps.store.people.listByEntity(entity.id);
  const withRole = (...roles: Role[]) =>
    people
      .filter((person) => person.roles.some((role) => roles.includes(role)))
      .map((person) => person.email);
  // POLICY 4: finance's invoicing clerk issues; with none, the finance reviewer is who can act.
  const invoicing = withRole('FINANCE_INVOICING');
  const finance = invoicing.length > 0 ? invoicing : withRole('FINANCE_REVIEWER');
  // D13: an overdue batch goes to the finance reviewer's manager and the CEO.
  const managers = people
    .filter((person: Person) => person.roles.includes('FINANCE_REVIEWER') && person.manager)
    .map((person) => person.manager as string);
  const escalateTo = [...new Set([...managers, ...withRole('CEO')])];
  const base = deps.publicBaseUrl;
  const batchLine = (batch: { batchDate: LocalDate; dueBy: LocalDate; lines: number }) =>
    `${batch.batchDate} 批次：${batch.lines} 份待处理，${batch.dueBy} 到期 Batch of ${batch.batchDate}: ${batch.lines} left, due ${batch.dueBy}`;
  const mailingLine = (request: { number: string; mailingDueOn: LocalDate }) =>
    `${request.number}：寄送信息 ${request.mailingDueOn} 到期 mailing due ${request.mailingDueOn}`;
  const notices: Notice[] = [
    {
      kind: 'FINANCE_REMINDER',
      day,
      items: due.financeReminders.map(batchLine),
      to: finance,
      link: `${base}/invoice-requests?status=WITH_FINANCE`,
    },
    {
      kind: 'FINANCE_ESCALATION',
      day,
      items: due.financeEscalations.map(batchLine),
      to: escalateTo,
      cc: finance,
      link: `${base}/invoice-requests?status=WITH_FINANCE`,
    },
    {
      kind: 'MAILING_REMINDER',
      day,
      items: due.mailingReminders.map(mailingLine),
      to: withRole('CUSTOMER_SERVICE'),
      link: `${base}/invoice-requests?status=ISSUED`,
    },
    {
      kind: 'MAILING_ESCALATION',
      day,
      items: due.mailingEscalations.map(mailingLine),
      to: finance,
      cc: withRole('CUSTOMER_SERVICE'),
      link: `${base}/invoice-requests?status=ISSUED`,
    },
  ];
  return notices.filter((notice) => {
    if (notice.items.length === 0) return false;
    if (notice.to.length > 0) return true;
    // SES refuses a message without recipients; the directory has to be fixed, not the job retried.
    logger.warn('invoice deadline notice not sent: nobody to send it to', {
      job: JOB,
      day,
      entityId: entity.id,
      kind: notice.kind,
    });
    return false;
  });
}

/** One (day, entity, kind) email, claimed first: true when this run sent it. */
async function sendOnce(
  deps: AppDeps,
  entity: LegalEntity,
  day: LocalDate,
  notice: Notice,
  now: Date,
): Promise<boolean> {
  const unit = `${day}#${entity.id}#${notice.kind}`;
  const claimed = await deps.store.jobRuns.claim(JOB, unit, now);
  if (claimed.status !== 'CLAIMED') return false;
  try {
    // The email (the UI kit's layout, preact) loads when one is sent: most days none is.
    const { invoiceDeadlineNotice } = await import('./emails.ts');
    await deps.mailer.send(invoiceDeadlineNotice(notice));
  } catch (error) {
    await deps.store.jobRuns.release(claimed.claim).catch((releaseError: unknown) => {
      logger.error('invoice deadline claim not released', { job: JOB, unit, error: releaseError as Error });
    });
    throw error;
  }
  await deps.store.jobRuns.complete(claimed.claim, now, { items: notice.items });
  return true;
}

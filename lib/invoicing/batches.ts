/**
 * Invoice batches (POLICY 4; D12, D13): the close that sends a batch to finance, the batch as finance
 * and customer service see it, its 《开票申请表》, the tax bureau's result recorded for a whole batch,
 * and what is due or late on a day (the reminders and escalations the workflow and the jobs send).
 *
 * What the close job, the batch workflow (lib/invoicing/batch-workflow.ts) and the deadlines job call:
 *  - `closeBatch(deps, {entityId, batchDate})` — at the close time on the batch day (the close job,
 *    and again at its later runs for a request the index showed late); idempotent; its transaction starts the batch's
 *    workflow through the outbox;
 *  - `sendQueuedToFinance` — the close's sends, again as the workflow's first task;
 *  - `invoiceWorkDue(deps, {entityId, day})` — at 09:00: finance's reminders (due today, lines left),
 *    escalations (the working day after), customer service's mailing reminders and escalations.
 */
import type { AppDeps } from '../app.ts';
import { hasRole, requireRole } from '../domain/access.ts';
import { AppError, RuleViolationError, ValidationError } from '../domain/errors.ts';
import type { InvoiceRequest, InvoiceRequestStatus } from '../domain/invoice-request.ts';
import {
  batchClosesAt,
  batchFor,
  financeDueBy,
  financeEscalationDay,
  isPastDeadline,
} from '../domain/invoicing.ts';
import type { LocalDate, Person, Role } from '../domain/model.ts';
import { fenToYuanString } from '../domain/money.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { changeInvoiceRequest } from '../platform/change.ts';
import { owedStart } from '../platform/owed-deliveries.ts';
import type { InvoiceBatchRecord } from '../platform/store.ts';
import { invoiceBatchWorkflowStart } from '../workflow/invoice-batch-states.ts';
import { workingDayCalendar } from '../working-days.ts';
import { admitWaitingRequests, FINANCE_ROLES, issueInvoice } from './requests.ts';
import { invoiceRequestView } from './view.ts';

const READERS: readonly Role[] = [
  'CUSTOMER_SERVICE',
  'FINANCE_INVOICING',
  'FINANCE_REVIEWER',
  'CEO',
  'ADMIN',
];

export type BatchStatus = 'OPEN' | 'WITH_FINANCE' | 'ISSUED' | 'DONE';

/** Every request of one batch (bounded by a fortnight's requests; read page by page). */
export async function requestsOf(
  deps: AppDeps,
  entityId: string,
  batchDate: LocalDate,
): Promise<InvoiceRequest[]> {
  const all: InvoiceRequest[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.invoiceRequests.listByBatch(entityId, batchDate, {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

/**
 * D12: the batch's status — OPEN until it closes; WITH_FINANCE while a line is with finance; ISSUED
 * once every line is issued or returned; DONE once every issued line's mailing is recorded.
 */
export function batchStatusOf(
  record: InvoiceBatchRecord | null,
  requests: readonly InvoiceRequest[],
): BatchStatus {
  if (!record) return 'OPEN';
  const statuses = new Set<InvoiceRequestStatus>(requests.map((request) => request.status));
  if (statuses.has('WITH_FINANCE') || statuses.has('QUEUED')) return 'WITH_FINANCE';
  if (statuses.has('ISSUED')) return 'ISSUED';
  return 'DONE';
}

/**
 * The close (POLICY 4, D12) at 17:00 on the batch day: waiting requests whose orders completed before
 * join first; the batch item is written once (from then on a recording joins the next batch); every
 * queued request of the batch goes to finance. Idempotent: a second run moves only what the first
 * did not see. Returns the batch and the requests it sent.
 */
export async function closeBatch(
  deps: AppDeps,
  input: { entityId: string; batchDate: LocalDate },
): Promise<{ batch: InvoiceBatchRecord; sent: InvoiceRequest[]; closedNow: boolean }> {
  const now = deps.clock.now();
  const policy = await deps.store.settings.currentPolicy(input.entityId, now);
  const closesAt = batchClosesAt(input.batchDate, policy);
  if (now.getTime() < closesAt.getTime()) {
    throw new RuleViolationError(
      'BATCH_NOT_DUE',
      `${input.batchDate} 批次在 ${toShanghaiIso(closesAt)} 截止，之前不能交给财务。The batch of ${input.batchDate} closes at ${toShanghaiIso(closesAt)}; it cannot go to finance before.`,
    );
  }
  await admitWaitingRequests(deps, { entityId: input.entityId, earliestOpen: input.batchDate });
  const calendar = await workingDayCalendar(deps);
  const at = toShanghaiIso(now);
  const record: InvoiceBatchRecord = {
    entityId: input.entityId,
    batchDate: input.batchDate,
    status: 'WITH_FINANCE',
    closesAt: toShanghaiIso(closesAt),
    sentAt: at,
    // D13: the day it reached finance is the batch day itself (it goes at 17:00).
    dueBy: financeDueBy(input.batchDate, calendar, policy),
    policyVersion: policy.version,
    version: 1,
    // Each line's change keeps them (lib/platform/change.ts): the sends below count themselves in.
    withFinance: 0,
    unmailed: 0,
    revision: 1,
  };
  // The batch workflow starts with the close, in its transaction (named after the batch: once).
  const start = owedStart(invoiceBatchWorkflowStart(input), now);
  const closedNow = await deps.store.invoiceBatches.close(
    record,
    {
      at,
      actor: 'fundflow',
      type: 'INVOICE_BATCH_CLOSED',
      version: 1,
      details: { dueBy: record.dueBy },
    },
    [start],
  );
  const batch = (await deps.store.invoiceBatches.get(input.entityId, input.batchDate)) ?? record;
  const sent = await sendQueuedToFinance(deps, input);
  // Told after the sends (best effort; the stream and the sweep deliver the start whatever happens).
  if (closedNow) await deps.workflowOutbox.written([start]).catch(() => undefined);
  return { batch, sent, closedNow };
}

/**
 * Every queued request of a closed batch goes to finance (the close, and again the workflow's first
 * task: whichever sees a request first moves it). Returns the requests this call moved.
 *
 * With them go the queued requests a calendar or policy change left behind (D12, D16): one queued
 * for a day that is no longer a batch day (an override made the 10th a holiday, so the batch moved to
 * the 9th) would otherwise wait for a close that never comes. A request whose batch, as the calendar
 * now reckons it from the moment it became eligible, is this one or an earlier one goes with this
 * batch, the day it was queued for named in its event.
 */
export async function sendQueuedToFinance(
  deps: AppDeps,
  input: { entityId: string; batchDate: LocalDate },
): Promise<InvoiceRequest[]> {
  const batch = await deps.store.invoiceBatches.get(input.entityId, input.batchDate);
  if (!batch) return [];
  const at = toShanghaiIso(deps.clock.now());
  const belongs = await belongsToBatch(deps, input.batchDate);
  const sent: InvoiceRequest[] = [];
  const queued = [
    ...(await requestsOf(deps, input.entityId, input.batchDate)),
    ...(await strayQueued(deps, input.entityId, input.batchDate, belongs)),
  ];
  for (const request of queued) {
    if (request.status !== 'QUEUED') continue;
    const outcome = await changeInvoiceRequest(deps, request.id, async (read) =>
      read.status !== 'QUEUED' || !(await belongs(read))
        ? null
        : {
            action: 'SEND_TO_FINANCE',
            actor: 'WORKFLOW',
            next: { ...read, status: 'WITH_FINANCE', batchDate: input.batchDate },
            event: {
              at,
              actor: 'fundflow',
              type: 'INVOICE_REQUEST_SENT_TO_FINANCE',
              version: read.revision + 1,
              details: {
                batchDate: input.batchDate,
                dueBy: batch.dueBy,
                ...(read.batchDate !== input.batchDate ? { queuedFor: read.batchDate } : {}),
              },
            },
          },
    );
    if (outcome.changed) sent.push(outcome.request);
  }
  return sent;
}

/**
 * Whether a queued request goes with the batch of `batchDate`: queued for it, or for a day whose
 * batch — reckoned again, by the calendar as it is now and the request's policy version, from the
 * moment it became eligible — is this one or an earlier one.
 */
async function belongsToBatch(
  deps: AppDeps,
  batchDate: LocalDate,
): Promise<(request: InvoiceRequest) => Promise<boolean>> {
  const calendar = await workingDayCalendar(deps);
  // Read once per version for the whole close: most queued requests share one or two.
  const policies = new Map<string, ReturnType<AppDeps['store']['settings']['policy']>>();
  return async (request) => {
    if (request.batchDate === batchDate) return true;
    if (request.eligibleAt === null) return false;
    const version = `${request.entityId}#${request.policyVersion}`;
    let policy = policies.get(version);
    if (!policy) {
      policy = deps.store.settings.policy(request.entityId, request.policyVersion);
      policies.set(version, policy);
    }
    return batchFor(new Date(request.eligibleAt), calendar, await policy) <= batchDate;
  };
}

/** The entity's queued requests not queued for `batchDate` that belong to it (belongsToBatch). */
async function strayQueued(
  deps: AppDeps,
  entityId: string,
  batchDate: LocalDate,
  belongs: (request: InvoiceRequest) => Promise<boolean>,
): Promise<InvoiceRequest[]> {
  const stray: InvoiceRequest[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.invoiceRequests.listByStatus(entityId, 'QUEUED', {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (const request of page.items)
      if (request.batchDate !== batchDate && (await belongs(request))) stray.push(request);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return stray;
}

/** `GET /api/invoice-batches/:batchDate`: the batch as finance and customer service see it. */
export async function invoiceBatch(deps: AppDeps, viewer: Person, batchDate: LocalDate) {
  requireRole(viewer, ...READERS);
  const now = deps.clock.now();
  const policy = await deps.store.settings.currentPolicy(viewer.entityId, now);
  const record = await deps.store.invoiceBatches.get(viewer.entityId, batchDate);
  const requests = await requestsOf(deps, viewer.entityId, batchDate);
  const calendar = await workingDayCalendar(deps);
  const status = batchStatusOf(record, requests);
  const byStatus: Partial<Record<InvoiceRequestStatus, number>> = {};
  for (const request of requests) byStatus[request.status] = (byStatus[request.status] ?? 0) + 1;
  const amountFen = requests.reduce((sum, request) => sum + request.amountFen, 0);
  const financeLate = record !== null && status === 'WITH_FINANCE' && isPastDeadline(record.dueBy, now);
  return {
    batchDate,
    entityId: viewer.entityId,
    closesAt: toShanghaiIso(batchClosesAt(batchDate, policy)),
    status,
    sentAt: record?.sentAt ?? null,
    dueBy: record?.dueBy ?? financeDueBy(batchDate, calendar, policy),
    requests: requests.map((request) => invoiceRequestView(request, now)),
    totals: { count: requests.length, amount: fenToYuanString(amountFen), amountFen, byStatus },
    /** D13: what is late — finance past `dueBy` with lines left, and issued invoices past their mailing day. */
    late: {
      finance: financeLate,
      mailing: requests
        .filter((request) => invoiceRequestView(request, now).mailingOverdue)
        .map((request) => request.id),
    },
  };
}

/** `GET /api/invoice-batches/:batchDate/application?format=xlsx`: the 《开票申请表》 (finance). */
export async function applicationFile(deps: AppDeps, viewer: Person, batchDate: LocalDate) {
  requireRole(viewer, ...FINANCE_ROLES, 'ADMIN');
  const record = await deps.store.invoiceBatches.get(viewer.entityId, batchDate);
  if (!record)
    throw new RuleViolationError(
      'BATCH_NOT_CLOSED',
      `${batchDate} 批次还没有交给财务。The batch of ${batchDate} has not gone to finance yet.`,
    );
  const batch = await requestsOf(deps, viewer.entityId, batchDate);
  const toIssue = batch.filter((request) => request.status === 'WITH_FINANCE');
  return {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    fileName: `kaipiao-shenqing-${batchDate}.xlsx`,
    // The form's builder (and exceljs) loads with the first download, not at every cold start.
    body: await (await import('./application-form.ts')).applicationWorkbook({ batchDate, toIssue, batch }),
  };
}

export interface BatchResultOutcome {
  issued: { row: number; number: string; invoiceNumber: string }[];
  rejected: { row: number; number: string; code: string; message: string }[];
}

/**
 * POLICY 4: the tax bureau's result for a whole batch (流水号 → 发票号码, 开票日期), CSV or XLSX told
 * from its bytes: each row issues its request as `POST …/issue` would (a repeat is no change); a row
 * that cannot is listed with why, the others go on.
 */
export async function recordBatchResult(
  deps: AppDeps,
  actor: Person,
  batchDate: LocalDate,
  file: Buffer,
): Promise<BatchResultOutcome> {
  requireRole(actor, ...FINANCE_ROLES);
  const rows = await resultRows(file);
  const byNumber = new Map(
    (await requestsOf(deps, actor.entityId, batchDate)).map((request) => [request.number, request]),
  );
  const outcome: BatchResultOutcome = { issued: [], rejected: [] };
  for (const row of rows) {
    const request = byNumber.get(row.number);
    if (!request) {
      outcome.rejected.push({
        row: row.row,
        number: row.number,
        code: 'NOT_IN_BATCH',
        message: `${batchDate} 批次中没有申请 ${row.number}。No request ${row.number} in the batch of ${batchDate}.`,
      });
      continue;
    }
    try {
      await issueInvoice(deps, actor, request.id, {
        invoiceNumber: row.invoiceNumber,
        issuedOn: row.issuedOn,
      });
      outcome.issued.push({ row: row.row, number: row.number, invoiceNumber: row.invoiceNumber });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcome.rejected.push({ row: row.row, number: row.number, code: error.code, message: error.message });
    }
  }
  return outcome;
}

interface ResultRow {
  row: number;
  number: string;
  invoiceNumber: string;
  issuedOn: string;
}

const NUMBER_HEADERS = ['发票流水号', '流水号'];
const INVOICE_HEADERS = ['发票号码', '数电票号码', '数电发票号码'];
const DATE_HEADERS = ['开票日期'];

/** The rows of the result file: the header row is the first (of five) naming 流水号 and 发票号码. */
async function resultRows(file: Buffer): Promise<ResultRow[]> {
  const table = isZip(file) ? await xlsxTable(file) : await csvTable(file);
  const headerIndex = table
    .slice(0, 5)
    .findIndex((cells) => cells.some((cell) => NUMBER_HEADERS.includes(cell)));
  const header = table[headerIndex];
  const column = (names: string[]) => header?.findIndex((cell) => names.includes(cell)) ?? -1;
  const [numberAt, invoiceAt, dateAt] = [
    column(NUMBER_HEADERS),
    column(INVOICE_HEADERS),
    column(DATE_HEADERS),
  ];
  if (!header || numberAt < 0 || invoiceAt < 0 || dateAt < 0) {
    throw new ValidationError(
      '开具结果文件需要 发票流水号、发票号码、开票日期 三列。The result file needs the columns 发票流水号, 发票号码 and 开票日期.',
      {
        issues: [
          {
            path: 'body',
            message:
              '需要 发票流水号、发票号码、开票日期 三列 it needs the columns 发票流水号, 发票号码 and 开票日期',
          },
        ],
      },
    );
  }
  return table.slice(headerIndex + 1).flatMap((cells, index) => {
    const number = cells[numberAt]?.trim() ?? '';
    if (number === '') return [];
    return [
      {
        row: headerIndex + index + 2,
        number,
        invoiceNumber: cells[invoiceAt]?.trim() ?? '',
        issuedOn: dayOf(cells[dateAt] ?? ''),
      },
    ];
  });
}

/** `2026-11-26`, `2026/11/26`, `2026-11-26 10:12:00`, `20261126` → `2026-11-26`; else as given (refused later). */
function dayOf(text: string): string {
  const match = /^(\d{4})[-/年.]?(\d{1,2})[-/月.]?(\d{1,2})/.exec(text.trim());
  return match ? `${match[1]}-${match[2]?.padStart(2, '0')}-${match[3]?.padStart(2, '0')}` : text.trim();
}

const isZip = (file: Buffer) => file.length > 4 && file.readUInt32LE(0) === 0x04034b50;

async function xlsxTable(file: Buffer): Promise<string[][]> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch (error) {
    throw new ValidationError('文件不是可读的 XLSX 工作簿。The file is not a readable XLSX workbook.', {
      issues: [{ path: 'body', message: '无法读取的 XLSX 文件 unreadable XLSX file' }],
      cause: error,
    });
  }
  const sheet = workbook.worksheets[0];
  const table: string[][] = [];
  sheet?.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, columnNumber) => {
      const value = cell.value;
      cells[columnNumber - 1] = value instanceof Date ? shanghaiDate(value) : (cell.text ?? '');
    });
    table[rowNumber - 1] = cells;
  });
  return Array.from(table, (cells) => cells ?? []);
}

async function csvTable(file: Buffer): Promise<string[][]> {
  const { parse } = await import('csv-parse/sync');
  try {
    return parse(file.toString('utf8').replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (error) {
    throw new ValidationError(
      '文件既不是 XLSX，也不是可读的 CSV。The file is neither XLSX nor readable CSV.',
      {
        issues: [{ path: 'body', message: '无法读取的文件 unreadable file' }],
        cause: error,
      },
    );
  }
}

export interface InvoiceWorkDue {
  /** D13: 09:00 on the due day, lines still with finance: remind finance. */
  financeReminders: { batchDate: LocalDate; dueBy: LocalDate; lines: number }[];
  /** D13: the working day after the due day, lines still there: the finance reviewer's manager and the CEO. */
  financeEscalations: { batchDate: LocalDate; dueBy: LocalDate; lines: number }[];
  /** D13: the mailing day of an issued invoice not reported mailed: remind customer service. */
  mailingReminders: { requestId: string; number: string; mailingDueOn: LocalDate }[];
  /** D13: after it: escalate to finance. */
  mailingEscalations: { requestId: string; number: string; mailingDueOn: LocalDate }[];
}

/** What is due or late on `day` for one entity: the reminder and escalation jobs' one question. */
export async function invoiceWorkDue(
  deps: AppDeps,
  input: { entityId: string; day: LocalDate },
): Promise<InvoiceWorkDue> {
  const calendar = await workingDayCalendar(deps);
  const due: InvoiceWorkDue = {
    financeReminders: [],
    financeEscalations: [],
    mailingReminders: [],
    mailingEscalations: [],
  };
  const withFinance = await everyInStatus(deps, input.entityId, 'WITH_FINANCE');
  const byBatch = new Map<LocalDate, number>();
  for (const request of withFinance) {
    if (request.batchDate) byBatch.set(request.batchDate, (byBatch.get(request.batchDate) ?? 0) + 1);
  }
  for (const [batchDate, lines] of byBatch) {
    const record = await deps.store.invoiceBatches.get(input.entityId, batchDate);
    if (!record) continue;
    if (record.dueBy === input.day) due.financeReminders.push({ batchDate, dueBy: record.dueBy, lines });
    if (financeEscalationDay(record.dueBy, calendar) === input.day) {
      due.financeEscalations.push({ batchDate, dueBy: record.dueBy, lines });
    }
  }
  for (const request of await everyInStatus(deps, input.entityId, 'ISSUED')) {
    const mailingDueOn = request.invoice?.mailingDueOn;
    if (!mailingDueOn) continue;
    const item = { requestId: request.id, number: request.number, mailingDueOn };
    if (mailingDueOn === input.day) due.mailingReminders.push(item);
    else if (mailingDueOn < input.day) due.mailingEscalations.push(item);
  }
  return due;
}

async function everyInStatus(
  deps: AppDeps,
  entityId: string,
  status: InvoiceRequestStatus,
): Promise<InvoiceRequest[]> {
  const all: InvoiceRequest[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.invoiceRequests.listByStatus(entityId, status, {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}

/** Whether a person may open the batch page at all (for the pages' navigation). */
export const mayReadBatches = (person: Person): boolean => hasRole(person, ...READERS);

/**
 * The invoicing pages (POLICY 4; D12, D13): invoice requests — the form, the list, one request — and
 * the day's batch, with the same use cases and input shapes as the JSON API (lib/invoicing/web.ts).
 */

import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { hasRole, requireRole } from '../domain/access.ts';
import { AppError, ForbiddenError, RuleViolationError, ValidationError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import { shanghaiDate } from '../domain/time.ts';
import { attachment, redirect } from '../http/api-handler.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { idempotencyKeyFrom, recordId } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { pageFunction, session } from '../http/router.ts';
import { invoicingPagesRoutes } from '../http/routes.ts';
import { type FormError, formErrorOf } from '../ui/controls.tsx';
import { BATCH_RESULT_ROW_LABELS, errorLabel } from '../ui/labels.ts';
import { chosenFiles, formFiles } from '../uploads/form-files.ts';
import {
  applicationFile,
  type BatchResultOutcome,
  invoiceBatch,
  recordBatchResult,
  requestsOf,
} from './batches.ts';
import { INVOICE_REQUEST_CSV_COLUMNS, requestBodyOf } from './import-requests.ts';
import { dismissRedLetter, recordRedLetter } from './red-letter.ts';
import {
  FINANCE_ROLES,
  getInvoiceRequest,
  invoiceRequestHistory,
  issueInvoice,
  listInvoiceRequests,
  recordDelivery,
  recordInvoiceRequest,
  returnInvoiceRequest,
} from './requests.ts';
import {
  deliveryBody,
  dismissRedLetterBody,
  INVOICE_STATUS_QUERY,
  invoiceRequestBody,
  issueBody,
  redLetterBody,
  returnBody,
} from './schemas.ts';
import type {
  BatchAction,
  BatchConfirmation,
  BatchPageError,
  InvoiceBatchPageView,
  RequestFormValues,
} from './screens.tsx';
import { invoiceRequestView } from './view.ts';
import { batchParams, requestIdParams } from './web.ts';

/**
 * The screens, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen.
 */
const screens = () => import('./screens.tsx');

const pageIdParams = { params: requestIdParams, pathNotFound: 'No such invoice request.' } as const;
const pageBatchParams = { params: batchParams, pathNotFound: 'No such invoice batch.' } as const;
const statusQuery = lazySchema(() =>
  z.strictObject({
    status: z.enum(INVOICE_STATUS_QUERY).default('QUEUED'),
    flag: z.literal('RED_LETTER').optional(),
    cursor: z.string().max(2000).optional(),
  }),
);

/** Every field of the form as typed (a missing one is empty), so a refused form shows them again. */
const formValues = lazySchema(() =>
  z
    .object(
      Object.fromEntries(
        ['idempotencyKey', ...INVOICE_REQUEST_CSV_COLUMNS].map((name) => [
          name,
          z.string().max(2000).catch('').default(''),
        ]),
      ) as unknown as Record<keyof RequestFormValues, z.ZodType<string>>,
    )
    .loose(),
);

const emptyForm = (): RequestFormValues => ({
  ...(formValues.parse({}) as RequestFormValues),
  idempotencyKey: randomUUID(),
  kind: 'VAT_ORDINARY',
  buyerType: 'COMPANY',
  deliveryMethod: 'EMAIL',
});

/** The form as the API's body (lib/invoicing/import-requests.ts): orders one per line or by commas. */
const bodyOfForm = (values: RequestFormValues): unknown => requestBodyOf(values, /[\s,，、;；]+/);

const actionForm = lazySchema(() =>
  z.discriminatedUnion('action', [
    z
      .object({ action: z.literal('issue'), invoiceNumber: z.string().max(40), issuedOn: z.string().max(20) })
      .loose(),
    z.object({ action: z.literal('return'), reason: z.string().max(2000) }).loose(),
    z.object({ action: z.literal('delivery'), method: z.string().max(10) }).loose(),
    z.object({ action: z.literal('red-letter') }).loose(),
    z.object({ action: z.literal('dismiss-red-letter'), reason: z.string().max(2000) }).loose(),
  ]),
);

const BATCH_ACTIONS = ['issue', 'return', 'result'] as const satisfies readonly BatchAction[];

/**
 * The batch page's forms (multipart: one of them carries the result file). Which form and line; the
 * fields of an issue or a return are then read by the request page's own reader (`act`).
 */
const batchForm = lazySchema(() =>
  z
    .object({
      action: z.enum(BATCH_ACTIONS, { message: '请选择操作 choose what to do' }),
      requestId: recordId('invoice request id').optional(),
      file: formFiles,
    })
    .loose(),
);

/** Rows of an upload's refusals the confirmation lists (the rest are counted): the URL stays short. */
const REFUSED_SHOWN = 20;
/** A refused row in the confirmation's URL: `row:CODE` or `row:CODE:number` (a plain request number only). */
const REFUSED_ROW = /^(\d{1,7}):([A-Z][A-Z0-9_]{0,49})(?::([0-9A-Za-z-]{1,20}))?$/;

/** The batch page's query after a form (untrusted: what does not parse is ignored, never refused). */
const batchPageQuery = lazySchema(() =>
  z
    .object({
      done: z.enum(['issued', 'returned', 'result']).optional().catch(undefined),
      request: z.string().max(100).optional().catch(undefined),
      issued: z.coerce.number().int().min(0).max(1_000_000).optional().catch(undefined),
      refused: z.string().max(2000).optional().catch(undefined),
      more: z.coerce.number().int().min(0).max(1_000_000).optional().catch(undefined),
    })
    .loose(),
);
type BatchPageQuery = z.output<typeof batchPageQuery>;

/** What was typed into the batch page's refused form, to show it there again. */
const typedBatchFields = lazySchema(() =>
  z
    .object({
      invoiceNumber: z.string().max(40).optional().catch(undefined),
      issuedOn: z.string().max(20).optional().catch(undefined),
      reason: z.string().max(2000).optional().catch(undefined),
    })
    .loose()
    .catch({}),
);

const resultFileMissing = () =>
  new ValidationError(
    '请选择税务局的开具结果文件（CSV 或 XLSX）。Choose the tax bureau’s result file (CSV or XLSX).',
    {
      issues: [{ path: 'file', message: '请选择文件 choose the file' }],
    },
  );

/** `/invoice-batches/<day>?done=result&issued=3&refused=…`: where an upload returns, and what it confirms. */
function resultBack(batchDate: string, outcome: BatchResultOutcome): string {
  const refused = outcome.rejected.slice(0, REFUSED_SHOWN).map((row) => {
    const number = /^[0-9A-Za-z-]{1,20}$/.test(row.number) ? `:${row.number}` : '';
    return `${row.row}:${row.code}${number}`;
  });
  const more = outcome.rejected.length - refused.length;
  return `/invoice-batches/${batchDate}?${new URLSearchParams({
    done: 'result',
    issued: String(outcome.issued.length),
    ...(refused.length > 0 ? { refused: refused.join(',') } : {}),
    ...(more > 0 ? { more: String(more) } : {}),
  })}`;
}

/**
 * The banner after a batch page form. An issue or a return is confirmed only when the line, read again,
 * is where that action leads (a hand-made URL confirms nothing); an upload's counts are the outcome's.
 */
function batchConfirmation(
  batch: InvoiceBatchPageView,
  query: BatchPageQuery,
): BatchConfirmation | undefined {
  if (query.done === 'result') {
    const issued = query.issued ?? 0;
    const refused = (query.refused ?? '').split(',').flatMap((entry) => {
      const match = REFUSED_ROW.exec(entry);
      if (!match) return [];
      const label = BATCH_RESULT_ROW_LABELS[match[2] ?? ''] ?? errorLabel(match[2] ?? '', 422);
      const number = match[3] ? ` ${match[3]}` : '';
      return [`第 ${match[1]} 行${number}：${label.zh}。Row ${match[1]}${number}: ${label.en}.`];
    });
    const more = query.more ?? 0;
    return {
      title: '已读取开具结果 Result file read',
      lines: [
        issued > 0
          ? `已登记 ${issued} 张发票。${issued} invoice(s) recorded.`
          : '没有登记任何发票。No invoice was recorded.',
        ...(refused.length > 0 || more > 0 ? [`以下行未登记 These rows were not recorded:`, ...refused] : []),
        ...(more > 0 ? [`另有 ${more} 行未登记。${more} more row(s) not recorded.`] : []),
      ],
    };
  }
  const line = batch.requests.find((request) => request.id === query.request);
  if (!line) return undefined;
  if (query.done === 'issued' && line.invoice) {
    return {
      title: '已登记发票 Invoice recorded',
      lines: [
        `申请 ${line.number}：发票 ${line.invoice.number}，${line.invoice.issuedOn} 开具。Request ${line.number}: invoice ${line.invoice.number} issued on ${line.invoice.issuedOn}.`,
      ],
    };
  }
  if (query.done === 'returned' && line.status === 'RETURNED' && line.returned) {
    return {
      title: '已退回客服 Returned to customer service',
      lines: [
        `申请 ${line.number} 已退回客服修改。Request ${line.number} is back with customer service for correction.`,
        `原因 Reason: ${line.returned.reason}`,
      ],
    };
  }
  return undefined;
}

export const invoicingPages = (deps: AppDeps) => {
  async function requestPage(caller: Person, id: string, error?: FormError) {
    const request = await getInvoiceRequest(deps, caller, id);
    const history = await invoiceRequestHistory(deps, caller, id);
    const now = deps.clock.now();
    return (await screens()).InvoiceRequestPage({
      person: caller,
      request: invoiceRequestView(request, now),
      history,
      mayDecide: hasRole(caller, ...FINANCE_ROLES),
      mayRecordDelivery: hasRole(caller, 'CUSTOMER_SERVICE'),
      today: shanghaiDate(now),
      ...(error ? { error } : {}),
    });
  }

  async function act(caller: Person, id: string, form: unknown): Promise<void> {
    const parsed = actionForm.safeParse(form);
    if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
    const action = parsed.data;
    if (action.action === 'issue') {
      const body = issueBody.safeParse({ invoiceNumber: action.invoiceNumber, issuedOn: action.issuedOn });
      if (!body.success) throw validationErrorFrom(body.error, 'form');
      await issueInvoice(deps, caller, id, body.data);
    } else if (action.action === 'return') {
      const body = returnBody.safeParse({ reason: action.reason });
      if (!body.success) throw validationErrorFrom(body.error, 'form');
      await returnInvoiceRequest(deps, caller, id, body.data.reason);
    } else if (action.action === 'red-letter') {
      const fields = form as Record<string, string | undefined>;
      const body = redLetterBody.safeParse({
        confirmationNumber: fields.confirmationNumber,
        reasonCode: fields.reasonCode,
        redInvoiceNumber: fields.redInvoiceNumber,
        issuedOn: fields.issuedOn,
      });
      if (!body.success) throw validationErrorFrom(body.error, 'form');
      await recordRedLetter(deps, caller, id, body.data);
    } else if (action.action === 'dismiss-red-letter') {
      const body = dismissRedLetterBody.safeParse({ reason: action.reason });
      if (!body.success) throw validationErrorFrom(body.error, 'form');
      await dismissRedLetter(deps, caller, id, body.data.reason);
    } else {
      const fields = form as Record<string, string | undefined>;
      const body = deliveryBody.safeParse(
        action.method === 'POST'
          ? {
              method: 'POST',
              courier: fields.courier,
              trackingNumber: fields.trackingNumber,
              sentOn: fields.sentOn,
            }
          : { method: 'EMAIL', sentTo: fields.sentTo, sentOn: fields.sentOn },
      );
      if (!body.success) throw validationErrorFrom(body.error, 'form');
      await recordDelivery(deps, caller, id, body.data);
    }
  }

  async function batchPage(
    caller: Person,
    batchDate: string,
    extra: { error?: BatchPageError; query?: BatchPageQuery } = {},
  ) {
    const batch = await invoiceBatch(deps, caller, batchDate);
    const confirmation = extra.query ? batchConfirmation(batch, extra.query) : undefined;
    return (await screens()).InvoiceBatchPage({
      person: caller,
      batch,
      mayDownload: hasRole(caller, ...FINANCE_ROLES, 'ADMIN'),
      mayDecide: hasRole(caller, ...FINANCE_ROLES),
      today: shanghaiDate(deps.clock.now()),
      ...(extra.error ? { error: extra.error } : {}),
      ...(confirmation ? { confirmation } : {}),
    });
  }

  return pageFunction(deps, invoicingPagesRoutes, {
    requestsPage: session({ query: statusQuery }, async ({ caller, query, html }) => {
      const page = await listInvoiceRequests(deps, caller, {
        status: query.status,
        ...(query.flag ? { flag: query.flag } : {}),
        limit: 50,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      const now = deps.clock.now();
      return html(
        200,
        (await screens()).InvoiceRequestsPage({
          person: caller,
          status: query.status,
          flagged: query.flag === 'RED_LETTER',
          requests: page.items.map((request) => invoiceRequestView(request, now)),
          mayRecord: hasRole(caller, 'CUSTOMER_SERVICE'),
          nextPage: page.nextCursor
            ? `/invoice-requests?${query.flag ? 'flag=RED_LETTER' : `status=${query.status}`}&cursor=${encodeURIComponent(page.nextCursor)}`
            : undefined,
        }),
      );
    }),
    newRequestForm: session({}, async ({ caller, html }) => {
      requireRole(caller, 'CUSTOMER_SERVICE');
      return html(200, (await screens()).NewInvoiceRequestPage({ person: caller, values: emptyForm() }));
    }),
    submitRequestForm: session({ body: 'urlencoded' }, async ({ caller, body, html }) => {
      requireRole(caller, 'CUSTOMER_SERVICE');
      const values = formValues.parse(body ?? {}) as RequestFormValues;
      try {
        // A form sent twice goes to the request it made.
        const earlier = await deps.store.invoiceRequests.idempotencyRecord(
          caller.email,
          values.idempotencyKey,
        );
        if (earlier) return redirect(`/invoice-requests/${earlier.requestId}`);
        const parsed = invoiceRequestBody.safeParse(bodyOfForm(values));
        if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
        const { request } = await recordInvoiceRequest(deps, caller, {
          ...parsed.data,
          idempotencyKey: idempotencyKeyFrom({ 'idempotency-key': values.idempotencyKey }),
        });
        return redirect(`/invoice-requests/${request.id}`);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return html(
          error.statusCode,
          (await screens()).NewInvoiceRequestPage({
            person: caller,
            values: { ...values, idempotencyKey: randomUUID() },
            error: formErrorOf(error),
          }),
        );
      }
    }),
    requestPage: session(pageIdParams, async ({ caller, params, html }) =>
      html(200, await requestPage(caller, params.id)),
    ),
    requestForm: session({ ...pageIdParams, body: 'urlencoded' }, async ({ caller, params, body, html }) => {
      try {
        await act(caller, params.id, body);
        return redirect(`/invoice-requests/${params.id}`);
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode === 404) throw error;
        return html(error.statusCode, await requestPage(caller, params.id, formErrorOf(error)));
      }
    }),
    /** The batch; `?done=…` after one of its forms, the confirmation (what does not check out is not shown). */
    batchPage: session(
      { ...pageBatchParams, query: batchPageQuery },
      async ({ caller, params, query, html }) =>
        html(200, await batchPage(caller, params.batchDate, { query })),
    ),
    /**
     * The batch page's forms (finance): issue or return one line — read by the request page's `act`,
     * so the same fields, schemas and use cases — or record the tax bureau's result file for the whole
     * batch (recordBatchResult, as `POST /api/invoice-batches/:batchDate/issued`). Each answers with
     * the page again (303); a refusal shows the page with the error at its form, nothing written.
     * A repeat (a double click) is no change: the use cases answer a same issue or return as it stands.
     */
    batchForm: session({ ...pageBatchParams, body: 'multipart' }, async ({ caller, params, body, html }) => {
      const form = batchForm.safeParse(body);
      const action = form.success ? form.data.action : undefined;
      const requestId = form.success ? form.data.requestId : undefined;
      const typed = typedBatchFields.parse(body ?? {});
      const values = Object.fromEntries(
        Object.entries({
          invoiceNumber: typed.invoiceNumber,
          issuedOn: typed.issuedOn,
          reason: typed.reason,
        }).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
      try {
        requireRole(caller, ...FINANCE_ROLES);
        if (!form.success) throw validationErrorFrom(form.error, 'form');
        const back = `/invoice-batches/${params.batchDate}`;
        if (form.data.action === 'result') {
          const [chosen] = chosenFiles(form.data.file);
          if (!chosen) throw resultFileMissing();
          const outcome = await recordBatchResult(deps, caller, params.batchDate, chosen.content);
          return redirect(resultBack(params.batchDate, outcome));
        }
        if (!requestId) {
          throw new ValidationError('请指明是哪一份申请。Say which request this is about.', {
            issues: [{ path: 'requestId', message: '申请 the request' }],
          });
        }
        // Only a line of this batch: the page's form names one, a hand-made one may name another.
        const lines = await requestsOf(deps, caller.entityId, params.batchDate);
        if (!lines.some((line) => line.id === requestId)) {
          throw new RuleViolationError(
            'NOT_IN_BATCH',
            `${params.batchDate} 批次中没有这份申请。That request is not in the batch of ${params.batchDate}.`,
          );
        }
        await act(caller, requestId, body);
        const done = form.data.action === 'issue' ? 'issued' : 'returned';
        return redirect(`${back}?${new URLSearchParams({ done, request: requestId })}`);
      } catch (error) {
        if (!(error instanceof AppError) || error instanceof ForbiddenError) throw error;
        return html(
          error.statusCode,
          await batchPage(caller, params.batchDate, {
            error: { ...formErrorOf(error), requestId, action, values },
          }),
        );
      }
    }),
    batchApplication: session(pageBatchParams, async ({ caller, params }) =>
      attachment(await applicationFile(deps, caller, params.batchDate)),
    ),
  });
};

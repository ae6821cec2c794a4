/**
 * The payments' pages (POLICY 2.1(3), 2.2(3), D3–D5, D9): the cashier's day, the bank files and their
 * payments, the voucher page's payment and invoice forms, and the missing invoices — the same use
 * cases and input shapes (lib/payments/schemas.ts) as the JSON API. A page's form that did something
 * answers with a 303 to the page it returns to, naming the outcome (outcomes.ts), whose banner
 * confirms it.
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import { AppError, ForbiddenError, type Issue, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import { shanghaiDate } from '../domain/time.ts';
import { type ApiResult, attachment, redirect } from '../http/api-handler.ts';
import { validationErrorFrom, zodIssues } from '../http/errors.ts';
import { localDate } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { type PageHelpers, pageFunction, session } from '../http/router.ts';
import { paymentsPagesRoutes } from '../http/routes.ts';
import { type FormError, formErrorOf } from '../ui/controls.tsx';
import { checkUploadedFiles, storeUploadedFile, type UploadedFile } from '../uploads/create-upload.ts';
import { chosenFiles, formFiles } from '../uploads/form-files.ts';
import { vouchersXlsx } from '../vouchers/export.ts';
import { namesOf, voucherPage } from '../vouchers/pages.ts';
import { voucherIdParams } from '../vouchers/schemas.ts';
import { voucherView } from '../vouchers/voucher-view.ts';
import { type BankFileRow, bankFileView, recordBankFilePayments } from './bank-files.ts';
import { MISSING_SORTS, type MissingFilters, missingInvoicesForList } from './missing-invoices.ts';
import type { MissingFormValues } from './missing-invoices-page.tsx';
import { bankFileOutcomeQuery, type RunOutcome, runConfirmation, runOutcomeQuery } from './outcomes.ts';
import { bankFileAgain, exportBankBatch, paymentRun } from './payment-run.ts';
import { pullIntoTodaysRun, recordPayment, retryPayment, returnToApplicant } from './payments.ts';
import { bankFileParams, bankFileRow, paymentBody, reasonBody, supplierInvoiceBody } from './schemas.ts';
import type { BankFileFormState, BankFileRowOutcome, PageError } from './screens.tsx';
import {
  type InvoiceCopy,
  recordSupplierInvoice,
  type SupplierInvoiceInput,
  supplierInvoiceRefused,
  waiveSpecialInvoice,
} from './supplier-invoices.ts';
import { runParams } from './web.ts';

/**
 * The screens, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen.
 */
const screens = () => import('./screens.tsx');

/**
 * The missing-invoices screen, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen.
 */
const missingInvoicesScreen = () => import('./missing-invoices-page.tsx');

/** The missing-invoices list's filters as sent (a form's empty field is no filter); a day must be real. */
const missingPageQuery = lazySchema(() =>
  z
    .object({
      from: z.union([z.literal(''), localDate]).optional(),
      to: z.union([z.literal(''), localDate]).optional(),
      sort: z.enum(MISSING_SORTS).catch('oldest'),
    })
    .loose(),
);

function missingFormValues(query: z.output<typeof missingPageQuery>): MissingFormValues {
  return { from: query.from ?? '', to: query.to ?? '', sort: query.sort };
}

function missingFilters(values: MissingFormValues): MissingFilters {
  return {
    paid: { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}) },
    sort: values.sort,
  };
}

/** What was typed, as typed (a missing or non-text field reads as empty). */
const typed = lazySchema(() => z.string().catch(''));

const RUN_ACTIONS = ['paid', 'failed', 'pull', 'retry', 'return'] as const;

/** A run page's form, as sent (the payment fields are checked by the API's own schemas below). */
const runForm = lazySchema(() =>
  z.object({
    voucherId: voucherIdParams.shape.id,
    action: z.enum(RUN_ACTIONS),
    bankReference: typed,
    paidOn: typed,
    reason: typed,
  }),
);

/** Where each of the run page's actions returns, and the outcome its banner confirms. */
const RUN_OUTCOME: Record<(typeof RUN_ACTIONS)[number], RunOutcome> = {
  paid: 'paid',
  failed: 'failed',
  pull: 'pulled',
  retry: 'retried',
  return: 'returned',
};

/** The voucher page's answer to a failed payment (finance): schedule it again, or return it. */
const failedPaymentForm = lazySchema(() => z.object({ action: z.enum(['retry', 'return']), reason: typed }));
const batchForm = lazySchema(() =>
  z.object({ format: z.enum(['csv', 'xlsx']), includeExported: z.literal('yes').optional() }),
);

/** A form whose one field is a reason (finance's waiver of the special invoice). */
const reasonForm = lazySchema(() => z.object({ reason: typed }).catch({ reason: '' }));

/** The invoice form's optional copy of the invoice (a file input left empty sends an empty part). */
const invoiceFileForm = lazySchema(() => z.object({ invoiceFile: formFiles }).catch({}));

const typedInvoice = lazySchema(() =>
  z
    .object({
      type: typed,
      number: typed,
      code: typed,
      issuedOn: typed,
      amount: typed,
      taxAmount: typed,
      confirmAmountDifference: typed,
    })
    .catch({
      type: '',
      number: '',
      code: '',
      issuedOn: '',
      amount: '',
      taxAmount: '',
      confirmAmountDifference: '',
    }),
);

/** A refusal shown on the page its form is on; forbidden (and, for a voucher, not found) stay error pages. */
const shownOnThePage = (error: unknown, voucher: boolean): error is AppError =>
  error instanceof AppError &&
  !(error instanceof ForbiddenError) &&
  !(voucher && error instanceof NotFoundError);

/** A voucher's id in a page's path, as the API checks it; anything else names no voucher (404). */
const voucherPath = { params: voucherIdParams, pathNotFound: '没有这张凭单。No such voucher.' };

/** A bank file in a page's path; anything else names no file (404). */
const bankFilePath = {
  params: bankFileParams,
  pathNotFound: '没有这个银行文件。No such bank file.',
};

/** `/payment-runs/<day>?done=paid&voucher=<id>`: the page the form returns to, and what it confirms. */
const back = (day: LocalDate, done: RunOutcome, ids: { voucher?: string; batch?: string }) =>
  `/payment-runs/${day}?${new URLSearchParams({ done, ...ids })}`;

/** The invoice form's fields as the use case takes them: those that parse, and the issues of those that do not. */
function invoiceFields(fields: z.output<typeof typedInvoice>): {
  input: Partial<SupplierInvoiceInput>;
  issues: Issue[];
} {
  const code = fields.code.trim() === '' ? undefined : fields.code.trim();
  const sent = { ...fields, code, confirmAmountDifference: fields.confirmAmountDifference === 'yes' };
  const input: Partial<SupplierInvoiceInput> = { confirmAmountDifference: sent.confirmAmountDifference };
  const issues: Issue[] = [];
  const shape = supplierInvoiceBody.shape;
  const take = <K extends 'type' | 'number' | 'code' | 'issuedOn' | 'amount' | 'taxAmount'>(key: K) => {
    const value = sent[key];
    if (value === undefined) return;
    const parsed = shape[key].safeParse(value);
    if (parsed.success) Object.assign(input, { [key]: parsed.data });
    else issues.push(...zodIssues(parsed.error).map((issue) => ({ ...issue, path: key })));
  };
  for (const key of ['type', 'number', 'code', 'issuedOn', 'amount', 'taxAmount'] as const) take(key);
  return { input, issues };
}

export const paymentsPages = (deps: AppDeps) => {
  const today = (): LocalDate => shanghaiDate(deps.clock.now());

  /** The cashier's day: the run of a day, with the refusal of a form or the confirmation of one. */
  async function runPage(
    person: Person,
    date: LocalDate,
    extra: { error?: PageError; query?: z.output<typeof runOutcomeQuery> } = {},
  ) {
    const run = await paymentRun(deps, person, date);
    const confirmation = extra.query ? await runConfirmation(deps, person, date, extra.query) : null;
    return (await screens()).PaymentRunPage({
      person,
      run,
      today: today(),
      error: extra.error,
      confirmation,
    });
  }

  /**
   * A form of the voucher page: done → back to the voucher (303), naming what was done; refused → the
   * voucher page again with the refusal beside that form (its status), nothing saved.
   */
  async function onVoucherPage(
    request: { caller: Person } & PageHelpers,
    id: string,
    form: PageError['form'],
    done: string,
    act: () => Promise<unknown>,
    values?: Record<string, string>,
  ): Promise<ApiResult> {
    try {
      await act();
      return redirect(`/vouchers/${id}?${new URLSearchParams({ done })}`);
    } catch (error) {
      if (!shownOnThePage(error, true)) throw error;
      const refusal: PageError = { ...formErrorOf(error), form, values };
      const { PaymentSection } = await screens();
      const page = await voucherPage(deps, request.caller, id, (voucher, day) =>
        PaymentSection({ person: request.caller, voucher, today: day, error: refusal, query: {} }),
      );
      return request.html(error.statusCode, page);
    }
  }

  /** A bank file's page, with what its form came to when it was just sent. */
  async function bankFilePage(
    person: Person,
    date: LocalDate,
    batchId: string,
    extra: { state?: BankFileFormState; recorded?: boolean } = {},
  ) {
    const file = await bankFileView(deps, person, date, batchId);
    return (await screens()).BankFilePage({ person, file, today: today(), ...extra });
  }

  return pageFunction(deps, paymentsPagesRoutes, {
    runOfDay: session({ query: z.object({ date: localDate.optional() }).loose() }, async ({ query }) =>
      redirect(`/payment-runs/${query.date ?? today()}`),
    ),
    /** The run of a day; `?done=…` after a form, its confirmation (unknown outcomes are ignored). */
    runPage: session({ params: runParams, query: runOutcomeQuery }, async ({ caller, params, query, html }) =>
      html(200, await runPage(caller, params.date, { query })),
    ),
    /** A run page's form: pay, fail, pull forward (D5), or finance's retry / return. */
    runForm: session({ params: runParams, body: 'multipart' }, async ({ caller, params, body, html }) => {
      const form = runForm.safeParse(body);
      const voucherId = form.success ? form.data.voucherId : undefined;
      const values = form.success
        ? { bankReference: form.data.bankReference, paidOn: form.data.paidOn, reason: form.data.reason }
        : undefined;
      try {
        if (!form.success) throw validationErrorFrom(form.error, 'form');
        const { action } = form.data;
        if (action === 'paid' || action === 'failed') {
          const payment = paymentBody.safeParse(
            action === 'paid'
              ? { status: 'PAID', bankReference: form.data.bankReference, paidOn: form.data.paidOn }
              : { status: 'PAYMENT_FAILED', reason: form.data.reason },
          );
          if (!payment.success) throw validationErrorFrom(payment.error, 'form');
          await recordPayment(deps, caller, form.data.voucherId, payment.data);
        } else {
          const reason = reasonBody.safeParse({ reason: form.data.reason });
          if (!reason.success) throw validationErrorFrom(reason.error, 'form');
          const act = { pull: pullIntoTodaysRun, retry: retryPayment, return: returnToApplicant }[action];
          await act(deps, caller, form.data.voucherId, reason.data.reason);
        }
        return redirect(back(params.date, RUN_OUTCOME[action], { voucher: form.data.voucherId }));
      } catch (error) {
        if (!shownOnThePage(error, false)) throw error;
        return html(
          error.statusCode,
          await runPage(caller, params.date, {
            error: { ...formErrorOf(error), voucherId, action: form.data?.action, values },
          }),
        );
      }
    }),
    /**
     * The run page's export form: the file is made and recorded, and the run page confirms it with a
     * link to download it (and to record its payments); a refusal shows the run with the reason.
     */
    bankBatchForm: session(
      { params: runParams, body: 'multipart' },
      async ({ caller, params, body, html }) => {
        const form = batchForm.safeParse(body);
        try {
          if (!form.success) throw validationErrorFrom(form.error, 'form');
          const file = await exportBankBatch(deps, caller, params.date, form.data.format, {
            includeExported: form.data.includeExported === 'yes',
          });
          return redirect(back(params.date, 'exported', { batch: file.batch.id }));
        } catch (error) {
          if (!shownOnThePage(error, false)) throw error;
          return html(error.statusCode, await runPage(caller, params.date, { error: formErrorOf(error) }));
        }
      },
    ),
    /** A bank file's vouchers, with the form for the bank's references (cashier and finance). */
    bankFilePage: session(
      { ...bankFilePath, query: bankFileOutcomeQuery },
      async ({ caller, params, query, html }) =>
        html(
          200,
          await bankFilePage(caller, params.date, params.batchId, { recorded: query.done === 'recorded' }),
        ),
    ),
    bankFileDownload: session({ ...bankFilePath }, async ({ caller, params }) =>
      attachment(await bankFileAgain(deps, caller, params.date, params.batchId)),
    ),
    /**
     * A bank file's payments form: one bank reference per filled row (`ref-<voucherId>`, `on-<voucherId>`).
     * Any row that does not parse: the form again with every issue at its field, nothing recorded. Then
     * each row is paid once: all landed (or were there already) → back to the file, confirmed; some
     * refused → the file again (200: the others are recorded), each row saying what became of it.
     */
    bankFileForm: session({ ...bankFilePath, body: 'multipart' }, async ({ caller, params, body, html }) => {
      // The cashier records payments; anyone else is refused before the form is read.
      requireRole(caller, 'CASHIER');
      const { date, batchId } = params;
      const values: Record<string, string> = {};
      for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
        if (/^(?:ref|on)-/.test(name) && typeof value === 'string') values[name] = value;
      }
      const sent = Object.keys(values)
        .filter((name) => name.startsWith('ref-') && (values[name] ?? '').trim() !== '')
        .map((name) => name.slice('ref-'.length));
      const fieldErrors: Record<string, string[]> = {};
      const rows: BankFileRow[] = [];
      for (const voucherId of sent) {
        const row = bankFileRow.safeParse({
          voucherId,
          bankReference: values[`ref-${voucherId}`],
          paidOn: values[`on-${voucherId}`] ?? '',
        });
        if (row.success) rows.push(row.data);
        else {
          for (const issue of zodIssues(row.error)) {
            const name = issue.path === 'paidOn' ? `on-${voucherId}` : `ref-${voucherId}`;
            fieldErrors[name] = [...(fieldErrors[name] ?? []), issue.message];
          }
        }
      }
      const refuse = async (error: FormError, statusCode: number) =>
        html(
          statusCode,
          await bankFilePage(caller, date, batchId, { state: { values, error, fieldErrors } }),
        );
      if (sent.length === 0) {
        return refuse(
          formErrorOf(
            new ValidationError(
              '请至少填写一笔的银行流水号。Enter the bank reference of at least one transfer.',
            ),
          ),
          400,
        );
      }
      if (Object.keys(fieldErrors).length > 0) {
        const issues = Object.entries(fieldErrors).flatMap(([name, messages]) =>
          messages.map((message) => ({ path: name, message })),
        );
        return refuse(
          formErrorOf(
            new ValidationError(
              `有 ${issues.length} 处需要改正，未登记任何付款。Nothing recorded: ${issues.length} field(s) need fixing.`,
              {
                issues,
              },
            ),
          ),
          400,
        );
      }
      let outcome: Awaited<ReturnType<typeof recordBankFilePayments>>;
      try {
        outcome = await recordBankFilePayments(deps, caller, date, batchId, rows);
      } catch (error) {
        if (!shownOnThePage(error, false) || error instanceof NotFoundError) throw error;
        // The whole form refused (a reference given twice, a voucher not in this file): each issue at
        // its row's field, named by the field (`rows.<i>.…` is the API's way of naming it).
        const issues = error.issues.map((issue) => {
          const [, index, field] = issue.path.split('.');
          const row = rows[Number(index)];
          if (!row) return issue;
          const name = field === 'paidOn' ? `on-${row.voucherId}` : `ref-${row.voucherId}`;
          fieldErrors[name] = [...(fieldErrors[name] ?? []), issue.message];
          return { ...issue, path: name };
        });
        return refuse({ ...formErrorOf(error), issues }, error.statusCode);
      }
      if (outcome.rows.every((row) => row.result !== 'REFUSED')) {
        return redirect(`/payment-runs/${date}/bank-batch/${batchId}?done=recorded`);
      }
      const results = new Map<string, BankFileRowOutcome>(
        outcome.rows.map((row) => [
          row.voucherId,
          row.result === 'REFUSED'
            ? { result: 'REFUSED', error: formErrorOf(row.error) }
            : { result: row.result },
        ]),
      );
      // Some rows are recorded: a 200, never a 4xx (a 4xx means nothing was written).
      return html(200, await bankFilePage(caller, date, batchId, { state: { values, rows: results } }));
    }),
    /**
     * The voucher page's answer to a failed payment (finance). A voucher finance may not act on is a
     * 403 page, as on the run page.
     */
    failedPaymentForm: session({ ...voucherPath, body: 'multipart' }, async (request) => {
      const form = failedPaymentForm.safeParse(request.body);
      const action = form.data?.action;
      return onVoucherPage(
        request,
        request.params.id,
        action,
        action === 'return' ? 'returned' : 'retried',
        async () => {
          if (!form.success) throw validationErrorFrom(form.error, 'form');
          const reason = reasonBody.safeParse({ reason: form.data.reason });
          if (!reason.success) throw validationErrorFrom(reason.error, 'form');
          const act = form.data.action === 'retry' ? retryPayment : returnToApplicant;
          await act(deps, request.caller, request.params.id, reason.data.reason);
        },
        form.success ? { reason: form.data.reason } : undefined,
      );
    }),
    /**
     * The invoice form: every problem at once (the fields that do not parse, what the rules find in
     * those that do, the copy), the values kept; an amount other than the one paid needs its box ticked
     * (D9). A form sent again (double click) for an invoice already recorded goes to the voucher; the
     * chosen copy is stored only once every check has passed (nothing stored on a refusal).
     */
    supplierInvoiceForm: session({ ...voucherPath, body: 'multipart' }, async (request) => {
      const fields = typedInvoice.parse(request.body);
      const { caller } = request;
      const id = request.params.id;
      const [chosen] = chosenFiles(invoiceFileForm.parse(request.body).invoiceFile);
      const upload: UploadedFile | undefined = chosen && {
        fileName: chosen.filename,
        contentType: chosen.mimetype,
        body: chosen.content,
        purpose: 'supplier-invoice',
        path: 'invoiceFile',
      };
      const copy: InvoiceCopy | undefined = upload && {
        check: async () => {
          try {
            await checkUploadedFiles(deps, caller, [upload]);
            return null;
          } catch (error) {
            if (error instanceof AppError && !(error instanceof ForbiddenError)) return error;
            throw error;
          }
        },
        store: () => storeUploadedFile(deps, caller, upload),
      };
      const { confirmAmountDifference, ...kept } = fields;
      const values = { ...kept, ...(confirmAmountDifference === 'yes' ? { confirmAmountDifference } : {}) };
      return onVoucherPage(
        request,
        id,
        'supplier-invoice',
        'invoice-recorded',
        async () => {
          const { input, issues } = invoiceFields(fields);
          if (issues.length > 0) throw await supplierInvoiceRefused(deps, caller, id, input, issues, copy);
          await recordSupplierInvoice(deps, caller, id, input as SupplierInvoiceInput, copy);
        },
        values,
      );
    }),
    /** Finance accepts an ordinary invoice from a general VAT taxpayer, with a reason (POLICY 2.1(3)). */
    waiverForm: session({ ...voucherPath, body: 'multipart' }, async (request) => {
      const form = reasonForm.parse(request.body);
      return onVoucherPage(
        request,
        request.params.id,
        'waiver',
        'waived',
        async () => {
          const reason = reasonBody.safeParse(form);
          if (!reason.success) throw validationErrorFrom(reason.error, 'form');
          await waiveSpecialInvoice(deps, request.caller, request.params.id, reason.data.reason);
        },
        form,
      );
    }),
    /**
     * The payments missing their invoice, filtered by the days paid, sorted, with their total
     * (lib/payments/missing-invoices.ts); a refused filter is the page again with its error.
     */
    missingInvoicesPage: session({ query: missingPageQuery }, async ({ caller, query, html }) => {
      const values = missingFormValues(query);
      const exportHref = `/supplier-invoices/missing/export?${new URLSearchParams({ ...values })}`;
      try {
        const list = await missingInvoicesForList(deps, caller, missingFilters(values));
        const vouchers = list.vouchers.map((voucher) => voucherView(voucher, caller));
        const names = await namesOf(
          deps,
          vouchers.map((voucher) => voucher.applicant),
        );
        return html(
          200,
          (await missingInvoicesScreen()).MissingInvoicesPage({
            person: caller,
            vouchers,
            names,
            values,
            truncated: list.truncated,
            exportHref,
          }),
        );
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return html(
          400,
          (await missingInvoicesScreen()).MissingInvoicesPage({
            person: caller,
            vouchers: [],
            names: new Map(),
            values,
            truncated: false,
            exportHref,
            error: formErrorOf(error),
          }),
        );
      }
    }),
    /** The same list as an XLSX file (amounts as numbers, ids and accounts as text, a total row). */
    exportMissingInvoices: session({ query: missingPageQuery }, async ({ caller, query }) => {
      const list = await missingInvoicesForList(deps, caller, missingFilters(missingFormValues(query)));
      return attachment(
        await vouchersXlsx(list.vouchers, caller, shanghaiDate(deps.clock.now()), {
          name: 'missing-invoices',
          title: 'Missing invoices',
          paidOn: true,
        }),
      );
    }),
  });
};

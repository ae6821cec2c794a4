/**
 * The payments' web edge (POLICY 2.1(3), 2.2(3), D3–D5, D9): the JSON API and the pages of the
 * cashier's day, the voucher page's payment and invoice forms, and the missing invoices — the same
 * use cases and input shapes (lib/payments/schemas.ts) either way.
 */
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import { shanghaiDate } from '../domain/time.ts';
import { type ApiResult, attachment, json } from '../http/api-handler.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { localDate } from '../http/input.ts';
import { redirect } from '../http/pages.ts';
import { apiFunction, jwt, type PageHelpers, pageFunction, session } from '../http/router.ts';
import { formErrorOf } from '../ui/controls.tsx';
import { storeUploadedFile } from '../uploads/create-upload.ts';
import { chosenFiles, formFiles } from '../uploads/form-files.ts';
import { vouchersXlsx } from '../vouchers/export.ts';
import { voucherIdParams } from '../vouchers/schemas.ts';
import { voucherView } from '../vouchers/voucher-view.ts';
import { namesOf, voucherPage } from '../vouchers/web.ts';
import { MISSING_SORTS, type MissingFilters, missingInvoicesForList } from './missing-invoices.ts';
import { type MissingFormValues, MissingInvoicesPage } from './missing-invoices-page.tsx';
import { exportBankBatch, paymentRun } from './payment-run.ts';
import { pullIntoTodaysRun, recordPayment, retryPayment, returnToApplicant } from './payments.ts';
import { paymentBody, reasonBody, supplierInvoiceBody } from './schemas.ts';
import { type PageError, PaymentRunPage, PaymentSection } from './screens.tsx';
import { paymentsMissingInvoice, recordSupplierInvoice, waiveSpecialInvoice } from './supplier-invoices.ts';

// — the JSON API —

const runParams = z.object({ date: localDate });

/** Also the vouchers already in an earlier file (a lost file, a batch the bank refused). */
const bankBatchBody = z.strictObject({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  includeExported: z.boolean().default(false),
});

/** A page of the missing invoices: the API's `limit` and `cursor`. */
const missingQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2000).optional(),
});

export const paymentsApi = (deps: AppDeps) => {
  const withReason = (action: typeof pullIntoTodaysRun) =>
    jwt({ body: reasonBody, params: voucherIdParams }, async ({ body, params, caller }) =>
      json(200, voucherView(await action(deps, caller, params.id, body.reason), caller)),
    );
  return apiFunction(deps, 'paymentsApi', {
    /** Today's run (Asia/Shanghai). */
    todaysRun: jwt({}, async ({ caller }) => json(200, await paymentRun(deps, caller, undefined))),
    paymentRun: jwt({ params: runParams }, async ({ params, caller }) =>
      json(200, await paymentRun(deps, caller, params.date)),
    ),
    exportBankBatch: jwt({ params: runParams, body: bankBatchBody }, async ({ params, body, caller }) =>
      attachment(
        await exportBankBatch(deps, caller, params.date, body.format, {
          includeExported: body.includeExported,
        }),
      ),
    ),
    /** The cashier pays once (PAID) or records the failure (PAYMENT_FAILED). */
    recordPayment: jwt({ body: paymentBody, params: voucherIdParams }, async ({ body, params, caller }) =>
      json(200, voucherView(await recordPayment(deps, caller, params.id, body), caller)),
    ),
    pullIntoTodaysRun: withReason(pullIntoTodaysRun),
    retryPayment: withReason(retryPayment),
    returnToApplicant: withReason(returnToApplicant),
    recordSupplierInvoice: jwt(
      { body: supplierInvoiceBody, params: voucherIdParams },
      async ({ body, params, caller }) =>
        json(200, voucherView(await recordSupplierInvoice(deps, caller, params.id, body), caller)),
    ),
    waiveSpecialInvoice: jwt(
      { body: reasonBody, params: voucherIdParams },
      async ({ body, params, caller }) =>
        json(200, voucherView(await waiveSpecialInvoice(deps, caller, params.id, body.reason), caller)),
    ),
    /** Oldest payment first. */
    missingInvoices: jwt({ query: missingQuery }, async ({ query, caller }) => {
      const page = await paymentsMissingInvoice(deps, caller, query);
      return json(200, {
        items: page.items.map((voucher) => voucherView(voucher, caller)),
        nextCursor: page.nextCursor,
      });
    }),
  });
};

// — the pages —

/** The missing-invoices list's filters as sent (a form's empty field is no filter); a day must be real. */
const missingPageQuery = z
  .object({
    from: z.union([z.literal(''), localDate]).optional(),
    to: z.union([z.literal(''), localDate]).optional(),
    sort: z.enum(MISSING_SORTS).catch('oldest'),
  })
  .loose();

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
const typed = z.string().catch('');

/** A run page's form, as sent (the payment fields are checked by the API's own schemas below). */
const runForm = z.object({
  voucherId: voucherIdParams.shape.id,
  action: z.enum(['paid', 'failed', 'pull', 'retry', 'return']),
  bankReference: typed,
  paidOn: typed,
  reason: typed,
});

/** The voucher page's answer to a failed payment (finance): schedule it again, or return it. */
const failedPaymentForm = z.object({ action: z.enum(['retry', 'return']), reason: typed });
const batchForm = z.object({ format: z.enum(['csv', 'xlsx']), includeExported: z.literal('yes').optional() });

/** A form whose one field is a reason (finance's waiver of the special invoice). */
const reasonForm = z.object({ reason: typed }).catch({ reason: '' });

/** The invoice form's optional copy of the invoice (a file input left empty sends an empty part). */
const invoiceFileForm = z.object({ invoiceFile: formFiles }).catch({});

const typedInvoice = z
  .object({
    type: typed,
    number: typed,
    code: typed,
    issuedOn: typed,
    amount: typed,
    taxAmount: typed,
  })
  .catch({ type: '', number: '', code: '', issuedOn: '', amount: '', taxAmount: '' });

/** A refusal shown on the page its form is on; forbidden (and, for a voucher, not found) stay error pages. */
const shownOnThePage = (error: unknown, voucher: boolean): error is AppError =>
  error instanceof AppError &&
  !(error instanceof ForbiddenError) &&
  !(voucher && error instanceof NotFoundError);

/** A voucher's id in a page's path, as the API checks it; anything else names no voucher (404). */
const voucherPath = { params: voucherIdParams, pathNotFound: '没有这张凭单。No such voucher.' };

export const paymentsPages = (deps: AppDeps) => {
  const today = (): LocalDate => shanghaiDate(deps.clock.now());

  /** The cashier's day: the run of a day, with the refusal of a form when there is one. */
  async function runPage(person: Person, date: LocalDate, error?: PageError) {
    const run = await paymentRun(deps, person, date);
    return PaymentRunPage({ person, run, today: today(), error });
  }

  /**
   * A form of the voucher page: done → back to the voucher (303); refused → the voucher page again with
   * the refusal beside that form (its status), nothing saved.
   */
  async function onVoucherPage(
    request: { caller: Person } & PageHelpers,
    id: string,
    form: PageError['form'],
    act: () => Promise<unknown>,
  ): Promise<ApiResult> {
    try {
      await act();
      return redirect(`/vouchers/${id}`);
    } catch (error) {
      if (!shownOnThePage(error, true)) throw error;
      const refusal: PageError = { ...formErrorOf(error), form };
      const page = await voucherPage(deps, request.caller, id, (voucher, day) =>
        PaymentSection({ person: request.caller, voucher, today: day, error: refusal }),
      );
      return request.html(error.statusCode, page);
    }
  }

  return pageFunction(deps, 'paymentsPages', {
    runOfDay: session({ query: z.object({ date: localDate.optional() }).loose() }, async ({ query }) =>
      redirect(`/payment-runs/${query.date ?? today()}`),
    ),
    runPage: session({ params: runParams }, async ({ caller, params, html }) =>
      html(200, await runPage(caller, params.date)),
    ),
    /** A run page's form: pay, fail, pull forward (D5), or finance's retry / return. */
    runForm: session({ params: runParams, body: 'multipart' }, async ({ caller, params, body, html }) => {
      const form = runForm.safeParse(body);
      const voucherId = form.success ? form.data.voucherId : undefined;
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
        return redirect(`/payment-runs/${params.date}`);
      } catch (error) {
        if (!shownOnThePage(error, false)) throw error;
        return html(
          error.statusCode,
          await runPage(caller, params.date, { ...formErrorOf(error), voucherId }),
        );
      }
    }),
    /** The run page's export form: the file downloads; a refusal shows the run with the reason. */
    bankBatchForm: session(
      { params: runParams, body: 'multipart' },
      async ({ caller, params, body, html }) => {
        const form = batchForm.safeParse(body);
        try {
          if (!form.success) throw validationErrorFrom(form.error, 'form');
          return attachment(
            await exportBankBatch(deps, caller, params.date, form.data.format, {
              includeExported: form.data.includeExported === 'yes',
            }),
          );
        } catch (error) {
          if (!shownOnThePage(error, false)) throw error;
          return html(error.statusCode, await runPage(caller, params.date, formErrorOf(error)));
        }
      },
    ),
    /**
     * The voucher page's answer to a failed payment (finance). A voucher finance may not act on is a
     * 403 page, as on the run page.
     */
    failedPaymentForm: session({ ...voucherPath, body: 'multipart' }, async (request) => {
      const form = failedPaymentForm.safeParse(request.body);
      return onVoucherPage(request, request.params.id, form.data?.action, async () => {
        if (!form.success) throw validationErrorFrom(form.error, 'form');
        const reason = reasonBody.safeParse({ reason: form.data.reason });
        if (!reason.success) throw validationErrorFrom(reason.error, 'form');
        const act = form.data.action === 'retry' ? retryPayment : returnToApplicant;
        await act(deps, request.caller, request.params.id, reason.data.reason);
      });
    }),
    /**
     * The invoice form: a form sent again (double click) for an invoice already recorded goes to the
     * voucher; the chosen copy is stored only once every check has passed (nothing stored on a refusal).
     */
    supplierInvoiceForm: session({ ...voucherPath, body: 'multipart' }, async (request) => {
      const fields = typedInvoice.parse(request.body);
      const { caller } = request;
      return onVoucherPage(request, request.params.id, 'supplier-invoice', async () => {
        const invoice = supplierInvoiceBody.safeParse({
          ...fields,
          code: fields.code.trim() === '' ? undefined : fields.code.trim(),
        });
        if (!invoice.success) throw validationErrorFrom(invoice.error, 'form');
        const [copy] = chosenFiles(invoiceFileForm.parse(request.body).invoiceFile);
        const storeCopy = copy
          ? () =>
              storeUploadedFile(deps, caller, {
                fileName: copy.filename,
                contentType: copy.mimetype,
                body: copy.content,
                purpose: 'supplier-invoice',
              })
          : undefined;
        await recordSupplierInvoice(deps, caller, request.params.id, invoice.data, storeCopy);
      });
    }),
    /** Finance accepts an ordinary invoice from a general VAT taxpayer, with a reason (POLICY 2.1(3)). */
    waiverForm: session({ ...voucherPath, body: 'multipart' }, async (request) =>
      onVoucherPage(request, request.params.id, 'waiver', async () => {
        const reason = reasonBody.safeParse(reasonForm.parse(request.body));
        if (!reason.success) throw validationErrorFrom(reason.error, 'form');
        await waiveSpecialInvoice(deps, request.caller, request.params.id, reason.data.reason);
      }),
    ),
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
          MissingInvoicesPage({
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
          MissingInvoicesPage({
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

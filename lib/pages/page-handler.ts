/**
 * The pages function: one Lambda serving the people-facing pages (routes with `function: 'pages'` in
 * lib/http/routes.ts). It reads the session cookie itself, calls the same use cases as the JSON API,
 * and answers HTML with a strict Content-Security-Policy (no script at all).
 */
import { randomUUID } from 'node:crypto';
import type { VNode } from 'preact';
import * as z from 'zod';
import { hasRole, requireRole } from '../access.ts';
import type { AppDeps } from '../app.ts';
import { AppError, NotFoundError, UnauthorizedError, ValidationError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import { shanghaiDate } from '../domain/time.ts';
import { type ApiEvent, type ApiHandler, type ApiResult, attachment } from '../http/api-handler.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { recordId, typedText } from '../http/input.ts';
import { exportBankBatch, paymentRun } from '../payments/payment-run.ts';
import { pullIntoTodaysRun, recordPayment, retryPayment, returnToApplicant } from '../payments/payments.ts';
import {
  localDate,
  paymentBody,
  reasonBody,
  supplierInvoiceBody,
  voucherIdParams,
} from '../payments/schemas.ts';
import {
  paymentsMissingInvoice,
  recordSupplierInvoice,
  waiveSpecialInvoice,
} from '../payments/supplier-invoices.ts';
import { storeUploadedFile, storeUploadedFiles } from '../uploads/create-upload.ts';
import { downloadUrl } from '../uploads/stored-files.ts';
import { isUploadKey } from '../uploads/upload-keys.ts';
import { getVoucher, listVouchers } from '../vouchers/read-vouchers.ts';
import { voucherFields } from '../vouchers/schemas.ts';
import { submitVoucher } from '../vouchers/submit-voucher.ts';
import { voucherView } from '../vouchers/voucher-view.ts';
import { htmlHandler, htmlResponse } from './html-handler.ts';
import {
  EMPTY_FORM,
  ErrorPage,
  HomePage,
  type Names,
  NewVoucherPage,
  SignInPage,
  VoucherDetailPage,
  type VoucherFormValues,
  VoucherListPage,
} from './pages.tsx';
import { MissingInvoicesPage, type PageError, PaymentRunPage, PaymentSection } from './payment-pages.tsx';

export const SESSION_COOKIE = 'fundflow_session';

/**
 * The session cookie (or its removal, `maxAgeSeconds` 0): HttpOnly, SameSite=Lax, and Secure wherever
 * the site is HTTPS — always in AWS — judged from the public base URL's scheme. Only a plain `http:`
 * base URL (the local runtime on this machine) leaves Secure out: browsers would drop a Secure cookie
 * set over http.
 */
export function sessionCookie(value: string, maxAgeSeconds: number, publicBaseUrl: string): string {
  const secure = !publicBaseUrl.toLowerCase().startsWith('http:');
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

const html = (statusCode: number, page: VNode): ApiResult => htmlResponse(statusCode, page, 'session');

function redirect(location: string, cookies?: string[]): ApiResult {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store' },
    ...(cookies ? { cookies } : {}),
  };
}

/** A chosen file; its name is text a person chose (a name may not hide its real ending, e.g. with U+202E). */
const uploadedFile = z.object({
  filename: typedText({ what: 'file name', min: 0, max: 200 }),
  mimetype: z.string(),
  content: z.instanceof(Buffer),
});
type UploadedFile = z.infer<typeof uploadedFile>;

/** The voucher form's typed fields, checked as the API checks them. */
const voucherFormFields = z.object(voucherFields);

/** The parts of the form that are not text the person typed (those are kept as typed, below). */
const voucherForm = z.object({
  idempotencyKey: z.string().min(8).max(128),
  evidence: z.union([uploadedFile, z.array(uploadedFile)]).optional(),
});

/** What was typed, as typed (a missing or non-text field reads as empty), to fill the form again. */
const typed = z.string().catch('');
const typedValues = z
  .object({
    supplierId: typed,
    payeeName: typed,
    payeeAccount: typed,
    payeeBank: typed,
    amount: typed,
    orderIds: typed,
    goods: typed,
  })
  .catch(EMPTY_FORM) satisfies z.ZodType<VoucherFormValues>;

/** The voucher id of a page's path, as the API checks it (voucherIdParams); anything else names none. */
function voucherIdOf(event: ApiEvent): string {
  const id = event.pathParameters?.id ?? '';
  if (!voucherIdParams.safeParse({ id }).success) throw new NotFoundError('No such voucher.');
  return id;
}

/** The chosen files in the order they were picked (the parser lists repeated parts newest first). */
function chosenFiles(evidence: UploadedFile | UploadedFile[] | undefined): UploadedFile[] {
  const files = Array.isArray(evidence) ? [...evidence].reverse() : evidence ? [evidence] : [];
  // A file input left empty still sends one part, with no name and no bytes.
  return files.filter((file) => file.filename !== '' && file.content.length > 0);
}

/** A run page's form, as sent (the payment fields are checked by the API's own schemas below). */
const runForm = z.object({
  voucherId: recordId('voucher id'),
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

/** The missing-invoices page's paging: the API's `limit` and `cursor` (lib/payments/supplier-invoices.ts). */
const missingQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(2000).optional(),
});

/** The invoice form's optional copy of the invoice (a file input left empty sends an empty part). */
const invoiceForm = z
  .object({ invoiceFile: z.union([uploadedFile, z.array(uploadedFile)]).optional() })
  .catch({});

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

/** A day in a page's path: a real `YYYY-MM-DD`, or a clear 400. */
function parseDate(date: string): string {
  const parsed = localDate.safeParse(date);
  if (!parsed.success) throw validationErrorFrom(parsed.error, 'path');
  return parsed.data;
}

export function createPagesHandler(deps: AppDeps): ApiHandler {
  async function signedIn(event: ApiEvent): Promise<Person | null> {
    const cookie = (event.cookies ?? []).find((entry) => entry.startsWith(`${SESSION_COOKIE}=`));
    if (!cookie) return null;
    try {
      const claims = await deps.sessions.verify(cookie.slice(SESSION_COOKIE.length + 1));
      return await deps.store.people.get(claims.email.toLowerCase());
    } catch (error) {
      if (error instanceof UnauthorizedError) return null;
      throw error;
    }
  }

  async function signInPage(): Promise<ApiResult> {
    if (!deps.devSignIn) return html(200, SignInPage({}));
    const people = await deps.store.people.listByEntity(deps.devSignIn.entityId);
    return html(200, SignInPage({ people, action: deps.devSignIn.action }));
  }

  /**
   * 1. A form sent again (double click, reload of the POST) goes to the voucher it already made, before
   *    anything is stored again. 2. What was typed has the API's shape (submitVoucherBody), and every
   *    chosen file is, by its bytes, evidence as declared, within the count: checked before any is
   *    stored. 3. Store the files. 4. Submit. 5. On a refusal, the form again with what was typed (never
   *    the file), every issue, and the refusal's status; nothing was written.
   */
  async function newVoucher(person: Person, event: ApiEvent): Promise<ApiResult> {
    const values = typedValues.parse(event.body);
    try {
      const parsed = voucherForm.safeParse(event.body);
      if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
      const { idempotencyKey } = parsed.data;
      const earlier = await deps.store.vouchers.idempotencyRecord(person.email, idempotencyKey);
      if (earlier) return redirect(`/vouchers/${earlier.voucherId}`);
      // The typed fields as the API checks them (lib/vouchers/schemas.ts), before any file is stored.
      const typedVoucher = voucherFormFields.safeParse({
        supplierId: values.supplierId,
        payee: { name: values.payeeName, account: values.payeeAccount, bank: values.payeeBank },
        amount: values.amount,
        orderIds: values.orderIds
          .split(/[\s,，、]+/)
          .map((id) => id.trim())
          .filter((id) => id !== ''),
        goods: values.goods,
      });
      if (!typedVoucher.success) throw validationErrorFrom(typedVoucher.error, 'form');
      const files = chosenFiles(parsed.data.evidence);
      const policy = await deps.store.settings.currentPolicy(person.entityId);
      if (files.length > policy.maxEvidencePerVoucher) {
        const message = `最多 ${policy.maxEvidencePerVoucher} 个文件。At most ${policy.maxEvidencePerVoucher} files.`;
        throw new ValidationError(message, { issues: [{ path: 'evidence', message }] });
      }
      const evidence = await storeUploadedFiles(
        deps,
        person,
        files.map((file, index) => ({
          fileName: file.filename,
          contentType: file.mimetype,
          body: file.content,
          path: `evidence.${index}`,
        })),
      );
      const { voucher } = await submitVoucher(deps, person, {
        ...typedVoucher.data,
        idempotencyKey,
        evidence,
      });
      return redirect(`/vouchers/${voucher.id}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Two copies of one form at the same moment: the other copy made the voucher (with its own
      // upload keys, hence the "different body"); this one goes there too.
      const formKey = voucherForm.pick({ idempotencyKey: true }).safeParse(event.body);
      if (error.code === 'IDEMPOTENCY_KEY_REUSED' && formKey.success) {
        const made = await deps.store.vouchers.idempotencyRecord(person.email, formKey.data.idempotencyKey);
        if (made) return redirect(`/vouchers/${made.voucherId}`);
      }
      return html(
        error.statusCode,
        NewVoucherPage({
          person,
          values,
          idempotencyKey: randomUUID(),
          error: { message: error.message, issues: error.issues },
        }),
      );
    }
  }

  /** Directory names of the people a voucher page mentions (one read each, a handful per voucher). */
  async function namesOf(emails: Iterable<string>): Promise<Names> {
    const people = await Promise.all([...new Set(emails)].map((email) => deps.store.people.get(email)));
    return new Map(people.flatMap((person) => (person ? [[person.email, person.name] as const] : [])));
  }

  async function voucherPage(
    person: Person,
    id: string,
    error?: PageError,
    status = 200,
  ): Promise<ApiResult> {
    const { voucher, history } = await getVoucher(deps, person, id);
    const view = voucherView(voucher, person);
    const names = await namesOf([
      view.applicant,
      ...view.route.steps.flatMap((step) => [step.assignee, ...(step.deputyFor ? [step.deputyFor] : [])]),
      ...view.approvals.map((approval) => approval.decidedBy),
      ...history.map((entry) => entry.actor).filter((actor) => actor.includes('@')),
    ]);
    const payment = PaymentSection({ person, voucher: view, today: shanghaiDate(deps.clock.now()), error });
    return html(status, VoucherDetailPage({ person, voucher: view, history, names, payment }));
  }

  /** The cashier's day (payment-pages.tsx): the run of a day, with the refusal of a form when there is one. */
  async function runPage(person: Person, date: string, error?: PageError, status = 200): Promise<ApiResult> {
    const run = await paymentRun(deps, person, parseDate(date));
    return html(status, PaymentRunPage({ person, run, today: shanghaiDate(deps.clock.now()), error }));
  }

  /** A run page's form: pay, fail, pull forward (D5), or finance's retry / return. */
  async function runAction(person: Person, date: string, event: ApiEvent): Promise<ApiResult> {
    const day = parseDate(date);
    const form = runForm.safeParse(event.body);
    const voucherId = form.success ? form.data.voucherId : undefined;
    try {
      if (!form.success) throw validationErrorFrom(form.error, 'form');
      const { action } = form.data;
      if (action === 'paid' || action === 'failed') {
        const body = paymentBody.safeParse(
          action === 'paid'
            ? { status: 'PAID', bankReference: form.data.bankReference, paidOn: form.data.paidOn }
            : { status: 'PAYMENT_FAILED', reason: form.data.reason },
        );
        if (!body.success) throw validationErrorFrom(body.error, 'form');
        await recordPayment(deps, person, form.data.voucherId, body.data);
      } else {
        const body = reasonBody.safeParse({ reason: form.data.reason });
        if (!body.success) throw validationErrorFrom(body.error, 'form');
        const act = { pull: pullIntoTodaysRun, retry: retryPayment, return: returnToApplicant }[action];
        await act(deps, person, form.data.voucherId, body.data.reason);
      }
      return redirect(`/payment-runs/${day}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode === 403) throw error;
      return runPage(
        person,
        day,
        { message: error.message, issues: error.issues, voucherId },
        error.statusCode,
      );
    }
  }

  /** The run page's export form: the file downloads; a refusal shows the run with the reason. */
  async function batchFile(person: Person, date: string, event: ApiEvent): Promise<ApiResult> {
    const day = parseDate(date);
    const form = batchForm.safeParse(event.body);
    try {
      if (!form.success) throw validationErrorFrom(form.error, 'form');
      return attachment(
        await exportBankBatch(deps, person, day, form.data.format, {
          includeExported: form.data.includeExported === 'yes',
        }),
      );
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode === 403) throw error;
      return runPage(person, day, { message: error.message, issues: error.issues }, error.statusCode);
    }
  }

  /**
   * The invoice form: a form sent again (double click) for an invoice already recorded goes to the
   * voucher; the chosen copy is stored only once every check has passed (nothing stored on a refusal).
   */
  /**
   * A form of the voucher page: done → back to the voucher (303); refused → the voucher page again with
   * the refusal beside that form, nothing saved. Forbidden and not found stay error pages.
   */
  async function onVoucherPage(
    person: Person,
    id: string,
    form: PageError['form'],
    act: () => Promise<unknown>,
  ): Promise<ApiResult> {
    try {
      await act();
      return redirect(`/vouchers/${id}`);
    } catch (error) {
      if (!(error instanceof AppError) || error.statusCode === 403 || error.statusCode === 404) throw error;
      return voucherPage(
        person,
        id,
        { message: error.message, issues: error.issues, form },
        error.statusCode,
      );
    }
  }

  async function supplierInvoice(person: Person, id: string, event: ApiEvent): Promise<ApiResult> {
    const fields = typedInvoice.parse(event.body);
    return onVoucherPage(person, id, 'supplier-invoice', async () => {
      const body = supplierInvoiceBody.safeParse({
        ...fields,
        code: fields.code.trim() === '' ? undefined : fields.code.trim(),
      });
      if (!body.success) throw validationErrorFrom(body.error, 'form');
      const [copy] = chosenFiles(invoiceForm.parse(event.body).invoiceFile);
      const storeCopy = copy
        ? () =>
            storeUploadedFile(deps, person, {
              fileName: copy.filename,
              contentType: copy.mimetype,
              body: copy.content,
              purpose: 'supplier-invoice',
            })
        : undefined;
      await recordSupplierInvoice(deps, person, id, body.data, storeCopy);
    });
  }

  /**
   * The voucher page's answer to a failed payment (finance). A refusal shows the voucher page again
   * with it, nothing saved; a voucher finance may not act on is a 403 page, as on the run page.
   */
  async function failedPayment(person: Person, id: string, event: ApiEvent): Promise<ApiResult> {
    const form = failedPaymentForm.safeParse(event.body);
    return onVoucherPage(person, id, form.data?.action, async () => {
      if (!form.success) throw validationErrorFrom(form.error, 'form');
      const body = reasonBody.safeParse({ reason: form.data.reason });
      if (!body.success) throw validationErrorFrom(body.error, 'form');
      const act = form.data.action === 'retry' ? retryPayment : returnToApplicant;
      await act(deps, person, id, body.data.reason);
    });
  }

  /** Finance accepts an ordinary invoice from a general VAT taxpayer, with a reason (POLICY 2.1(3)). */
  async function invoiceWaiver(person: Person, id: string, event: ApiEvent): Promise<ApiResult> {
    return onVoucherPage(person, id, 'waiver', async () => {
      const body = reasonBody.safeParse(reasonForm.parse(event.body));
      if (!body.success) throw validationErrorFrom(body.error, 'form');
      await waiveSpecialInvoice(deps, person, id, body.data.reason);
    });
  }

  /**
   * A page of the payments missing their invoice, oldest payment first. DynamoDB hands back a cursor
   * whenever a page fills up, also when nothing follows; a look one item ahead keeps the "next page"
   * link from leading to an empty page.
   */
  async function missingInvoices(person: Person, event: ApiEvent): Promise<ApiResult> {
    const query = missingQuery.safeParse(event.queryStringParameters ?? {});
    if (!query.success) throw validationErrorFrom(query.error, 'query');
    const { limit, cursor } = query.data;
    const page = await paymentsMissingInvoice(deps, person, { limit, cursor });
    const nextPage = page.nextCursor
      ? `/supplier-invoices/missing?${new URLSearchParams({ limit: String(limit), cursor: page.nextCursor })}`
      : undefined;
    const vouchers = page.items.map((voucher) => voucherView(voucher, person));
    const names = await namesOf(vouchers.map((voucher) => voucher.applicant));
    return html(
      200,
      MissingInvoicesPage({ person, vouchers, names, nextPage, laterPage: cursor !== undefined }),
    );
  }

  /**
   * A stored file, to those who may see it: a redirect to a short-lived URL that serves it as the kind
   * its bytes are, as a download unless it is a raster image (lib/uploads/stored-files.ts). A key of
   * another shape than ours names no file: 404 before anything is read.
   */
  async function evidence(person: Person, key: string): Promise<ApiResult> {
    if (!isUploadKey(key)) throw new NotFoundError('No such file.');
    const upload = await deps.store.uploads.get(key);
    const owner = upload ? await deps.store.people.get(upload.owner) : null;
    const allowed =
      upload !== null &&
      owner !== null &&
      owner.entityId === person.entityId &&
      (upload.owner === person.email ||
        hasRole(person, 'HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEWER', 'CASHIER', 'ADMIN'));
    const location = allowed ? await downloadUrl(deps, key) : null;
    if (location === null) throw new NotFoundError('No such file.');
    return { statusCode: 302, headers: { location, 'cache-control': 'no-store' } };
  }

  async function route(event: ApiEvent): Promise<ApiResult> {
    if (event.routeKey === 'GET /login') return signInPage();
    if (event.routeKey === 'POST /logout') {
      return redirect('/login', [sessionCookie('', 0, deps.publicBaseUrl)]);
    }
    const person = await signedIn(event);
    if (!person) return redirect(deps.signInUrl);
    switch (event.routeKey) {
      case 'GET /':
        return html(200, HomePage({ person }));
      case 'GET /vouchers': {
        const page = await listVouchers(deps, person, { mine: true, limit: 100 });
        return html(
          200,
          VoucherListPage({ person, vouchers: page.items.map((voucher) => voucherView(voucher, person)) }),
        );
      }
      case 'GET /vouchers/new':
        requireRole(person, 'MERCHANDISER');
        return html(200, NewVoucherPage({ person, values: EMPTY_FORM, idempotencyKey: randomUUID() }));
      case 'POST /vouchers/new':
        return newVoucher(person, event);
      case 'GET /vouchers/{id}':
        return voucherPage(person, voucherIdOf(event));
      case 'GET /evidence/{key+}':
        return evidence(person, event.pathParameters?.key ?? '');
      case 'GET /payment-runs': {
        const date = event.queryStringParameters?.date ?? shanghaiDate(deps.clock.now());
        return redirect(`/payment-runs/${parseDate(date)}`);
      }
      case 'GET /payment-runs/{date}':
        return runPage(person, event.pathParameters?.date ?? '');
      case 'POST /payment-runs/{date}':
        return runAction(person, event.pathParameters?.date ?? '', event);
      case 'POST /payment-runs/{date}/bank-batch':
        return batchFile(person, event.pathParameters?.date ?? '', event);
      case 'POST /vouchers/{id}/payment':
        return failedPayment(person, voucherIdOf(event), event);
      case 'POST /vouchers/{id}/supplier-invoice':
        return supplierInvoice(person, voucherIdOf(event), event);
      case 'POST /vouchers/{id}/supplier-invoice/waiver':
        return invoiceWaiver(person, voucherIdOf(event), event);
      case 'GET /supplier-invoices/missing':
        return missingInvoices(person, event);
      default:
        throw new NotFoundError(`No page ${event.rawPath}.`);
    }
  }

  return htmlHandler(route, {
    kind: 'session',
    body: 'multipart',
    errorPage: (status, message) => ErrorPage({ status, message }),
    publicBaseUrl: () => deps.publicBaseUrl,
  });
}

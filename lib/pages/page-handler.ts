/**
 * The pages function: one Lambda serving the people-facing pages (routes with `function: 'pages'` in
 * lib/http/routes.ts). It reads the session cookie itself, calls the same use cases as the JSON API,
 * and answers HTML with a strict Content-Security-Policy (no script at all).
 */
import { randomUUID } from 'node:crypto';
import type { VNode } from 'preact';
import { z } from 'zod';
import { hasRole, requireRole } from '../access.ts';
import type { AppDeps } from '../app.ts';
import { AppError, NotFoundError, UnauthorizedError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import type { ApiEvent, ApiHandler, ApiResult } from '../http/api-handler.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { storeUploadedFile } from '../uploads/create-upload.ts';
import { getVoucher, listVouchers } from '../vouchers/read-vouchers.ts';
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

export const SESSION_COOKIE = 'fundflow_session';

const html = (statusCode: number, page: VNode): ApiResult => htmlResponse(statusCode, page, 'session');

function redirect(location: string, cookies?: string[]): ApiResult {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store' },
    ...(cookies ? { cookies } : {}),
  };
}

const uploadedFile = z.object({ filename: z.string(), mimetype: z.string(), content: z.instanceof(Buffer) });
type UploadedFile = z.infer<typeof uploadedFile>;

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

/** The chosen files in the order they were picked (the parser lists repeated parts newest first). */
function chosenFiles(evidence: UploadedFile | UploadedFile[] | undefined): UploadedFile[] {
  const files = Array.isArray(evidence) ? [...evidence].reverse() : evidence ? [evidence] : [];
  // A file input left empty still sends one part, with no name and no bytes.
  return files.filter((file) => file.filename !== '' && file.content.length > 0);
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
   *    anything is stored again. 2. Store the files. 3. Submit. 4. On a refusal, the form again with
   *    what was typed (never the file), every issue, and the refusal's status; nothing was written.
   */
  async function newVoucher(person: Person, event: ApiEvent): Promise<ApiResult> {
    const values = typedValues.parse(event.body);
    try {
      const parsed = voucherForm.safeParse(event.body);
      if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
      const { idempotencyKey } = parsed.data;
      const earlier = await deps.store.vouchers.idempotencyRecord(person.email, idempotencyKey);
      if (earlier) return redirect(`/vouchers/${earlier.voucherId}`);
      const evidence = [];
      for (const file of chosenFiles(parsed.data.evidence)) {
        evidence.push(
          await storeUploadedFile(deps, person, {
            fileName: file.filename,
            contentType: file.mimetype,
            body: file.content,
          }),
        );
      }
      const { voucher } = await submitVoucher(deps, person, {
        idempotencyKey,
        supplierId: values.supplierId.trim(),
        payee: {
          name: values.payeeName.trim(),
          account: values.payeeAccount.trim(),
          bank: values.payeeBank.trim(),
        },
        amount: values.amount,
        orderIds: values.orderIds
          .split(/[\s,，、]+/)
          .map((id) => id.trim())
          .filter((id) => id !== ''),
        goods: values.goods.trim(),
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

  async function voucherPage(person: Person, id: string): Promise<ApiResult> {
    const { voucher, history } = await getVoucher(deps, person, id);
    const view = voucherView(voucher, person);
    const names = await namesOf([
      view.applicant,
      ...view.route.steps.flatMap((step) => [step.assignee, ...(step.deputyFor ? [step.deputyFor] : [])]),
      ...view.approvals.map((approval) => approval.decidedBy),
      ...history.map((entry) => entry.actor).filter((actor) => actor.includes('@')),
    ]);
    return html(200, VoucherDetailPage({ person, voucher: view, history, names }));
  }

  async function evidence(person: Person, key: string): Promise<ApiResult> {
    const upload = await deps.store.uploads.get(key);
    const owner = upload ? await deps.store.people.get(upload.owner) : null;
    const allowed =
      upload !== null &&
      owner !== null &&
      owner.entityId === person.entityId &&
      (upload.owner === person.email ||
        hasRole(person, 'HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEWER', 'CASHIER', 'ADMIN'));
    if (!allowed) throw new NotFoundError('No such file.');
    return {
      statusCode: 302,
      headers: { location: await deps.evidence.presignDownload(key), 'cache-control': 'no-store' },
    };
  }

  async function route(event: ApiEvent): Promise<ApiResult> {
    if (event.routeKey === 'GET /login') return signInPage();
    if (event.routeKey === 'POST /logout') {
      return redirect('/login', [`${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`]);
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
        return voucherPage(person, event.pathParameters?.id ?? '');
      case 'GET /evidence/{key+}':
        return evidence(person, event.pathParameters?.key ?? '');
      default:
        throw new NotFoundError(`No page ${event.rawPath}.`);
    }
  }

  return htmlHandler(route, {
    kind: 'session',
    body: 'multipart',
    errorPage: (status, message) => ErrorPage({ status, message }),
  });
}

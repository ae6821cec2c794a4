/**
 * The pages function: one Lambda serving the people-facing pages (routes with `function: 'pages'` in
 * lib/http/routes.ts). It reads the session cookie itself, calls the same use cases as the JSON API,
 * and answers HTML with a strict Content-Security-Policy (no script at all).
 */
import { randomUUID } from 'node:crypto';
import type { VNode } from 'preact';
import { z } from 'zod';
import { hasRole } from '../access.ts';
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

interface UploadedFile {
  filename: string;
  mimetype: string;
  content: Buffer;
}

const uploadedFile = z.object({ filename: z.string(), mimetype: z.string(), content: z.instanceof(Buffer) });

const voucherForm = z.object({
  idempotencyKey: z.string().min(8).max(128),
  supplierId: z.string().default(''),
  payeeName: z.string().default(''),
  payeeAccount: z.string().default(''),
  payeeBank: z.string().default(''),
  amount: z.string().default(''),
  orderIds: z.string().default(''),
  goods: z.string().default(''),
  evidence: z.union([uploadedFile, z.array(uploadedFile)]).optional(),
});

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

  async function newVoucher(person: Person, event: ApiEvent): Promise<ApiResult> {
    const parsed = voucherForm.safeParse(event.body);
    if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
    const form = parsed.data;
    const values: VoucherFormValues = {
      supplierId: form.supplierId,
      payeeName: form.payeeName,
      payeeAccount: form.payeeAccount,
      payeeBank: form.payeeBank,
      amount: form.amount,
      orderIds: form.orderIds,
      goods: form.goods,
    };
    try {
      const files = (
        Array.isArray(form.evidence) ? form.evidence : form.evidence ? [form.evidence] : []
      ).filter((file: UploadedFile) => file.filename !== '' && file.content.length > 0);
      const evidence = [];
      for (const file of files) {
        evidence.push(
          await storeUploadedFile(deps, person, {
            fileName: file.filename,
            contentType: file.mimetype,
            body: file.content,
          }),
        );
      }
      const { voucher } = await submitVoucher(deps, person, {
        idempotencyKey: form.idempotencyKey,
        supplierId: values.supplierId.trim(),
        payee: {
          name: values.payeeName.trim(),
          account: values.payeeAccount.trim(),
          bank: values.payeeBank.trim(),
        },
        amount: values.amount,
        orderIds: values.orderIds
          .split(/[\s,，]+/)
          .map((id) => id.trim())
          .filter((id) => id !== ''),
        goods: values.goods.trim(),
        evidence,
      });
      return redirect(`/vouchers/${voucher.id}`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Keep what was typed (never the file), show every issue, answer with the refusal's status.
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
        return html(200, NewVoucherPage({ person, values: EMPTY_FORM, idempotencyKey: randomUUID() }));
      case 'POST /vouchers/new':
        return newVoucher(person, event);
      case 'GET /vouchers/{id}': {
        const { voucher, history } = await getVoucher(deps, person, event.pathParameters?.id ?? '');
        return html(200, VoucherDetailPage({ person, voucher: voucherView(voucher, person), history }));
      }
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

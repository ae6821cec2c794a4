/**
 * The vouchers' web edge: the JSON API (submit, resubmit, read, list) and the pages (my vouchers, the
 * voucher form, the voucher page), their schemas beside them. The voucher page shows the parts of the
 * capabilities above vouchers (the payment part) through a port, `VoucherPageSections`, which the
 * function's entry wires (functions/vouchers/pages.ts): vouchers never import them.
 */
import { randomUUID } from 'node:crypto';
import type { ComponentChildren } from 'preact';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import { AppError, IdempotencyKeyReusedError, ValidationError } from '../domain/errors.ts';
import { type LocalDate, type Person, VOUCHER_STATUSES } from '../domain/model.ts';
import { shanghaiDate } from '../domain/time.ts';
import { type ApiResult, json } from '../http/api-handler.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { redirect } from '../http/pages.ts';
import { apiFunction, jwt, pageFunction, session } from '../http/router.ts';
import { formErrorOf } from '../ui/controls.tsx';
import type { Names } from '../ui/people.tsx';
import { chosenFiles, formFiles } from '../uploads/form-files.ts';
import { getVoucher, listVouchers, voucherByNumber } from './read-vouchers.ts';
import { editedPayee, submitVoucherBody, voucherFields, voucherIdParams } from './schemas.ts';
import {
  EMPTY_FORM,
  NewVoucherPage,
  VoucherDetailPage,
  type VoucherFormValues,
  VoucherListPage,
} from './screens.tsx';
import { resubmitVoucher, submitVoucher } from './submit-voucher.ts';
import { historyView, type VoucherView, voucherView } from './voucher-view.ts';

// — the JSON API —

const idempotencyKey = z
  .string({ message: 'the Idempotency-Key header is required' })
  .trim()
  .min(8, 'the Idempotency-Key header needs at least 8 characters')
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'Idempotency-Key: letters, digits and . _ : - only');

export function idempotencyKeyFrom(headers: Record<string, string | undefined>): string {
  const key = idempotencyKey.safeParse(headers['idempotency-key']);
  if (!key.success) {
    const message = key.error.issues[0]?.message ?? 'invalid Idempotency-Key';
    throw new ValidationError(message, { issues: [{ path: 'headers.idempotency-key', message }] });
  }
  return key.data;
}

/**
 * POLICY D19: the applicant's edit of a rejected voucher — a new version and a new approval chain. The
 * body is the submission's; `payee.account` left out, or sent back masked as the voucher shows it,
 * keeps the stored account.
 */
export const resubmitVoucherBody = submitVoucherBody.extend({ payee: editedPayee });

export const listVouchersQuery = z.strictObject({
  status: z.enum(VOUCHER_STATUSES).optional(),
  mine: z
    .enum(['true', 'false'], { message: 'mine is true or false' })
    .optional()
    .transform((value) => value === 'true'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2000).optional(),
  /** The short number (`FK-20261202-0007`): the one voucher it names, if the caller may read it. */
  number: z.string().max(40).optional(),
});

export const vouchersApi = (deps: AppDeps) =>
  apiFunction(deps, 'vouchersApi', {
    submitVoucher: jwt({ body: submitVoucherBody }, async ({ body, headers, caller }) => {
      const { voucher, replayed } = await submitVoucher(deps, caller, {
        ...body,
        idempotencyKey: idempotencyKeyFrom(headers),
      });
      return json(201, voucherView(voucher, caller), replayed ? { 'idempotent-replayed': 'true' } : {});
    }),
    resubmitVoucher: jwt(
      { body: resubmitVoucherBody, params: voucherIdParams },
      async ({ body, params, headers, caller }) => {
        const { voucher, replayed } = await resubmitVoucher(deps, caller, params.id, {
          ...body,
          idempotencyKey: idempotencyKeyFrom(headers),
        });
        return json(200, voucherView(voucher, caller), replayed ? { 'idempotent-replayed': 'true' } : {});
      },
    ),
    getVoucher: jwt({ params: voucherIdParams }, async ({ params, caller }) => {
      const { voucher, history } = await getVoucher(deps, caller, params.id);
      return json(200, { ...voucherView(voucher, caller), history: historyView(history) });
    }),
    listVouchers: jwt({ query: listVouchersQuery }, async ({ query, caller }) => {
      if (query.number !== undefined) {
        const found = await voucherByNumber(deps, caller, query.number);
        return json(200, { items: found ? [voucherView(found, caller)] : [], nextCursor: null });
      }
      const page = await listVouchers(deps, caller, query);
      return json(200, {
        items: page.items.map((voucher) => voucherView(voucher, caller)),
        nextCursor: page.nextCursor,
      });
    }),
  });

// — the pages —

/**
 * The port through which the capabilities above vouchers add their part to the voucher page (the
 * payment and invoice part, lib/payments): given the voucher as this person sees it, a section or
 * nothing.
 */
export type VoucherPageSection = (input: {
  person: Person;
  voucher: VoucherView;
  today: LocalDate;
}) => ComponentChildren;

export interface VoucherPagesOptions {
  sections: readonly VoucherPageSection[];
}

/** Directory names of the people a page mentions (one read each, a handful per voucher). */
export async function namesOf(deps: AppDeps, emails: Iterable<string>): Promise<Names> {
  const people = await Promise.all([...new Set(emails)].map((email) => deps.store.people.get(email)));
  return new Map(people.flatMap((person) => (person ? [[person.email, person.name] as const] : [])));
}

/**
 * The voucher page as `person` sees it (404 when they may not read it), with the given sections — the
 * way a higher capability shows its form's refusal on the page (lib/payments/web.ts).
 */
export async function voucherPage(
  deps: AppDeps,
  person: Person,
  id: string,
  sections: (voucher: VoucherView, today: LocalDate) => ComponentChildren,
) {
  const { voucher, history } = await getVoucher(deps, person, id);
  const view = voucherView(voucher, person);
  const names = await namesOf(deps, [
    view.applicant,
    ...view.route.steps.flatMap((step) => [step.assignee, ...(step.deputyFor ? [step.deputyFor] : [])]),
    ...view.approvals.map((approval) => approval.decidedBy),
    ...history.map((entry) => entry.actor).filter((actor) => actor.includes('@')),
  ]);
  return VoucherDetailPage({
    person,
    voucher: view,
    history,
    names,
    sections: sections(view, shanghaiDate(deps.clock.now())),
  });
}

/** A voucher's id in a page's path, as the API checks it; anything else names no voucher (404). */
const voucherPath = { params: voucherIdParams, pathNotFound: '没有这张凭单。No such voucher.' };

/** The voucher form's typed fields, checked as the API checks them. */
const voucherFormFields = z.object(voucherFields);

/** The parts of the form that are not text the person typed (those are kept as typed, below). */
const voucherForm = z.object({
  idempotencyKey: z.string().min(8).max(128),
  evidence: formFiles,
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

export const vouchersPages = (deps: AppDeps, options: VoucherPagesOptions) => {
  /**
   * 1. A form sent again (double click, reload of the POST) goes to the voucher it already made, before
   *    anything is stored again. 2. What was typed has the API's shape (submitVoucherBody). 3. Submit
   *    with the chosen files: each is checked by its bytes with everything else, and stored only once
   *    the voucher is accepted. 4. On a refusal, the form again with what was typed (never the file),
   *    every issue, and the refusal's status; nothing was written, not even the files.
   */
  async function submitForm(person: Person, form: unknown): Promise<ApiResult> {
    const values = typedValues.parse(form);
    const parsed = voucherForm.safeParse(form);
    if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
    const { idempotencyKey } = parsed.data;
    const earlier = await deps.store.vouchers.idempotencyRecord(person.email, idempotencyKey);
    if (earlier) return redirect(`/vouchers/${earlier.voucherId}`);
    // The typed fields as the API checks them (lib/vouchers/schemas.ts).
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
    const files = chosenFiles(parsed.data.evidence).map((file, index) => ({
      fileName: file.filename,
      contentType: file.mimetype,
      body: file.content,
      path: `evidence.${index}`,
    }));
    try {
      const { voucher } = await submitVoucher(deps, person, {
        ...typedVoucher.data,
        idempotencyKey,
        evidence: [],
        files,
      });
      return redirect(`/vouchers/${voucher.id}`);
    } catch (error) {
      // The same form sent again changed (the back button, then another file or amount), or two
      // copies at the same moment: its first sending made the voucher; this one goes there too.
      if (!(error instanceof IdempotencyKeyReusedError)) throw error;
      const made = await deps.store.vouchers.idempotencyRecord(person.email, idempotencyKey);
      if (made) return redirect(`/vouchers/${made.voucherId}`);
      throw error;
    }
  }

  const sections = (person: Person) => (voucher: VoucherView, today: LocalDate) =>
    options.sections.map((section) => section({ person, voucher, today }));

  return pageFunction(deps, 'vouchersPages', {
    myVouchers: session({}, async ({ caller, html }) => {
      const page = await listVouchers(deps, caller, { mine: true, limit: 100 });
      return html(
        200,
        VoucherListPage({
          person: caller,
          vouchers: page.items.map((voucher) => voucherView(voucher, caller)),
        }),
      );
    }),
    voucherForm: session({}, async ({ caller, html }) => {
      requireRole(caller, 'MERCHANDISER');
      return html(200, NewVoucherPage({ person: caller, values: EMPTY_FORM, idempotencyKey: randomUUID() }));
    }),
    submitVoucherForm: session({ body: 'multipart' }, async ({ caller, body, html }) => {
      try {
        return await submitForm(caller, body);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return html(
          error.statusCode,
          NewVoucherPage({
            person: caller,
            values: typedValues.parse(body),
            idempotencyKey: randomUUID(),
            error: formErrorOf(error),
          }),
        );
      }
    }),
    voucherPage: session(voucherPath, async ({ caller, params, html }) =>
      html(200, await voucherPage(deps, caller, params.id, sections(caller))),
    ),
  });
};

/**
 * The vouchers' pages (my vouchers, the voucher form, the voucher page), their form schemas beside
 * them, checked as the JSON API (lib/vouchers/web.ts) checks a submission. The voucher page shows the
 * parts of the capabilities above vouchers (the payment part) through a port, `VoucherPageSections`,
 * which the function's entry wires (functions/vouchers/pages.ts): vouchers never import them.
 */

import { randomUUID } from 'node:crypto';
import type { ComponentChildren } from 'preact';
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { accountFor, mayListEveryonesVouchers, requireRole } from '../domain/access.ts';
import { AppError, IdempotencyKeyReusedError, NotFoundError, ValidationError } from '../domain/errors.ts';
import {
  type LocalDate,
  type Person,
  VOUCHER_STATUSES,
  type Voucher,
  type VoucherStatus,
} from '../domain/model.ts';
import { amountInCapitals, formatFen } from '../domain/money.ts';
import { shanghaiDate } from '../domain/time.ts';
import { allows } from '../domain/voucher-lifecycle.ts';
import { type ApiResult, attachment, redirect } from '../http/api-handler.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { localDate } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { pageFunction, session } from '../http/router.ts';
import { vouchersPagesRoutes } from '../http/routes.ts';
import { formErrorOf } from '../ui/controls.tsx';
import { holdFormFiles } from '../uploads/create-upload.ts';
import { fileNameOf } from '../uploads/file-links.ts';
import { chosenFiles, formFiles } from '../uploads/form-files.ts';
import { vouchersXlsx } from './export.ts';
import { namesOf } from './names.ts';
import {
  getVoucher,
  LIST_SORTS,
  type ListFilters,
  voucherByNumber,
  vouchersForList,
} from './read-vouchers.ts';
import { voucherFields, voucherIdParams } from './schemas.ts';
import type { ListFormValues, VoucherFormProps } from './screens.tsx';
import { AlreadySubmittedError, resubmitVoucher, submitVoucher } from './submit-voucher.ts';
import {
  entitySupplier,
  keptFiles,
  orderChoices,
  orderIdsOf,
  payeeFromMasterData,
  rejectionOf,
  supplierChoice,
  supplierChoices,
  typedFormValues,
} from './voucher-form.ts';
import { type VoucherView, voucherView } from './voucher-view.ts';

/**
 * The screens, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen.
 */
const screens = () => import('./screens.tsx');

/**
 * The port through which the capabilities above vouchers add their part to the voucher page (the
 * payment and invoice part, lib/payments): given the voucher as this person sees it, a section or
 * nothing.
 */
export type VoucherPageSection = (input: {
  person: Person;
  voucher: VoucherView;
  today: LocalDate;
  /** The page's query (untrusted: a section reads only what it knows, e.g. `done=` after its form). */
  query: Readonly<Record<string, unknown>>;
}) => ComponentChildren;

export interface VoucherPagesOptions {
  sections: readonly VoucherPageSection[];
}

export { namesOf };

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
  return (await screens()).VoucherDetailPage({
    person,
    voucher: view,
    history,
    names,
    sections: sections(view, shanghaiDate(deps.clock.now())),
    rejection: rejectionOf(voucher, names),
    // POLICY D19: its applicant edits a rejected voucher (the page refuses anyone else).
    mayEdit: voucher.applicant === person.email && allows(voucher.status, 'RESUBMIT'),
  });
}

/** A voucher's id in a page's path, as the API checks it; anything else names no voucher (404). */
const voucherPath = { params: voucherIdParams, pathNotFound: '没有这张凭单。No such voucher.' };

/** The voucher form's typed fields, checked as the API checks them. */
const voucherFormFields = lazySchema(() => z.object(voucherFields));

/** The parts of the form that are not text the person typed (those are kept as typed). */
const voucherForm = lazySchema(() =>
  z.object({
    idempotencyKey: z.string().min(8).max(128),
    evidence: formFiles,
  }),
);

/** The edit form also says which version it edits: sent again after that version moved on, it says so. */
const editForm = lazySchema(() => voucherForm.extend({ version: z.coerce.number().int().positive() }));

/**
 * A form's key (its Idempotency-Key) rides in the form page's own address, so Back — which fetches
 * the page again, pages being never cached — brings the same key: a form whose key made a voucher
 * says so instead of offering itself again.
 */
const formKey = lazySchema(() =>
  z
    .string()
    .min(8)
    .max(128)
    .regex(/^[A-Za-z0-9._:-]+$/),
);
const newFormQuery = lazySchema(() =>
  z.object({ supplier: z.string().max(64).optional(), form: formKey.optional().catch(undefined) }).loose(),
);
const editFormQuery = lazySchema(() => z.object({ form: formKey.optional().catch(undefined) }).loose());

type FormValues = ReturnType<typeof typedFormValues>;

/** A list page's filters as sent (a form's empty field is no filter); a day must be a real day. */
const listPageQuery = lazySchema(() =>
  z
    .object({
      scope: z.enum(['mine', 'entity']).catch('mine'),
      status: z.enum(['', ...VOUCHER_STATUSES]).catch(''),
      from: z.union([z.literal(''), localDate]).optional(),
      to: z.union([z.literal(''), localDate]).optional(),
      sort: z.enum(LIST_SORTS).catch('newest'),
      number: z.string().max(40).optional(),
    })
    .loose(),
);
type ListQuery = z.output<typeof listPageQuery>;

function listFormValues(query: ListQuery): ListFormValues {
  return {
    scope: query.scope,
    status: query.status,
    from: query.from ?? '',
    to: query.to ?? '',
    sort: query.sort,
  };
}

function listFilters(values: ListFormValues): ListFilters {
  return {
    scope: values.scope,
    status: values.status === '' ? undefined : (values.status as VoucherStatus),
    submitted: {
      ...(values.from ? { from: values.from } : {}),
      ...(values.to ? { to: values.to } : {}),
    },
    sort: values.sort,
  };
}

const listSearch = (values: ListFormValues) => new URLSearchParams({ ...values }).toString();

export const vouchersPages = (deps: AppDeps, options: VoucherPagesOptions) => {
  /** The form's fields as the API checks them (lib/vouchers/schemas.ts), or the refusal. */
  function checkedFields(values: FormValues) {
    const fields = voucherFormFields.safeParse({
      supplierId: values.supplierId,
      payee: { name: values.payeeName, account: values.payeeAccount, bank: values.payeeBank },
      amount: values.amount,
      orderIds: orderIdsOf(values),
      goods: values.goods,
    });
    if (!fields.success) throw validationErrorFrom(fields.error, 'form');
    return fields.data;
  }

  const evidenceFiles = (files: z.output<typeof formFiles>) =>
    chosenFiles(files).map((file, index) => ({
      fileName: file.filename,
      contentType: file.mimetype,
      body: file.content,
      path: `evidence.${index}`,
    }));

  /** What the form shows besides what was typed: the supplier and its orders as they are now. */
  async function formContext(person: Person, supplierId: string) {
    const supplier = await entitySupplier(deps, person, supplierId);
    return {
      supplier: supplier ? supplierChoice(supplier) : undefined,
      orders: supplier ? await orderChoices(deps, supplier.id) : [],
    };
  }

  /**
   * A refused form again: what was typed, every issue, and the files — those kept before, and those
   * chosen this time if they passed their own checks (held, lib/uploads/create-upload.ts).
   */
  async function refusedForm(
    person: Person,
    body: unknown,
    values: FormValues,
    mode: VoucherFormProps['mode'],
    refusal: Pick<VoucherFormProps, 'error' | 'already'>,
  ): Promise<VoucherFormProps> {
    const kept = await keptFiles(deps, person, values.kept);
    const chosen = voucherForm.shape.evidence.safeParse((body as Record<string, unknown> | null)?.evidence);
    const held = refusal.already
      ? []
      : await holdFormFiles(deps, person, chosen.success ? evidenceFiles(chosen.data) : [], kept.length);
    return {
      person,
      mode,
      ...(await formContext(person, values.supplierId)),
      values,
      kept: [...kept, ...held.map((key) => ({ key, name: fileNameOf(key) }))],
      // Nothing was written with the key: the corrected form goes on with it.
      idempotencyKey: formKey.safeParse(values.idempotencyKey).data ?? randomUUID(),
      ...refusal,
    };
  }

  /**
   * 1. A form sent again with its key (double click, reload of the POST) goes to the voucher it
   *    made, before anything is stored again. 2. What was typed has the API's shape. 3. Submit with
   *    the kept files cited by key and the chosen ones sent along (checked by their bytes with
   *    everything else, stored only once the voucher is accepted). The caller shows a refusal.
   */
  async function submitForm(person: Person, form: unknown): Promise<ApiResult> {
    const values = typedFormValues(form);
    const parsed = voucherForm.safeParse(form);
    if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
    const { idempotencyKey } = parsed.data;
    const earlier = await deps.store.vouchers.idempotencyRecord(person.email, idempotencyKey);
    if (earlier) return redirect(`/vouchers/${earlier.voucherId}`);
    const fields = checkedFields(values);
    try {
      const { voucher } = await submitVoucher(deps, person, {
        ...fields,
        idempotencyKey,
        evidence: values.kept,
        files: evidenceFiles(parsed.data.evidence),
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

  /** The edit of a rejected voucher (POLICY D19), as `submitForm`; the account kept unless retyped. */
  async function resubmitForm(person: Person, voucherId: string, form: unknown): Promise<ApiResult> {
    const values = typedFormValues(form);
    const parsed = editForm.safeParse(form);
    if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
    const { idempotencyKey } = parsed.data;
    const earlier = await deps.store.vouchers.idempotencyRecord(person.email, idempotencyKey);
    if (earlier) return redirect(`/vouchers/${earlier.voucherId}`);
    const fields = checkedFields(values);
    const { voucher } = await resubmitVoucher(deps, person, voucherId, {
      ...fields,
      idempotencyKey,
      evidence: values.kept,
      files: evidenceFiles(parsed.data.evidence),
    });
    return redirect(`/vouchers/${voucher.id}`);
  }

  /** The rejected voucher its applicant may edit now (404 otherwise: not theirs, or not rejected). */
  async function editable(person: Person, voucherId: string): Promise<Voucher> {
    const voucher = await deps.store.vouchers.get(voucherId);
    if (!voucher || voucher.applicant !== person.email || !allows(voucher.status, 'RESUBMIT')) {
      throw new NotFoundError('没有可修改的这张凭单。No rejected voucher of yours to edit here.');
    }
    return voucher;
  }

  async function editMode(voucher: Voucher): Promise<VoucherFormProps['mode']> {
    const names = await namesOf(
      deps,
      (voucher.approvals ?? []).map((approval) => approval.decidedBy),
    );
    return {
      kind: 'edit',
      voucherId: voucher.id,
      number: voucher.number ?? null,
      version: voucher.version,
      reason: rejectionOf(voucher, names),
    };
  }

  async function alreadyMade(voucherId: string) {
    const voucher = await deps.store.vouchers.get(voucherId);
    return { id: voucherId, number: voucher?.number ?? null };
  }

  const sections =
    (person: Person, query: Readonly<Record<string, unknown>> = {}) =>
    (voucher: VoucherView, today: LocalDate) =>
      options.sections.map((section) => section({ person, voucher, today, query }));

  return pageFunction(deps, vouchersPagesRoutes, {
    /**
     * My vouchers — or, for the roles that oversee them, the entity's in one status — filtered by
     * status and the days submitted, sorted, with their total; a number searched for opens its voucher.
     */
    myVouchers: session({ query: listPageQuery }, async ({ caller, query, html }) => {
      const values = listFormValues(query);
      if (query.number?.trim()) {
        try {
          const found = await voucherByNumber(deps, caller, query.number);
          if (found) return redirect(`/vouchers/${found.id}`);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
        }
      }
      const notFound = query.number?.trim() ? query.number.trim() : undefined;
      try {
        const list = await vouchersForList(deps, caller, listFilters(values));
        return html(
          200,
          (await screens()).VoucherListPage({
            person: caller,
            vouchers: list.vouchers.map((voucher) => voucherView(voucher, caller)),
            values: { ...values, scope: list.scope, status: list.status ?? '' },
            mayListEntity: mayListEveryonesVouchers(caller),
            truncated: list.truncated,
            exportHref: `/vouchers/export?${listSearch({ ...values, scope: list.scope, status: list.status ?? '' })}`,
            notFound,
          }),
        );
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return html(
          400,
          (await screens()).VoucherListPage({
            person: caller,
            vouchers: [],
            values,
            mayListEntity: mayListEveryonesVouchers(caller),
            truncated: false,
            exportHref: `/vouchers/export?${listSearch(values)}`,
            error: formErrorOf(error),
          }),
        );
      }
    }),
    /** The list as an XLSX file (lib/vouchers/export.ts): the same filters, the same vouchers. */
    exportVouchers: session({ query: listPageQuery }, async ({ caller, query }) => {
      const list = await vouchersForList(deps, caller, listFilters(listFormValues(query)));
      return attachment(await vouchersXlsx(list.vouchers, caller, shanghaiDate(deps.clock.now())));
    }),
    /**
     * Step one: the supplier, from the master data; step two (`?supplier=`): the rest, filled from it,
     * under a key of its own in its address (`&form=`) — one that made a voucher already says which.
     */
    voucherForm: session({ query: newFormQuery }, async ({ caller, query, html }) => {
      requireRole(caller, 'MERCHANDISER');
      const supplier = query.supplier ? await entitySupplier(deps, caller, query.supplier) : null;
      if (supplier && !query.form) {
        return redirect(`/vouchers/new?supplier=${encodeURIComponent(supplier.id)}&form=${randomUUID()}`);
      }
      const made = query.form ? await deps.store.vouchers.idempotencyRecord(caller.email, query.form) : null;
      const suppliers = await supplierChoices(deps, caller);
      const mode = {
        kind: 'new' as const,
        suppliers,
        ...(query.supplier && !supplier
          ? { message: '供应商档案中没有这个供应商，请重新选择。Not in the supplier records; pick again.' }
          : {}),
      };
      return html(
        200,
        (await screens()).VoucherFormPage({
          person: caller,
          mode,
          supplier: supplier ? supplierChoice(supplier) : undefined,
          orders: supplier && !made ? await orderChoices(deps, supplier.id) : [],
          values: supplier
            ? {
                ...(await screens()).EMPTY_FORM,
                supplierId: supplier.id,
                ...payeeFromMasterData(supplier, caller),
              }
            : (await screens()).EMPTY_FORM,
          kept: [],
          idempotencyKey: query.form ?? randomUUID(),
          ...(made ? { already: await alreadyMade(made.voucherId), done: true } : {}),
        }),
      );
    }),
    submitVoucherForm: session({ body: 'multipart' }, async ({ caller, body, html }) => {
      try {
        return await submitForm(caller, body);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const values = typedFormValues(body);
        const mode = { kind: 'new' as const, suppliers: await supplierChoices(deps, caller) };
        const refusal =
          error instanceof AlreadySubmittedError
            ? { already: { id: error.voucherId, number: error.number ?? null } }
            : { error: formErrorOf(error) };
        return html(
          error.statusCode,
          (await screens()).VoucherFormPage(await refusedForm(caller, body, values, mode, refusal)),
        );
      }
    }),
    /** POLICY D19: the rejected voucher's form, filled as it stands, the account masked and kept. */
    editVoucherForm: session(
      { ...voucherPath, query: editFormQuery },
      async ({ caller, params, query, html }) => {
        // Who may, before anything else: the applicant (a merchandiser) of this voucher.
        requireRole(caller, 'MERCHANDISER');
        const current = await deps.store.vouchers.get(params.id);
        if (!current || current.applicant !== caller.email) {
          throw new NotFoundError('没有这张凭单。No such voucher of yours.');
        }
        if (!query.form)
          return redirect(`/vouchers/${encodeURIComponent(params.id)}/edit?form=${randomUUID()}`);
        if (await deps.store.vouchers.idempotencyRecord(caller.email, query.form)) {
          // Back to an edit that was sent: it made the voucher's next version.
          return html(
            200,
            (await screens()).VoucherFormPage({
              person: caller,
              mode: await editMode(current),
              orders: [],
              values: (await screens()).EMPTY_FORM,
              kept: [],
              idempotencyKey: query.form,
              already: { id: current.id, number: current.number ?? null, resubmitted: true },
              done: true,
            }),
          );
        }
        const voucher = await editable(caller, params.id);
        const supplier = await entitySupplier(deps, caller, voucher.supplierId);
        const listed = supplier ? await orderChoices(deps, supplier.id) : [];
        const ids = new Set(listed.map((order) => order.orderId));
        return html(
          200,
          (await screens()).VoucherFormPage({
            person: caller,
            mode: await editMode(voucher),
            supplier: supplier
              ? supplierChoice(supplier)
              : { id: voucher.supplierId, name: voucher.supplierName },
            orders: listed,
            values: {
              supplierId: voucher.supplierId,
              payeeName: voucher.payee.name,
              // Issue 10's ruling: the applicant sees it masked; sent back as shown, it is kept.
              payeeAccount: accountFor(caller, 'voucher', voucher.payee.account),
              payeeBank: voucher.payee.bank,
              amount: formatFen(voucher.amountFen),
              pickedOrders: voucher.orderIds.filter((id) => ids.has(id)),
              orderIds: voucher.orderIds.filter((id) => !ids.has(id)).join('\n'),
              goods: voucher.goods,
            },
            kept: voucher.evidence.map((key) => ({ key, name: fileNameOf(key) })),
            idempotencyKey: query.form,
          }),
        );
      },
    ),
    resubmitVoucherForm: session(
      { ...voucherPath, body: 'multipart' },
      async ({ caller, params, body, html }) => {
        // As the edit form itself: only a merchandiser edits (403), and only their own voucher (404).
        requireRole(caller, 'MERCHANDISER');
        const sentFor = editForm.shape.version.safeParse((body as Record<string, unknown> | null)?.version);
        const current = await deps.store.vouchers.get(params.id);
        if (!current || current.applicant !== caller.email) {
          throw new NotFoundError('没有这张凭单。No such voucher of yours.');
        }
        const values = typedFormValues(body);
        // Sent again after Back: the version it edited has been resubmitted already.
        if (sentFor.success && current.version > sentFor.data) {
          return html(
            409,
            (await screens()).VoucherFormPage(
              await refusedForm(caller, body, values, await editMode(current), {
                already: { id: current.id, number: current.number ?? null, resubmitted: true },
              }),
            ),
          );
        }
        try {
          return await resubmitForm(caller, params.id, body);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return html(
            error.statusCode,
            (await screens()).VoucherFormPage(
              await refusedForm(caller, body, values, await editMode(current), { error: formErrorOf(error) }),
            ),
          );
        }
      },
    ),
    /** The printable 《付款凭单》 (POLICY 2.1(2)), for whoever may read the voucher. */
    printVoucher: session(voucherPath, async ({ caller, params, html }) => {
      const { voucher } = await getVoucher(deps, caller, params.id);
      const entity = await deps.store.people.getEntity(voucher.entityId);
      const names = await namesOf(deps, [
        voucher.applicant,
        ...(voucher.approvals ?? []).flatMap((approval) => [
          approval.decidedBy,
          ...(approval.onBehalfOf ? [approval.onBehalfOf] : []),
          ...(approval.proxy ? [approval.proxy] : []),
        ]),
      ]);
      return html(
        200,
        (await screens()).PrintableVoucherPage({
          person: caller,
          voucher: voucherView(voucher, caller),
          entityName: entity?.name ?? voucher.entityId,
          capitals: amountInCapitals(voucher.amountFen),
          names,
        }),
      );
    }),
    voucherPage: session(voucherPath, async ({ caller, params, query, html }) =>
      html(200, await voucherPage(deps, caller, params.id, sections(caller, query))),
    ),
  });
};

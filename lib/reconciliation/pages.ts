/**
 * The weekly reconciliation's pages (POLICY 3.2, D11): the recent weeks, and a week with a form for
 * each of the JSON API's actions (lib/reconciliation/web.ts), checked by its schemas.
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import {
  hasRole,
  RECONCILIATION_ROLES,
  RECONCILIATION_SIGN_OFF_ROLES,
  requireRole,
} from '../domain/access.ts';
import { AppError, ForbiddenError } from '../domain/errors.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import { addDays, isoDayOfWeek, shanghaiDate } from '../domain/time.ts';
import type { ApiResult } from '../http/api-handler.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { localDate } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { redirect } from '../http/pages.ts';
import { type PageHelpers, pageFunction, session } from '../http/router.ts';
import { reconciliationPagesRoutes } from '../http/routes.ts';
import type { ReconciliationInputKind } from '../platform/store.ts';
import { formErrorOf } from '../ui/controls.tsx';
import { shanghaiTime } from '../ui/format.ts';
import {
  DIFFERENCE_STATUS_LABELS,
  labelText,
  RECONCILIATION_CATEGORY_LABELS,
  RECONCILIATION_INPUT_KIND_LABELS,
  RECONCILIATION_STATUS_LABELS,
} from '../ui/labels.ts';
import { createFormUpload, uploadRolesOf } from '../uploads/create-upload.ts';
import { uploadKey } from '../uploads/upload-keys.ts';
import { DIFFERENCE_CATEGORIES } from './model.ts';
import type { ReconciliationConfirmation, ReconciliationFormError, UploadForms } from './screens.tsx';
import { salesSummaryTemplate } from './template.ts';
import { reportDownload } from './views.ts';
import { differenceParams, reopenBody, resolveBody, templateQuery, weekParams } from './web.ts';
import {
  getReconciliation,
  INPUT_KINDS,
  listDifferences,
  PURPOSE_OF,
  registerInput,
  reopen,
  resolveDifference,
  runReconciliation,
  type StoredWeek,
  signOff,
} from './weeks.ts';

/**
 * The screens, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen.
 */
const screens = () => import('./screens.tsx');

const pageQuery = lazySchema(() =>
  z.strictObject({
    category: z.enum(DIFFERENCE_CATEGORIES, { message: '不是差异类别 not a difference category' }).optional(),
    cursor: z.string().max(2048).optional(),
    // What a form just did (unknown outcomes are ignored) and, for a resolve, which difference.
    done: z.string().max(40).optional(),
    difference: z.string().max(400).optional(),
  }),
);

/**
 * Where the bucket sends the browser after a form's upload (S3 POST, `success_action_redirect`): the
 * kind the form was for, and what S3 appends — the bucket, the key, the ETag. Only the key is used,
 * and only a key of fundflow's shape that this person's form was given (registerInput checks whose).
 */
const uploadedQuery = lazySchema(() =>
  z.strictObject({
    kind: z.enum(INPUT_KINDS, { message: '不是文件类别 not a kind of file' }),
    key: uploadKey,
    bucket: z.string().max(255).optional(),
    etag: z.string().max(200).optional(),
  }),
);

/** The name a form upload is registered under (the bucket is told no name): the kind and the week. */
const FORM_FILE_NAMES: Record<ReconciliationInputKind, string> = {
  SALES_SUMMARY: 'sales-summary',
  MASTER_DATA: 'master-data',
  ALIPAY_STATEMENT: 'alipay-statement',
};

/** The kinds a person may upload and register: merchandising its sheets, finance the statements. */
const kindsFor = (person: Person) =>
  INPUT_KINDS.filter((kind) => {
    const roles = uploadRolesOf(PURPOSE_OF[kind]);
    return roles === undefined || hasRole(person, ...roles);
  });

/** The page's forms (multipart, parsed by the router; each field checked here to show it in the form). */
const textFields = lazySchema(() => z.record(z.string(), z.unknown()));
const weeksQuery = lazySchema(() => z.strictObject({ date: localDate.optional() }));

/** A refusal shown on the week's page, in its form; forbidden stays the error page. */
const shownOnThePage = (error: unknown): error is AppError =>
  error instanceof AppError && !(error instanceof ForbiddenError);

/** The typed fields of a posted form, as strings (to show them again). */
function typedValues(body: unknown, names: string[]): Record<string, string> {
  const fields = textFields.safeParse(body);
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = fields.success ? fields.data[name] : undefined;
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}

export const reconciliationPages = (deps: AppDeps) => {
  /** The confirmation of `done`, only when the week, read again, is where that outcome leads. */
  async function confirmationOf(
    week: StoredWeek,
    query: z.output<typeof pageQuery>,
  ): Promise<ReconciliationConfirmation | undefined> {
    const status = labelText(RECONCILIATION_STATUS_LABELS[week.status]);
    switch (query.done) {
      case 'registered': {
        const latest = week.inputs.reduce<StoredWeek['inputs'][number] | undefined>(
          (last, input) => (last && last.registeredAt >= input.registeredAt ? last : input),
          undefined,
        );
        if (!latest) return undefined;
        const kind = labelText(RECONCILIATION_INPUT_KIND_LABELS[latest.kind]);
        return {
          outcome: 'registered',
          lines: [`${kind}：${latest.fileName}（第 ${latest.version} 版 version ${latest.version}）`, status],
        };
      }
      case 'run':
        return week.status === 'RUNNING' || week.status === 'READY'
          ? { outcome: 'run', lines: [status] }
          : undefined;
      case 'resolved': {
        if (!query.difference || week.run === 0) return undefined;
        const difference = await deps.store.reconciliations.getDifference(
          week.entityId,
          week.week,
          week.run,
          query.difference,
        );
        if (!difference || difference.status === 'OPEN' || !difference.resolution) return undefined;
        const category = labelText(
          RECONCILIATION_CATEGORY_LABELS[difference.category] ?? { zh: '其他', en: 'Other' },
        );
        return {
          outcome: 'resolved',
          lines: [
            `${category} ${difference.orderId ?? difference.supplierId ?? ''}：${labelText(DIFFERENCE_STATUS_LABELS[difference.status])}`,
            difference.resolution.note,
            `还有 ${week.open} 条差异未处理。${week.open} difference(s) still open.`,
          ],
        };
      }
      case 'signed-off':
        return week.status === 'SIGNED_OFF' && week.signedOff
          ? {
              outcome: 'signed-off',
              lines: [
                `已由 ${week.signedOff.by} 于 ${shanghaiTime(week.signedOff.at)} 签核。Signed off by ${week.signedOff.by} at ${shanghaiTime(week.signedOff.at)}.`,
              ],
            }
          : undefined;
      case 'reopened':
        return week.status === 'AWAITING_INPUTS' ? { outcome: 'reopened', lines: [status] } : undefined;
      default:
        return undefined;
    }
  }

  /**
   * A form per kind the person may upload, each posting its file straight to the bucket (S3 POST):
   * a file of hundreds of MB never passes through this function (API Gateway and Lambda take 6 MB).
   * None while the week runs (a file cannot be registered then).
   */
  async function uploadForms(caller: Person, week: StoredWeek): Promise<UploadForms> {
    if (week.status === 'RUNNING') return [];
    const forms: UploadForms = [];
    for (const kind of kindsFor(caller)) {
      const redirect = `${deps.publicBaseUrl}/reconciliations/${week.week}/inputs/uploaded?kind=${kind}`;
      const post = await createFormUpload(deps, caller, {
        purpose: PURPOSE_OF[kind],
        fileName: `${FORM_FILE_NAMES[kind]}-${week.week}`,
        redirect,
      });
      forms.push({ kind, url: post.url, fields: post.fields });
    }
    return forms;
  }

  async function weekPage(
    caller: Person,
    name: string,
    query: z.output<typeof pageQuery>,
    refusal?: ReconciliationFormError,
  ) {
    const week = await getReconciliation(deps, caller, name);
    const page = await listDifferences(deps, caller, name, {
      ...(query.category ? { category: query.category } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    const uploads = await uploadForms(caller, week);
    const view = (await screens()).ReconciliationPage({
      person: caller,
      week,
      differences: page.items,
      category: query.category,
      nextCursor: page.nextCursor,
      confirmation: refusal ? undefined : await confirmationOf(week, query),
      refusal,
      uploads,
    });
    // The page's CSP lets its forms post to the bucket's origin, and to no other.
    return { view, options: { formOrigins: uploads.map((form) => new URL(form.url).origin) } };
  }

  /** A form's action: done, 303 to the week's page naming the outcome; refused, the page with its error. */
  async function onWeekPage(
    request: { caller: Person } & PageHelpers,
    name: string,
    form: ReconciliationFormError['form'],
    done: Record<string, string>,
    act: () => Promise<unknown>,
    extra: { values?: Record<string, string>; differenceId?: string } = {},
  ): Promise<ApiResult> {
    try {
      await act();
      return redirect(`/reconciliations/${name}?${new URLSearchParams(done)}`);
    } catch (error) {
      if (!shownOnThePage(error)) throw error;
      const refused = formErrorOf(error);
      // A file's refusal names its column or line; on the page it is the file field's error.
      if (form === 'input') {
        refused.issues = refused.issues.map((issue) =>
          issue.path === 'kind' ? issue : { ...issue, path: 'file' },
        );
      }
      const refusal: ReconciliationFormError = {
        form,
        error: refused,
        values: extra.values,
        differenceId: extra.differenceId,
      };
      const { view, options } = await weekPage(request.caller, name, {}, refusal);
      return request.html(error.statusCode, view, options);
    }
  }

  return pageFunction(deps, reconciliationPagesRoutes, {
    /** The entity's recent weeks; `?date=` opens the week of that day. */
    reconciliationWeeksPage: session({ query: weeksQuery }, async ({ query, caller, html }) => {
      requireRole(caller, ...RECONCILIATION_ROLES);
      if (query.date) return redirect(`/reconciliations/${mondayOf(query.date)}`);
      const current = mondayOf(shanghaiDate(deps.clock.now()));
      const weeks: StoredWeek[] = [];
      for (let back = 0; back < RECENT_WEEKS; back++) {
        weeks.push(await getReconciliation(deps, caller, addDays(current, -7 * back)));
      }
      return html(
        200,
        (await screens()).ReconciliationWeeksPage({
          person: caller,
          weeks,
          current,
          previous: addDays(current, -7),
        }),
      );
    }),
    reconciliationPage: session(
      { params: weekParams, query: pageQuery },
      async ({ params, query, caller, html }) => {
        const { view, options } = await weekPage(caller, params.week, query);
        return html(200, view, options);
      },
    ),
    /**
     * Where the bucket sends the browser after a form's upload (S3's 303 to `success_action_redirect`):
     * registers the uploaded key as the week's input, as the API's register does (POLICY 3.2, D11) —
     * read whole and checked before the week changes. A key that is not this person's form's, or whose
     * form is too old, is refused on the week's page and registers nothing. A reload repeats nothing.
     */
    reconciliationInputUploaded: session({ params: weekParams, query: uploadedQuery }, async (request) => {
      const { caller, params, query } = request;
      return onWeekPage(
        request,
        params.week,
        'input',
        { done: 'registered' },
        async () => {
          await registerInput(deps, caller, params.week, { kind: query.kind, uploadKey: query.key });
        },
        { values: { kind: query.kind } },
      );
    }),
    reconciliationPageReport: session({ params: weekParams }, async ({ params, caller }) =>
      redirect(await reportDownload(deps, caller, params.week)),
    ),
    /** The pre-filled sales summary, as the API gives it (the reminder's page links to it). */
    reconciliationPageTemplate: session(
      { params: weekParams, query: templateQuery },
      async ({ params, query, caller }) =>
        redirect(await salesSummaryTemplate(deps, caller, params.week, query.format)),
    ),
    reconciliationRunForm: session({ params: weekParams, body: 'multipart' }, async (request) =>
      onWeekPage(request, request.params.week, 'run', { done: 'run' }, () =>
        runReconciliation(deps, request.caller, request.params.week),
      ),
    ),
    reconciliationResolveForm: session({ params: differenceParams, body: 'multipart' }, async (request) => {
      const { caller, params } = request;
      const values = typedValues(request.body, ['resolution', 'note']);
      return onWeekPage(
        request,
        params.week,
        'resolve',
        { done: 'resolved', difference: params.id },
        async () => {
          requireRole(caller, ...RECONCILIATION_SIGN_OFF_ROLES);
          const form = resolveBody.safeParse(values);
          if (!form.success) throw validationErrorFrom(form.error, 'form');
          await resolveDifference(deps, caller, params.week, params.id, form.data);
        },
        { values, differenceId: params.id },
      );
    }),
    reconciliationSignOffForm: session({ params: weekParams, body: 'multipart' }, async (request) =>
      onWeekPage(request, request.params.week, 'signOff', { done: 'signed-off' }, () =>
        signOff(deps, request.caller, request.params.week),
      ),
    ),
    reconciliationReopenForm: session({ params: weekParams, body: 'multipart' }, async (request) => {
      const { caller, params } = request;
      const values = typedValues(request.body, ['reason']);
      return onWeekPage(
        request,
        params.week,
        'reopen',
        { done: 'reopened' },
        async () => {
          requireRole(caller, ...RECONCILIATION_SIGN_OFF_ROLES);
          const form = reopenBody.safeParse(values);
          if (!form.success) throw validationErrorFrom(form.error, 'form');
          await reopen(deps, caller, params.week, form.data.reason);
        },
        { values },
      );
    }),
  });
};

/** How many weeks the list shows, newest first (this week and the seven before). */
const RECENT_WEEKS = 8;

/** The Monday of a day's week (the week's name). */
const mondayOf = (date: LocalDate): LocalDate => addDays(date, 1 - isoDayOfWeek(date));

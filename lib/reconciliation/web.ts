/**
 * The weekly reconciliation's JSON API (POLICY 3.2, D11) of a week: its state, its inputs, the run,
 * the differences and their resolution, the sign-off and reopening, the report. Its pages are
 * lib/reconciliation/pages.ts, apart, so the JSON function never carries them (lib/ui, preact).
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { json, redirect } from '../http/api-handler.ts';
import { typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { reconciliationApiRoutes } from '../http/routes.ts';
import { uploadKey } from '../uploads/upload-keys.ts';
import { DIFFERENCE_CATEGORIES } from './model.ts';
import { salesSummaryTemplate } from './template.ts';
import { reportDownload, weekView } from './views.ts';
import { weekNameSchema } from './week.ts';
import {
  getReconciliation,
  INPUT_KINDS,
  listDifferences,
  registerInput,
  reopen,
  resolveDifference,
  runReconciliation,
  signOff,
} from './weeks.ts';

export const weekParams = lazySchema(() => z.object({ week: weekNameSchema }));
export const differenceParams = lazySchema(() =>
  z.object({
    week: weekNameSchema,
    // Part of a sort key (≤ 1,024 bytes): a longer id is no difference's.
    id: typedText({ what: '差异编号 difference id', max: 400 }).refine((id) => Buffer.byteLength(id) <= 900, {
      message: '不是差异编号（太长） not a difference id (too long)',
    }),
  }),
);
const inputBody = lazySchema(() =>
  z.strictObject({
    kind: z.enum(INPUT_KINDS, {
      message:
        '须为 SALES_SUMMARY、MASTER_DATA 或 ALIPAY_STATEMENT It must be SALES_SUMMARY, MASTER_DATA or ALIPAY_STATEMENT',
    }),
    uploadKey,
  }),
);
const differencesQuery = lazySchema(() =>
  z.strictObject({
    category: z.enum(DIFFERENCE_CATEGORIES, { message: '不是差异类别 not a difference category' }).optional(),
    status: z
      .enum(['OPEN', 'EXPLAINED', 'CORRECTED'], {
        message: '须为 OPEN、EXPLAINED 或 CORRECTED It must be OPEN, EXPLAINED or CORRECTED',
      })
      .optional(),
    cursor: z.string().max(2048).optional(),
  }),
);
export const resolveBody = lazySchema(() =>
  z.strictObject({
    resolution: z.enum(['EXPLAINED', 'CORRECTED'], {
      message: '须为 EXPLAINED 或 CORRECTED It must be EXPLAINED or CORRECTED',
    }),
    note: typedText({ what: '说明 note', max: 2000, multiline: true }),
  }),
);
export const reopenBody = lazySchema(() =>
  z.strictObject({ reason: typedText({ what: '原因 reason', max: 2000, multiline: true }) }),
);
export const templateQuery = lazySchema(() =>
  z.strictObject({
    format: z.enum(['csv', 'xlsx'], { message: '须为 csv 或 xlsx It must be csv or xlsx' }).default('csv'),
  }),
);
const reportQuery = lazySchema(() =>
  z.strictObject({
    format: z.literal('xlsx', { message: '须为 xlsx It must be xlsx' }).default('xlsx'),
  }),
);

export const reconciliationApi = (deps: AppDeps) =>
  apiFunction(deps, reconciliationApiRoutes, {
    getReconciliation: jwt({ params: weekParams }, async ({ params, caller }) =>
      json(200, weekView(await getReconciliation(deps, caller, params.week))),
    ),
    registerReconciliationInput: jwt(
      { params: weekParams, body: inputBody },
      async ({ params, body, caller }) =>
        json(201, weekView(await registerInput(deps, caller, params.week, body))),
    ),
    runReconciliation: jwt({ params: weekParams }, async ({ params, caller }) =>
      json(202, weekView(await runReconciliation(deps, caller, params.week))),
    ),
    listReconciliationDifferences: jwt(
      { params: weekParams, query: differencesQuery },
      async ({ params, query, caller }) => json(200, await listDifferences(deps, caller, params.week, query)),
    ),
    resolveReconciliationDifference: jwt(
      { params: differenceParams, body: resolveBody },
      async ({ params, body, caller }) =>
        json(200, await resolveDifference(deps, caller, params.week, params.id, body)),
    ),
    signOffReconciliation: jwt({ params: weekParams }, async ({ params, caller }) =>
      json(200, weekView(await signOff(deps, caller, params.week))),
    ),
    reopenReconciliation: jwt({ params: weekParams, body: reopenBody }, async ({ params, body, caller }) =>
      json(200, weekView(await reopen(deps, caller, params.week, body.reason))),
    ),
    salesSummaryTemplate: jwt(
      { params: weekParams, query: templateQuery },
      async ({ params, query, caller }) =>
        redirect(await salesSummaryTemplate(deps, caller, params.week, query.format)),
    ),
    reconciliationReport: jwt({ params: weekParams, query: reportQuery }, async ({ params, caller }) =>
      redirect(await reportDownload(deps, caller, params.week)),
    ),
  });

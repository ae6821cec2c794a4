/**
 * The daily exports' JSON API (POLICY 3.1, D10): by day range, one day, the files, for merchandising
 * and finance of the caller's entity. The page listing them is lib/exports/pages.ts.
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { json, redirect } from '../http/api-handler.ts';
import { localDate } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { exportsApiRoutes } from '../http/routes.ts';
import { EXPORT_FORMATS, type ExportFormat } from './export-files.ts';
import { dailyExportDownload, exportView, getDailyExport, listDailyExports } from './queries.ts';

const rangeQuery = lazySchema(() => z.strictObject({ from: localDate, to: localDate }));
const dayParams = lazySchema(() => z.object({ date: localDate }));
export const fileParams = lazySchema(() =>
  z.object({
    date: localDate,
    format: z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]], {
      message: '须为 csv 或 xlsx It must be csv or xlsx',
    }),
  }),
);

export const exportsApi = (deps: AppDeps) =>
  apiFunction(deps, exportsApiRoutes, {
    listDailyExports: jwt({ query: rangeQuery }, async ({ query, caller }) =>
      json(200, { items: (await listDailyExports(deps, caller, query)).map(exportView) }),
    ),
    getDailyExport: jwt({ params: dayParams }, async ({ params, caller }) =>
      json(200, exportView(await getDailyExport(deps, caller, params.date))),
    ),
    /** The file, through a short-lived link that serves it with its type and name. */
    dailyExportFile: jwt({ params: fileParams }, async ({ params, caller }) =>
      redirect(await dailyExportDownload(deps, caller, params.date, params.format)),
    ),
  });

/**
 * The daily exports' web edge (POLICY 3.1, D10): the JSON API (by day range, one day, the files) and
 * the page listing them, for merchandising and finance of the caller's entity.
 */
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { addDays, shanghaiDate } from '../domain/time.ts';
import { json, redirect } from '../http/api-handler.ts';
import { localDate } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt, pageFunction, session } from '../http/router.ts';
import { EXPORT_FORMATS, type ExportFormat } from './export-files.ts';
import { dailyExportDownload, exportView, getDailyExport, listDailyExports } from './queries.ts';

/**
 * The screens, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen, and a JSON function that
 * shares this module never carries one.
 */
const screens = () => import('./screens.tsx');

const rangeQuery = lazySchema(() => z.strictObject({ from: localDate, to: localDate }));
const dayParams = lazySchema(() => z.object({ date: localDate }));
const fileParams = lazySchema(() =>
  z.object({
    date: localDate,
    format: z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]], {
      message: '须为 csv 或 xlsx It must be csv or xlsx',
    }),
  }),
);

export const exportsApi = (deps: AppDeps) =>
  apiFunction(deps, 'exportsApi', {
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

/** The page's range: the last 31 days up to today unless asked otherwise. */
const pageQuery = lazySchema(() => z.strictObject({ from: localDate.optional(), to: localDate.optional() }));

export const exportsPages = (deps: AppDeps) =>
  pageFunction(deps, 'exportsPages', {
    dailyExportsPage: session({ query: pageQuery }, async ({ query, caller, html }) => {
      const to = query.to ?? shanghaiDate(deps.clock.now());
      const from = query.from ?? addDays(to, -31);
      const [exports, policy] = await Promise.all([
        listDailyExports(deps, caller, { from, to }),
        deps.store.settings.currentPolicy(caller.entityId, deps.clock.now()),
      ]);
      return html(
        200,
        (await screens()).DailyExportsPage({
          person: caller,
          exports: exports.reverse(),
          from,
          to,
          exportTime: policy.dailyExportTime,
        }),
      );
    }),
    dailyExportPageFile: session({ params: fileParams }, async ({ params, caller }) =>
      redirect(await dailyExportDownload(deps, caller, params.date, params.format)),
    ),
  });

/**
 * The daily exports' page (POLICY 3.1, D10): the list of a day range's exports and their files, for
 * merchandising and finance of the caller's entity.
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { addDays, shanghaiDate } from '../domain/time.ts';
import { redirect } from '../http/api-handler.ts';
import { localDate } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { pageFunction, session } from '../http/router.ts';
import { exportsPagesRoutes } from '../http/routes.ts';
import { dailyExportDownload, listDailyExports } from './queries.ts';
import { fileParams } from './web.ts';

/**
 * The screens, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen.
 */
const screens = () => import('./screens.tsx');

/** The page's range: the last 31 days up to today unless asked otherwise. */
const pageQuery = lazySchema(() => z.strictObject({ from: localDate.optional(), to: localDate.optional() }));

export const exportsPages = (deps: AppDeps) =>
  pageFunction(deps, exportsPagesRoutes, {
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

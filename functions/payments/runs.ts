import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, attachment, json } from '#lib/http/api-handler.ts';
import { functions } from '#lib/http/routes.ts';
import { exportBankBatch, paymentRun } from '#lib/payments/payment-run.ts';
import { localDate } from '#lib/payments/schemas.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

/** No date: today's run (Asia/Shanghai). */
const params = z.object({ date: localDate.optional() });

/** GET /api/payment-runs[/{date}], and POST …/{date}/bank-batch: export the run's bank batch file. */
export const createHandler = (deps: AppDeps) => {
  const run = apiHandler(deps, { params }, async ({ params, caller }) =>
    json(200, await paymentRun(deps, caller, params.date)),
  );
  const batch = apiHandler(
    deps,
    {
      params,
      body: z.strictObject({
        format: z.enum(['csv', 'xlsx']).default('csv'),
        /** Also the vouchers already in an earlier file (a lost file, a batch the bank refused). */
        includeExported: z.boolean().default(false),
      }),
    },
    async ({ params, body, caller }) =>
      attachment(
        await exportBankBatch(deps, caller, params.date, body.format, {
          includeExported: body.includeExported,
        }),
      ),
  );
  return ((event, context) =>
    event.routeKey.endsWith('/bank-batch') ? batch(event, context) : run(event, context)) as typeof run;
};

export const handler = lambdaHandler(functions.paymentRuns, { table }, createHandler);

import { z } from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, attachment, json } from '#lib/http/api-handler.ts';
import { bankBatch, paymentRun } from '#lib/payments/payment-run.ts';
import { localDate } from '#lib/payments/schemas.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

/** No date: today's run (Asia/Shanghai). */
const params = z.object({ date: localDate.optional() });

/** GET /api/payment-runs[/{date}] and its bank batch file (CSV or XLSX). */
export const createHandler = (deps: AppDeps) => {
  const run = apiHandler(deps, { params }, async ({ params, caller }) =>
    json(200, await paymentRun(deps, caller, params.date)),
  );
  const batch = apiHandler(
    deps,
    { params, query: z.strictObject({ format: z.enum(['csv', 'xlsx']).default('csv') }) },
    async ({ params, query, caller }) => attachment(await bankBatch(deps, caller, params.date, query.format)),
  );
  return ((event, context) =>
    event.routeKey.endsWith('/bank-batch') ? batch(event, context) : run(event, context)) as typeof run;
};

export const handler = lambdaHandler(createHandler);

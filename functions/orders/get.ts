import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { recordId } from '#lib/http/input.ts';
import { functions } from '#lib/http/routes.ts';
import { getOrder } from '#lib/orders/get-order.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { params: z.object({ id: recordId('order id') }) }, async ({ params, caller }) =>
    json(200, await getOrder(deps, caller, params.id)),
  );

export const handler = lambdaHandler(functions.getOrder, { table }, createHandler);

import { z } from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { getOrder } from '#lib/orders/get-order.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { params: z.object({ id: z.string().min(1).max(64) }) }, async ({ params, caller }) =>
    json(200, await getOrder(deps, caller, params.id)),
  );

export const handler = lambdaHandler(createHandler);

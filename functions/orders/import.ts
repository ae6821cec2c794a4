import type { AppDeps } from '#lib/app.ts';
import { UnsupportedMediaTypeError } from '#lib/domain/errors.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { functions } from '#lib/http/routes.ts';
import { importOrders } from '#lib/orders/import-orders.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { body: 'text' }, async ({ body, headers, caller }) => {
    const contentType = headers['content-type'] ?? '';
    if (!contentType.startsWith('text/csv')) {
      throw new UnsupportedMediaTypeError('Send the orders as Content-Type: text/csv.');
    }
    return json(200, await importOrders(deps, caller, body));
  });

export const handler = lambdaHandler(functions.importOrders, { table }, createHandler);

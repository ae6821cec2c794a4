/** The orders' web edge: the JSON API of the platform orders (the back-office import, one order). */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { UnsupportedMediaTypeError } from '../domain/errors.ts';
import { json } from '../http/api-handler.ts';
import { recordId } from '../http/input.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { ordersApiRoutes } from '../http/routes.ts';
import { getOrder } from './get-order.ts';
import { importOrders } from './import-orders.ts';

export const ordersApi = (deps: AppDeps) =>
  apiFunction(deps, ordersApiRoutes, {
    importOrders: jwt({ body: 'text' }, async ({ body, headers, caller }) => {
      const contentType = headers['content-type'] ?? '';
      if (!contentType.startsWith('text/csv')) {
        throw new UnsupportedMediaTypeError(
          '请以 text/csv 格式发送订单。Send the orders as Content-Type: text/csv.',
        );
      }
      return json(200, await importOrders(deps, caller, body));
    }),
    getOrder: jwt({ params: z.object({ id: recordId('order id') }) }, async ({ params, caller }) =>
      json(200, await getOrder(deps, caller, params.id)),
    ),
  });

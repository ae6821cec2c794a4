import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { functions } from '#lib/http/routes.ts';
import { reasonBody, supplierInvoiceBody, voucherIdParams } from '#lib/payments/schemas.ts';
import {
  paymentsMissingInvoice,
  recordSupplierInvoice,
  waiveSpecialInvoice,
} from '#lib/payments/supplier-invoices.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { voucherView } from '#lib/vouchers/voucher-view.ts';

/**
 * The supplier-invoice chase (POLICY 2.1(3), D9): POST /api/vouchers/{id}/supplier-invoice, finance's
 * …/supplier-invoice/waiver, and GET /api/supplier-invoices/missing (oldest payment first).
 */
export const createHandler = (deps: AppDeps) => {
  const record = apiHandler(
    deps,
    { body: supplierInvoiceBody, params: voucherIdParams },
    async ({ body, params, caller }) =>
      json(200, voucherView(await recordSupplierInvoice(deps, caller, params.id, body), caller)),
  );
  const waive = apiHandler(
    deps,
    { body: reasonBody, params: voucherIdParams },
    async ({ body, params, caller }) =>
      json(200, voucherView(await waiveSpecialInvoice(deps, caller, params.id, body.reason), caller)),
  );
  const missing = apiHandler(
    deps,
    {
      query: z.strictObject({
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: z.string().max(2000).optional(),
      }),
    },
    async ({ query, caller }) => {
      const page = await paymentsMissingInvoice(deps, caller, query);
      return json(200, {
        items: page.items.map((voucher) => voucherView(voucher, caller)),
        nextCursor: page.nextCursor,
      });
    },
  );
  return ((event, context) => {
    if (event.routeKey.startsWith('GET ')) return missing(event, context);
    return event.routeKey.endsWith('/waiver') ? waive(event, context) : record(event, context);
  }) as typeof record;
};

export const handler = lambdaHandler(functions.supplierInvoices, { table, evidence }, createHandler);

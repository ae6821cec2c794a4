import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { recordId, typedText } from '#lib/http/input.ts';
import { functions } from '#lib/http/routes.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { saveSupplier } from '#lib/suppliers/save-supplier.ts';
import { supplierView } from './view.ts';

export const createSupplierBody = z.strictObject({
  id: recordId('supplier id', { trim: true }),
  name: typedText({ what: 'name', min: 2, max: 200, required: 'the supplier’s full legal name' }),
  bankAccount: z
    .string()
    .trim()
    .min(6)
    .max(40)
    .regex(/^[0-9 -]+$/, 'digits, spaces and dashes only'),
  bankName: typedText({ what: 'bankName', min: 2, max: 200 }),
  accountType: z.enum(['CORPORATE', 'PERSONAL']),
  taxId: typedText({ what: 'taxId', min: 15, max: 20 }).optional(),
  generalTaxpayer: z.boolean().optional(),
});

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { body: createSupplierBody }, async ({ body, caller }) => {
    const { supplier, created, warnings } = await saveSupplier(deps, caller, body);
    return json(created ? 201 : 200, { ...supplierView(supplier, caller), warnings });
  });

export const handler = lambdaHandler(functions.createSupplier, { table }, createHandler);

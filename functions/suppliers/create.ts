import { z } from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';
import { saveSupplier } from '#lib/suppliers/save-supplier.ts';
import { supplierView } from './view.ts';

export const createSupplierBody = z.strictObject({
  id: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  name: z.string().trim().min(2, 'the supplier’s full legal name').max(200),
  bankAccount: z
    .string()
    .trim()
    .min(6)
    .max(40)
    .regex(/^[0-9 -]+$/, 'digits, spaces and dashes only'),
  bankName: z.string().trim().min(2).max(200),
  accountType: z.enum(['CORPORATE', 'PERSONAL']),
  taxId: z.string().trim().min(15).max(20).optional(),
  generalTaxpayer: z.boolean().optional(),
});

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { body: createSupplierBody }, async ({ body, caller }) => {
    const { supplier, created, warnings } = await saveSupplier(deps, caller, body);
    return json(created ? 201 : 200, { ...supplierView(supplier), warnings });
  });

export const handler = lambdaHandler(createHandler);

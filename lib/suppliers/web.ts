/** The suppliers' web edge: the JSON API of the master data (admin and finance write, colleagues read). */
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { json } from '../http/api-handler.ts';
import { recordId, typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { getSupplier, saveSupplier } from './save-supplier.ts';
import { supplierView } from './supplier-view.ts';

export const saveSupplierBody = lazySchema(() =>
  z.strictObject({
    id: recordId('supplier id', { trim: true }),
    name: typedText({ what: 'name', min: 2, max: 200, required: 'the supplier’s full legal name' }),
    bankAccount: z
      .string()
      .trim()
      .min(6)
      .max(40)
      .regex(/^[0-9 -]+$/, '只能用数字、空格和短横线 digits, spaces and dashes only'),
    bankName: typedText({ what: 'bankName', min: 2, max: 200 }),
    accountType: z.enum(['CORPORATE', 'PERSONAL']),
    taxId: typedText({ what: 'taxId', min: 15, max: 20 }).optional(),
    generalTaxpayer: z.boolean().optional(),
  }),
);

const supplierParams = lazySchema(() => z.object({ id: recordId('supplier id') }));

export const suppliersApi = (deps: AppDeps) =>
  apiFunction(deps, 'suppliersApi', {
    saveSupplier: jwt({ body: saveSupplierBody }, async ({ body, caller }) => {
      const { supplier, created, warnings } = await saveSupplier(deps, caller, body);
      return json(created ? 201 : 200, { ...supplierView(supplier, caller), warnings });
    }),
    getSupplier: jwt({ params: supplierParams }, async ({ params, caller }) =>
      json(200, supplierView(await getSupplier(deps, caller, params.id), caller)),
    ),
  });

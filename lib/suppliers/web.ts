/** The suppliers' web edge: the JSON API of the master data (admin and finance write, colleagues read). */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { accountFor } from '../domain/access.ts';
import type { Person } from '../domain/model.ts';
import type { SupplierChange } from '../domain/supplier-change.ts';
import { json } from '../http/api-handler.ts';
import { recordId, typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { suppliersApiRoutes } from '../http/routes.ts';
import {
  pendingSupplierChanges,
  requestSupplierChange,
  reviewSupplierChange,
  supplierChangesOf,
} from './changes.ts';
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
const changeParams = lazySchema(() =>
  z.object({ id: recordId('supplier id'), changeId: recordId('change id') }),
);

/** D8: the details a change request proposes, as a supplier's are typed (the whole set, not a patch). */
export const supplierChangeBody = lazySchema(() =>
  saveSupplierBody.omit({ id: true, generalTaxpayer: true }),
);
export const rejectBody = lazySchema(() =>
  z.strictObject({
    reason: typedText({ what: 'reason', min: 2, max: 500, required: 'why the change is rejected' }),
  }),
);

/** A change request as the API shows it: the accounts as the viewer may see them (D8). */
export function changeView(change: SupplierChange, viewer: Person) {
  return {
    ...change,
    proposed: {
      ...change.proposed,
      bankAccount: accountFor(viewer, 'supplier', change.proposed.bankAccount),
    },
    current: { ...change.current, bankAccount: accountFor(viewer, 'supplier', change.current.bankAccount) },
  };
}

export const suppliersApi = (deps: AppDeps) =>
  apiFunction(deps, suppliersApiRoutes, {
    saveSupplier: jwt({ body: saveSupplierBody }, async ({ body, caller }) => {
      const { supplier, created, warnings } = await saveSupplier(deps, caller, body);
      return json(created ? 201 : 200, { ...supplierView(supplier, caller), warnings });
    }),
    getSupplier: jwt({ params: supplierParams }, async ({ params, caller }) =>
      json(200, supplierView(await getSupplier(deps, caller, params.id), caller)),
    ),
    requestSupplierChange: jwt(
      { params: supplierParams, body: supplierChangeBody },
      async ({ params, body, caller }) =>
        json(201, changeView(await requestSupplierChange(deps, caller, params.id, body), caller)),
    ),
    listSupplierChanges: jwt({ params: supplierParams }, async ({ params, caller }) =>
      json(200, {
        items: (await supplierChangesOf(deps, caller, params.id)).map((change) => changeView(change, caller)),
      }),
    ),
    approveSupplierChange: jwt({ params: changeParams }, async ({ params, caller }) =>
      json(
        200,
        changeView(
          await reviewSupplierChange(deps, caller, {
            supplierId: params.id,
            changeId: params.changeId,
            decision: 'APPROVE',
          }),
          caller,
        ),
      ),
    ),
    rejectSupplierChange: jwt({ params: changeParams, body: rejectBody }, async ({ params, body, caller }) =>
      json(
        200,
        changeView(
          await reviewSupplierChange(deps, caller, {
            supplierId: params.id,
            changeId: params.changeId,
            decision: 'REJECT',
            reason: body.reason,
          }),
          caller,
        ),
      ),
    ),
    pendingSupplierChanges: jwt({}, async ({ caller }) =>
      json(200, {
        items: (await pendingSupplierChanges(deps, caller)).map((change) => changeView(change, caller)),
      }),
    ),
  });

import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { recordId } from '#lib/http/input.ts';
import { functions } from '#lib/http/routes.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { getSupplier } from '#lib/suppliers/save-supplier.ts';
import { supplierView } from './view.ts';

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { params: z.object({ id: recordId('supplier id') }) }, async ({ params, caller }) =>
    json(200, supplierView(await getSupplier(deps, caller, params.id), caller)),
  );

export const handler = lambdaHandler(functions.getSupplier, { table }, createHandler);

import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { addDelegation } from '#lib/approvals/delegations.ts';
import { isLocalDate } from '#lib/domain/time.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { typedText } from '#lib/http/input.ts';
import { functions } from '#lib/http/routes.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

const day = z.string().refine(isLocalDate, 'a calendar day, YYYY-MM-DD');

export const addDelegationBody = z.strictObject({
  from: z.email().transform((email) => email.toLowerCase()),
  to: z.email().transform((email) => email.toLowerCase()),
  validFrom: day,
  validTo: day,
  reason: typedText({ what: 'reason', min: 2, max: 500, multiline: true }),
});

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { body: addDelegationBody }, async ({ body, caller }) =>
    json(201, await addDelegation(deps, caller, body)),
  );

export const handler = lambdaHandler(functions.addDelegation, { table }, createHandler);

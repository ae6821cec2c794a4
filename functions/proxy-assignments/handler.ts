import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { addProxyAssignment, listProxyAssignments } from '#lib/approvals/proxy-assignments.ts';
import { isLocalDate } from '#lib/domain/time.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { functions } from '#lib/http/routes.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

const day = z.string().refine(isLocalDate, 'a calendar day, YYYY-MM-DD');
const email = z
  .email()
  .max(254)
  .transform((value) => value.toLowerCase());

export const proxyAssignmentBody = z.strictObject({
  approver: email,
  proxy: email,
  from: day,
  to: day,
  reason: z.string().trim().min(2).max(500),
});

/**
 * A travelling approver's named proxies (POLICY D6, D18): POST /api/proxy-assignments (admin) names
 * one for dated days; GET /api/proxy-assignments?approver= lists them.
 */
export const createHandler = (deps: AppDeps) => {
  const add = apiHandler(deps, { body: proxyAssignmentBody }, async ({ body, caller }) =>
    json(201, await addProxyAssignment(deps, caller, body)),
  );
  const list = apiHandler(deps, { query: z.strictObject({ approver: email }) }, async ({ query, caller }) =>
    json(200, { items: await listProxyAssignments(deps, caller, query.approver) }),
  );
  return ((event, context) =>
    event.routeKey.startsWith('GET ') ? list(event, context) : add(event, context)) as typeof add;
};

export const handler = lambdaHandler(functions.proxyAssignments, { table }, createHandler);

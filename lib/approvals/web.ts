/**
 * The approvals' JSON API: delegations, proxy assignments, a proxy's approval from a consent email,
 * outstanding countersigns (POLICY D6, D18). The pages behind email links are lib/approvals/pages.ts,
 * apart, so the JSON function never carries them (lib/ui, preact).
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { maySeeEveryonesCountersigns } from '../domain/access.ts';
import { isLocalDate } from '../domain/time.ts';
import { json } from '../http/api-handler.ts';
import { recordId, typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { approvalsApiRoutes } from '../http/routes.ts';
import { emailAddress } from '../http/schemas.ts';
import { voucherView } from '../vouchers/voucher-view.ts';
import { addDelegation, revokeDelegation } from './delegations.ts';
import { addProxyAssignment, endProxyAssignment, listProxyAssignments } from './proxy-assignments.ts';
import { recordProxyApproval } from './travelling-approver.ts';

const day = lazySchema(() =>
  z.string().refine(isLocalDate, 'YYYY-MM-DD 格式的日期 a calendar day, YYYY-MM-DD'),
);
const email = lazySchema(() =>
  z
    .email()
    .max(254)
    .transform((value) => value.toLowerCase()),
);

export const addDelegationBody = lazySchema(() =>
  z.strictObject({
    from: emailAddress,
    to: emailAddress,
    validFrom: day,
    validTo: day,
    reason: typedText({ what: 'reason', min: 2, max: 500, multiline: true }),
  }),
);

export const proxyAssignmentBody = lazySchema(() =>
  z.strictObject({
    approver: email,
    proxy: email,
    from: day,
    to: day,
    // As a delegation's: the page shows a refusal of it in plain words, in both languages.
    reason: typedText({ what: 'reason', min: 2, max: 500, multiline: true }),
  }),
);

/** Revoking a delegation: whose it is (delegations are kept under the delegating person). */
export const revokeDelegationBody = lazySchema(() => z.strictObject({ from: emailAddress }));
export const delegationParams = lazySchema(() => z.object({ id: recordId('delegation id') }));

/** Ending a proxy assignment early: whose it is (kept under the approver). */
export const endProxyAssignmentBody = lazySchema(() => z.strictObject({ approver: emailAddress }));
export const proxyAssignmentParams = lazySchema(() => z.object({ id: recordId('proxy assignment id') }));

export const proxyApprovalBody = lazySchema(() =>
  z.strictObject({
    step: z.enum(['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEW', 'PAYMENT']),
    consentEmail: z.string().min(1).max(300),
  }),
);

export const approvalsApi = (deps: AppDeps) =>
  apiFunction(deps, approvalsApiRoutes, {
    addDelegation: jwt({ body: addDelegationBody }, async ({ body, caller }) =>
      json(201, await addDelegation(deps, caller, body)),
    ),
    /** A travelling approver's named proxy for dated days (admin; POLICY D6, D18). */
    addProxyAssignment: jwt({ body: proxyAssignmentBody }, async ({ body, caller }) =>
      json(201, await addProxyAssignment(deps, caller, body)),
    ),
    /** Issue 14 §1: a delegation ends now (POLICY D18); a repeat answers it as it is. */
    revokeDelegation: jwt(
      { params: delegationParams, body: revokeDelegationBody },
      async ({ params, body, caller }) =>
        json(200, await revokeDelegation(deps, caller, { from: body.from, id: params.id })),
    ),
    /** Issue 14 §1: a proxy assignment ends now (POLICY D6, D18); a repeat answers it as it is. */
    endProxyAssignment: jwt(
      { params: proxyAssignmentParams, body: endProxyAssignmentBody },
      async ({ params, body, caller }) =>
        json(200, await endProxyAssignment(deps, caller, { approver: body.approver, id: params.id })),
    ),
    listProxyAssignments: jwt({ query: z.strictObject({ approver: email }) }, async ({ query, caller }) =>
      json(200, { items: await listProxyAssignments(deps, caller, query.approver) }),
    ),
    recordProxyApproval: jwt(
      { body: proxyApprovalBody, params: z.object({ id: recordId('voucher id') }) },
      async ({ body, params, caller }) =>
        json(200, voucherView(await recordProxyApproval(deps, caller, params.id, body), caller)),
    ),
    /** POLICY D6: outstanding countersigns are listed — finance sees all, an approver their own. */
    listCountersigns: jwt({}, async ({ caller }) => {
      const everyone = maySeeEveryonesCountersigns(caller);
      const items = await deps.store.approvals.pendingCountersigns(everyone ? undefined : caller.email);
      return json(200, { items });
    }),
  });

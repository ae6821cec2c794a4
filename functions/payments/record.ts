import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { functions } from '#lib/http/routes.ts';
import { pullIntoTodaysRun, recordPayment, retryPayment, returnToApplicant } from '#lib/payments/payments.ts';
import { paymentBody, reasonBody, voucherIdParams } from '#lib/payments/schemas.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { voucherView } from '#lib/vouchers/voucher-view.ts';

/**
 * The cashier's and finance's payment actions: POST /api/vouchers/{id}/payment (PAID or
 * PAYMENT_FAILED), …/payment/pull-forward (POLICY D5), …/payment/retry and …/payment/return (after a
 * failed payment).
 */
export const createHandler = (deps: AppDeps) => {
  const pay = apiHandler(
    deps,
    { body: paymentBody, params: voucherIdParams },
    async ({ body, params, caller }) =>
      json(200, voucherView(await recordPayment(deps, caller, params.id, body), caller)),
  );
  const withReason = (action: typeof pullIntoTodaysRun) =>
    apiHandler(deps, { body: reasonBody, params: voucherIdParams }, async ({ body, params, caller }) =>
      json(200, voucherView(await action(deps, caller, params.id, body.reason), caller)),
    );
  const actions = {
    'pull-forward': withReason(pullIntoTodaysRun),
    retry: withReason(retryPayment),
    return: withReason(returnToApplicant),
  };
  return ((event, context) => {
    const action = event.routeKey.split('/payment/')[1] as keyof typeof actions | undefined;
    return (action ? actions[action] : pay)(event, context);
  }) as typeof pay;
};

export const handler = lambdaHandler(functions.recordPayment, { table, mail }, createHandler);

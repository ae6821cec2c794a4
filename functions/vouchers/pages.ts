import type { AppDeps } from '#lib/app.ts';
import { PaymentSection } from '#lib/payments/screens.tsx';
import { lambdaHandler } from '#lib/runtime/aws-deps.ts';
import { vouchersPages } from '#lib/vouchers/web.ts';

/** The voucher page shows the payment part (lib/payments) through the vouchers' section port. */
export const createHandler = (deps: AppDeps) => vouchersPages(deps, { sections: [PaymentSection] });
export const handler = lambdaHandler(createHandler);

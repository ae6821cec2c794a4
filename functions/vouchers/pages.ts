import type { AppDeps } from '#lib/app.ts';
import { functions } from '#lib/http/routes.ts';
import { PaymentSection } from '#lib/payments/screens.tsx';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { vouchersPages } from '#lib/vouchers/pages.ts';

/** The voucher page shows the payment part (lib/payments) through the vouchers' section port. */
export const createHandler = (deps: AppDeps) => vouchersPages(deps, { sections: [PaymentSection] });
export const handler = lambdaHandler(functions.vouchersPages, { table, evidence, sessions }, createHandler);

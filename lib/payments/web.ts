/**
 * The payments' JSON API (POLICY 2.1(3), 2.2(3), D3–D5, D9): the cashier's day, the bank files and
 * their payments, a voucher's payment and invoice, the missing invoices — the same use cases and input
 * shapes (lib/payments/schemas.ts) as the pages (lib/payments/pages.ts), which are apart, so the JSON
 * function never carries them (lib/ui, preact).
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { attachment, json } from '../http/api-handler.ts';
import { mapError } from '../http/errors.ts';
import { localDate } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { paymentsApiRoutes } from '../http/routes.ts';
import { voucherIdParams } from '../vouchers/schemas.ts';
import { voucherView } from '../vouchers/voucher-view.ts';
import { type BankFileRowResult, bankFileView, recordBankFilePayments } from './bank-files.ts';
import { bankFileAgain, bankFileSummary, exportBankBatch, paymentRun } from './payment-run.ts';
import { pullIntoTodaysRun, recordPayment, retryPayment, returnToApplicant } from './payments.ts';
import {
  bankFileParams,
  bankFilePaymentsBody,
  paymentBody,
  reasonBody,
  supplierInvoiceBody,
} from './schemas.ts';
import { paymentsMissingInvoice, recordSupplierInvoice, waiveSpecialInvoice } from './supplier-invoices.ts';

export const runParams = lazySchema(() => z.object({ date: localDate }));

/** Also the vouchers already in an earlier file (a lost file, a batch the bank refused). */
const bankBatchBody = lazySchema(() =>
  z.strictObject({
    format: z.enum(['csv', 'xlsx']).default('csv'),
    includeExported: z.boolean().default(false),
  }),
);

/** A page of the missing invoices: the API's `limit` and `cursor`. */
const missingQuery = lazySchema(() =>
  z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().max(2000).optional(),
  }),
);

/** A bank file's outcome row as the API answers it. */
function rowJson(row: BankFileRowResult) {
  if (row.result === 'REFUSED') {
    return { voucherId: row.voucherId, result: row.result, error: mapError(row.error).body.error };
  }
  return {
    voucherId: row.voucherId,
    result: row.result,
    status: row.voucher.status,
    bankReference: row.voucher.payment?.bankReference ?? null,
    paidOn: row.voucher.payment?.paidOn ?? null,
  };
}

export const paymentsApi = (deps: AppDeps) => {
  const withReason = (action: typeof pullIntoTodaysRun) =>
    jwt({ body: reasonBody, params: voucherIdParams }, async ({ body, params, caller }) =>
      json(200, voucherView(await action(deps, caller, params.id, body.reason), caller)),
    );
  return apiFunction(deps, paymentsApiRoutes, {
    /** Today's run (Asia/Shanghai). */
    todaysRun: jwt({}, async ({ caller }) => json(200, await paymentRun(deps, caller, undefined))),
    paymentRun: jwt({ params: runParams }, async ({ params, caller }) =>
      json(200, await paymentRun(deps, caller, params.date)),
    ),
    /** The file, naming its record: where its payments are recorded and it is downloaded again. */
    exportBankBatch: jwt({ params: runParams, body: bankBatchBody }, async ({ params, body, caller }) => {
      const file = await exportBankBatch(deps, caller, params.date, body.format, {
        includeExported: body.includeExported,
      });
      return attachment(file, {
        'x-bank-file-id': file.batch.id,
        'x-bank-file-vouchers': String(file.vouchers.length),
        'x-bank-file-left': String(file.left),
      });
    }),
    bankFile: jwt({ params: bankFileParams }, async ({ params, caller }) =>
      json(200, await bankFileView(deps, caller, params.date, params.batchId)),
    ),
    bankFileAgain: jwt({ params: bankFileParams }, async ({ params, caller }) =>
      attachment(await bankFileAgain(deps, caller, params.date, params.batchId)),
    ),
    /** The bank's references for a file's vouchers: each row paid once, every row's outcome answered. */
    recordBankFilePayments: jwt(
      { params: bankFileParams, body: bankFilePaymentsBody },
      async ({ params, body, caller }) => {
        const outcome = await recordBankFilePayments(deps, caller, params.date, params.batchId, body.rows);
        const rows = outcome.rows.map(rowJson);
        const count = (result: string) => rows.filter((row) => row.result === result).length;
        return json(200, {
          bankFile: bankFileSummary(outcome.file),
          rows,
          paid: count('PAID'),
          unchanged: count('UNCHANGED'),
          refused: count('REFUSED'),
        });
      },
    ),
    /** The cashier pays once (PAID) or records the failure (PAYMENT_FAILED). */
    recordPayment: jwt({ body: paymentBody, params: voucherIdParams }, async ({ body, params, caller }) =>
      json(200, voucherView(await recordPayment(deps, caller, params.id, body), caller)),
    ),
    pullIntoTodaysRun: withReason(pullIntoTodaysRun),
    retryPayment: withReason(retryPayment),
    returnToApplicant: withReason(returnToApplicant),
    recordSupplierInvoice: jwt(
      { body: supplierInvoiceBody, params: voucherIdParams },
      async ({ body, params, caller }) =>
        json(200, voucherView(await recordSupplierInvoice(deps, caller, params.id, body), caller)),
    ),
    waiveSpecialInvoice: jwt(
      { body: reasonBody, params: voucherIdParams },
      async ({ body, params, caller }) =>
        json(200, voucherView(await waiveSpecialInvoice(deps, caller, params.id, body.reason), caller)),
    ),
    /** Oldest payment first. */
    missingInvoices: jwt({ query: missingQuery }, async ({ query, caller }) => {
      const page = await paymentsMissingInvoice(deps, caller, query);
      return json(200, {
        items: page.items.map((voucher) => voucherView(voucher, caller)),
        nextCursor: page.nextCursor,
      });
    }),
  });
};

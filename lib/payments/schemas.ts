/** The payment and invoice edges' input shapes, shared by the JSON API and the pages (zod). */
import * as z from 'zod';
import { localDate, recordId, typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { MAX_VOUCHERS_PER_BANK_FILE } from '../platform/store.ts';
import { uploadKey } from '../uploads/upload-keys.ts';

export const reason = lazySchema(() =>
  typedText({
    what: 'reason',
    min: 3,
    max: 500,
    multiline: true,
    required: '请说明原因（至少 3 个字） give a reason (at least 3 characters)',
  }),
);

/** The bank's reference of one transfer (its 流水号), as the cashier copies it from the bank. */
export const bankReference = lazySchema(() =>
  z
    .string()
    .trim()
    .min(4, '银行流水号至少 4 个字符 the bank reference has at least 4 characters')
    .max(64, '银行流水号最多 64 个字符 the bank reference has at most 64 characters')
    .regex(/^[\w\-/.]+$/, '只能用字母、数字和 - / . letters, digits and - / . only'),
);

export const paymentBody = lazySchema(() =>
  z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('PAID'), bankReference, paidOn: localDate }),
    z.strictObject({ status: z.literal('PAYMENT_FAILED'), reason }),
  ]),
);

export const reasonBody = lazySchema(() => z.strictObject({ reason }));

export const supplierInvoiceBody = lazySchema(() =>
  z.strictObject({
    type: z.enum(['VAT_SPECIAL', 'VAT_ORDINARY']),
    number: typedText({ what: '发票号码 the invoice number', max: 32 }),
    code: typedText({ what: '发票代码 the invoice code', max: 16 }).optional(),
    issuedOn: localDate,
    amount: z.string().max(32, '金额太长 at most 32 characters'),
    taxAmount: z.string().max(32, '税额太长 at most 32 characters'),
    file: uploadKey.optional(),
    /** POLICY D9: the invoice is for another amount than was paid, and that is right (else 422 INVOICE_AMOUNT_DIFFERS). */
    confirmAmountDifference: z.boolean().optional(),
  }),
);

/** A bank file's id (its export's batch id, a ULID). */
export const bankFileId = lazySchema(() =>
  z
    .string()
    .regex(
      /^[0-9A-HJKMNP-TV-Z]{26}$/,
      '银行文件编号是 26 位字母和数字 a bank file id is 26 letters and digits',
    ),
);

/** A bank file of a day's run: `/payment-runs/{date}/bank-batch/{batchId}`. */
export const bankFileParams = lazySchema(() => z.object({ date: localDate, batchId: bankFileId }));

/** One transfer of a bank file, paid: which voucher, the bank's reference, the day the bank paid. */
export const bankFileRow = lazySchema(() =>
  z.strictObject({
    voucherId: recordId('voucherId'),
    bankReference,
    paidOn: localDate,
  }),
);

/** The bank's references for some or all of a file's vouchers. */
export const bankFilePaymentsBody = lazySchema(() =>
  z.strictObject({
    rows: z
      .array(bankFileRow)
      .min(1, '至少一行 at least one row')
      .max(
        MAX_VOUCHERS_PER_BANK_FILE,
        `最多 ${MAX_VOUCHERS_PER_BANK_FILE} 行 at most ${MAX_VOUCHERS_PER_BANK_FILE} rows: a bank file holds no more`,
      ),
  }),
);

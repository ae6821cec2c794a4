/** The payment and invoice edges' input shapes, shared by the JSON API and the pages (zod). */
import * as z from 'zod';
import { localDate, typedText } from '../http/input.ts';
import { uploadKey } from '../uploads/upload-keys.ts';

export const reason = typedText({
  what: 'reason',
  min: 3,
  max: 500,
  multiline: true,
  required: 'give a reason (at least 3 characters)',
});

export const paymentBody = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('PAID'),
    bankReference: z
      .string()
      .trim()
      .min(4, 'the bank reference has at least 4 characters')
      .max(64)
      .regex(/^[\w\-/.]+$/, 'letters, digits and - / . only'),
    paidOn: localDate,
  }),
  z.strictObject({ status: z.literal('PAYMENT_FAILED'), reason }),
]);

export const reasonBody = z.strictObject({ reason });

export const supplierInvoiceBody = z.strictObject({
  type: z.enum(['VAT_SPECIAL', 'VAT_ORDINARY']),
  number: typedText({ what: 'number', max: 32 }),
  code: typedText({ what: 'code', max: 16 }).optional(),
  issuedOn: localDate,
  amount: z.string().max(32),
  taxAmount: z.string().max(32),
  file: uploadKey.optional(),
});

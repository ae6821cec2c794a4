/**
 * The input shapes of invoice requests (POLICY 4), one set for the JSON API, the CSV import and the
 * pages: zod at the edge, the rules (tax id, buyer per kind) in lib/domain/invoicing.ts.
 */
import * as z from 'zod';
import { localDate, recordId, typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { emailAddress } from '../http/schemas.ts';

/** The VAT rates a line may carry (percent): 13, 9, 6 and the small-scale 5, 3, 1; 0 for exempt. */
export const TAX_RATES_PERCENT = [0, 1, 3, 5, 6, 9, 13] as const;

const optionalText = (what: string, max: number) => typedText({ what, max, min: 0 }).optional();

export const buyerInput = lazySchema(() =>
  z.strictObject({
    type: z.enum(['COMPANY', 'INDIVIDUAL'], {
      message: '购买方类型为企业或个人 buyer.type is COMPANY or INDIVIDUAL',
    }),
    name: typedText({ what: 'buyer name', max: 100 }),
    // The tax id is normalised and checked by the domain (full-width characters, spaces).
    taxId: z.string().max(40, '纳税人识别号最多 40 个字符 tax id: at most 40 characters').optional(),
    address: optionalText('buyer address', 100),
    phone: optionalText('buyer phone', 50),
    bank: optionalText('buyer bank', 100),
    account: optionalText('buyer account', 100),
    email: emailAddress.optional(),
  }),
);

export const deliveryInput = lazySchema(() =>
  z.discriminatedUnion('method', [
    z.strictObject({ method: z.literal('EMAIL'), email: emailAddress }),
    z.strictObject({
      method: z.literal('POST'),
      recipient: typedText({ what: 'recipient', max: 50 }),
      phone: typedText({ what: 'recipient phone', max: 30 }),
      address: typedText({ what: 'postal address', max: 200 }),
    }),
  ]),
);

/** Per request, what its lines say instead of the entity's invoicing settings. */
export const lineOverrideInput = lazySchema(() =>
  z.strictObject({
    itemName: typedText({ what: 'item name', max: 90 }).optional(),
    taxCode: z
      .string()
      .regex(/^\d{19}$/, '税收分类编码为 19 位数字 the tax classification code has 19 digits')
      .optional(),
    taxRatePercent: z
      .number()
      .refine((rate) => (TAX_RATES_PERCENT as readonly number[]).includes(rate), {
        message: `税率为 ${TAX_RATES_PERCENT.join('、')}% 之一 a VAT rate of ${TAX_RATES_PERCENT.join(', ')} percent`,
      })
      .optional(),
  }),
);

/** At most this many orders on one request: they are claimed in the request's own transaction. */
export const MAX_ORDERS_PER_INVOICE_REQUEST = 50;

export const invoiceRequestBody = lazySchema(() =>
  z.strictObject({
    orderIds: z
      .array(recordId('order id', { trim: true }))
      .min(1, '至少一个订单 at least one order')
      .max(
        MAX_ORDERS_PER_INVOICE_REQUEST,
        `最多 ${MAX_ORDERS_PER_INVOICE_REQUEST} 个订单 at most ${MAX_ORDERS_PER_INVOICE_REQUEST} orders`,
      ),
    kind: z.enum(['VAT_SPECIAL', 'VAT_ORDINARY'], {
      message: '发票种类为专票或普票 kind is VAT_SPECIAL or VAT_ORDINARY',
    }),
    buyer: buyerInput,
    delivery: deliveryInput,
    note: optionalText('note', 200),
    lines: lineOverrideInput.optional(),
  }),
);
export type InvoiceRequestInput = z.infer<typeof invoiceRequestBody>;

export const issueBody = lazySchema(() =>
  z.strictObject({
    invoiceNumber: z.string().max(40, '发票号码最多 40 个字符 invoice number: at most 40 characters'),
    issuedOn: localDate,
  }),
);

export const returnBody = lazySchema(() =>
  z.strictObject({ reason: typedText({ what: 'reason', max: 500 }) }),
);

export const deliveryBody = lazySchema(() =>
  z.discriminatedUnion('method', [
    z.strictObject({ method: z.literal('EMAIL'), sentTo: emailAddress, sentOn: localDate }),
    z.strictObject({
      method: z.literal('POST'),
      courier: typedText({ what: 'courier', max: 50 }),
      trackingNumber: z
        .string()
        .trim()
        .regex(
          /^[A-Za-z0-9-]{4,40}$/,
          '快递单号为 4–40 位字母、数字或 - a tracking number: 4–40 letters, digits or -',
        ),
      sentOn: localDate,
    }),
  ]),
);

/**
 * Issue 13 §4: finance records the red-letter confirmation (红字确认单) and the red invoice. The
 * confirmation number is the bureau's (digits and letters); the red invoice number is checked as a
 * fully digital invoice number (20 digits) by the use case.
 */
export const redLetterBody = z.strictObject({
  confirmationNumber: z
    .string()
    .trim()
    .regex(
      /^[0-9A-Za-z]{1,40}$/,
      '红字确认单编号为 1–40 位数字或字母 a confirmation number: 1–40 digits or letters',
    ),
  reasonCode: z.enum(['01', '02', '03', '04'], {
    message: '冲红原因为 01、02、03 或 04 reasonCode is 01, 02, 03 or 04',
  }),
  redInvoiceNumber: z.string().max(40, '发票号码最多 40 个字符 invoice number: at most 40 characters'),
  issuedOn: localDate,
});
export type RedLetterInput = z.infer<typeof redLetterBody>;

export const dismissRedLetterBody = z.strictObject({ reason: typedText({ what: 'reason', max: 500 }) });

export const INVOICE_STATUS_QUERY = [
  'WAITING_FOR_ORDER',
  'QUEUED',
  'WITH_FINANCE',
  'RETURNED',
  'ISSUED',
  'DELIVERED',
  'REVERSED',
] as const;

export const listQuery = lazySchema(() =>
  z
    .strictObject({
      status: z.enum(INVOICE_STATUS_QUERY).optional(),
      /** Issue 13 §4: finance's list of requests flagged for a red-letter reversal. */
      flag: z.enum(['RED_LETTER'], { message: 'flag 只能是 RED_LETTER flag must be RED_LETTER' }).optional(),
      batchDate: localDate.optional(),
      cursor: z.string().max(2000).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    })
    .refine(
      (query) => query.status !== undefined || query.batchDate !== undefined || query.flag !== undefined,
      {
        message: '请给出状态、批次日期或两者 give a status, a batchDate or both',
        path: ['status'],
      },
    ),
);

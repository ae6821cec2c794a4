/**
 * The voucher edge's input shape (zod), shared by the JSON API and the voucher form of the pages
 * (lib/vouchers/web.ts, pages.ts), so a voucher comes in through one gate whichever way
 * it is sent, and both refuse the same input the same way. Every string and list is bounded: together
 * they bound the voucher's DynamoDB item (400 KB at most; the worst case is computed in
 * test/unit/item-size.test.ts).
 */
import * as z from 'zod';
import { VOUCHER_SIZE_CEILINGS } from '../domain/policy.ts';
import { recordId, typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { uploadKey } from '../uploads/upload-keys.ts';

const { maxOrdersPerVoucher, maxEvidencePerVoucher } = VOUCHER_SIZE_CEILINGS;

export const payeeFields = {
  name: lazySchema(() => typedText({ what: 'the payee’s full legal name', max: 200 })),
  account: lazySchema(() => typedText({ what: 'the receiving account number', max: 40 })),
  bank: lazySchema(() => typedText({ what: 'the bank of the account', max: 200 })),
};

/** POLICY 2.1(2): the supplier's full legal name, the receiving account, the bank of the account, the goods. */
export const voucherFields = {
  supplierId: lazySchema(() => recordId('supplierId', { trim: true })),
  payee: lazySchema(() => z.strictObject(payeeFields)),
  // POLICY D14: a string of yuan with at most two decimals; never a JSON number (floats round).
  amount: lazySchema(() =>
    z
      .string({ message: '金额须为文本，例如 "500000.00" amount must be a string such as "500000.00"' })
      .max(32),
  ),
  orderIds: lazySchema(() =>
    z
      .array(recordId('order id', { trim: true }))
      .min(1, '至少引用一个平台订单 cite at least one platform order')
      .max(maxOrdersPerVoucher, `最多 ${maxOrdersPerVoucher} 个订单 at most ${maxOrdersPerVoucher} orders`),
  ),
  goods: lazySchema(() => typedText({ what: 'goods', max: 500 })),
};

export const submitVoucherBody = lazySchema(() =>
  z.strictObject({
    ...voucherFields,
    // Keys fundflow issued (POST /api/uploads), each once; the policy may allow fewer (POLICY 2.1(2)).
    evidence: z
      .array(uploadKey)
      .max(
        maxEvidencePerVoucher,
        `最多 ${maxEvidencePerVoucher} 个文件 at most ${maxEvidencePerVoucher} files`,
      ),
  }),
);

export type SubmitVoucherBody = z.infer<typeof submitVoucherBody>;

/**
 * POLICY D19: an edit of a rejected voucher shows the stored account masked; sent back masked, or left
 * out, it keeps the stored account (lib/domain/accounts.ts `editedAccount`).
 */
export const editedPayee = lazySchema(() =>
  z.strictObject({ ...payeeFields, account: payeeFields.account.optional() }),
);

/** `PUT /api/vouchers/:id`: the edit of a rejected voucher, its account kept when left out (D19). */
export const resubmitVoucherBody = lazySchema(() => submitVoucherBody.extend({ payee: editedPayee }));

/** A voucher's id in a path (the API's and the pages'). */
export const voucherIdParams = lazySchema(() => z.object({ id: recordId('voucher id') }));

/**
 * A voucher's typed fields (POLICY 2.1(2): the supplier's full legal name, the receiving account, the
 * bank of the account, the goods), shared by the JSON API (functions/vouchers/) and the voucher form
 * of the pages, so both refuse the same input the same way.
 */
import { z } from 'zod';
import { recordId, typedText } from '../http/input.ts';

export const payeeFields = {
  name: typedText({ what: 'the payee’s full legal name', max: 200 }),
  account: typedText({ what: 'the receiving account number', max: 40 }),
  bank: typedText({ what: 'the bank of the account', max: 200 }),
};

export const voucherFields = {
  supplierId: recordId('supplierId', { trim: true }),
  payee: z.strictObject(payeeFields),
  // POLICY D14: a string of yuan with at most two decimals; never a JSON number (floats round).
  amount: z.string({ message: 'amount must be a string such as "500000.00"' }).max(32),
  orderIds: z.array(recordId('order id', { trim: true })).min(1, 'cite at least one platform order'),
  goods: typedText({ what: 'goods', max: 500 }),
};

/**
 * POLICY D19: an edit of a rejected voucher shows the stored account masked; sent back masked, or left
 * out, it keeps the stored account (lib/domain/account-visibility.ts `editedAccount`).
 */
export const editedPayee = z.strictObject({ ...payeeFields, account: payeeFields.account.optional() });

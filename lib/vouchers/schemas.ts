/**
 * The voucher edge's input shape (zod), shared by the JSON API (functions/vouchers/submit.ts and
 * resubmit.ts) and the voucher form of the pages, so a voucher comes in through one gate whichever way
 * it is sent. Every string and list is bounded: together they bound the voucher's DynamoDB item
 * (400 KB at most; the worst case is computed in test/unit/item-size.test.ts).
 */
import { z } from 'zod';
import { VOUCHER_SIZE_CEILINGS } from '../domain/policy.ts';
import { uploadKey } from '../uploads/upload-keys.ts';

const text = (max: number, what: string) => z.string().trim().min(1, `${what} is required`).max(max);

const { maxOrdersPerVoucher, maxEvidencePerVoucher } = VOUCHER_SIZE_CEILINGS;

export const submitVoucherBody = z.strictObject({
  supplierId: text(64, 'supplierId'),
  // POLICY 2.1(2): full legal name, account number, bank of the account, goods.
  payee: z.strictObject({
    name: text(200, 'the payee’s full legal name'),
    account: text(40, 'the receiving account number'),
    bank: text(200, 'the bank of the account'),
  }),
  // POLICY D14: a string of yuan with at most two decimals; never a JSON number (floats round).
  amount: z.string({ message: 'amount must be a string such as "500000.00"' }),
  orderIds: z
    .array(text(64, 'order id'))
    .min(1, 'cite at least one platform order')
    .max(maxOrdersPerVoucher, `at most ${maxOrdersPerVoucher} orders`),
  goods: text(500, 'goods'),
  // Keys fundflow issued (POST /api/uploads), each once; the policy may allow fewer (POLICY 2.1(2)).
  evidence: z.array(uploadKey).max(maxEvidencePerVoucher, `at most ${maxEvidencePerVoucher} files`),
});

export type SubmitVoucherBody = z.infer<typeof submitVoucherBody>;

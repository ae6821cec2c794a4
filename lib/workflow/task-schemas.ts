import * as z from 'zod';
import { lazySchema } from '../http/lazy-schema.ts';

export const voucherRef = lazySchema(() =>
  z.object({ voucherId: z.string().min(1), version: z.number().int().positive() }),
);
export const humanStep = lazySchema(() => z.enum(['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEW']));
export const stepRef = lazySchema(() => voucherRef.extend({ step: humanStep }));
/** A rejection in approval, or finance returning a voucher after its payment failed. */
export const rejectionRef = lazySchema(() =>
  voucherRef.extend({ step: z.enum([...humanStep.options, 'PAYMENT']) }),
);
export const attemptRef = lazySchema(() => stepRef.extend({ attempt: z.number().int().min(0) }));
export const callbackInput = lazySchema(() => attemptRef.extend({ taskToken: z.string().min(1) }));
export const waitInput = lazySchema(() => voucherRef.extend({ taskToken: z.string().min(1) }));
export const chaseInput = lazySchema(() => waitInput.extend({ attempt: z.number().int().min(0) }));

import * as z from 'zod';

export const voucherRef = z.object({ voucherId: z.string().min(1), version: z.number().int().positive() });
export const humanStep = z.enum(['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEW']);
export const stepRef = voucherRef.extend({ step: humanStep });
/** A rejection in approval, or finance returning a voucher after its payment failed. */
export const rejectionRef = voucherRef.extend({ step: z.enum([...humanStep.options, 'PAYMENT']) });
export const attemptRef = stepRef.extend({ attempt: z.number().int().min(0) });
export const callbackInput = attemptRef.extend({ taskToken: z.string().min(1) });
export const waitInput = voucherRef.extend({ taskToken: z.string().min(1) });
export const chaseInput = waitInput.extend({ attempt: z.number().int().min(0) });

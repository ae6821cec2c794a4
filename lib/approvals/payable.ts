/**
 * A voucher becomes payable the moment finance review is recorded (POLICY 2.2(3), D3): its payment
 * item — the run of a day by the noon cutoff — and what the workflow learns of it. The approval chain
 * makes a voucher payable (MarkReadyForPayment); the payments capability uses the same rule when
 * finance schedules a failed payment again.
 */
import type { AppDeps } from '../app.ts';
import type { LocalDate, Voucher } from '../domain/model.ts';
import { paymentDateFor, runOpensAt } from '../domain/payment-date.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { workingDayCalendar } from '../working-days.ts';

/**
 * What the workflow learns when a voucher is (again) due: the run it waits for, and how long until
 * that run opens (the wait's timeout; at least a second, as Step Functions requires).
 */
export interface PaymentDue {
  dueDate: LocalDate;
  runOpensAt: string;
  secondsUntilRun: number;
}

export function paymentDue(voucher: Voucher, now: Date): PaymentDue {
  if (!voucher.payment) throw new Error(`voucher ${voucher.id} has no payment yet`);
  const opens = runOpensAt(voucher.payment.dueDate);
  return {
    dueDate: voucher.payment.dueDate,
    runOpensAt: opens.toISOString(),
    secondsUntilRun: Math.max(1, Math.ceil((opens.getTime() - now.getTime()) / 1000)),
  };
}

/**
 * The payment item of a voucher that became payable at `payableAt` (POLICY 2.2(3), D3): the run of a
 * day, by the noon cutoff of the policy version the voucher was decided under (D17).
 */
export async function duePayment(
  deps: AppDeps,
  voucher: Voucher,
  payableAt: Date,
): Promise<Voucher['payment']> {
  const policy = await deps.store.settings.policy(voucher.entityId, voucher.policyVersion);
  const dueDate = paymentDateFor(
    payableAt,
    await workingDayCalendar(deps),
    policy.paymentCutoffHour,
    policy.paymentCutoffMinute,
  );
  return {
    ...(voucher.payment?.failures ? { failures: voucher.payment.failures } : {}),
    payableAt: toShanghaiIso(payableAt),
    dueDate,
    status: 'DUE',
  };
}

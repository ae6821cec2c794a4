/**
 * The cashier's day (POLICY 2.2(3), D3–D5, D7, D18): a voucher finance has reviewed waits for its
 * payment day, is paid once by the cashier — or fails and goes back to finance — and may be pulled into
 * today's run with a reason.
 *
 * Primary course of a payment:
 *  1. The cashier (never the applicant, D18) marks a voucher of a run that is open (due today or
 *     earlier) PAID with the bank's reference and the day paid.
 *  2. The orders are checked again (D7): an order settled at submission may have a refund or dispute
 *     open since; the write is conditional on that, in the same transaction.
 *  3. The voucher, its audit event and those conditions are one transaction on the revision read: the
 *     voucher is paid once, whatever is clicked twice or sent at the same moment. A repeat of the same
 *     payment answers with the voucher as it is; a different one is refused.
 *  4. The answer the waiting workflow is owed is written in that same transaction (lib/workflow/
 *     outbox.ts) and delivered after it, with the task token read at delivery: the payment stands
 *     whatever Step Functions answers, and its answer arrives whatever happens to this request.
 *  5. A failed payment goes back to finance: the workflow's next step tells them (AwaitFinance…).
 */

import type { AppDeps } from '../app.ts';
import { duePayment, paymentDue } from '../approvals/payable.ts';
import { hasRole, requireRole } from '../domain/access.ts';
import { whyMayNotPay } from '../domain/approval-rules.ts';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { Approval, LocalDate, Person, Voucher } from '../domain/model.ts';
import { assertOrdersPayable } from '../domain/orders.ts';
import { assertCanPullIntoToday } from '../domain/payment-date.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { allows, type VoucherActor } from '../domain/voucher-lifecycle.ts';
import { changeVoucher, type VoucherChange } from '../platform/change.ts';
import type { WaitAnswer } from '../platform/owed-deliveries.ts';
import { PAYMENT_FAILED_ERROR, REJECTED_ERROR } from '../workflow/approval-states.ts';
import { workingDayCalendar } from '../working-days.ts';

export type PaymentInput =
  | { status: 'PAID'; bankReference: string; paidOn: LocalDate }
  | { status: 'PAYMENT_FAILED'; reason: string };

/** Vouchers of the caller's entity only; another entity's look like none at all. */
export async function loadForPayment(deps: AppDeps, caller: Person, voucherId: string): Promise<Voucher> {
  const voucher = await deps.store.vouchers.get(voucherId);
  if (!voucher || voucher.entityId !== caller.entityId)
    throw new NotFoundError(`没有这张凭单 ${voucherId}。No voucher ${voucherId}.`);
  return voucher;
}

/** Steps 1–4 of the primary course (PAID), or the failure that goes back to finance (5). */
export async function recordPayment(
  deps: AppDeps,
  caller: Person,
  voucherId: string,
  input: PaymentInput,
): Promise<Voucher> {
  return (await payOnce(deps, caller, voucherId, input)).voucher;
}

/**
 * As recordPayment, saying whether this request wrote it (`changed`) or found it done already — a
 * repeat of the very same payment (the bank file's form sent twice).
 */
export async function payOnce(
  deps: AppDeps,
  caller: Person,
  voucherId: string,
  input: PaymentInput,
): Promise<{ voucher: Voucher; changed: boolean }> {
  requireRole(caller, 'CASHIER');
  // A lost race (a double click, a second cashier, a dispute opened this instant) reads again and
  // judges the request against what landed.
  const { voucher, changed } = await changeVoucher(
    deps,
    voucherId,
    async (voucher) => {
      const refusal = whyMayNotPay(voucher, caller.email); // POLICY D18
      if (refusal) throw new ForbiddenError(refusal);
      // A repeat: the answer the payment owed the workflow was written with it, and is delivered
      // whatever became of the first request.
      if (sameOutcome(voucher, input)) return null;
      return paymentOutcome(deps, caller, voucher, input);
    },
    { load: () => loadForPayment(deps, caller, voucherId) },
  );
  return { voucher, changed };
}

/** A signed-in person, as the voucher's lifecycle knows them. */
const asPerson = (person: Person): VoucherActor => ({
  kind: 'PERSON',
  email: person.email,
  roles: person.roles,
});

/** A repeat of what already happened is answered with the voucher as it is (idempotent). */
function sameOutcome(voucher: Voucher, input: PaymentInput): boolean {
  const payment = voucher.payment;
  if (!payment) return false;
  if (payment.status === 'PAID') {
    if (
      input.status === 'PAID' &&
      payment.bankReference === input.bankReference &&
      payment.paidOn === input.paidOn
    ) {
      return true;
    }
    throw new ConflictError(
      'ALREADY_PAID',
      `凭单已于 ${payment.paidOn} 付款（银行流水号 ${payment.bankReference}），只付一次。Voucher ${voucher.id} was already paid on ${payment.paidOn} (bank reference ${payment.bankReference}); it is paid only once.`,
    );
  }
  if (payment.status === 'PAYMENT_FAILED') {
    if (input.status === 'PAYMENT_FAILED' && payment.failureReason === input.reason) return true;
    throw new ConflictError(
      'PAYMENT_FAILED_AWAITING_FINANCE',
      `付款已失败（${payment.failureReason}），由财务决定下一步。The payment of ${voucher.id} failed (${payment.failureReason}); finance decides what happens next.`,
    );
  }
  return false;
}

async function paymentOutcome(
  deps: AppDeps,
  caller: Person,
  voucher: Voucher,
  input: PaymentInput,
): Promise<VoucherChange> {
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  const at = toShanghaiIso(now);
  const payment = voucher.payment;
  if (!allows(voucher.status, 'PAY') || !payment) {
    throw new ConflictError(
      'NOT_PAYABLE',
      `凭单现在不在等待付款。Voucher ${voucher.id} is ${voucher.status}, not waiting for payment.`,
    );
  }
  // POLICY 2.2(3), D3–D5: paid in its run, not before (pull it forward with a reason instead).
  if (payment.dueDate > today) {
    throw new RuleViolationError(
      'NOT_IN_A_RUN_YET',
      `凭单在 ${payment.dueDate} 的付款批次，不在今天的；如需今天付款，请先说明原因拉入今日批次。Voucher ${voucher.id} is in the run of ${payment.dueDate}, not today's; to pay it today, pull it into today's run with a reason first (POLICY D5).`,
    );
  }
  const answers = [{ wait: { kind: 'PAYMENT' } as const, answer: paymentAnswer(input) }];
  if (input.status === 'PAYMENT_FAILED') {
    return {
      action: 'FAIL_PAYMENT',
      actor: asPerson(caller),
      next: {
        ...voucher,
        payment: {
          ...payment,
          status: 'PAYMENT_FAILED',
          failureReason: input.reason,
          failedOn: today,
          recordedAt: at,
          failures: [...(payment.failures ?? []), { at, by: caller.email, reason: input.reason }],
        },
      },
      event: {
        at,
        actor: caller.email,
        type: 'PAYMENT_FAILED',
        version: voucher.version,
        details: { reason: input.reason, dueDate: payment.dueDate },
      },
      answers,
    };
  }
  if (input.paidOn > today) {
    throw new RuleViolationError(
      'PAID_ON_IN_FUTURE',
      `付款日期 ${input.paidOn} 晚于今天（${today}）。The payment day ${input.paidOn} is after today (${today}).`,
      {
        issues: [{ path: 'paidOn', message: '不能晚于今天 not after today' }],
      },
    );
  }
  if (input.paidOn < shanghaiDate(new Date(payment.payableAt))) {
    throw new RuleViolationError(
      'PAID_BEFORE_PAYABLE',
      `付款日期 ${input.paidOn} 早于凭单可付款的时间（${payment.payableAt}）。The payment day ${input.paidOn} is before the voucher became payable (${payment.payableAt}).`,
      { issues: [{ path: 'paidOn', message: '不能早于可付款的日期 not before the voucher became payable' }] },
    );
  }
  // POLICY D7: checked again before paying — a refund or dispute opened since blocks it.
  const orders = await deps.store.orders.getMany(voucher.orderIds);
  assertOrdersPayable({ supplierId: voucher.supplierId, orderIds: voucher.orderIds, orders });
  return {
    action: 'PAY',
    actor: asPerson(caller),
    next: {
      ...voucher,
      payment: {
        ...payment,
        status: 'PAID',
        bankReference: input.bankReference,
        paidOn: input.paidOn,
        paidBy: caller.email,
        recordedAt: at,
      },
    },
    event: {
      at,
      actor: caller.email,
      type: 'PAID',
      version: voucher.version,
      details: { bankReference: input.bankReference, paidOn: input.paidOn, dueDate: payment.dueDate },
    },
    // The write lands only while no order has a dispute open (D7), whatever opened since the check.
    conditions: voucher.orderIds.map((orderId) => ({ kind: 'orderHasNoOpenDispute' as const, orderId })),
    answers,
  };
}

function paymentAnswer(input: PaymentInput): WaitAnswer {
  return input.status === 'PAID'
    ? { output: { paidOn: input.paidOn, bankReference: input.bankReference } }
    : { error: PAYMENT_FAILED_ERROR, cause: input.reason };
}

/**
 * POLICY D5: the cashier or finance pulls an afternoon voucher into today's run, with a reason —
 * audited, and visible on the run and the voucher.
 */
export async function pullIntoTodaysRun(
  deps: AppDeps,
  caller: Person,
  voucherId: string,
  reason: string,
): Promise<Voucher> {
  requireRole(caller, 'CASHIER', 'FINANCE_REVIEWER');
  const { voucher } = await changeVoucher(
    deps,
    voucherId,
    async (voucher): Promise<VoucherChange | null> => {
      const now = deps.clock.now();
      const today = shanghaiDate(now);
      // A repeat: its answer to the workflow was written with the first.
      if (voucher.payment?.override && voucher.payment.dueDate === today) return null;
      if (!allows(voucher.status, 'PULL_INTO_TODAYS_RUN') || !voucher.payment) {
        throw new ConflictError(
          'NOT_PAYABLE',
          `凭单现在不在等待付款。Voucher ${voucher.id} is ${voucher.status}, not waiting for payment.`,
        );
      }
      assertCanPullIntoToday(voucher.payment, now, await workingDayCalendar(deps));
      const at = toShanghaiIso(now);
      const next: Voucher = {
        ...voucher,
        payment: {
          ...voucher.payment,
          dueDate: today,
          override: { by: caller.email, at, reason, originalDueDate: voucher.payment.dueDate },
        },
      };
      return {
        action: 'PULL_INTO_TODAYS_RUN',
        actor: asPerson(caller),
        next,
        event: {
          at,
          actor: caller.email,
          type: 'PULLED_INTO_TODAYS_RUN',
          version: voucher.version,
          details: { reason, from: voucher.payment.dueDate, to: today },
        },
        // The workflow waits for the payment day's run: it opens now for this voucher.
        answers: [{ wait: { kind: 'PAYMENT_DAY' }, answer: { output: paymentDue(next, now) } }],
      };
    },
    { load: () => loadForPayment(deps, caller, voucherId) },
  );
  return voucher;
}

/**
 * A voucher whose payment failed this often goes back to the applicant (return), not to the bank again:
 * something about the payee is wrong, and every failure stays on the voucher, so their number is bounded
 * (its DynamoDB item, 400 KB at most; the history keeps every PAYMENT_FAILED event anyway).
 */
export const MAX_FAILED_PAYMENTS = 5;

/** After a failed payment, finance schedules it again: the noon cutoff from now decides the run. */
export async function retryPayment(
  deps: AppDeps,
  caller: Person,
  voucherId: string,
  reason: string,
): Promise<Voucher> {
  requireRole(caller, 'FINANCE_REVIEWER');
  const { voucher } = await changeVoucher(
    deps,
    voucherId,
    async (voucher): Promise<VoucherChange | null> => {
      // A repeat: its answer to the workflow was written with the first.
      if (voucher.status === 'READY_FOR_PAYMENT' && voucher.payment?.failures?.length) return null;
      if (!allows(voucher.status, 'RETRY_PAYMENT')) {
        throw new ConflictError(
          'NOT_FAILED',
          `只有付款失败的凭单可以重新安排。Voucher ${voucher.id} is ${voucher.status}; only a failed payment is retried.`,
        );
      }
      if ((voucher.payment?.failures?.length ?? 0) >= MAX_FAILED_PAYMENTS) {
        throw new ConflictError(
          'TOO_MANY_FAILED_PAYMENTS',
          `付款已失败 ${MAX_FAILED_PAYMENTS} 次，请退回申请人核对收款信息。The payment of voucher ${voucher.id} failed ${MAX_FAILED_PAYMENTS} times; return it to the applicant to check the payee.`,
        );
      }
      const now = deps.clock.now();
      const at = toShanghaiIso(now);
      const next: Voucher = { ...voucher, payment: await duePayment(deps, voucher, now) };
      return {
        action: 'RETRY_PAYMENT',
        actor: asPerson(caller),
        next,
        event: {
          at,
          actor: caller.email,
          type: 'PAYMENT_RESCHEDULED',
          version: voucher.version,
          details: { reason, dueDate: next.payment?.dueDate },
        },
        // The wait for the payment day takes its timeout from this output: a delivery later than the
        // write opens that wait as much later, while the run itself (the table) lists the voucher from
        // 00:00 of its day.
        answers: [{ wait: { kind: 'PAYMENT_RETRY' }, answer: { output: paymentDue(next, now) } }],
      };
    },
    { load: () => loadForPayment(deps, caller, voucherId) },
  );
  return voucher;
}

/**
 * After a failed payment, finance returns the voucher to the applicant (wrong bank details, say): it is
 * rejected at the payment step, its claims are released, and an edit starts a new version (D19).
 */
export async function returnToApplicant(
  deps: AppDeps,
  caller: Person,
  voucherId: string,
  reason: string,
): Promise<Voucher> {
  requireRole(caller, 'FINANCE_REVIEWER');
  const { voucher } = await changeVoucher(
    deps,
    voucherId,
    (voucher): VoucherChange | null => {
      const returned = voucher.approvals?.find(
        (approval) =>
          approval.version === voucher.version &&
          approval.step === 'PAYMENT' &&
          approval.decision === 'REJECT',
      );
      // A repeat: its answer to the workflow was written with the first.
      if (voucher.status === 'REJECTED' && returned) return null;
      if (!allows(voucher.status, 'RETURN_TO_APPLICANT')) {
        throw new ConflictError(
          'NOT_FAILED',
          `只有付款失败的凭单可以退回。Voucher ${voucher.id} is ${voucher.status}; only a failed payment is returned.`,
        );
      }
      const at = toShanghaiIso(deps.clock.now());
      const approval: Approval = {
        step: 'PAYMENT',
        version: voucher.version,
        decision: 'REJECT',
        decidedBy: caller.email,
        via: 'signed-in',
        decidedAt: at,
        reason,
      };
      return {
        action: 'RETURN_TO_APPLICANT',
        actor: asPerson(caller),
        next: { ...voucher, approvals: [...(voucher.approvals ?? []), approval] },
        event: {
          at,
          actor: caller.email,
          type: 'RETURNED_AFTER_FAILED_PAYMENT',
          version: voucher.version,
          details: { step: 'PAYMENT', reason },
        },
        // Finance's wait after the failed payment ends with the return (its Catch records it and
        // releases the claims).
        answers: [
          {
            wait: { kind: 'PAYMENT_RETRY' },
            answer: { error: REJECTED_ERROR, cause: JSON.stringify({ step: 'PAYMENT', reason }) },
          },
        ],
        // Recorded as the payment step's decision, once.
        effects: [{ kind: 'stepDecided', approval, assignee: caller.email }],
      };
    },
    { load: () => loadForPayment(deps, caller, voucherId) },
  );
  return voucher;
}

/** Who may act on payments at all (the API's and the page's shared check). */
export function isPaymentDesk(person: Person): boolean {
  return hasRole(person, 'CASHIER', 'FINANCE_REVIEWER');
}

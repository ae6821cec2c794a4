/**
 * The workflow's waits after finance review (POLICY 2.2(3), 2.1(3), D9): the cashier's payment, finance
 * after a failed payment, and the supplier's invoice. Each is a `.waitForTaskToken` task: the handler
 * keeps the token beside the voucher — only while the voucher is still in the status the wait is for —
 * and otherwise answers at once from the voucher (the person acted before the workflow got here, or a
 * replay after a restart). Idempotent, like every task handler.
 */
import type { AppDeps } from '../app.ts';
import { financeOf } from '../approvals/finance-reviewers.ts';
import { paymentDue } from '../approvals/payable.ts';
import { failIfWithdrawn, roundDetails } from '../approvals/workflow-tasks.ts';
import { reminderKind } from '../domain/approval-rules.ts';
import type { Voucher, VoucherStatus } from '../domain/model.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import type { VoucherWaitKind } from '../platform/owed-deliveries.ts';
import { voucherWait } from '../platform/store.ts';
import { PAYMENT_FAILED_ERROR, REJECTED_ERROR } from '../workflow/approval-states.ts';

/**
 * The emails (the UI kit's email layout, preact and its renderer), loaded by `await import()` when one
 * is sent: AwaitPaymentDay and AwaitPayment send none, so their functions never parse them.
 */
const emails = () => import('./emails.ts');

interface WaitInput {
  voucherId: string;
  version: number;
  taskToken: string;
}

async function load(deps: AppDeps, input: WaitInput): Promise<Voucher> {
  const voucher = await deps.store.vouchers.get(input.voucherId);
  if (!voucher || voucher.version !== input.version) {
    throw new Error(`voucher ${input.voucherId} version ${input.version} does not exist`);
  }
  return voucher;
}

/**
 * Keeps the wait's token beside the voucher, only while the voucher is still in `status` at its
 * version (and, with `exactly`, at the revision read): false when it moved on, and the wait answers
 * itself from the voucher.
 */
function keepToken(
  deps: AppDeps,
  voucher: Voucher,
  kind: VoucherWaitKind,
  status: VoucherStatus,
  taskToken: string,
  options: { exactly?: boolean; attempt?: number; taskAttempt?: number } = {},
): Promise<boolean> {
  return deps.store.waits.keep(voucherWait(voucher.id, voucher.version, kind), taskToken, {
    while: {
      status,
      version: voucher.version,
      ...(options.exactly ? { revision: voucher.revision } : {}),
    },
    revision: voucher.revision,
    ...(options.attempt === undefined ? {} : { attempt: options.attempt }),
    ...(options.taskAttempt === undefined ? {} : { taskAttempt: options.taskAttempt }),
  });
}

/**
 * WaitForPaymentDay (POLICY 2.2(3), D3–D5): until 00:00 Asia/Shanghai of the due day (the task's
 * timeout), or until the voucher is pulled into today's run (D5), which answers it. A voucher whose run
 * is open already — or that moved on — goes on to the cashier's step at once.
 */
export async function awaitPaymentDay(deps: AppDeps, input: WaitInput): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const voucher = await load(deps, input);
    if (await failIfWithdrawn(deps, voucher, input.taskToken, 'PAYMENT')) return;
    const now = deps.clock.now();
    const waiting =
      voucher.status === 'READY_FOR_PAYMENT' &&
      voucher.payment !== undefined &&
      voucher.payment.dueDate > shanghaiDate(now);
    if (!waiting) {
      await deps.taskTokens.succeed(input.taskToken, voucher.payment ? paymentDue(voucher, now) : {});
      return;
    }
    // Kept only if the voucher is still exactly as read: a pull forward in between ends the wait.
    if (
      await keepToken(deps, voucher, 'PAYMENT_DAY', 'READY_FOR_PAYMENT', input.taskToken, { exactly: true })
    ) {
      return;
    }
  }
  throw new Error(`voucher ${input.voucherId} kept changing; its payment day wait will be retried`);
}

/** AwaitPayment: the voucher is in today's run; the cashier's PAID or PAYMENT_FAILED answers. */
export async function awaitPayment(deps: AppDeps, input: WaitInput): Promise<void> {
  const voucher = await load(deps, input);
  if (await failIfWithdrawn(deps, voucher, input.taskToken, 'PAYMENT')) return;
  if (
    voucher.status === 'READY_FOR_PAYMENT' &&
    (await keepToken(deps, voucher, 'PAYMENT', 'READY_FOR_PAYMENT', input.taskToken))
  ) {
    return;
  }
  const now = await load(deps, input);
  if (await failIfWithdrawn(deps, now, input.taskToken, 'PAYMENT')) return;
  if (now.payment?.status === 'PAID') {
    await deps.taskTokens.succeed(input.taskToken, {
      paidOn: now.payment.paidOn,
      bankReference: now.payment.bankReference,
    });
  } else if (now.status === 'PAYMENT_FAILED') {
    await deps.taskTokens.fail(input.taskToken, PAYMENT_FAILED_ERROR, now.payment?.failureReason ?? '');
  } else {
    throw new Error(`voucher ${now.id} is ${now.status}; the payment step cannot wait for it`);
  }
}

/**
 * AwaitFinanceAfterFailedPayment: finance hears of the failed payment (once per failure, whatever is
 * retried or re-checked), then schedules the payment again or returns the voucher.
 */
export async function awaitPaymentRetry(deps: AppDeps, input: WaitInput): Promise<void> {
  const voucher = await load(deps, input);
  if (await failIfWithdrawn(deps, voucher, input.taskToken, 'PAYMENT')) return;
  if (
    voucher.status === 'PAYMENT_FAILED' &&
    (await keepToken(deps, voucher, 'PAYMENT_RETRY', 'PAYMENT_FAILED', input.taskToken))
  ) {
    await tellFinanceOfFailure(deps, voucher);
    return;
  }
  const now = await load(deps, input);
  if (await failIfWithdrawn(deps, now, input.taskToken, 'PAYMENT')) return;
  if (now.status === 'READY_FOR_PAYMENT') {
    await deps.taskTokens.succeed(input.taskToken, paymentDue(now, deps.clock.now()));
  } else if (now.status === 'REJECTED') {
    const returned = now.approvals?.findLast((approval) => approval.step === 'PAYMENT');
    await deps.taskTokens.fail(
      input.taskToken,
      REJECTED_ERROR,
      JSON.stringify({ step: 'PAYMENT', reason: returned?.reason ?? '' }),
    );
  } else {
    throw new Error(`voucher ${now.id} is ${now.status}; finance cannot be waiting on its payment`);
  }
}

/**
 * AwaitSupplierInvoice (POLICY 2.1(3), D9): the applicant is asked for the supplier's invoice when the
 * voucher is paid, reminded every week (the task's timeout), and finance hears of it after the
 * configured number of reminders. Recording the invoice closes the voucher and answers.
 */
export async function awaitSupplierInvoice(
  deps: AppDeps,
  input: WaitInput & { attempt: number },
): Promise<void> {
  const voucher = await load(deps, input);
  if (voucher.status === 'PAID') {
    const previous = await deps.store.waits.get(voucherWait(voucher.id, voucher.version, 'SUPPLIER_INVOICE'));
    // The count of reminders lives with the token. A repeat does not count: a replay after a local
    // restart (it enters with attempt 0), or a retried or redriven invocation of the same task (the
    // workflow attempt stored). Any other timeout is the next reminder. Whether its email went out is
    // in the history, so a repeat after a failed send still sends it, and no send happens twice.
    const repeat = previous !== null && (input.attempt === 0 || previous.taskAttempt === input.attempt);
    const attempt = previous === null ? 0 : repeat ? previous.attempt : previous.attempt + 1;
    if (
      await keepToken(deps, voucher, 'SUPPLIER_INVOICE', 'PAID', input.taskToken, {
        attempt,
        taskAttempt: input.attempt,
      })
    ) {
      if (!(await chased(deps, voucher, attempt))) await chase(deps, voucher, attempt);
      return;
    }
  }
  const now = await load(deps, input);
  if (now.status !== 'CLOSED') {
    throw new Error(`voucher ${now.id} is ${now.status}; it cannot be waiting for its invoice`);
  }
  await deps.taskTokens.succeed(input.taskToken, { number: now.supplierInvoice?.number ?? null });
}

const CHASE_EVENTS = new Set([
  'SUPPLIER_INVOICE_REQUESTED',
  'SUPPLIER_INVOICE_REMINDED',
  'SUPPLIER_INVOICE_ESCALATED',
]);

async function chased(deps: AppDeps, voucher: Voucher, attempt: number): Promise<boolean> {
  return deps.store.vouchers.hasEvent(voucher.id, voucher.version, CHASE_EVENTS, { attempt });
}

const FAILURE_NOTIFIED = new Set(['PAYMENT_FAILURE_NOTIFIED']);

/** Finance hears of the voucher's latest failed payment: its reviewer and the entity's finance. */
async function tellFinanceOfFailure(deps: AppDeps, voucher: Voucher): Promise<void> {
  const failures = voucher.payment?.failures ?? [];
  const latest = failures.at(-1);
  const failure = failures.length;
  // A voucher sent back by a refused proxy approval (D6) starts its failures again: the round tells them apart.
  const round = roundDetails(voucher).round;
  if (
    !latest ||
    (await deps.store.vouchers.hasEvent(voucher.id, voucher.version, FAILURE_NOTIFIED, { failure, round }))
  ) {
    return;
  }
  const to = await financeOf(deps, voucher);
  await deps.mailer.send(
    (await emails()).paymentFailedNotice(
      voucher,
      to,
      latest.by,
      latest.reason,
      `${deps.publicBaseUrl}/vouchers/${voucher.id}`,
    ),
  );
  await deps.store.vouchers.recordEvent(voucher.id, {
    at: toShanghaiIso(deps.clock.now()),
    actor: 'fundflow',
    type: 'PAYMENT_FAILURE_NOTIFIED',
    version: voucher.version,
    details: { to, failure, ...roundDetails(voucher) },
  });
}

async function chase(deps: AppDeps, voucher: Voucher, attempt: number): Promise<void> {
  const policy = await deps.store.settings.policy(voucher.entityId, voucher.policyVersion);
  const kind = reminderKind(attempt, policy.invoiceRemindersBeforeEscalation);
  const escalateTo = kind === 'ESCALATION' ? await financeOf(deps, voucher) : [];
  await deps.mailer.send(
    (await emails()).supplierInvoiceRequest(
      kind,
      voucher,
      `${deps.publicBaseUrl}/vouchers/${voucher.id}`,
      escalateTo,
    ),
  );
  await deps.store.vouchers.recordEvent(voucher.id, {
    at: toShanghaiIso(deps.clock.now()),
    actor: 'fundflow',
    type:
      kind === 'REQUEST'
        ? 'SUPPLIER_INVOICE_REQUESTED'
        : kind === 'REMINDER'
          ? 'SUPPLIER_INVOICE_REMINDED'
          : 'SUPPLIER_INVOICE_ESCALATED',
    version: voucher.version,
    details: { to: [voucher.applicant], escalatedTo: escalateTo, attempt },
  });
}

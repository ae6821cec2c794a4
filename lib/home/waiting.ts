/**
 * "待我处理 Waiting for me": what waits for the signed-in person, by role — the approvals they hold now
 * (POLICY 2.2), today's and overdue payments for the cashier (2.2(3), D3–D5), failed payments for
 * finance review, the rejected or returned vouchers to edit (D19) and the supplier invoices to record
 * (2.1(3), D9) for the merchandiser — each with its count and amount. Every list is one query of an
 * index (docs/data-model.md, no Scan).
 */
import type { AppDeps } from '../app.ts';
import { type AwaitingApproval, approvalsAmong } from '../approvals/awaiting.ts';
import { hasRole } from '../domain/access.ts';
import { whoVoucherAwaits } from '../domain/awaiting.ts';
import type { Fen, LocalDate, Person, Voucher } from '../domain/model.ts';
import { shanghaiDate } from '../domain/time.ts';
import { namesOf } from '../vouchers/names.ts';
import type { RejectionView } from '../vouchers/screens.tsx';
import { rejectionOf } from '../vouchers/voucher-form.ts';

export interface Totals {
  count: number;
  amountFen: Fen;
}

const totalOf = (vouchers: readonly Pick<Voucher, 'amountFen'>[]): Totals => ({
  count: vouchers.length,
  amountFen: vouchers.reduce((sum, voucher) => sum + voucher.amountFen, 0),
});

export interface WaitingForMe {
  today: LocalDate;
  approvals: AwaitingApproval[];
  /** Rejected by an approver, or returned by finance after a failed payment (D19). */
  toEdit: { voucher: Voucher; rejection: RejectionView | null }[];
  /** Paid, the supplier's invoice not recorded yet (D9). */
  invoices: Voucher[];
  /** The cashier: today's run — due today, and overdue ones still unpaid (they stay in every run). */
  run?: { dueToday: Totals; overdue: Totals };
  /** Finance review: payments that failed at the bank, waiting for their decision. */
  failed?: Voucher[];
}

/** At most this many failed payments are listed (a handful on any real day); the count is of those. */
const FAILED_LISTED = 100;

export async function waitingFor(deps: AppDeps, person: Person): Promise<WaitingForMe> {
  const today = shanghaiDate(deps.clock.now());
  const mine = (await deps.store.vouchers.awaiting(person.email)).filter(
    (voucher) => whoVoucherAwaits(voucher)?.email === person.email,
  );
  const toEdit = mine.filter((voucher) => voucher.status === 'REJECTED');
  const names = await namesOf(
    deps,
    toEdit.flatMap((voucher) => (voucher.approvals ?? []).map((approval) => approval.decidedBy)),
  );
  const waiting: WaitingForMe = {
    today,
    approvals: approvalsAmong(deps, person.email, mine),
    toEdit: toEdit.map((voucher) => ({ voucher, rejection: rejectionOf(voucher, names) })),
    invoices: mine.filter((voucher) => voucher.status === 'PAID'),
  };
  if (hasRole(person, 'CASHIER')) {
    const due = (await deps.store.vouchers.paymentRun(person.entityId, today)).filter(
      (voucher) => voucher.status === 'READY_FOR_PAYMENT' && voucher.payment,
    );
    waiting.run = {
      dueToday: totalOf(due.filter((voucher) => voucher.payment?.dueDate === today)),
      overdue: totalOf(due.filter((voucher) => (voucher.payment?.dueDate ?? today) < today)),
    };
  }
  if (hasRole(person, 'FINANCE_REVIEWER')) {
    const page = await deps.store.vouchers.listByStatus(person.entityId, 'PAYMENT_FAILED', {
      limit: FAILED_LISTED,
    });
    waiting.failed = page.items;
  }
  return waiting;
}

export { totalOf };

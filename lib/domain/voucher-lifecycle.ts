/**
 * The life of a payment voucher, as one table (POLICY 2.1, 2.2, D2–D9, D18, D19): for every action,
 * the statuses it may be taken in, the status it leads to, who may take it and the clause that says
 * so. Every status change asks this table — the change operation (lib/platform/change.ts) before it
 * writes, the submission for a new or edited version — so a voucher moves only along these lines.
 *
 * "Who" names a party, not a person: the finer rules of who that is (a delegate for today, a named
 * proxy, never the applicant, one person one step) live in approval-rules.ts and are judged before.
 */
import { ConflictError, ForbiddenError } from './errors.ts';
import type { ApprovalStep, Role, Voucher, VoucherStatus } from './model.ts';
import { VOUCHER_STATUSES } from './model.ts';

export const VOUCHER_ACTIONS = [
  'SUBMIT',
  'RESUBMIT',
  'ESCALATE_SPLIT_ROUTE',
  'START_APPROVAL',
  'APPROVE_STEP',
  'REJECT_STEP',
  'MARK_READY_FOR_PAYMENT',
  'PULL_INTO_TODAYS_RUN',
  'PUT_IN_BANK_FILE',
  'PAY',
  'FAIL_PAYMENT',
  'RETRY_PAYMENT',
  'RETURN_TO_APPLICANT',
  'RELEASE_CLAIMS',
  'RECORD_SUPPLIER_INVOICE',
  'WAIVE_SPECIAL_INVOICE',
  'WITHDRAW_PROXY_APPROVAL',
  'COUNTERSIGN',
  'REFUSE_COUNTERSIGN',
] as const;
export type VoucherAction = (typeof VOUCHER_ACTIONS)[number];

/** Where a voucher is before it exists: only a submission starts from here. */
export const NOT_SUBMITTED = 'NEW';
export type LifecycleStatus = VoucherStatus | typeof NOT_SUBMITTED;

/**
 * Who may act: a role from the directory, the voucher's applicant, the holder of the step acted on
 * (by their link, their delegate or their named proxy), or fundflow's own workflow.
 */
export type Party = Role | 'APPLICANT' | 'STEP_HOLDER' | 'WORKFLOW';

export interface Transition {
  /** The statuses the action may be taken in. */
  from: readonly LifecycleStatus[];
  /** The status it leads to; `SAME` when it changes what the voucher says, not where it is. */
  to: VoucherStatus | 'SAME';
  /** Who may take it: any one of these. */
  who: readonly Party[];
  /** The clause it enforces. */
  policy: string;
  /** The code a caller gets when the voucher's status does not allow the action (a 409). */
  refusedAs: string;
}

const EVERY_STATUS = VOUCHER_STATUSES;

export const voucherLifecycle: Readonly<Record<VoucherAction, Transition>> = {
  SUBMIT: {
    from: [NOT_SUBMITTED],
    to: 'SUBMITTED',
    who: ['MERCHANDISER'],
    policy: 'POLICY 2.1(1)(2), D7',
    refusedAs: 'ALREADY_SUBMITTED',
  },
  // An edit is a new version that goes through the whole chain again.
  RESUBMIT: {
    from: ['REJECTED'],
    to: 'SUBMITTED',
    who: ['APPLICANT'],
    policy: 'POLICY D19',
    refusedAs: 'NOT_REJECTED',
  },
  // A later voucher of its split group brings the CEO onto a route not yet past its first decision.
  ESCALATE_SPLIT_ROUTE: {
    from: ['SUBMITTED', 'IN_APPROVAL'],
    to: 'SAME',
    who: ['WORKFLOW'],
    policy: 'POLICY D2',
    refusedAs: 'ROUTE_DECIDED',
  },
  START_APPROVAL: {
    from: ['SUBMITTED'],
    to: 'IN_APPROVAL',
    who: ['WORKFLOW'],
    policy: 'POLICY 2.2',
    refusedAs: 'NOT_SUBMITTED',
  },
  APPROVE_STEP: {
    from: ['IN_APPROVAL'],
    to: 'SAME',
    who: ['STEP_HOLDER'],
    policy: 'POLICY 2.2(1)(2), D1, D6, D18',
    refusedAs: 'NOT_WAITING',
  },
  REJECT_STEP: {
    from: ['IN_APPROVAL'],
    to: 'REJECTED',
    who: ['STEP_HOLDER'],
    policy: 'POLICY D18, D19',
    refusedAs: 'NOT_WAITING',
  },
  // Finance review was the last decision: payable now, in the run the noon cutoff gives.
  MARK_READY_FOR_PAYMENT: {
    from: ['IN_APPROVAL'],
    to: 'READY_FOR_PAYMENT',
    who: ['WORKFLOW'],
    policy: 'POLICY 2.2(3), D3, D4',
    refusedAs: 'NOT_IN_APPROVAL',
  },
  PULL_INTO_TODAYS_RUN: {
    from: ['READY_FOR_PAYMENT'],
    to: 'SAME',
    who: ['CASHIER', 'FINANCE_REVIEWER'],
    policy: 'POLICY D5',
    refusedAs: 'NOT_PAYABLE',
  },
  PUT_IN_BANK_FILE: {
    from: ['READY_FOR_PAYMENT'],
    to: 'SAME',
    who: ['CASHIER', 'FINANCE_REVIEWER'],
    policy: 'POLICY 2.2(3), D18',
    refusedAs: 'NOT_PAYABLE',
  },
  PAY: {
    from: ['READY_FOR_PAYMENT'],
    to: 'PAID',
    who: ['CASHIER'],
    policy: 'POLICY 2.2(1)(2), D7, D18',
    refusedAs: 'NOT_PAYABLE',
  },
  FAIL_PAYMENT: {
    from: ['READY_FOR_PAYMENT'],
    to: 'PAYMENT_FAILED',
    who: ['CASHIER'],
    policy: 'POLICY 2.2(1)(2)',
    refusedAs: 'NOT_PAYABLE',
  },
  RETRY_PAYMENT: {
    from: ['PAYMENT_FAILED'],
    to: 'READY_FOR_PAYMENT',
    who: ['FINANCE_REVIEWER'],
    policy: 'POLICY 2.2(3), D3',
    refusedAs: 'NOT_FAILED',
  },
  RETURN_TO_APPLICANT: {
    from: ['PAYMENT_FAILED'],
    to: 'REJECTED',
    who: ['FINANCE_REVIEWER'],
    policy: 'POLICY D19',
    refusedAs: 'NOT_FAILED',
  },
  // A rejected version gives back what it claimed on its orders and leaves its split groups.
  RELEASE_CLAIMS: {
    from: ['REJECTED'],
    to: 'SAME',
    who: ['WORKFLOW'],
    policy: 'POLICY D2, D7, D19',
    refusedAs: 'NOT_REJECTED',
  },
  RECORD_SUPPLIER_INVOICE: {
    from: ['PAID'],
    to: 'CLOSED',
    who: ['APPLICANT', 'FINANCE_REVIEWER'],
    policy: 'POLICY 2.1(3), D9',
    refusedAs: 'NOT_PAID',
  },
  WAIVE_SPECIAL_INVOICE: {
    from: ['SUBMITTED', 'IN_APPROVAL', 'READY_FOR_PAYMENT', 'PAYMENT_FAILED', 'PAID'],
    to: 'SAME',
    who: ['FINANCE_REVIEWER'],
    policy: 'POLICY 2.1(3)',
    refusedAs: 'NOT_OPEN',
  },
  // Before payment only: the chain goes back to the refused step (once paid, the refusal is escalated).
  WITHDRAW_PROXY_APPROVAL: {
    from: ['IN_APPROVAL', 'READY_FOR_PAYMENT', 'PAYMENT_FAILED'],
    to: 'IN_APPROVAL',
    who: ['STEP_HOLDER'],
    policy: 'POLICY D6',
    refusedAs: 'TOO_LATE_TO_WITHDRAW',
  },
  // Countersigns never block anything and may come at any time, the voucher closed or not.
  COUNTERSIGN: {
    from: EVERY_STATUS,
    to: 'SAME',
    who: ['STEP_HOLDER'],
    policy: 'POLICY 2.2 note, D6',
    refusedAs: 'NOT_PENDING',
  },
  REFUSE_COUNTERSIGN: {
    from: EVERY_STATUS,
    to: 'SAME',
    who: ['STEP_HOLDER'],
    policy: 'POLICY D6',
    refusedAs: 'NOT_PENDING',
  },
};

/** Statuses a voucher's life ends in. */
export const TERMINAL_STATUSES: readonly VoucherStatus[] = ['REJECTED', 'CLOSED'];

/** The only ways out of a terminal status: an edit of a rejected voucher is a new version (D19). */
export const TERMINAL_EXITS: readonly { from: VoucherStatus; action: VoucherAction }[] = [
  { from: 'REJECTED', action: 'RESUBMIT' },
];

/** Whoever takes an action, as the lifecycle sees them. */
export type VoucherActor =
  /** fundflow itself: a task of the workflow, or a submission re-routing its split group. */
  | { kind: 'WORKFLOW' }
  /** A signed-in person acting by their roles (or as the voucher's applicant). */
  | { kind: 'PERSON'; email: string; roles: readonly Role[] }
  /**
   * Someone acting for the holder of a step: the holder, their delegate or their named proxy (`by`),
   * in the name of `holder`.
   */
  | { kind: 'STEP_HOLDER'; step: ApprovalStep; holder: string; by: string };

/** The status the action leads to from `status`, or null when the table does not allow it there. */
export function nextStatus(status: LifecycleStatus, action: VoucherAction): VoucherStatus | null {
  const transition = voucherLifecycle[action];
  if (!transition.from.includes(status)) return null;
  if (transition.to !== 'SAME') return transition.to;
  return status === NOT_SUBMITTED ? null : status;
}

/** Whether a voucher in `status` may be the subject of `action` at all. */
export function allows(status: LifecycleStatus, action: VoucherAction): boolean {
  return nextStatus(status, action) !== null;
}

type Subject = Pick<Voucher, 'applicant' | 'route' | 'approvals'>;

/** Whether `actor` is one of the parties who may take `action` on `voucher`. */
export function mayAct(voucher: Subject | null, action: VoucherAction, actor: VoucherActor): boolean {
  return voucherLifecycle[action].who.some((party) => isParty(party, voucher, actor));
}

function isParty(party: Party, voucher: Subject | null, actor: VoucherActor): boolean {
  switch (party) {
    case 'WORKFLOW':
      return actor.kind === 'WORKFLOW';
    case 'APPLICANT':
      return actor.kind === 'PERSON' && voucher !== null && actor.email === voucher.applicant;
    case 'STEP_HOLDER':
      // The holder on the route, or — for a countersign of an earlier version — the one who held it then.
      return (
        actor.kind === 'STEP_HOLDER' &&
        voucher !== null &&
        (voucher.route.steps.some((step) => step.step === actor.step && step.assignee === actor.holder) ||
          (voucher.approvals ?? []).some(
            (approval) => approval.step === actor.step && approval.decidedBy === actor.holder,
          ))
      );
    default:
      return actor.kind === 'PERSON' && actor.roles.includes(party);
  }
}

/**
 * The status `action` takes `voucher` to (null: it does not exist yet), if the table allows it there
 * and `actor` may take it; otherwise a ConflictError (the status does not allow it, with the action's
 * `refusedAs` code) or a ForbiddenError (not theirs to take).
 */
export function assertTransition(
  voucher: (Subject & Pick<Voucher, 'id' | 'status'>) | null,
  action: VoucherAction,
  actor: VoucherActor,
): VoucherStatus {
  const transition = voucherLifecycle[action];
  const to = nextStatus(voucher?.status ?? NOT_SUBMITTED, action);
  if (to === null) {
    throw new ConflictError(
      transition.refusedAs,
      voucher
        ? `凭单 ${voucher.id} 当前的状态不能执行此操作。Voucher ${voucher.id} is ${plain(voucher.status)}; ${describe(action)} is not possible now.`
        : `没有可以操作的凭单。There is no voucher to ${describe(action)}.`,
    );
  }
  if (!mayAct(voucher, action, actor)) {
    throw new ForbiddenError(
      `您不能执行此操作。Only ${transition.who.join(' or ').toLowerCase().replaceAll('_', ' ')} may ${describe(action)}.`,
    );
  }
  return to;
}

/**
 * The voucher after `action`: what the caller proposed, in the status the table gives, one revision
 * on from the one read (optimistic concurrency: the write is conditional on `read.revision`).
 */
export function advance(
  read: Voucher,
  proposed: Voucher,
  action: VoucherAction,
  actor: VoucherActor,
  at: string,
): Voucher {
  const status = assertTransition(read, action, actor);
  return { ...proposed, status, revision: read.revision + 1, updatedAt: at };
}

const plain = (code: string) => code.toLowerCase().replaceAll('_', ' ');
const describe = (action: VoucherAction) => plain(action);

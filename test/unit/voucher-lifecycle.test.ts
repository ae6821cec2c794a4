/**
 * The voucher's life as one table (lib/domain/voucher-lifecycle.ts): which action may be taken in
 * which status, where it leads, who may take it — and that a closed or rejected voucher stays where it
 * is, except for the edit that makes a rejected voucher a new version (POLICY D19).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError } from '../../lib/domain/errors.ts';
import {
  ROLES,
  type Role,
  VOUCHER_STATUSES,
  type Voucher,
  type VoucherStatus,
} from '../../lib/domain/model.ts';
import {
  advance,
  allows,
  assertTransition,
  type LifecycleStatus,
  NOT_SUBMITTED,
  nextStatus,
  TERMINAL_EXITS,
  TERMINAL_STATUSES,
  VOUCHER_ACTIONS,
  type VoucherAction,
  type VoucherActor,
  voucherLifecycle,
} from '../../lib/domain/voucher-lifecycle.ts';

const APPLICANT = 'li.na@x';
const HEAD = 'wang.qiang@x';

function voucher(status: VoucherStatus, extra: Partial<Voucher> = {}): Voucher {
  return {
    id: 'V1',
    version: 1,
    revision: 7,
    entityId: 'e1',
    status,
    applicant: APPLICANT,
    supplierId: 'S1',
    supplierName: 'S',
    payee: { name: 'S', account: '1', bank: 'B' },
    amountFen: 100,
    orderIds: ['O1'],
    allocations: [{ orderId: 'O1', amountFen: 100 }],
    goods: 'goods',
    evidence: ['e'],
    route: {
      requiresCeo: false,
      ceoReason: null,
      judgedAmountFen: 100,
      thresholdFen: 50_000_000,
      steps: [
        { step: 'HEAD_OF_MERCHANDISING', role: 'HEAD_OF_MERCHANDISING', assignee: HEAD },
        { step: 'FINANCE_REVIEW', role: 'FINANCE_REVIEWER', assignee: 'liu.yang@x' },
        { step: 'PAYMENT', role: 'CASHIER', assignee: 'chen.jing@x' },
      ],
    },
    flags: [],
    submittedOn: '2026-11-18',
    submittedAt: '2026-11-18T09:00:00.000+08:00',
    updatedAt: '2026-11-18T09:00:00.000+08:00',
    policyVersion: 1,
    ...extra,
  };
}

const ALL_STATUSES: readonly LifecycleStatus[] = [NOT_SUBMITTED, ...VOUCHER_STATUSES];

/** Someone the table lets take `action` on the test voucher. */
function allowedActor(action: VoucherAction): VoucherActor {
  const [party] = voucherLifecycle[action].who;
  switch (party) {
    case 'WORKFLOW':
      return { kind: 'WORKFLOW' };
    case 'APPLICANT':
      return { kind: 'PERSON', email: APPLICANT, roles: ['MERCHANDISER'] };
    case 'STEP_HOLDER':
      return { kind: 'STEP_HOLDER', step: 'HEAD_OF_MERCHANDISING', holder: HEAD, by: HEAD };
    case undefined:
      throw new Error(`${action} names nobody`);
    default:
      return { kind: 'PERSON', email: 'someone@x', roles: [party] };
  }
}

const subject = (status: LifecycleStatus) => (status === NOT_SUBMITTED ? null : voucher(status));

const allowed = VOUCHER_ACTIONS.flatMap((action) =>
  ALL_STATUSES.filter((status) => allows(status, action)).map(
    (status) => [action, status, nextStatus(status, action)] as const,
  ),
);
const refused = VOUCHER_ACTIONS.flatMap((action) =>
  ALL_STATUSES.filter((status) => !allows(status, action)).map((status) => [action, status] as const),
);

describe('the voucher lifecycle', () => {
  it.each(allowed)('lets %s be taken on a %s voucher, which is then %s', (action, status, to) => {
    const read = subject(status);

    expect(assertTransition(read, action, allowedActor(action))).toBe(to);
    const transition = voucherLifecycle[action];
    expect(to).toBe(transition.to === 'SAME' ? status : transition.to);
  });

  it.each(refused)('refuses %s on a %s voucher with its own 409 code', (action, status) => {
    const attempt = () => assertTransition(subject(status), action, allowedActor(action));

    expect(attempt).toThrow(ConflictError);
    expect(attempt).toThrow(expect.objectContaining({ code: voucherLifecycle[action].refusedAs }));
  });

  it.each(VOUCHER_ACTIONS)('lets only its parties take %s', (action) => {
    const transition = voucherLifecycle[action];
    const status = ALL_STATUSES.find((candidate) => allows(candidate, action)) ?? NOT_SUBMITTED;
    const read = subject(status);
    const outsiders: VoucherActor[] = [
      ...ROLES.filter((role) => !transition.who.includes(role)).map(
        (role: Role): VoucherActor => ({ kind: 'PERSON', email: 'other@x', roles: [role] }),
      ),
      ...(transition.who.includes('WORKFLOW') ? [] : [{ kind: 'WORKFLOW' } as const]),
      ...(transition.who.includes('STEP_HOLDER')
        ? []
        : [{ kind: 'STEP_HOLDER', step: 'HEAD_OF_MERCHANDISING', holder: HEAD, by: HEAD } as const]),
    ];

    for (const outsider of outsiders) {
      expect(() => assertTransition(read, action, outsider)).toThrow(ForbiddenError);
    }
  });

  it('takes the applicant for the applicant, and someone else of the same role for nobody', () => {
    const rejected = voucher('REJECTED');
    const other = { kind: 'PERSON', email: 'zhang.wei@x', roles: ['MERCHANDISER'] } as const;

    expect(assertTransition(rejected, 'RESUBMIT', allowedActor('RESUBMIT'))).toBe('SUBMITTED');
    expect(() => assertTransition(rejected, 'RESUBMIT', other)).toThrow(ForbiddenError);
  });

  it('takes a step holder only for a step they hold (or held, for a countersign of an earlier version)', () => {
    const inApproval = voucher('IN_APPROVAL');
    const stranger = {
      kind: 'STEP_HOLDER',
      step: 'HEAD_OF_MERCHANDISING',
      holder: 'x@x',
      by: 'x@x',
    } as const;
    const otherStep = { kind: 'STEP_HOLDER', step: 'CEO', holder: HEAD, by: HEAD } as const;
    const heldEarlier = voucher('CLOSED', {
      version: 2,
      route: { ...inApproval.route, steps: [] },
      approvals: [
        {
          step: 'CEO',
          version: 1,
          decision: 'APPROVE',
          decidedBy: 'ceo@x',
          via: 'email-proxy',
          decidedAt: '2026-11-18T10:00:00.000+08:00',
        },
      ],
    });
    const ceo = { kind: 'STEP_HOLDER', step: 'CEO', holder: 'ceo@x', by: 'proxy@x' } as const;

    expect(() => assertTransition(inApproval, 'APPROVE_STEP', stranger)).toThrow(ForbiddenError);
    expect(() => assertTransition(inApproval, 'APPROVE_STEP', otherStep)).toThrow(ForbiddenError);
    expect(assertTransition(heldEarlier, 'COUNTERSIGN', ceo)).toBe('CLOSED');
  });

  it('names a clause and a refusal code for every action', () => {
    for (const action of VOUCHER_ACTIONS) {
      expect(voucherLifecycle[action].policy).toMatch(/^POLICY /);
      expect(voucherLifecycle[action].refusedAs).toMatch(/^[A-Z_]+$/);
      expect(voucherLifecycle[action].who.length).toBeGreaterThan(0);
    }
  });

  it('starts a voucher only by a submission', () => {
    expect(VOUCHER_ACTIONS.filter((action) => allows(NOT_SUBMITTED, action))).toEqual(['SUBMIT']);
  });

  it('leads out of a terminal status only by the documented exits', () => {
    for (const from of TERMINAL_STATUSES) {
      for (const action of VOUCHER_ACTIONS) {
        const to = nextStatus(from, action);
        const documented = TERMINAL_EXITS.some((exit) => exit.from === from && exit.action === action);
        if (to !== null && to !== from)
          expect({ from, action, documented }).toEqual({ from, action, documented: true });
      }
    }
    expect(TERMINAL_EXITS).toEqual([{ from: 'REJECTED', action: 'RESUBMIT' }]);
  });

  it('never leaves a terminal status on any path, but by an edit of a rejected voucher (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VOUCHER_ACTIONS), { maxLength: 40 }), (actions) => {
        let status: LifecycleStatus = NOT_SUBMITTED;
        for (const action of actions) {
          const to = nextStatus(status, action);
          if (to === null) continue; // refused: the voucher stays where it was
          if (status === 'CLOSED') expect(to).toBe('CLOSED');
          if (status === 'REJECTED' && to !== 'REJECTED')
            expect([action, to]).toEqual(['RESUBMIT', 'SUBMITTED']);
          status = to;
        }
      }),
    );
  });

  it('moves the voucher one revision on, in the status the table gives, whatever status was proposed', () => {
    const read = voucher('READY_FOR_PAYMENT');

    const next = advance(
      read,
      { ...read, status: 'CLOSED', goods: 'changed' },
      'PAY',
      allowedActor('PAY'),
      '2026-11-18T11:00:00.000+08:00',
    );

    expect(next).toMatchObject({
      status: 'PAID',
      revision: 8,
      goods: 'changed',
      updatedAt: '2026-11-18T11:00:00.000+08:00',
    });
  });
});

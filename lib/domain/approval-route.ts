/**
 * The approval route of a voucher (POLICY 2.2(1)(2); D1, D2, D18). Business rules decide; the
 * workflow only follows the route recorded on the voucher (DESIGN.md decision 5).
 */
import { RuleViolationError } from './errors.ts';
import type { ApprovalRoute, ApprovalStep, Fen, Person, Role, RouteStep } from './model.ts';
import type { PolicySettings } from './policy.ts';

const STEP_ROLES: Record<ApprovalStep, Role> = {
  HEAD_OF_MERCHANDISING: 'HEAD_OF_MERCHANDISING',
  CEO: 'CEO',
  FINANCE_REVIEW: 'FINANCE_REVIEWER',
  PAYMENT: 'CASHIER',
};

const STEP_NAMES: Record<ApprovalStep, string> = {
  HEAD_OF_MERCHANDISING: 'head-of-merchandising',
  CEO: 'CEO',
  FINANCE_REVIEW: 'finance review',
  PAYMENT: 'payment (cashier)',
};

/** Emails are compared case-insensitively, so "A@x" and "a@x" can never hold two steps. */
const emailKey = (email: string) => email.trim().toLowerCase();
const sameEmail = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && emailKey(a) === emailKey(b);

interface Slot {
  step: ApprovalStep;
  role: Role;
  candidates: readonly Person[];
  deputyFor?: string;
}

export function approvalRouteFor(input: {
  applicant: Person;
  amountFen: Fen;
  splitAggregateFen: Fen;
  people: readonly Person[];
  policy: Pick<PolicySettings, 'ceoThresholdFen'>;
}): ApprovalRoute {
  const { applicant, policy } = input;
  const thresholdFen = policy.ceoThresholdFen;
  // POLICY D2: the voucher is judged alone and with its split group; the larger amount decides.
  const judgedAmountFen = Math.max(input.amountFen, input.splitAggregateFen);
  // POLICY 2.2(2), D1: "500,000 and above" — exactly the threshold needs the CEO too.
  const requiresCeo = judgedAmountFen >= thresholdFen;
  const ceoReason = !requiresCeo
    ? null
    : input.amountFen >= thresholdFen
      ? 'AMOUNT_AT_OR_ABOVE_THRESHOLD'
      : 'SPLIT_AGGREGATE_AT_OR_ABOVE_THRESHOLD';

  // POLICY D17: approvers come from the applicant's own legal entity.
  const colleagues = input.people.filter((person) => person.entityId === applicant.entityId);
  const steps: ApprovalStep[] = requiresCeo
    ? ['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEW', 'PAYMENT']
    : ['HEAD_OF_MERCHANDISING', 'FINANCE_REVIEW', 'PAYMENT'];
  const slots = steps.map((step) => slotFor(step, applicant, colleagues));

  const routeSteps = assign(slots);
  if (!routeSteps) throw unresolvable(slots, applicant);
  return { requiresCeo, ceoReason, judgedAmountFen, thresholdFen, steps: routeSteps };
}

/** Who may hold a step, in directory order. POLICY D18: never the applicant. */
function slotFor(step: ApprovalStep, applicant: Person, colleagues: readonly Person[]): Slot {
  const role = STEP_ROLES[step];
  if (step === 'HEAD_OF_MERCHANDISING' && applicant.roles.includes('HEAD_OF_MERCHANDISING')) {
    // POLICY D18: when the head of merchandising applies, their configured deputy takes the step.
    const deputy = colleagues.find(
      (person) => sameEmail(person.email, applicant.deputy) && !sameEmail(person.email, applicant.email),
    );
    return { step, role, candidates: deputy ? [deputy] : [], deputyFor: applicant.email };
  }
  const candidates = colleagues.filter(
    (person) => person.roles.includes(role) && !sameEmail(person.email, applicant.email),
  );
  return { step, role, candidates };
}

/**
 * POLICY D18: one person never holds two steps. Each step, in route order, takes the first candidate
 * in directory order who is still free and leaves the later steps fillable — so a person holding two
 * roles cannot make a route unresolvable when a valid one exists.
 */
function assign(slots: readonly Slot[]): RouteStep[] | null {
  const used = new Set<string>();
  const chosen: RouteStep[] = [];
  for (const [index, slot] of slots.entries()) {
    const later = slots.slice(index + 1);
    const pick = slot.candidates.find((candidate) => {
      const key = emailKey(candidate.email);
      return !used.has(key) && canFill(later, new Set([...used, key]));
    });
    if (!pick) return null;
    used.add(emailKey(pick.email));
    chosen.push({
      step: slot.step,
      role: slot.role,
      assignee: pick.email,
      ...(slot.deputyFor ? { deputyFor: slot.deputyFor } : {}),
    });
  }
  return chosen;
}

/** Whether every slot can get a different free person: bipartite matching by augmenting paths. */
function canFill(slots: readonly Slot[], used: ReadonlySet<string>): boolean {
  const holderSlot = new Map<string, number>();
  const place = (index: number, visited: Set<string>): boolean => {
    for (const candidate of slots[index]?.candidates ?? []) {
      const key = emailKey(candidate.email);
      if (used.has(key) || visited.has(key)) continue;
      visited.add(key);
      const holder = holderSlot.get(key);
      if (holder === undefined || place(holder, visited)) {
        holderSlot.set(key, index);
        return true;
      }
    }
    return false;
  };
  return slots.every((_, index) => place(index, new Set()));
}

/** Names the first step that cannot be filled the straightforward way, and why. */
function unresolvable(slots: readonly Slot[], applicant: Person): RuleViolationError {
  const taken: Person[] = [];
  for (const slot of slots) {
    const free = slot.candidates.find((candidate) => !taken.some((p) => sameEmail(p.email, candidate.email)));
    if (free) {
      taken.push(free);
      continue;
    }
    return new RuleViolationError(
      'ROUTE_UNRESOLVABLE',
      `这张凭单的某一审批步骤找不到可以审批的人，请管理员修正人员名录。No one can take the ${STEP_NAMES[slot.step]} step of this voucher: ${whyEmpty(slot, applicant)}. Ask an administrator to fix the directory.`,
      {
        issues: [
          {
            path: 'route',
            message: `找不到审批人 no approver for the ${STEP_NAMES[slot.step]} step: ${whyEmpty(slot, applicant)}`,
          },
        ],
      },
    );
  }
  // Not reached: when every step has a free candidate in turn, the search above finds that route.
  return new RuleViolationError(
    'ROUTE_UNRESOLVABLE',
    '无法让每个审批步骤由不同的人负责，请管理员修正人员名录。No assignment of approvers gives every step of this voucher a different person; ask an administrator to fix the directory.',
  );
}

function whyEmpty(slot: Slot, applicant: Person): string {
  if (slot.deputyFor !== undefined) {
    if (!applicant.deputy)
      return `the applicant ${applicant.email} heads merchandising and has no deputy configured`;
    if (sameEmail(applicant.deputy, applicant.email)) {
      return `the applicant ${applicant.email} heads merchandising and is configured as their own deputy`;
    }
    if (slot.candidates.length === 0) {
      return `the applicant's deputy ${applicant.deputy} is not in the directory of entity ${applicant.entityId}`;
    }
    return `the applicant's deputy ${applicant.deputy} already holds another step of this voucher`;
  }
  if (slot.candidates.length === 0) {
    return `nobody in entity ${applicant.entityId} other than the applicant holds the role ${slot.role.toLowerCase().replaceAll('_', ' ')}`;
  }
  const names = slot.candidates.map((person) => person.email).join(', ');
  return `every ${slot.role.toLowerCase().replaceAll('_', ' ')} (${names}) already holds another step of this voucher, and one person holds one step`;
}

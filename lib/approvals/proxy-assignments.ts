/**
 * A travelling approver's named proxies (POLICY D6, D18): an administrator names, for dated days, the
 * one person who may record the approver's emailed consent — explicit, bounded and audited, like a
 * delegation. Nobody records a proxy approval by role alone.
 *
 * Primary course of naming one:
 *  1. The caller is an administrator.
 *  2. The days run from today (Asia/Shanghai) on, for at most a year.
 *  3. Approver and proxy are two different people of the administrator's entity, and the approver
 *     can hold a step a proxy may record (head of merchandising or CEO, or a head's deputy).
 *  4. The assignment and its audit event are written in one transaction, under the approver.
 */

import type { AppDeps } from '../app.ts';
import { hasRole, requireRole } from '../domain/access.ts';
import { assignmentCovers, type ProxyAssignment } from '../domain/approval-rules.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../domain/errors.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { newId } from '../ids.ts';
import { ConcurrentUpdateError } from '../platform/store.ts';

export interface ProxyAssignmentInput {
  approver: string;
  proxy: string;
  from: LocalDate;
  to: LocalDate;
  reason: string;
}

/** The same calendar day a year later (29 February → 1 March). */
function aYearAfter(day: LocalDate): LocalDate {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year + 1, month - 1, date)).toISOString().slice(0, 10);
}

export async function addProxyAssignment(
  deps: AppDeps,
  admin: Person,
  input: ProxyAssignmentInput,
): Promise<ProxyAssignment> {
  requireRole(admin, 'ADMIN');
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  if (input.from < today) {
    throw new ValidationError(`从今天（${today}）起。The assignment starts today (${today}) or later.`, {
      issues: [{ path: 'from', message: `早于今天 ${today} before today, ${today}` }],
    });
  }
  if (input.to < input.from) {
    throw new ValidationError('结束日早于开始日。The last day is before the first.', {
      issues: [{ path: 'to', message: '早于开始日 before from' }],
    });
  }
  if (input.to >= aYearAfter(input.from)) {
    throw new ValidationError('代理最长一年。An assignment lasts at most a year.', {
      issues: [
        {
          path: 'to',
          message: `最晚到 ${aYearAfter(input.from)} 的前一天 at most the day before ${aYearAfter(input.from)}`,
        },
      ],
    });
  }
  if (input.approver === input.proxy) {
    throw new ValidationError('审批人不能做自己的代理人。An approver cannot be their own proxy.', {
      issues: [{ path: 'proxy', message: '与审批人相同 same as approver' }],
    });
  }
  const people = await deps.store.people.listByEntity(admin.entityId);
  for (const path of ['approver', 'proxy'] as const) {
    if (!people.some((person) => person.email === input[path])) {
      throw new ValidationError(`${input[path]} 不在通讯录中。${input[path]} is not in the directory.`, {
        issues: [{ path, message: '通讯录中没有此人 unknown person' }],
      });
    }
  }
  const approver = people.find((person) => person.email === input.approver) as Person;
  const holdsProxyStep =
    hasRole(approver, 'HEAD_OF_MERCHANDISING', 'CEO') ||
    people.some((person) => person.deputy === approver.email);
  if (!holdsProxyStep) {
    throw new RuleViolationError(
      'NOT_A_PROXY_STEP_HOLDER',
      `${approver.email} 不负责可由代理人记录的审批（商品部负责人或 CEO）。${approver.email} holds no step a proxy may record (head of merchandising or CEO).`,
      {
        issues: [
          {
            path: 'approver',
            message: '不是商品部负责人、其代理或 CEO not a head of merchandising, deputy or CEO',
          },
        ],
      },
    );
  }
  const at = toShanghaiIso(now);
  const assignment: ProxyAssignment = { id: newId(), ...input, createdBy: admin.email, createdAt: at };
  await deps.store.approvals.addProxyAssignment(assignment, {
    at,
    actor: admin.email,
    type: 'PROXY_ASSIGNED',
    version: 1,
    details: { id: assignment.id, ...input },
  });
  return assignment;
}

/**
 * An approver's proxies, every one ever named, oldest first, with whether it covers today. The control
 * roles see anyone's; everyone else only their own.
 */
export async function listProxyAssignments(
  deps: AppDeps,
  caller: Person,
  approver: string,
): Promise<(ProxyAssignment & { activeToday: boolean })[]> {
  if (caller.email !== approver && !hasRole(caller, 'ADMIN', 'FINANCE_REVIEWER', 'CEO')) {
    throw new ForbiddenError('您只能查看自己的代理人。You can list only your own proxies.');
  }
  const person = await deps.store.people.get(approver);
  if (!person || person.entityId !== caller.entityId)
    throw new NotFoundError(`没有这个人 ${approver}。No person ${approver}.`);
  const now = deps.clock.now();
  return (await deps.store.approvals.proxyAssignmentsOf(approver))
    .sort((a, b) => a.from.localeCompare(b.from) || a.createdAt.localeCompare(b.createdAt))
    .map((assignment) => ({ ...assignment, activeToday: assignmentCovers(assignment, now) }));
}

/**
 * An administrator ends a proxy assignment early (POLICY D6, D18; issue 14 §1) — the approver is back,
 * or the proxy left: from now on the proxy records nothing in the approver's name. Approvals the proxy
 * already recorded stand (they await the approver's countersign as before).
 *
 * Repeats: ending an assignment already ended early changes nothing and answers it as it is (a double
 * click: one end, one event); one whose last day is past cannot be ended (409 PROXY_ASSIGNMENT_OVER).
 * One not started yet is ended before it begins, so it never covers a day.
 */
export async function endProxyAssignment(
  deps: AppDeps,
  admin: Person,
  input: { approver: string; id: string },
): Promise<ProxyAssignment> {
  requireRole(admin, 'ADMIN');
  const approver = input.approver.toLowerCase();
  const person = await deps.store.people.get(approver);
  const stored =
    person && person.entityId === admin.entityId
      ? await deps.store.approvals.proxyAssignment(approver, input.id)
      : null;
  if (!stored) throw new NotFoundError(`没有这项代理。No such proxy assignment of ${approver}.`);
  if (stored.endedAt) return stored;
  const now = deps.clock.now();
  if (stored.to < shanghaiDate(now)) {
    throw new ConflictError(
      'PROXY_ASSIGNMENT_OVER',
      `这项代理已于 ${stored.to} 结束。This proxy assignment already ended on ${stored.to}.`,
    );
  }
  const at = toShanghaiIso(now);
  try {
    await deps.store.approvals.endProxyAssignment(
      stored,
      { endedAt: at, endedBy: admin.email },
      {
        at,
        actor: admin.email,
        type: 'PROXY_ENDED',
        version: 1,
        details: {
          id: stored.id,
          approver: stored.approver,
          proxy: stored.proxy,
          from: stored.from,
          to: stored.to,
        },
      },
    );
  } catch (error) {
    // Another click got there first: what it wrote is the answer.
    if (!(error instanceof ConcurrentUpdateError)) throw error;
    const again = await deps.store.approvals.proxyAssignment(approver, input.id);
    if (again?.endedAt) return again;
    throw error;
  }
  return { ...stored, endedAt: at, endedBy: admin.email };
}

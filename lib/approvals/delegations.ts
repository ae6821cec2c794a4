/**
 * Delegations (POLICY D18): explicit, dated, set by an administrator, audited.
 */

import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import type { Delegation } from '../domain/approval-rules.ts';
import { delegationPeriodIssues } from '../domain/delegation-period.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { newId } from '../ids.ts';
import { ConcurrentUpdateError } from '../platform/store.ts';

export async function addDelegation(
  deps: AppDeps,
  admin: Person,
  input: { from: string; to: string; validFrom: string; validTo: string; reason: string },
): Promise<Delegation> {
  requireRole(admin, 'ADMIN');
  // POLICY D18: dated — from today, for at most a year (Asia/Shanghai days).
  const today = shanghaiDate(deps.clock.now());
  const period = delegationPeriodIssues(input, today);
  const [first] = period;
  if (first) {
    throw new ValidationError(`授权日期有误 The delegation's days: ${first.path}: ${first.message}`, {
      issues: period,
    });
  }
  if (input.from === input.to) {
    throw new ValidationError('不能授权给自己。A person cannot delegate to themselves.', {
      issues: [{ path: 'to', message: '与授权人相同 same as from' }],
    });
  }
  for (const [path, email] of [
    ['from', input.from],
    ['to', input.to],
  ] as const) {
    const person = await deps.store.people.get(email);
    if (!person || person.entityId !== admin.entityId) {
      throw new ValidationError(`人员名录中没有 ${email}。${email} is not in the directory.`, {
        issues: [{ path, message: '名录中没有此人 unknown person' }],
      });
    }
  }
  const at = toShanghaiIso(deps.clock.now());
  const delegation: Delegation = { id: newId(), ...input, createdBy: admin.email, createdAt: at };
  await deps.store.approvals.addDelegation(delegation, {
    at,
    actor: admin.email,
    type: 'DELEGATION_ADDED',
    version: 1,
    details: { ...input },
  });
  return delegation;
}

/**
 * An administrator revokes a delegation (POLICY D18; issue 14 §1): it ends now, audited.
 *
 * What happens to open steps: a delegation never moves a step — the step stays assigned to the
 * delegating person, who was mailed the request too; the delegate only ever held links in their own
 * name. From the instant of the revocation those links decide nothing (assertMayDecide reads
 * `revokedAt`), reminders and escalations go to the delegating person alone, and a deactivation no
 * longer counts on it: every open step is back with the original approver, nothing is refused.
 *
 * Repeats: revoking a revoked delegation changes nothing and answers it as it is (a double click, two
 * administrators at once: one revocation, one event); a delegation whose last day is past cannot be
 * revoked (409 DELEGATION_OVER) — there is nothing left to end.
 */
export async function revokeDelegation(
  deps: AppDeps,
  admin: Person,
  input: { from: string; id: string },
): Promise<Delegation> {
  requireRole(admin, 'ADMIN');
  const from = input.from.toLowerCase();
  const person = await deps.store.people.get(from);
  const stored =
    person && person.entityId === admin.entityId
      ? await deps.store.approvals.delegation(from, input.id)
      : null;
  if (!stored) throw new NotFoundError(`没有这项授权。No such delegation of ${from}.`);
  if (stored.revokedAt) return stored;
  const now = deps.clock.now();
  const today = shanghaiDate(now);
  if (stored.validTo < today) {
    throw new ConflictError(
      'DELEGATION_OVER',
      `这项授权已于 ${stored.validTo} 结束，无需撤销。This delegation ended on ${stored.validTo}; there is nothing to revoke.`,
    );
  }
  const at = toShanghaiIso(now);
  try {
    await deps.store.approvals.revokeDelegation(
      stored,
      { revokedAt: at, revokedBy: admin.email },
      {
        at,
        actor: admin.email,
        type: 'DELEGATION_REVOKED',
        version: 1,
        details: {
          id: stored.id,
          from: stored.from,
          to: stored.to,
          validFrom: stored.validFrom,
          validTo: stored.validTo,
        },
      },
    );
  } catch (error) {
    // Another click got there first: what it wrote is the answer.
    if (!(error instanceof ConcurrentUpdateError)) throw error;
    const again = await deps.store.approvals.delegation(from, input.id);
    if (again?.revokedAt) return again;
    throw error;
  }
  return { ...stored, revokedAt: at, revokedBy: admin.email };
}

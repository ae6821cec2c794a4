/**
 * Delegations (POLICY D18): explicit, dated, set by an administrator, audited.
 */

import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import type { Delegation } from '../domain/approval-rules.ts';
import { delegationPeriodIssues } from '../domain/delegation-period.ts';
import { ValidationError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { newId } from '../ids.ts';

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

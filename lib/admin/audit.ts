/**
 * The audit view (issue 14 §8): everything one person did — on vouchers, suppliers, people, legal
 * entities, the policy and the calendar — newest first, from the `auditByActor` index (no scan).
 *
 * Primary course:
 *  1. The caller is an administrator; `entity`, when given, is their own (D17: a person acts only in
 *     their own entity — and so do their audit events).
 *  2. The actor is a person of that entity (the deactivated included); anyone else looks like nobody.
 *  3. The actor's events of the days asked (Asia/Shanghai, inclusive), a page at a time.
 */
import type { AppDeps } from '../app.ts';
import { ADMINISTRATION_ROLES, requireRole } from '../domain/access.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import type { AuditRecord, Page } from '../platform/store.ts';
import type { AuditQuery } from './schemas.ts';

export const AUDIT_PAGE_SIZE = 50;

export async function auditTrail(
  deps: Pick<AppDeps, 'store'>,
  admin: Person,
  query: AuditQuery,
): Promise<Page<AuditRecord>> {
  requireRole(admin, ...ADMINISTRATION_ROLES);
  if (query.entity !== undefined && query.entity !== admin.entityId) {
    throw new ForbiddenError('您只能查看本单位的审计记录。You can see only your own entity’s audit trail.');
  }
  if (query.from && query.to && query.from > query.to) {
    throw new ValidationError('开始日晚于结束日。The first day is after the last.', {
      issues: [{ path: 'from', message: '晚于 to after to' }],
    });
  }
  const actor = await deps.store.people.get(query.actor);
  if (!actor || actor.entityId !== admin.entityId) {
    throw new NotFoundError(`人员名录中没有 ${query.actor}。${query.actor} is not in the directory.`);
  }
  return deps.store.audit.byActor(actor.email, {
    days: { from: query.from, to: query.to },
    limit: query.limit ?? AUDIT_PAGE_SIZE,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
}

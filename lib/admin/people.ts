/**
 * People and roles, kept by an administrator (issue 14 §1; POLICY D18; DESIGN.md decision 12: roles
 * come from the directory). Every write is conditional on the version read, with its audit event in
 * the same transaction; a lost race judges the request again against what landed.
 *
 * Primary course of saving a person (create or update):
 *  1. The caller is an administrator of the person's entity (a person acts only in their own, D17) —
 *     or adds the first administrator of an entity they created, while it has nobody.
 *  2. The person as they would be passes the directory's rules (lib/domain/people.ts, D18).
 *  3. Deactivating someone who holds an open approval step is refused (409, naming the vouchers)
 *     until those steps are delegated; so is deactivating the deputy a head still counts on.
 *  4. A new active person is invited to sign in (the identity directory) before they are written; a
 *     deactivated one is disabled there after the write — each call idempotent, so a repeat converges.
 *  5. The record and its audit event are written in one transaction, conditional on the version read.
 */
import type { AppDeps } from '../app.ts';
import { ADMINISTRATION_ROLES, requireRole } from '../domain/access.ts';
import { isActive as isActiveDelegation } from '../domain/approval-rules.ts';
import { whoVoucherAwaits } from '../domain/awaiting.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../domain/errors.ts';
import type { AuditEvent, Person, Role, Voucher } from '../domain/model.ts';
import { directoryIssues, headsDeputisedBy, isActivePerson, STEP_ROLES } from '../domain/people.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { retryingLostRaces } from '../platform/change.ts';
import { mayStaffNewEntity } from './entities.ts';

/** A person as the API takes and shows them. */
export interface PersonInput {
  email: string;
  name: string;
  entityId: string;
  roles: Role[];
  managerEmail?: string | undefined;
  deputyEmail?: string | undefined;
  active: boolean;
}

export interface PersonView extends PersonInput {
  version: number;
}

export function personView(person: Person): PersonView {
  return {
    email: person.email,
    name: person.name,
    entityId: person.entityId,
    roles: person.roles,
    ...(person.manager ? { managerEmail: person.manager } : {}),
    ...(person.deputy ? { deputyEmail: person.deputy } : {}),
    active: isActivePerson(person),
    version: person.version ?? 0,
  };
}

/** Everyone of the administrator's entity, the deactivated included, by email. */
export async function listPeople(deps: Pick<AppDeps, 'store'>, admin: Person): Promise<Person[]> {
  requireRole(admin, ...ADMINISTRATION_ROLES);
  return deps.store.people.listByEntity(admin.entityId, { includeInactive: true });
}

export async function getPerson(deps: Pick<AppDeps, 'store'>, admin: Person, email: string): Promise<Person> {
  requireRole(admin, ...ADMINISTRATION_ROLES);
  return ownEntitys(admin, await deps.store.people.get(email), email);
}

/** A new person (201), or the same person again (a repeat: 200, nothing written). */
export async function createPerson(
  deps: AppDeps,
  admin: Person,
  input: PersonInput,
): Promise<{ person: Person; created: boolean }> {
  requireRole(admin, ...ADMINISTRATION_ROLES);
  // D17: their own entity — or the first administrator of an entity this administrator just created.
  const firstAdminOfNew =
    input.entityId !== admin.entityId &&
    input.roles.includes('ADMIN') &&
    (await mayStaffNewEntity(deps, admin, input.entityId));
  if (!firstAdminOfNew) sameEntity(admin, input.entityId);
  return retryingLostRaces(async () => {
    const existing = await deps.store.people.get(input.email);
    const next = personOf(input, 1);
    if (existing) {
      if (existing.entityId === input.entityId && sameContent(existing, next)) {
        return { person: existing, created: false };
      }
      throw new ConflictError(
        'PERSON_EXISTS',
        `${input.email} 已在人员名录中，请修改而不是新建。${input.email} is in the directory already: update them instead.`,
        { issues: [{ path: 'email', message: '已存在 exists already' }] },
      );
    }
    const colleagues = await deps.store.people.listByEntity(input.entityId, { includeInactive: true });
    refuseRuleBreaks(next, colleagues);
    if (isActivePerson(next)) await deps.identityDirectory.invite(next);
    await deps.store.people.save(next, null, eventOf(deps, admin, 'PERSON_CREATED', 1, { ...input }));
    return { person: next, created: true };
  });
}

/** An administrator's change to a person (a repeat of the state they are in writes nothing). */
export async function updatePerson(
  deps: AppDeps,
  admin: Person,
  email: string,
  input: PersonInput,
): Promise<Person> {
  requireRole(admin, ...ADMINISTRATION_ROLES);
  if (input.email !== email) {
    throw new ValidationError('邮箱地址与网址中的不同。The email differs from the one in the address.', {
      issues: [{ path: 'email', message: `须为 ${email} must be ${email}` }],
    });
  }
  const outcome = await retryingLostRaces(async () => {
    const existing = ownEntitys(admin, await deps.store.people.get(email), email);
    if (input.entityId !== existing.entityId) {
      throw new RuleViolationError(
        'PERSON_ENTITY_FIXED',
        '人员不能转到另一个单位：请停用后在新单位新建。A person cannot move to another entity: deactivate them and create them in the other.',
        { issues: [{ path: 'entityId', message: `须为 ${existing.entityId} must be ${existing.entityId}` }] },
      );
    }
    const version = (existing.version ?? 0) + 1;
    const next = personOf(input, version);
    if (sameContent(existing, next)) return { person: existing, written: false };
    refuseLockingOut(admin, next);
    const colleagues = await deps.store.people.listByEntity(existing.entityId, { includeInactive: true });
    refuseRuleBreaks(next, colleagues);
    const deactivating = isActivePerson(existing) && !isActivePerson(next);
    const losesStepRole = existing.roles.some(
      (role) => STEP_ROLES.includes(role) && !next.roles.includes(role),
    );
    if (deactivating || losesStepRole) await refuseWhileHoldingSteps(deps, existing);
    if (deactivating || next.roles.some((role) => STEP_ROLES.includes(role))) {
      refuseWhileDeputy(existing, colleagues);
    }
    const type = deactivating
      ? 'PERSON_DEACTIVATED'
      : !isActivePerson(existing) && isActivePerson(next)
        ? 'PERSON_REACTIVATED'
        : 'PERSON_UPDATED';
    if (type === 'PERSON_REACTIVATED') await deps.identityDirectory.invite(next);
    await deps.store.people.save(
      next,
      existing.version ?? 0,
      eventOf(deps, admin, type, version, { ...changedFields(existing, next) }),
    );
    return { person: next, written: true };
  });
  // After the write: the person is inactive in fundflow already, whatever the sign-in provider says.
  if (!isActivePerson(outcome.person)) await deps.identityDirectory.disable(outcome.person.email);
  return outcome.person;
}

function personOf(input: PersonInput, version: number): Person {
  return {
    email: input.email,
    name: input.name,
    entityId: input.entityId,
    roles: [...new Set(input.roles)],
    ...(input.deputyEmail ? { deputy: input.deputyEmail } : {}),
    ...(input.managerEmail ? { manager: input.managerEmail } : {}),
    active: input.active,
    version,
  };
}

const CONTENT: readonly (keyof Person)[] = ['name', 'entityId', 'deputy', 'manager'];

function sameContent(stored: Person, next: Person): boolean {
  return (
    CONTENT.every((field) => stored[field] === next[field]) &&
    isActivePerson(stored) === isActivePerson(next) &&
    [...stored.roles].sort().join() === [...next.roles].sort().join()
  );
}

function changedFields(stored: Person, next: Person): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of CONTENT) {
    if (stored[field] !== next[field])
      changes[field] = { from: stored[field] ?? null, to: next[field] ?? null };
  }
  if ([...stored.roles].sort().join() !== [...next.roles].sort().join())
    changes.roles = { from: stored.roles, to: next.roles };
  if (isActivePerson(stored) !== isActivePerson(next))
    changes.active = { from: isActivePerson(stored), to: isActivePerson(next) };
  return changes;
}

function eventOf(
  deps: Pick<AppDeps, 'clock'>,
  admin: Person,
  type: string,
  version: number,
  details: Record<string, unknown>,
): AuditEvent {
  return { at: toShanghaiIso(deps.clock.now()), actor: admin.email, type, version, details };
}

/** D17: an administrator keeps only their own entity's directory. */
function sameEntity(admin: Person, entityId: string): void {
  if (entityId !== admin.entityId) {
    throw new ForbiddenError('您只能管理本单位的人员。You can only manage people of your own entity.');
  }
}

/** Another entity's person looks like nobody (the caller learns no email). */
function ownEntitys(admin: Person, person: Person | null, email: string): Person {
  if (!person || person.entityId !== admin.entityId) {
    throw new NotFoundError(`人员名录中没有 ${email}。${email} is not in the directory.`);
  }
  return person;
}

function refuseRuleBreaks(next: Person, colleagues: readonly Person[]): void {
  // An inactive person holds no step: only what they would be once active again matters then.
  if (!isActivePerson(next)) return;
  const issues = directoryIssues(next, colleagues);
  const [first] = issues;
  if (first) {
    throw new RuleViolationError(
      'DUTIES_NOT_SEGREGATED',
      `职责分离规则不允许这样保存：${first.message}。The separation of duties does not allow this: ${first.message}.`,
      { issues },
    );
  }
}

/** An administrator cannot deactivate themselves or drop their own ADMIN role (nobody would be left to undo it). */
function refuseLockingOut(admin: Person, next: Person): void {
  if (next.email === admin.email && (!isActivePerson(next) || !next.roles.includes('ADMIN'))) {
    throw new RuleViolationError(
      'OWN_ADMIN_ACCESS',
      '不能停用自己或去掉自己的管理员角色，请另一位管理员操作。You cannot deactivate yourself or drop your own admin role: ask another administrator.',
      { issues: [{ path: 'roles', message: '本人的管理员角色 your own admin role' }] },
    );
  }
}

/**
 * The vouchers whose current step waits for `person` (the awaiting index, each checked against the
 * voucher as read), unless the person has delegated for today to an active colleague (D18).
 */
async function refuseWhileHoldingSteps(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  person: Person,
): Promise<void> {
  const held = (await deps.store.vouchers.awaiting(person.email, 'DECIDE_STEP')).filter(
    (voucher) => whoVoucherAwaits(voucher)?.email === person.email,
  );
  if (held.length === 0) return;
  const now = deps.clock.now();
  const delegations = await deps.store.approvals.delegationsFrom(person.email);
  for (const delegation of delegations.filter((candidate) => isActiveDelegation(candidate, now))) {
    const delegate = await deps.store.people.get(delegation.to);
    if (delegate && isActivePerson(delegate) && delegate.entityId === person.entityId) return;
  }
  throw new ConflictError(
    'PERSON_HOLDS_OPEN_STEPS',
    `${person.name} 还有 ${held.length} 张付款凭单待审批，请先把这些审批授权给他人：${held.map(voucherName).join('、')}。${person.name} still holds the approval of ${held.length} voucher(s); delegate them first: ${held.map(voucherName).join(', ')}.`,
    { issues: held.map((voucher) => ({ path: `vouchers.${voucherName(voucher)}`, message: voucher.id })) },
  );
}

function refuseWhileDeputy(person: Person, colleagues: readonly Person[]): void {
  const heads = headsDeputisedBy(person.email, colleagues);
  if (heads.length === 0) return;
  throw new ConflictError(
    'PERSON_IS_DEPUTY',
    `${person.name} 是 ${heads.map((head) => head.name).join('、')} 的代理人，请先为其指定新的代理人。${person.name} is the deputy of ${heads.map((head) => head.name).join(', ')}: give them another deputy first.`,
    { issues: heads.map((head) => ({ path: 'deputyOf', message: head.email })) },
  );
}

const voucherName = (voucher: Pick<Voucher, 'id' | 'number'>) => voucher.number ?? voucher.id;

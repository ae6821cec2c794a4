/**
 * The company's legal entities (issue 14 §2; POLICY 1.2, D17): each with its name, unified social
 * credit code (checked), its own bank accounts and its invoicing settings. Every write is conditional
 * on the version read, with its audit event in the same transaction (under the entity).
 *
 * Who: an administrator. They see every entity of the company (a handful, by name and tax number),
 * change only their own (D17: a person acts only in their own entity), and create new ones — whose
 * first administrator they may then add (lib/admin/people.ts), once, while it has nobody.
 */
import type { AppDeps } from '../app.ts';
import { ADMINISTRATION_ROLES, requireRole } from '../domain/access.ts';
import { maskAccount } from '../domain/accounts.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../domain/errors.ts';
import type { AuditEvent, LegalEntity, Person } from '../domain/model.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { isValidUscc } from '../domain/uscc.ts';
import { retryingLostRaces } from '../platform/change.ts';
import type { EntityInput } from './schemas.ts';

export interface EntityView extends EntityInput {
  version: number;
  /** The caller's own entity (the one they may change). */
  own: boolean;
}

export function entityView(entity: LegalEntity, viewer: Person): EntityView {
  return {
    id: entity.id,
    name: entity.name,
    taxId: entity.taxId,
    bankAccounts: entity.bankAccounts ?? [],
    invoicing: entity.invoicing ?? { itemName: '', taxCode: '', taxRatePercent: 0 },
    version: entity.version ?? 0,
    own: entity.id === viewer.entityId,
  };
}

export async function listEntities(deps: Pick<AppDeps, 'store'>, admin: Person): Promise<LegalEntity[]> {
  requireRole(admin, ...ADMINISTRATION_ROLES);
  return (await deps.store.people.listEntities()).sort((a, b) => a.id.localeCompare(b.id));
}

export async function getEntity(
  deps: Pick<AppDeps, 'store'>,
  admin: Person,
  id: string,
): Promise<LegalEntity> {
  requireRole(admin, ...ADMINISTRATION_ROLES);
  const entity = await deps.store.people.getEntity(id);
  if (!entity) throw new NotFoundError(`没有这个单位 ${id}。No legal entity ${id}.`);
  return entity;
}

/** A new entity (201), or the same again (200, nothing written). */
export async function createEntity(
  deps: AppDeps,
  admin: Person,
  input: EntityInput,
): Promise<{ entity: LegalEntity; created: boolean }> {
  requireRole(admin, ...ADMINISTRATION_ROLES);
  checkUscc(input.taxId);
  return retryingLostRaces(async () => {
    const existing = await deps.store.people.getEntity(input.id);
    const next: LegalEntity = { ...input, version: 1, createdBy: admin.email };
    if (existing) {
      if (sameContent(existing, next)) return { entity: existing, created: false };
      throw new ConflictError(
        'ENTITY_EXISTS',
        `单位 ${input.id} 已存在。The legal entity ${input.id} exists already.`,
        {
          issues: [{ path: 'id', message: '已存在 exists already' }],
        },
      );
    }
    await deps.store.people.saveEntity(next, null, eventOf(deps, admin, 'ENTITY_CREATED', 1, { ...input }));
    return { entity: next, created: true };
  });
}

/** A change to the administrator's own entity (the same state again writes nothing). */
export async function updateEntity(
  deps: AppDeps,
  admin: Person,
  id: string,
  input: EntityInput,
): Promise<LegalEntity> {
  requireRole(admin, ...ADMINISTRATION_ROLES);
  if (input.id !== id) {
    throw new ValidationError('单位编号与网址中的不同。The id differs from the one in the address.', {
      issues: [{ path: 'id', message: `须为 ${id} must be ${id}` }],
    });
  }
  // D17: a person acts only in their own entity.
  if (id !== admin.entityId) {
    throw new ForbiddenError('您只能修改本单位的信息。You can change only your own entity.');
  }
  checkUscc(input.taxId);
  return retryingLostRaces(async () => {
    const existing = await getEntity(deps, admin, id);
    const version = (existing.version ?? 0) + 1;
    const next: LegalEntity = { ...existing, ...input, version };
    if (sameContent(existing, next)) return existing;
    await deps.store.people.saveEntity(
      next,
      existing.version ?? 0,
      eventOf(deps, admin, 'ENTITY_UPDATED', version, changes(existing, next)),
    );
    return next;
  });
}

/** POLICY 1.2: the entity's tax number must be a real USCC (its check character), not merely 18 characters. */
function checkUscc(taxId: string): void {
  if (!isValidUscc(taxId)) {
    throw new RuleViolationError(
      'USCC_INVALID',
      `统一社会信用代码 ${taxId} 的校验位不对，请核对营业执照。${taxId} is not a valid unified social credit code (its check character is wrong): check the business licence.`,
      { issues: [{ path: 'taxId', message: '校验位不对 wrong check character' }] },
    );
  }
}

const FIELDS = ['name', 'taxId', 'bankAccounts', 'invoicing'] as const;

function sameContent(stored: LegalEntity, next: LegalEntity): boolean {
  return FIELDS.every(
    (field) => JSON.stringify(stored[field] ?? null) === JSON.stringify(next[field] ?? null),
  );
}

/** What changed, for the audit event; bank accounts by their last four digits only (D8: audit is masked). */
function changes(stored: LegalEntity, next: LegalEntity): Record<string, unknown> {
  const masked = (entity: LegalEntity) =>
    (entity.bankAccounts ?? []).map(
      (account) => `${account.bankName} ${maskAccount(account.account)}${account.primary ? ' *' : ''}`,
    );
  const details: Record<string, unknown> = {};
  for (const field of FIELDS) {
    if (JSON.stringify(stored[field] ?? null) === JSON.stringify(next[field] ?? null)) continue;
    details[field] =
      field === 'bankAccounts'
        ? { from: masked(stored), to: masked(next) }
        : { from: stored[field] ?? null, to: next[field] ?? null };
  }
  return details;
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

/** Whether `admin` may add the first administrator of `entityId`: they created it, and it has nobody yet. */
export async function mayStaffNewEntity(
  deps: Pick<AppDeps, 'store'>,
  admin: Person,
  entityId: string,
): Promise<boolean> {
  const entity = await deps.store.people.getEntity(entityId);
  if (!entity || entity.createdBy !== admin.email) return false;
  return (await deps.store.people.listByEntity(entityId, { includeInactive: true })).length === 0;
}

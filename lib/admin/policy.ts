/**
 * Versioned policy per legal entity (POLICY D17), the administrator's: every version ever stored, and
 * a new one from a day of its own. A document records the version it was decided under (vouchers,
 * invoice requests and batches, daily exports: their `policyVersion`), so a new version changes what
 * is decided from its day on, never what was decided before.
 *
 * Primary course of `addPolicyVersion`:
 *  1. Only an administrator of that entity (another entity's policy looks like no entity at all).
 *  2. The day is today (Asia/Shanghai) or later, and not before the newest version's day.
 *  3. The new version is the newest's number + 1, with the numbers given and the settings the form
 *     does not set (file types, the invoice line) carried over from the newest version.
 *  4. Written once, conditional on its number being new, with its audit event in the same
 *     transaction: two administrators saving at the same moment — one lands, the other gets 409.
 */
import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { AuditEvent, LocalDate, Person } from '../domain/model.ts';
import {
  assertVersionMayTakeEffect,
  DEFAULT_POLICY,
  EDITABLE_POLICY_SETTINGS,
  type EditablePolicySettings,
  type PolicySettings,
  policyInEffectOn,
} from '../domain/policy.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';

export interface PolicyVersionsView {
  entityId: string;
  /** The version in effect now. */
  current: PolicySettings;
  /** Every version, newest first: the scheduled ones (not yet in effect) and every earlier one. */
  versions: (PolicySettings & { state: 'SCHEDULED' | 'IN_EFFECT' | 'SUPERSEDED' })[];
  history: AuditEvent[];
}

function requireAdminOf(caller: Person, entityId: string): void {
  requireRole(caller, 'ADMIN');
  // D17: a person acts only in their own entity; another's looks like no entity at all.
  if (caller.entityId !== entityId)
    throw new NotFoundError(`没有法人实体 ${entityId}。There is no legal entity ${entityId}.`);
}

export async function policyVersions(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  caller: Person,
  entityId: string,
): Promise<PolicyVersionsView> {
  requireAdminOf(caller, entityId);
  const stored = await deps.store.settings.policyVersions(entityId);
  const today = shanghaiDate(deps.clock.now());
  const current = policyInEffectOn(stored, today);
  const versions = (stored.length > 0 ? stored : [DEFAULT_POLICY])
    .toSorted((a, b) => b.version - a.version)
    .map((version) => ({
      ...version,
      state:
        version.version === current.version
          ? ('IN_EFFECT' as const)
          : (version.effectiveFrom ?? '') > today
            ? ('SCHEDULED' as const)
            : ('SUPERSEDED' as const),
    }));
  return { entityId, current, versions, history: await deps.store.settings.policyHistory(entityId) };
}

export type NewPolicyVersionInput = EditablePolicySettings & { effectiveFrom: LocalDate };

export async function addPolicyVersion(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  caller: Person,
  entityId: string,
  input: NewPolicyVersionInput,
): Promise<PolicySettings> {
  // 1.
  requireAdminOf(caller, entityId);
  const now = deps.clock.now();
  const stored = await deps.store.settings.policyVersions(entityId);
  const newest = stored.reduce<PolicySettings | undefined>(
    (latest, version) => (!latest || version.version > latest.version ? version : latest),
    undefined,
  );
  // 2. POLICY D17: never in the past, never before the newest version's day.
  assertVersionMayTakeEffect(input.effectiveFrom, shanghaiDate(now), newest);
  // 3.
  const base = newest ?? DEFAULT_POLICY;
  const numbers = Object.fromEntries(EDITABLE_POLICY_SETTINGS.map((setting) => [setting, input[setting]]));
  const version: PolicySettings = {
    ...base,
    ...(numbers as EditablePolicySettings),
    version: (newest?.version ?? 0) + 1,
    effectiveFrom: input.effectiveFrom,
  };
  const changed = EDITABLE_POLICY_SETTINGS.filter(
    (setting) => JSON.stringify(base[setting]) !== JSON.stringify(version[setting]),
  );
  // 4. Never overwritten: a lost race is a ConcurrentUpdateError (409), nothing written.
  await deps.store.settings.addPolicyVersion(entityId, version, {
    at: toShanghaiIso(now),
    actor: caller.email,
    type: 'POLICY_VERSION_ADDED',
    version: version.version,
    details: { effectiveFrom: input.effectiveFrom, changed },
  });
  return version;
}

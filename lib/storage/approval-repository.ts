import type { Delegation, ProxyAssignment } from '../domain/approval-rules.ts';
import type { Approval, ApprovalStep, AuditEvent } from '../domain/model.ts';
import type { ApprovalStore, ConsentEmailUse, PendingCountersign, StepRecord } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import { auditPut, historyOf, type TransactItem, transact } from './transact.ts';

export type { ConsentEmailUse, PendingCountersign, StepRecord };

/**
 * Approval steps (the decision; their task tokens go through the wait store), pending countersigns,
 * used consent emails, proxies and delegations. A step's decision, a countersign and a consent email's
 * use are written with the voucher's change that makes them (the builders below).
 */
export class ApprovalRepository implements ApprovalStore {
  constructor(private readonly table: Table) {}

  async getStep(voucherId: string, version: number, step: ApprovalStep): Promise<StepRecord | null> {
    const item = await this.table.get(keys.approvalStep(voucherId, version, step));
    return item ? withoutKeys<StepRecord>(item) : null;
  }

  async consentEmailUse(signatureId: string): Promise<ConsentEmailUse | null> {
    const item = await this.table.get(keys.consentEmailUse(signatureId));
    return item ? withoutKeys<ConsentEmailUse>(item) : null;
  }

  /** Outstanding countersigns, of one approver or of everyone (finance's list), oldest voucher first. */
  async pendingCountersigns(approver?: string): Promise<PendingCountersign[]> {
    const prefix = keys.pendingCountersignsPrefix(approver);
    const items = await this.table.queryPrefix(prefix.pk, prefix.skPrefix);
    return items.map((item) => withoutKeys<PendingCountersign>(item));
  }

  /** A travelling approver's proxies (POLICY D6), every one ever named, oldest first. */
  async proxyAssignmentsOf(approver: string): Promise<ProxyAssignment[]> {
    const prefix = keys.proxyAssignmentsPrefix(approver);
    const items = await this.table.queryPrefix(prefix.pk, prefix.skPrefix);
    return items.map((item) => withoutKeys<ProxyAssignment>(item));
  }

  /** A person's own audit events (delegations given, proxies named for them), oldest first. */
  async personHistory(email: string): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.person(email).pk);
  }

  /** A proxy assignment and its audit event (under the approver), written together. */
  async addProxyAssignment(assignment: ProxyAssignment, event: AuditEvent): Promise<void> {
    await transact(this.table, [
      {
        Put: {
          TableName: this.table.name,
          Item: { ...keys.proxyAssignment(assignment.approver, assignment.id), ...assignment },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(this.table, keys.person(assignment.approver).pk, event),
    ]);
  }

  /** One delegation of a person (the revocation reads it first). */
  async delegation(from: string, id: string): Promise<Delegation | null> {
    const item = await this.table.get(keys.delegation(from, id));
    return item ? withoutKeys<Delegation>(item) : null;
  }

  /** One proxy assignment of an approver (ending it early reads it first). */
  async proxyAssignment(approver: string, id: string): Promise<ProxyAssignment | null> {
    const item = await this.table.get(keys.proxyAssignment(approver, id));
    return item ? withoutKeys<ProxyAssignment>(item) : null;
  }

  /**
   * A delegation revoked and its audit event, together — only while it exists and is not revoked yet,
   * so two clicks at once revoke it once (the loser's ConcurrentUpdateError makes its caller re-read).
   */
  async revokeDelegation(
    delegation: Pick<Delegation, 'from' | 'id'>,
    revoked: { revokedAt: string; revokedBy: string },
    event: AuditEvent,
  ): Promise<void> {
    await transact(this.table, [
      {
        Update: {
          TableName: this.table.name,
          Key: keys.delegation(delegation.from, delegation.id),
          UpdateExpression: 'SET revokedAt = :at, revokedBy = :by',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(revokedAt)',
          ExpressionAttributeValues: { ':at': revoked.revokedAt, ':by': revoked.revokedBy },
        },
      },
      auditPut(this.table, keys.person(delegation.from).pk, event),
    ]);
  }

  /** A proxy assignment ended early and its audit event, together — once, as a revocation. */
  async endProxyAssignment(
    assignment: Pick<ProxyAssignment, 'approver' | 'id'>,
    ended: { endedAt: string; endedBy: string },
    event: AuditEvent,
  ): Promise<void> {
    await transact(this.table, [
      {
        Update: {
          TableName: this.table.name,
          Key: keys.proxyAssignment(assignment.approver, assignment.id),
          UpdateExpression: 'SET endedAt = :at, endedBy = :by',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(endedAt)',
          ExpressionAttributeValues: { ':at': ended.endedAt, ':by': ended.endedBy },
        },
      },
      auditPut(this.table, keys.person(assignment.approver).pk, event),
    ]);
  }

  async delegationsFrom(from: string): Promise<Delegation[]> {
    const prefix = keys.delegationsPrefix(from);
    const items = await this.table.queryPrefix(prefix.pk, prefix.skPrefix);
    return items.map((item) => withoutKeys<Delegation>(item));
  }

  /** A delegation and its audit event (under the delegating person), written together. */
  async addDelegation(delegation: Delegation, event: AuditEvent): Promise<void> {
    await transact(this.table, [
      {
        Put: {
          TableName: this.table.name,
          Item: { ...keys.delegation(delegation.from, delegation.id), ...delegation },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      auditPut(this.table, keys.person(delegation.from).pk, event),
    ]);
  }
}

// ——— The approval aggregate's writes inside a voucher's change ———

/**
 * Records a decision exactly once: the step item, only while undecided (a second click, or two at the
 * same moment, lose the race here).
 */
export function stepDecided(
  table: Table,
  voucherId: string,
  approval: Approval,
  assignee: string,
): TransactItem {
  return {
    Update: {
      TableName: table.name,
      Key: keys.approvalStep(voucherId, approval.version, approval.step),
      UpdateExpression:
        'SET voucherId = :voucherId, version = :version, step = :step, assignee = if_not_exists(assignee, :assignee), attempt = if_not_exists(attempt, :zero), decision = :decision, decidedBy = :by, decidedAt = :at, reason = :reason',
      ConditionExpression: 'attribute_not_exists(decision)',
      ExpressionAttributeValues: {
        ':voucherId': voucherId,
        ':version': approval.version,
        ':step': approval.step,
        ':assignee': assignee,
        ':zero': 0,
        ':decision': approval.decision,
        ':by': approval.decidedBy,
        ':at': approval.decidedAt,
        ':reason': approval.reason ?? '',
      },
    },
  };
}

/**
 * POLICY D6: a step decided again after a withdrawal — its decision cleared, its reminders counted
 * afresh (only while still decided). Its task token stays: whoever answers the workflow reads it after
 * this write.
 */
export function stepReopened(
  table: Table,
  voucherId: string,
  version: number,
  step: ApprovalStep,
): TransactItem {
  return {
    Update: {
      TableName: table.name,
      Key: keys.approvalStep(voucherId, version, step),
      UpdateExpression: 'REMOVE decision, decidedBy, decidedAt, reason SET attempt = :zero',
      ConditionExpression: 'attribute_exists(decision)',
      ExpressionAttributeValues: { ':zero': 0 },
    },
  };
}

/** A proxy approval awaiting its approver's countersign (D6). */
export function countersignAwaited(table: Table, pending: PendingCountersign): TransactItem {
  return {
    Put: {
      TableName: table.name,
      Item: {
        ...keys.pendingCountersign(pending.approver, pending.voucherId, pending.version, pending.step),
        ...pending,
      },
    },
  };
}

/**
 * The pending countersign goes: settled (countersigned or refused) — only while it is still there, so
 * a second settlement loses — or withdrawn with its approval (whether or not it is still there).
 */
export function countersignRemoved(
  table: Table,
  pending: Pick<PendingCountersign, 'approver' | 'voucherId' | 'version' | 'step'>,
  settled: boolean,
): TransactItem {
  return {
    Delete: {
      TableName: table.name,
      Key: keys.pendingCountersign(pending.approver, pending.voucherId, pending.version, pending.step),
      ...(settled ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
    },
  };
}

/** A consent email serves one approval (D6): a second use, even at the same moment, loses. */
export function consentEmailUsed(table: Table, use: ConsentEmailUse): TransactItem {
  return {
    Put: {
      TableName: table.name,
      Item: { ...keys.consentEmailUse(use.signatureId), ...use },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Delegation, ProxyAssignment } from '../domain/approval-rules.ts';
import type { Approval, ApprovalStep, AuditEvent, Voucher } from '../domain/model.ts';
import type { OwedAnswer } from '../workflow/outbox.ts';
import { keys } from './keys.ts';
import { owedPut } from './outbox-repository.ts';
import { type Table, withoutKeys } from './table.ts';
import { auditPut, historyOf, transact } from './transact.ts';
import type { VoucherRepository } from './voucher-repository.ts';

/** The server-side state of one approval step (DESIGN.md decision 4: the task token lives here). */
export interface StepRecord {
  voucherId: string;
  version: number;
  step: ApprovalStep;
  assignee: string;
  /** The current Step Functions task token; never leaves the server. */
  taskToken?: string;
  attempt: number;
  /**
   * The voucher's revision when the token was stored: an answer owed by a change written before it
   * (at a lower revision) is not for this wait (lib/workflow/outbox.ts) — after a refused proxy
   * approval (D6) a step is asked for again, and a late answer meant for its earlier wait must not
   * reach the new one.
   */
  voucherRevision?: number;
  decision?: Approval['decision'];
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

export interface PendingCountersign {
  approver: string;
  voucherId: string;
  version: number;
  step: ApprovalStep;
  proxy: string | undefined;
  approvedAt: string;
}

/** Who used a consent email (by its DKIM signature) for which proxy approval (POLICY D6): once only. */
export interface ConsentEmailUse {
  signatureId: string;
  voucherId: string;
  version: number;
  step: ApprovalStep;
  proxy: string;
  consentEmail: string;
  at: string;
}

export class ApprovalRepository {
  constructor(
    private readonly table: Table,
    private readonly vouchers: VoucherRepository,
  ) {}

  async getStep(voucherId: string, version: number, step: ApprovalStep): Promise<StepRecord | null> {
    const item = await this.table.get(keys.approvalStep(voucherId, version, step));
    return item ? withoutKeys<StepRecord>(item) : null;
  }

  /**
   * Keeps the newest task token of a waiting step. Refused (false) once the step is decided: the
   * caller then answers the workflow itself with the recorded decision.
   */
  async storeToken(
    record: Omit<StepRecord, 'decision' | 'decidedBy' | 'decidedAt' | 'reason'>,
  ): Promise<boolean> {
    try {
      await this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.approvalStep(record.voucherId, record.version, record.step),
          UpdateExpression:
            'SET voucherId = :voucherId, version = :version, step = :step, assignee = :assignee, taskToken = :token, attempt = :attempt, voucherRevision = :revision',
          ConditionExpression: 'attribute_not_exists(decision)',
          ExpressionAttributeValues: {
            ':voucherId': record.voucherId,
            ':version': record.version,
            ':step': record.step,
            ':assignee': record.assignee,
            ':token': record.taskToken,
            ':attempt': record.attempt,
            ':revision': record.voucherRevision ?? 0,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Records a decision exactly once: the step (only while undecided), the voucher (only at the
   * revision read), the audit event and the answer it owes the waiting workflow, in one transaction.
   * A second click loses the race here.
   */
  async decide(input: {
    voucher: Voucher;
    next: Voucher;
    approval: Approval;
    assignee: string;
    event: AuditEvent;
    /** A proxy approval's consent email, recorded as used in the same transaction (D6). */
    consentUse?: ConsentEmailUse;
    owed: OwedAnswer;
  }): Promise<void> {
    const pending =
      input.approval.countersign === 'PENDING'
        ? [
            {
              Put: {
                TableName: this.table.name,
                Item: {
                  ...keys.pendingCountersign(
                    input.assignee,
                    input.voucher.id,
                    input.approval.version,
                    input.approval.step,
                  ),
                  approver: input.assignee,
                  voucherId: input.voucher.id,
                  version: input.approval.version,
                  step: input.approval.step,
                  proxy: input.approval.proxy,
                  approvedAt: input.approval.decidedAt,
                } satisfies PendingCountersign,
              },
            },
          ]
        : [];
    const { approval } = input;
    await transact(this.table, [
      {
        Update: {
          TableName: this.table.name,
          Key: keys.approvalStep(input.voucher.id, approval.version, approval.step),
          UpdateExpression:
            'SET voucherId = :voucherId, version = :version, step = :step, assignee = if_not_exists(assignee, :assignee), attempt = if_not_exists(attempt, :zero), decision = :decision, decidedBy = :by, decidedAt = :at, reason = :reason',
          ConditionExpression: 'attribute_not_exists(decision)',
          ExpressionAttributeValues: {
            ':voucherId': input.voucher.id,
            ':version': approval.version,
            ':step': approval.step,
            ':assignee': input.assignee,
            ':zero': 0,
            ':decision': approval.decision,
            ':by': approval.decidedBy,
            ':at': approval.decidedAt,
            ':reason': approval.reason ?? '',
          },
        },
      },
      this.vouchers.putItem(input.next, input.voucher.revision),
      auditPut(this.table, keys.voucher(input.voucher.id).pk, input.event),
      ...pending,
      ...(input.consentUse
        ? [
            {
              Put: {
                TableName: this.table.name,
                Item: { ...keys.consentEmailUse(input.consentUse.signatureId), ...input.consentUse },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      owedPut(this.table, input.owed),
    ]);
  }

  async consentEmailUse(signatureId: string): Promise<ConsentEmailUse | null> {
    const item = await this.table.get(keys.consentEmailUse(signatureId));
    return item ? withoutKeys<ConsentEmailUse>(item) : null;
  }

  /**
   * POLICY D6: a refused proxy approval pulls the voucher back to its step — in one transaction the
   * voucher (at the revision read: approvals marked withdrawn, back IN_APPROVAL, no payment planned),
   * the decision of that step and of every later step withdrawn with it cleared (each only while still
   * decided), the pending countersigns of the withdrawn proxy approvals removed, and the audit event.
   * Task tokens stay on the step items: whoever answers the workflow reads them after this write.
   */
  async withdrawApproval(input: {
    voucher: Voucher;
    next: Voucher;
    clearSteps: ApprovalStep[];
    pendingCountersigns: { approver: string; step: ApprovalStep }[];
    event: AuditEvent;
    /** The answers the withdrawal owes the waits the workflow may be in (lib/workflow/outbox.ts). */
    owed: OwedAnswer[];
  }): Promise<void> {
    const { voucher } = input;
    await transact(this.table, [
      this.vouchers.putItem(input.next, voucher.revision),
      ...input.clearSteps.map((step) => ({
        Update: {
          TableName: this.table.name,
          Key: keys.approvalStep(voucher.id, voucher.version, step),
          UpdateExpression: 'REMOVE decision, decidedBy, decidedAt, reason SET attempt = :zero',
          ConditionExpression: 'attribute_exists(decision)',
          ExpressionAttributeValues: { ':zero': 0 },
        },
      })),
      ...input.pendingCountersigns.map((pending) => ({
        Delete: {
          TableName: this.table.name,
          Key: keys.pendingCountersign(pending.approver, voucher.id, voucher.version, pending.step),
        },
      })),
      auditPut(this.table, keys.voucher(voucher.id).pk, input.event),
      ...input.owed.map((owed) => owedPut(this.table, owed)),
    ]);
  }

  /** Outstanding countersigns, of one approver or of everyone (finance's list), oldest voucher first. */
  async pendingCountersigns(approver?: string): Promise<PendingCountersign[]> {
    const prefix = keys.pendingCountersignsPrefix(approver);
    const items = await this.table.queryPrefix(prefix.pk, prefix.skPrefix);
    return items.map((item) => withoutKeys<PendingCountersign>(item));
  }

  /** Settles one countersign: the voucher's approval, the pending entry removed, the event. */
  async settleCountersign(
    pending: PendingCountersign,
    voucher: Voucher,
    next: Voucher,
    event: AuditEvent,
  ): Promise<void> {
    await transact(this.table, [
      this.vouchers.putItem(next, voucher.revision),
      {
        Delete: {
          TableName: this.table.name,
          Key: keys.pendingCountersign(pending.approver, pending.voucherId, pending.version, pending.step),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      auditPut(this.table, keys.voucher(voucher.id).pk, event),
    ]);
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

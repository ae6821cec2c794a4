/**
 * The store's ports: what use cases may ask of the table, in the domain's words. The DynamoDB classes
 * of lib/storage implement them (`createStore` wires them); no use case builds an item, a key or a
 * transaction item, or knows how many writes one transaction holds.
 *
 * A status change of a voucher is never written through `VoucherStore.save` directly: the one change
 * operation (lib/platform/change.ts) loads, asks the guard and the voucher's lifecycle, bumps the
 * revision and saves — the voucher, its audit event, the conditions and the writes that belong to the
 * change, and what it owes the workflow — in one transaction.
 */
import type { Delegation, ProxyAssignment } from '../domain/approval-rules.ts';
import type { AwaitedAction } from '../domain/awaiting.ts';
import type { CalendarOverride, LoadedCalendarYear } from '../domain/calendar.ts';
import { ConflictError, RuleViolationError } from '../domain/errors.ts';
import type { InvoiceRequest, InvoiceRequestStatus } from '../domain/invoice-request.ts';
import type {
  Approval,
  ApprovalStep,
  AuditEvent,
  Fen,
  Instant,
  LegalEntity,
  LocalDate,
  Person,
  PlatformOrder,
  Supplier,
  Voucher,
  VoucherStatus,
} from '../domain/model.ts';
import type { PolicySettings } from '../domain/policy.ts';
import type { SupplierChange } from '../domain/supplier-change.ts';
import type {
  OwedAggregateAnswer,
  OwedAnswer,
  OwedDelivery,
  OwedStart,
  VoucherWaitKind,
} from './owed-deliveries.ts';

/** Asia/Shanghai days, inclusive at both ends; either end may be open. */
export interface DayRange {
  from?: LocalDate | undefined;
  to?: LocalDate | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A write lost a race (its condition failed): the caller re-reads and tries again, or gives up. */
export class ConcurrentUpdateError extends ConflictError {
  constructor(
    /** Which of the transaction's writes failed (for the logs). */
    readonly failedItems: number[] = [],
    options: { cause?: unknown } = {},
  ) {
    super(
      'CONCURRENT_UPDATE',
      '有人同时修改了这项内容，什么都没有保存，请重试。Someone else changed this at the same moment; nothing was saved. Try again.',
      options,
    );
  }
}

/**
 * A change that does not fit one transaction of the table, refused before anything is written. How
 * much fits is the adapter's business; the use case says what that means to its caller.
 */
export class ChangeTooLargeError extends RuleViolationError {
  constructor(
    readonly writes: number,
    readonly limit: number,
  ) {
    super(
      'CHANGE_TOO_LARGE',
      `这次修改一次要写入 ${writes} 项，最多只能 ${limit} 项。This change would write ${writes} items at once; at most ${limit} fit.`,
    );
  }
}

// ——— Records the ports hand out ———

/** A voucher's claim on one order, kept under the order (split aggregation, POLICY D2). */
export interface OrderVoucherLink {
  orderId: string;
  voucherId: string;
  supplierId: string;
  voucherAmountFen: Fen;
  allocatedFen: Fen;
  orderIds: string[];
  submittedOn: LocalDate;
  status: VoucherStatus;
}

/**
 * Vouchers to one supplier on one Asia/Shanghai day (POLICY D2), one item so races show up. An entry
 * is what the day's split sum needs (same supplier, same day: the orders do not matter), so the item
 * grows by a few dozen bytes a voucher, up to `MAX_VOUCHERS_PER_SUPPLIER_DAY` (≤ 85 KB; items written
 * before kept each voucher's `orderIds`, dropped when the day is next written).
 */
export interface SupplierDay {
  supplierId: string;
  day: LocalDate;
  version: number;
  vouchers: Record<string, SupplierDayEntry>;
}

export interface SupplierDayEntry {
  amountFen: Fen;
  status: VoucherStatus;
}

/** Vouchers (rejected ones included) one supplier-day item holds: far above any real day, far below 400 KB. */
export const MAX_VOUCHERS_PER_SUPPLIER_DAY = 1000;

export interface IdempotencyRecord {
  applicant: string;
  key: string;
  requestHash: string;
  voucherId: string;
  createdAt: string;
  /** Epoch seconds (TTL). */
  expiresAt: number;
}

/** Who asked to upload which file: a voucher may only cite its own applicant's uploads. */
export interface UploadRecord {
  key: string;
  owner: string;
  fileName: string;
  contentType: string;
  size: number;
  createdAt: string;
  /**
   * Set on a file a refused page form kept for the person to send again (lib/uploads/create-upload.ts
   * `holdFormFiles`): until then it may be cited; the voucher that cites it keeps it for good, in its
   * own transaction. Left uncited, the record expires (TTL) and the file can be neither opened nor cited.
   */
  heldUntil?: string;
}

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

/** A unit of work a scheduled-job run holds: only its holder (the token) may complete or release it. */
export interface JobClaim {
  job: string;
  unit: string;
  token: string;
}

export type ClaimOutcome =
  | { status: 'CLAIMED'; claim: JobClaim; tookOverFrom?: string }
  | { status: 'DONE' }
  /** Another delivery claimed it moments ago and is still at it. */
  | { status: 'IN_PROGRESS'; claimedAt: string };

// ——— Workflow waits: one store for every capability, keyed by (aggregate, kind) ———

/** The aggregate a wait is about. Later capabilities (a reconciliation week, an invoice batch) add theirs. */
export type AggregateRef =
  | { type: 'voucher'; id: string }
  /** An entity's invoice batch of one batch day (POLICY 4, D12, D13): id `<entityId>#<batchDate>`. */
  | { type: 'invoiceBatch'; id: string }
  /** One entity's reconciliation week (POLICY 3.2, D11): `id` is `<entityId>#<week>`. */
  | { type: 'reconciliation'; id: string };

/**
 * A wait with an item of its own, `WAIT#<kind>` under its aggregate; the kind carries the version of a
 * versioned aggregate (`000002#PAYMENT`), so a new version's waits are new waits.
 */
export interface OwnWait {
  aggregate: AggregateRef;
  kind: string;
}

/** An approval step's wait: its token is kept on the step's own item, beside the step's decision. */
export interface StepWait {
  aggregate: AggregateRef;
  version: number;
  step: ApprovalStep;
}

export type WaitRef = OwnWait | StepWait;

/** A voucher version's wait after finance review (the payment day, the cashier, finance, the invoice). */
export function voucherWait(voucherId: string, version: number, kind: VoucherWaitKind): OwnWait {
  return {
    aggregate: { type: 'voucher', id: voucherId },
    kind: `${String(version).padStart(6, '0')}#${kind}`,
  };
}

/** An entity's invoice batch of one day as the wait store's aggregate. */
export function invoiceBatchAggregate(batch: { entityId: string; batchDate: LocalDate }): AggregateRef {
  return { type: 'invoiceBatch', id: `${batch.entityId}#${batch.batchDate}` };
}

/**
 * The invoice batch workflow's two waits: `ISSUED` until no line is with finance any more (every line
 * issued or returned); `MAILED` until, besides, every issued line's mailing is reported.
 */
export type InvoiceBatchWaitKind = 'ISSUED' | 'MAILED';

export function invoiceBatchWait(
  batch: { entityId: string; batchDate: LocalDate },
  kind: InvoiceBatchWaitKind,
): OwnWait {
  return { aggregate: invoiceBatchAggregate(batch), kind };
}

export function approvalStepWait(voucherId: string, version: number, step: ApprovalStep): StepWait {
  return { aggregate: { type: 'voucher', id: voucherId }, version, step };
}

/** The wait an owed answer is for. */
export function waitAnsweredBy(item: OwedAnswer | OwedAggregateAnswer): WaitRef {
  if (item.type === 'ANSWER_AGGREGATE_WAIT') return { aggregate: item.aggregate, kind: item.kind };
  return 'step' in item.wait
    ? approvalStepWait(item.voucherId, item.version, item.wait.step)
    : voucherWait(item.voucherId, item.version, item.wait.kind);
}

export interface WaitRecord {
  /** The current task token; never leaves the server. Absent on a step that was never waited for. */
  taskToken?: string;
  /** How many reminders the wait has sent (the invoice chase; an approval step's attempt). */
  attempt: number;
  /** The workflow's own attempt number of the task that stored it: a retried invocation repeats it. */
  taskAttempt?: number;
  /**
   * The aggregate's revision the wait read before storing its token: an owed answer written at this
   * revision or before is older than the wait (absent on tokens stored before it was kept).
   */
  revision?: number;
}

export interface WaitStore {
  /**
   * Keeps a wait's task token, only while its aggregate is still as `while` says — in that status, at
   * that version, and (when given) exactly at that revision — checked in the same transaction. False
   * when it moved on already: the caller then answers the workflow itself. Whoever moves it on reads
   * the token after their own write, so one of the two always answers.
   */
  keep(
    wait: OwnWait,
    taskToken: string,
    options: {
      while: { status: string; version: number; revision?: number };
      /** The aggregate's revision as read (the outbox's guard against older answers). */
      revision: number;
      attempt?: number;
      taskAttempt?: number;
    },
  ): Promise<boolean>;
  /** Keeps an approval step's newest task token; false once the step is decided. */
  keepStep(
    wait: StepWait,
    taskToken: string,
    options: { assignee: string; attempt: number; revision: number },
  ): Promise<boolean>;
  get(wait: WaitRef): Promise<WaitRecord | null>;
}

// ——— Voucher changes, in the domain's words; the adapter translates them ———

/** A condition on another item at the moment of the write. */
export type VoucherCondition =
  /** POLICY D7: the order has no open refund or dispute (checked again when paying). */
  { kind: 'orderHasNoOpenDispute'; orderId: string };

/** Writes to other items that belong to a voucher's change. */
export type VoucherEffect =
  /** The step is decided, once: refused if it was decided already (a second click loses). */
  | { kind: 'stepDecided'; approval: Approval; assignee: string }
  /** POLICY D6: steps to be decided again — their decisions cleared (each only while still decided). */
  | { kind: 'stepsReopened'; version: number; steps: readonly ApprovalStep[] }
  /** A proxy approval waits for the approver's countersign (D6). */
  | { kind: 'countersignAwaited'; pending: PendingCountersign }
  /** The countersign is settled (countersigned or refused): refused if it was settled already. */
  | { kind: 'countersignSettled'; pending: PendingCountersign }
  /** The proxy approval was withdrawn: nobody's countersign is awaited any more. */
  | {
      kind: 'countersignWithdrawn';
      pending: Pick<PendingCountersign, 'approver' | 'voucherId' | 'version' | 'step'>;
    }
  /** A consent email serves one approval (D6): refused if it served one already. */
  | { kind: 'consentEmailUsed'; use: ConsentEmailUse }
  /** POLICY D2, D7, D19: a rejected version gives back its claims on its orders and leaves its split groups. */
  | { kind: 'claimsReleased' };

/** One voucher's change as it is written: all of it in one transaction, or none. */
export interface VoucherWrite {
  /** The voucher as it becomes (its revision already bumped). */
  voucher: Voucher;
  /** The revision read: the write is conditional on it. */
  expectedRevision: number;
  event: AuditEvent;
  conditions?: readonly VoucherCondition[];
  effects?: readonly VoucherEffect[];
  owed?: readonly OwedDelivery[];
}

/** Everything one submission writes, in one transaction (POLICY D7, D2; DESIGN.md decision 6). */
export interface SubmissionPlan {
  voucher: Voucher;
  /** The revision of the rejected voucher a resubmission replaces (POLICY D19); null for a new voucher. */
  previousRevision: number | null;
  event: AuditEvent;
  idempotency: IdempotencyRecord;
  orders: { orderId: string; expectedVersion: number; allocatedFen: Fen }[];
  supplierDay: { expectedVersion: number | null; next: SupplierDay };
  /** Earlier vouchers of the same split group that now need the CEO too (conditional on their revision). */
  escalations: { voucher: Voucher; expectedRevision: number; event: AuditEvent }[];
  /** The version's approval execution, owed to the workflow in the same transaction. */
  owed: OwedStart;
  /**
   * The voucher's short number, when this submission gives it one (a new voucher; a resubmission keeps
   * its own): the entity's counter of that day moves from `expectedLast` (0: none given that day yet)
   * to `sequence`, and the number is claimed once — both conditional, so two submissions never share
   * one (lib/domain/voucher-number.ts).
   */
  number?: { entityId: string; day: LocalDate; expectedLast: number; sequence: number; value: string };
  /** Files kept for the form after a refusal (UploadRecord.heldUntil) that this voucher cites: kept for good. */
  heldUploads?: readonly string[];
}

// ——— The stores ———

export interface VoucherStore {
  get(voucherId: string): Promise<Voucher | null>;
  history(voucherId: string): Promise<AuditEvent[]>;
  /**
   * Whether the version's history has an event of one of `types` whose details hold `details`: how a
   * task that sends something knows it was sent already (the event is written after the send).
   */
  hasEvent(
    voucherId: string,
    version: number,
    types: ReadonlySet<string>,
    details: Record<string, unknown>,
  ): Promise<boolean>;
  /** The version's first event of one of `types` whose details hold `details`, if there is one. */
  findEvent(
    voucherId: string,
    version: number,
    types: ReadonlySet<string>,
    details: Record<string, unknown>,
  ): Promise<AuditEvent | undefined>;
  idempotencyRecord(applicant: string, key: string): Promise<IdempotencyRecord | null>;
  /** The last short number's place given on `day` in the entity (0 when none yet), read strongly consistent. */
  lastNumberOn(entityId: string, day: LocalDate): Promise<number>;
  /** The voucher a short number names in the entity, if any. */
  idByNumber(entityId: string, number: string): Promise<string | null>;
  supplierDay(supplierId: string, day: LocalDate): Promise<SupplierDay | null>;
  /**
   * An entity's vouchers in one status, oldest first (`newestFirst`: the other way), a page at a time;
   * `submitted` narrows them to the Asia/Shanghai days submitted, inclusive (a key condition).
   */
  listByStatus(
    entityId: string,
    status: VoucherStatus,
    options: { limit: number; cursor?: string; submitted?: DayRange; newestFirst?: boolean },
  ): Promise<Page<Voucher>>;
  /**
   * One person's vouchers, newest first (`newestFirst: false`: oldest); `status` narrows a list that
   * is bounded by one person; `submitted` the days submitted, as above.
   */
  listByApplicant(
    applicant: string,
    options: {
      limit: number;
      cursor?: string;
      status?: VoucherStatus;
      submitted?: DayRange;
      newestFirst?: boolean;
    },
  ): Promise<Page<Voucher>>;
  /**
   * The payment run of one day (POLICY 2.2(3), D3–D5): every voucher still waiting whose due day is
   * that day or earlier (overdue ones stay in every run until paid), and those paid or failed that day.
   */
  paymentRun(entityId: string, date: LocalDate): Promise<Voucher[]>;
  /** Vouchers waiting for the run of exactly that day (POLICY D5: the candidates to pull into today's). */
  dueOn(entityId: string, date: LocalDate): Promise<Voucher[]>;
  /**
   * What waits for one person (lib/domain/awaiting.ts) — of one kind of work, or all — the oldest
   * change first. Read from an index, so a moment behind the last write: check each against
   * `whoVoucherAwaits` before acting on it.
   */
  awaiting(email: string, action?: AwaitedAction): Promise<Voucher[]>;
  /**
   * Paid vouchers still waiting for the supplier's invoice, oldest payment first (`newestFirst`: the
   * latest first) (POLICY D9); `paid` the days paid, a key condition of the index.
   */
  awaitingInvoice(
    entityId: string,
    options: { limit: number; cursor?: string; paid?: DayRange; newestFirst?: boolean },
  ): Promise<Page<Voucher>>;
  /** A submission, all of it or none; a plan that cannot fit one transaction is a ChangeTooLargeError. */
  submit(plan: SubmissionPlan): Promise<void>;
  /** An event that changes nothing else (an email sent, a reminder). */
  recordEvent(voucherId: string, event: AuditEvent): Promise<void>;
  /** One change, in one transaction (a ChangeTooLargeError if it cannot fit). Through lib/platform/change.ts. */
  save(write: VoucherWrite): Promise<void>;
  /**
   * Several vouchers' changes, in as many transactions as the table needs — each all or none, in the
   * order given. A lost race in a later one leaves the earlier ones written. Through lib/platform/change.ts.
   */
  saveAll(writes: readonly VoucherWrite[]): Promise<void>;
}

export interface OrderStore {
  get(orderId: string): Promise<PlatformOrder | null>;
  /**
   * A supplier's orders as they are now (strongly consistent), the highest order id first, at most
   * `limit`: what the voucher form offers, each with what it still owes.
   */
  listBySupplier(supplierId: string, options: { limit: number }): Promise<PlatformOrder[]>;
  /** Strongly consistent (orders a voucher references; at most a few dozen). */
  getMany(orderIds: readonly string[]): Promise<Map<string, PlatformOrder>>;
  /** Creates (expectedVersion null) or replaces an order, with its audit event, conditional on the version read. */
  save(order: PlatformOrder, expectedVersion: number | null, event: AuditEvent): Promise<void>;
  /** An entity's orders that became complete and recorded in `(after, upTo]` (POLICY 3.1, D10). */
  completeRecordedBetween(entityId: string, after: string, upTo: string): Promise<PlatformOrder[]>;
  /**
   * One page of an entity's orders complete and recorded at or after `from` (index
   * `ordersCompleteRecorded`): the weekly reconciliation streams a week's orders this way (POLICY 3.2).
   */
  completeRecordedFrom(
    entityId: string,
    from: string,
    options: { limit: number; cursor?: string },
  ): Promise<Page<PlatformOrder>>;
  voucherLinks(orderId: string): Promise<OrderVoucherLink[]>;
  history(orderId: string): Promise<AuditEvent[]>;
}

export interface SupplierStore {
  get(supplierId: string): Promise<Supplier | null>;
  /** The entity's suppliers (the master data to pick a voucher's supplier from), by id. */
  listByEntity(entityId: string): Promise<Supplier[]>;
  /** Creates (expectedVersion null) or replaces a supplier, with its audit event, conditional on the version read. */
  save(supplier: Supplier, expectedVersion: number | null, event: AuditEvent): Promise<void>;
  history(supplierId: string): Promise<AuditEvent[]>;
}

/** Supplier change requests (POLICY D8), kept under their supplier; the master is not touched. */
export interface SupplierChangeStore {
  get(supplierId: string, changeId: string): Promise<SupplierChange | null>;
  /** A supplier's change requests, oldest first (a handful per supplier). */
  listBySupplier(supplierId: string): Promise<SupplierChange[]>;
  /** Creates the request with its audit event; false when a request with that id exists already. */
  open(change: SupplierChange, event: AuditEvent): Promise<boolean>;
  /** The entity's pending requests (finance's review list, D8). */
  pendingOfEntity(entityId: string): Promise<SupplierChange[]>;
  /**
   * A review (approval or rejection) with its audit event, conditional on the request's version read;
   * an approval also puts the supplier's new master data, conditional on the supplier's version read.
   */
  review(write: SupplierChangeReview): Promise<void>;
}

export interface SupplierChangeReview {
  change: SupplierChange;
  expectedVersion: number;
  event: AuditEvent;
  supplier?: { next: Supplier; expectedVersion: number };
}

/** The directory (DESIGN.md decision 12: roles come from here, not from the sign-in token). */
export interface PeopleStore {
  get(email: string): Promise<Person | null>;
  /**
   * The entity's people, by email: those active only (who may be routed a step, mailed, named a
   * proxy), unless `includeInactive` (the administrator's list).
   */
  listByEntity(entityId: string, options?: { includeInactive?: boolean }): Promise<Person[]>;
  /**
   * Creates (expectedVersion null: nobody by that email yet) or replaces a person, with its audit
   * event, conditional on the version read (0: a person stored without one) — a lost race is a
   * ConcurrentUpdateError. The person's `version` is the one to store.
   */
  save(person: Person, expectedVersion: number | null, event: AuditEvent): Promise<void>;
  /** A person's audit events (their record's changes, delegations given, proxies named), oldest first. */
  history(email: string): Promise<AuditEvent[]>;
  getEntity(entityId: string): Promise<LegalEntity | null>;
  /** Every legal entity of the company (a handful): what the daily jobs go through. */
  listEntities(): Promise<LegalEntity[]>;
  /** Creates or replaces a legal entity with its audit event, as `save` does a person. */
  saveEntity(entity: LegalEntity, expectedVersion: number | null, event: AuditEvent): Promise<void>;
  entityHistory(entityId: string): Promise<AuditEvent[]>;
}

export interface UploadStore {
  get(key: string): Promise<UploadRecord | null>;
  /** A new key (a ULID in it); one used before is refused. */
  create(record: UploadRecord): Promise<void>;
}

/** Versioned policy settings per legal entity (POLICY D17) and the calendar overrides (D16). */
export interface SettingsStore {
  /**
   * The version in effect at an instant (D17): the newest whose Asia/Shanghai day has come (from
   * 00:00 of its `effectiveFrom`); the policy's defaults when none was ever stored.
   */
  currentPolicy(entityId: string, at: Date): Promise<PolicySettings>;
  /** Every stored version of an entity, oldest first. */
  policyVersions(entityId: string): Promise<PolicySettings[]>;
  /** The audit events of an entity's policy (its new versions), oldest first. */
  policyHistory(entityId: string): Promise<AuditEvent[]>;
  /** The version a document was decided under (D17); the defaults when it was never stored. */
  policy(entityId: string, version: number): Promise<PolicySettings>;
  /** A new policy version; versions are never overwritten, nor stored above the ceilings. */
  addPolicyVersion(entityId: string, policy: PolicySettings, event?: AuditEvent): Promise<void>;
  calendarOverrides(): Promise<CalendarOverride[]>;
  putCalendarOverride(override: CalendarOverride): Promise<void>;
  /** The calendar's revision (0: never changed through `changeCalendar`), one strongly consistent read. */
  calendarRevision(): Promise<number>;
  /** Everything the calendar is made of: the overrides, the loaded years, and their revision. */
  calendar(): Promise<StoredCalendar>;
  /** The calendar's audit events (overrides set and removed, years loaded), oldest first. */
  calendarHistory(): Promise<AuditEvent[]>;
  /**
   * One change of the calendar with its audit event, conditional on the revision read: a change made
   * meanwhile is a ConcurrentUpdateError and nothing is written.
   */
  changeCalendar(change: CalendarChange): Promise<void>;
}

export interface StoredCalendar {
  revision: number;
  overrides: (CalendarOverride & { by?: string; at?: string })[];
  years: LoadedCalendarYear[];
}

export interface CalendarChange {
  expectedRevision: number;
  event: AuditEvent;
  put?: CalendarOverride & { by: string; at: string };
  remove?: LocalDate;
  year?: LoadedCalendarYear;
}

/** Approval steps, countersigns, consent emails, proxies and delegations (the steps' writes go with the voucher's change). */
export interface ApprovalStore {
  getStep(voucherId: string, version: number, step: ApprovalStep): Promise<StepRecord | null>;
  consentEmailUse(signatureId: string): Promise<ConsentEmailUse | null>;
  /** Outstanding countersigns, of one approver or of everyone (finance's list), oldest voucher first. */
  pendingCountersigns(approver?: string): Promise<PendingCountersign[]>;
  /** A travelling approver's proxies (POLICY D6), every one ever named, oldest first. */
  proxyAssignmentsOf(approver: string): Promise<ProxyAssignment[]>;
  /** A person's own audit events (delegations given, proxies named for them), oldest first. */
  personHistory(email: string): Promise<AuditEvent[]>;
  addProxyAssignment(assignment: ProxyAssignment, event: AuditEvent): Promise<void>;
  delegationsFrom(from: string): Promise<Delegation[]>;
  addDelegation(delegation: Delegation, event: AuditEvent): Promise<void>;
  delegation(from: string, id: string): Promise<Delegation | null>;
  proxyAssignment(approver: string, id: string): Promise<ProxyAssignment | null>;
  /** Revoked once: a ConcurrentUpdateError if it is gone or already revoked. */
  revokeDelegation(
    delegation: Pick<Delegation, 'from' | 'id'>,
    revoked: { revokedAt: string; revokedBy: string },
    event: AuditEvent,
  ): Promise<void>;
  /** Ended once: a ConcurrentUpdateError if it is gone or already ended. */
  endProxyAssignment(
    assignment: Pick<ProxyAssignment, 'approver' | 'id'>,
    ended: { endedAt: string; endedBy: string },
    event: AuditEvent,
  ): Promise<void>;
}

/** What scheduled jobs have done, per job and unit of work, so a repeated delivery does nothing twice. */
export interface JobRunStore {
  done(job: string, unit: string): Promise<boolean>;
  /** Claims the unit for this run, unless it is done or another run holds a fresh claim on it. */
  claim(job: string, unit: string, at: Date): Promise<ClaimOutcome>;
  /** Marks the claimed unit done; false when the claim is no longer this run's. */
  complete(claim: JobClaim, at: Date, details: Record<string, unknown>): Promise<boolean>;
  /** Gives the unit back (its work failed), so the next delivery does it. */
  release(claim: JobClaim): Promise<void>;
}

/** Where an owed delivery is kept: what the table's stream names. */
export interface OwedDeliveryKey {
  pk: string;
  sk: string;
}

/** The workflow outbox's items (lib/workflow/outbox.ts); they are put by the change that owes them. */
export interface OutboxStore {
  /** The item at a key the stream named, if it is still owed. */
  get(key: OwedDeliveryKey): Promise<OwedDelivery | null>;
  /** What was owed before `before`, oldest first, at most `limit` items. */
  owedBefore(before: Date, limit: number): Promise<OwedDelivery[]>;
  /** Delivered: the item goes (already gone: another delivery got there first). */
  delivered(item: OwedDelivery): Promise<void>;
  /** Counts a failed attempt and keeps its error, so an operator sees why an item is still owed. */
  failedAttempt(item: OwedDelivery, error: string): Promise<void>;
}

// ——— Customer invoice requests (POLICY 4; D7, D12, D13) ———

/** The one request an order is on: kept under the order, so no order is invoiced twice. */
export interface InvoiceOrderClaim {
  orderId: string;
  requestId: string;
  requestNumber: string;
  entityId: string;
  claimedAt: string;
}

export interface InvoiceIdempotencyRecord {
  person: string;
  key: string;
  requestHash: string;
  requestId: string;
  createdAt: string;
  /** Epoch seconds (TTL). */
  expiresAt: number;
}

/**
 * An entity's batch of one batch day once it has closed (POLICY D12, D13): written by the close, so
 * its absence means the batch is still open. `ISSUED` and `DONE` are read from its lines, never stored.
 */
export interface InvoiceBatchRecord {
  entityId: string;
  batchDate: LocalDate;
  status: 'WITH_FINANCE';
  closesAt: string;
  sentAt: string;
  /** D13: the end of this day is finance's deadline. */
  dueBy: LocalDate;
  policyVersion: number;
  /** Always 1 (the batch is not versioned): the wait store's condition reads it. */
  version?: 1;
  /**
   * Its lines still with finance (WITH_FINANCE) and its issued lines not yet reported mailed (ISSUED),
   * kept by each line's change in the same transaction (lib/platform/change.ts): the change that
   * takes one to zero answers the batch workflow's wait (absent on a batch closed before they were kept).
   */
  withFinance?: number;
  unmailed?: number;
  revision: number;
}

/** A line's change of a closed batch's counters, conditional on the batch's revision read. */
export interface InvoiceBatchCounters {
  entityId: string;
  batchDate: LocalDate;
  expectedRevision: number;
  withFinance: number;
  unmailed: number;
}

export interface InvoiceBatchStore {
  get(entityId: string, batchDate: LocalDate): Promise<InvoiceBatchRecord | null>;
  /**
   * The close: once (false when the batch had closed already), with its audit event and what it owes
   * the workflows (the batch workflow's start) in the same transaction.
   */
  close(batch: InvoiceBatchRecord, event: AuditEvent, owed?: readonly OwedDelivery[]): Promise<boolean>;
  history(entityId: string, batchDate: LocalDate): Promise<AuditEvent[]>;
}

/** Everything recording a request writes, in one transaction: refused whole if an order is claimed. */
export interface InvoiceRequestRecording {
  request: InvoiceRequest;
  event: AuditEvent;
  idempotency: InvoiceIdempotencyRecord;
  /** One per order, each put only if the order has no claim yet. */
  claims: InvoiceOrderClaim[];
  /** D12: the batch it joins has not closed at the moment of the write (null: it waits for an order). */
  batchStillOpen: { entityId: string; batchDate: LocalDate } | null;
}

/** One request's change as it is written (through lib/platform/change.ts `changeInvoiceRequest`). */
export interface InvoiceRequestWrite {
  request: InvoiceRequest;
  expectedRevision: number;
  event: AuditEvent;
  /** An issued invoice's number, taken once (refused if another request holds it already). */
  invoiceNumberTaken?: { invoiceNumber: string; requestId: string };
  /** D12: the batch the request joins has not closed at the moment of the write. */
  batchStillOpen?: { entityId: string; batchDate: LocalDate };
  /** The closed batch's counters as the change leaves them (lib/platform/change.ts). */
  batchCounters?: InvoiceBatchCounters;
  /** What the change owes the batch workflow (its waits' answers), in the same transaction. */
  owed?: OwedDelivery[];
  /** Issue 13 §4: the red invoice frees the request's orders — each claim deleted while it is this request's. */
  claimsReleased?: { requestId: string; orderIds: readonly string[] };
}

export interface InvoiceRequestStore {
  get(requestId: string): Promise<InvoiceRequest | null>;
  history(requestId: string): Promise<AuditEvent[]>;
  idempotencyRecord(person: string, key: string): Promise<InvoiceIdempotencyRecord | null>;
  /** The claims on these orders (strongly consistent), by order id; an order without one is absent. */
  claimsOf(orderIds: readonly string[]): Promise<Map<string, InvoiceOrderClaim>>;
  /** An entity's requests in one status (of one batch when given), by batch day then recording. */
  listByStatus(
    entityId: string,
    status: InvoiceRequestStatus,
    options: { limit: number; cursor?: string; batchDate?: LocalDate },
  ): Promise<Page<InvoiceRequest>>;
  /** The requests of one batch, whatever their status, by request number. */
  listByBatch(
    entityId: string,
    batchDate: LocalDate,
    options: { limit: number; cursor?: string },
  ): Promise<Page<InvoiceRequest>>;
  /** Issue 13 §4: an entity's requests with an open red-letter flag, oldest flag first. */
  listFlagged(entityId: string, options: { limit: number; cursor?: string }): Promise<Page<InvoiceRequest>>;
  /** The request an invoice number was issued for, if any. */
  invoiceNumberHolder(invoiceNumber: string): Promise<string | null>;
  /**
   * A new request, its claims, idempotency record and audit event: all or none. An order claimed
   * meanwhile (another request won the race) is a ConcurrentUpdateError: the caller reads again.
   */
  record(plan: InvoiceRequestRecording): Promise<void>;
  /** One change, conditional on the revision read, with its audit event. */
  save(write: InvoiceRequestWrite): Promise<void>;
  /** Several changes, each its own transaction, in order (a batch's close, a result file). */
  saveAll(writes: readonly InvoiceRequestWrite[]): Promise<void>;
}

/**
 * A bank batch file as it was exported from a day's run (POLICY 2.2(3): paid at most once): which
 * vouchers it holds, in the file's order, at the version and amount they went into it — so the cashier
 * records the bank's references for exactly that file's vouchers, and may download the file again.
 */
export interface BankFile {
  /** The export's batch id (the vouchers' `payment.exports[].batch`). */
  id: string;
  entityId: string;
  /** The run it was exported from. */
  day: LocalDate;
  fileName: string;
  format: 'csv' | 'xlsx';
  at: Instant;
  by: string;
  vouchers: BankFileEntry[];
}

export interface BankFileEntry {
  voucherId: string;
  version: number;
  amountFen: Fen;
}

/**
 * Vouchers one bank file holds at most: its record stays under 70 KB (≤ 140 bytes a voucher), and
 * a run with more goes into several files, the next export taking the rest.
 */
export const MAX_VOUCHERS_PER_BANK_FILE = 500;

/** The bank files exported from the runs, under their run's day. */
export interface BankFileStore {
  /** A new file's record (its batch id is new: a second record under one id is refused). */
  record(file: BankFile): Promise<void>;
  get(entityId: string, day: LocalDate, id: string): Promise<BankFile | null>;
  /** The files exported from one day's run, oldest first. */
  ofRun(entityId: string, day: LocalDate): Promise<BankFile[]>;
}

/** One legal entity's daily export of one working day (POLICY 3.1, D10). */
export interface DailyExport {
  entityId: string;
  date: LocalDate;
  /** The window `(windowStart, windowEnd]` of completion-and-record instants it holds. */
  windowStart: string;
  windowEnd: string;
  orders: number;
  amountFen: Fen;
  supplierPayableFen: Fen;
  claimedFen: Fen;
  /** How many of its orders are late (recorded after the export that covered their completion). */
  late: number;
  /** Object-store keys of its files. */
  files: { csv: string; xlsx: string };
  /** The policy version it was made under (D17). */
  policyVersion: number;
  createdAt: string;
}

export interface DailyExportStore {
  get(entityId: string, date: LocalDate): Promise<DailyExport | null>;
  /** The entity's latest export (by day), or null before its first. */
  latest(entityId: string): Promise<DailyExport | null>;
  /** The entity's exports of the days `from`..`to` (inclusive), oldest first. */
  list(entityId: string, from: LocalDate, to: LocalDate): Promise<DailyExport[]>;
  /** Records an export, once (a second one of the same day is refused), with its audit event. */
  create(record: DailyExport, event: AuditEvent): Promise<void>;
}

// ——— The weekly sales reconciliation (POLICY 3.2, D11) ———

export type ReconciliationInputKind = 'SALES_SUMMARY' | 'MASTER_DATA' | 'ALIPAY_STATEMENT';
export type ReconciliationStatus = 'AWAITING_INPUTS' | 'RUNNING' | 'READY' | 'SIGNED_OFF';

/** One registered input file: the upload it is, who registered it and what was checked of it. */
export interface ReconciliationInput {
  kind: ReconciliationInputKind;
  uploadKey: string;
  fileName: string;
  /** Per kind, 1, 2, …: a summary or master-data sheet registered again is the next version. */
  version: number;
  registeredAt: Instant;
  registeredBy: string;
  /** An Alipay statement's files (a zip may hold several): kind and 起始日期–终止日期, epoch ms, end exclusive. */
  statementFiles?: {
    name: string;
    kind: 'ACCOUNT_LOG' | 'TRADE_DETAIL';
    rangeStartMs: number;
    rangeEndMs: number;
  }[];
}

export interface ReconciliationProgress {
  stage: 'WAITING' | 'READING' | 'MATCHING' | 'MERGING' | 'DONE';
  rowsRead: number;
  partitions: number;
  partitionsDone: number;
}

/** One entity's reconciliation of one week: `RECON#<entityId>#<week>` / `RECON`. */
export interface Reconciliation {
  entityId: string;
  week: LocalDate;
  periodStart: Instant;
  periodEnd: Instant;
  dueOn: LocalDate;
  status: ReconciliationStatus;
  /** The inputs in force: every statement, and the newest summary and master-data sheet. */
  inputs: ReconciliationInput[];
  /** How many runs were started (the run of the differences listed, and of the workflow's execution name). */
  run: number;
  /** The run again, under the name the wait store's condition reads (`status` and `version`). */
  version: number;
  progress: ReconciliationProgress;
  /** Why the last run refused an input (a row conflict across statements, …), until the next run. */
  refusal?: { code: string; message: string };
  /** Differences per category of the last finished run. */
  counts: Record<string, number>;
  /** Differences of the last run not yet explained or corrected (sign-off needs 0). */
  open: number;
  /** The last run's totals (summary, platform, statement, master data), or null before one finished. */
  totals: Record<string, unknown> | null;
  signedOff?: { by: string; at: Instant };
  /** The policy version the week was opened under (D17). */
  policyVersion: number;
  /** Bumped by every change: the condition of the next one. */
  revision: number;
  createdAt: Instant;
  updatedAt: Instant;
}

export type DifferenceStatus = 'OPEN' | 'EXPLAINED' | 'CORRECTED';

/** A difference as stored for one run of a week (the engine's Difference, with its resolution). */
export interface StoredDifference {
  run: number;
  id: string;
  category: string;
  orderId?: string;
  supplierId?: string;
  field?: string;
  sides: { source: string; value: number | string | null; at: { file: string; line: number } | null }[];
  note: string;
  status: DifferenceStatus;
  resolution?: { note: string; by: string; at: Instant };
}

/** One change of a week: the new state, conditional on the revision read, with its audit event. */
export interface ReconciliationWrite {
  reconciliation: Reconciliation;
  /** null: the week is new (created only if absent). */
  expectedRevision: number | null;
  event: AuditEvent;
  /** A difference resolved with the change (its item updated only while it is still open). */
  difference?: StoredDifference;
  /** An execution started by the change (the run), through the outbox. */
  owed?: OwedDelivery;
  /**
   * A held upload the change registers (a week page's form upload, UploadRecord.heldUntil): kept for
   * good in the same transaction, only while its record is still there.
   */
  keptUpload?: string;
}

export interface ReconciliationStore {
  get(entityId: string, week: LocalDate): Promise<Reconciliation | null>;
  history(entityId: string, week: LocalDate): Promise<AuditEvent[]>;
  save(write: ReconciliationWrite): Promise<void>;
  /** A run's differences, put in batches (a rerun of the merge puts the same items again). */
  putDifferences(entityId: string, week: LocalDate, differences: readonly StoredDifference[]): Promise<void>;
  getDifference(entityId: string, week: LocalDate, run: number, id: string): Promise<StoredDifference | null>;
  /** A run's progress as its tasks go (not a decision: no audit event, no revision). */
  progress(entityId: string, week: LocalDate, progress: ReconciliationProgress): Promise<void>;
  /** One more of the run's partitions matched (counted in place: the partitions finish side by side). */
  partitionDone(entityId: string, week: LocalDate): Promise<void>;
  /** One run's differences, by id, filtered (a Query of the week's partition, never a Scan). */
  listDifferences(
    entityId: string,
    week: LocalDate,
    run: number,
    options: { category?: string; status?: DifferenceStatus; limit: number; cursor?: string },
  ): Promise<Page<StoredDifference>>;
}

/** What an audit event is about: the aggregate whose history it is part of. */
export interface AuditSubject {
  kind: 'voucher' | 'supplier' | 'person' | 'entity' | 'order' | 'invoiceRequest' | 'invoiceBatch' | 'other';
  id: string;
}

export interface AuditRecord extends AuditEvent {
  subject: AuditSubject;
}

/** The audit trail across aggregates (issue 14 §8), from the `auditByActor` index. */
export interface AuditStore {
  /**
   * What one actor did, newest first, a page at a time; `days` narrows it to Asia/Shanghai days,
   * inclusive (a key condition). Read from an index: a moment behind the last write.
   */
  byActor(
    actor: string,
    options: { days?: DayRange; limit: number; cursor?: string },
  ): Promise<Page<AuditRecord>>;
}

/** Every port over the one table, as use cases receive it in `deps.store`. */
export interface Store {
  people: PeopleStore;
  suppliers: SupplierStore;
  supplierChanges: SupplierChangeStore;
  orders: OrderStore;
  vouchers: VoucherStore;
  uploads: UploadStore;
  settings: SettingsStore;
  approvals: ApprovalStore;
  jobRuns: JobRunStore;
  /** The task tokens of every workflow wait, keyed by (aggregate, kind). */
  waits: WaitStore;
  /** What changes owe the workflow until it is delivered (lib/workflow/outbox.ts). */
  outbox: OutboxStore;
  /** Customer invoice requests (POLICY 4). */
  invoiceRequests: InvoiceRequestStore;
  /** Closed invoice batches (D12, D13). */
  invoiceBatches: InvoiceBatchStore;
  /** The bank batch files exported from the payment runs. */
  bankFiles: BankFileStore;
  /** Each entity's daily back-office exports (POLICY 3.1, D10). */
  dailyExports: DailyExportStore;
  /** Each entity's weekly sales reconciliations (POLICY 3.2, D11). */
  reconciliations: ReconciliationStore;
  /** Everything one person did, across aggregates (the audit view). */
  audit: AuditStore;
}

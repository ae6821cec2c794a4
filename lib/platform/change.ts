/**
 * The one way an aggregate changes (DESIGN.md decision 6; lib/platform/store.ts).
 *
 *  1. Load it as it is now (strongly consistent).
 *  2. Ask the caller's guard what the change is — the next state, its audit event, the workflow waits
 *     it answers, the conditions and other writes that go with it — or that there is nothing to write
 *     (a repeat, answered with the aggregate as it is). The guard throws a typed error to refuse.
 *  3. Ask the voucher's lifecycle (lib/domain/voucher-lifecycle.ts) whether that action may be taken
 *     in that status by that actor, and take the next status from it; bump the revision.
 *  4. Save it all in one transaction, conditional on the revision read — with what it owes the
 *     workflow put into the outbox (lib/workflow/outbox.ts) in that same transaction.
 *  5. A lost race (someone else's write landed first) goes back to 1: the guard judges the request
 *     again against what landed — the same request again answers as a repeat, a different one is
 *     refused for what it now conflicts with. After `attempts` tries, the 409 of the lost race.
 *  6. Tell the outbox what was written, which may deliver it at once (best effort; the stream and the
 *     sweep deliver it whatever happens to this request).
 */
import {
  assertInvoiceRequestTransition,
  type InvoiceRequest,
  type InvoiceRequestAction,
} from '../domain/invoice-request.ts';
import type { AuditEvent, Role, Voucher } from '../domain/model.ts';
import { advance, type VoucherAction, type VoucherActor } from '../domain/voucher-lifecycle.ts';
import {
  type AnsweredWait,
  type OwedAnswer,
  type OwedDelivery,
  owedAggregateAnswer,
  owedAnswer,
  type WaitAnswer,
  type WorkflowOutbox,
} from './owed-deliveries.ts';
import {
  ConcurrentUpdateError,
  type InvoiceBatchCounters,
  type InvoiceBatchStore,
  type InvoiceRequestStore,
  invoiceBatchAggregate,
  type VoucherCondition,
  type VoucherEffect,
  type VoucherStore,
  type VoucherWrite,
} from './store.ts';

/** How many times a change is tried before the lost race is the caller's answer (a 409). */
export const CHANGE_ATTEMPTS = 3;

/**
 * Runs `change` again when it lost a race (a double click, two people at once): `change` re-reads, so
 * the repeat is judged against what landed. Gives up with the 409 after `times` tries.
 */
export async function retryingLostRaces<T>(change: () => Promise<T>, times = CHANGE_ATTEMPTS): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || tried >= times) throw error;
    }
  }
}

/** What a guard decides a voucher's change is. */
export interface VoucherChange {
  /** What happens, by the lifecycle's name: it decides whether it may, and the status it leads to. */
  action: VoucherAction;
  actor: VoucherActor;
  /**
   * The voucher as the change leaves it — its status, revision and `updatedAt` are the operation's
   * (the lifecycle's next status, the revision read plus one, the event's instant).
   */
  next: Voucher;
  event: AuditEvent;
  /** The workflow waits this change answers: owed in the same transaction, delivered after it. */
  answers?: readonly { wait: AnsweredWait; answer: WaitAnswer }[];
  /** Conditions on other items at the moment of the write (e.g. no open dispute on an order, D7). */
  conditions?: readonly VoucherCondition[];
  /** Writes to other items that belong to this change (a step's decision, a countersign…). */
  effects?: readonly VoucherEffect[];
}

/** A guard: the change to make to the voucher as read, or null when there is nothing to write. */
export type VoucherGuard = (voucher: Voucher) => Promise<VoucherChange | null> | VoucherChange | null;

export interface ChangeDeps {
  store: { vouchers: Pick<VoucherStore, 'get' | 'save' | 'saveAll'> };
  clock: { now(): Date };
  workflowOutbox: WorkflowOutbox;
}

export interface ChangeOutcome {
  /** The voucher as written, or as it is when there was nothing to write. */
  voucher: Voucher;
  changed: boolean;
  /** What the change owes the workflow (already told to the outbox). */
  owed: readonly OwedAnswer[];
}

/** Steps 1–6 for one voucher. `load` replaces the plain read (e.g. to hide another entity's voucher). */
export async function changeVoucher(
  deps: ChangeDeps,
  voucherId: string,
  guard: VoucherGuard,
  options: { load?: () => Promise<Voucher>; attempts?: number } = {},
): Promise<ChangeOutcome> {
  const load = options.load ?? (() => existing(deps, voucherId));
  return changeVouchers(
    deps,
    async () => {
      const read = await load();
      const change = await guard(read);
      return {
        changes: change ? [{ read, change }] : [],
        result: (written): ChangeOutcome =>
          written[0]
            ? { voucher: written[0].voucher, changed: true, owed: written[0].owed }
            : { voucher: read, changed: false, owed: [] },
      };
    },
    options,
  );
}

/** What a plan of several changes decided: each voucher as read and its change, and the caller's answer. */
export interface VoucherPlan<R> {
  changes: readonly { read: Voucher; change: VoucherChange }[];
  result(written: readonly { voucher: Voucher; owed: readonly OwedAnswer[] }[]): R;
}

/**
 * Steps 1–6 for several vouchers (the bank batch file): `plan` loads and judges them all. More changes
 * than one transaction holds are written in several, in order; a lost race in a later one re-runs the
 * whole plan with the earlier ones written — so a plan must recognise what this very change wrote
 * already (the bank batch does by its batch id) and count it as done, not as someone else's.
 */
export async function changeVouchers<R>(
  deps: ChangeDeps,
  plan: () => Promise<VoucherPlan<R>>,
  options: { attempts?: number } = {},
): Promise<R> {
  const { result, owed } = await retryingLostRaces(async () => {
    const planned = await plan();
    const now = deps.clock.now();
    const writes = planned.changes.map(({ read, change }) => write(read, change, now));
    if (writes.length === 1 && writes[0]) await deps.store.vouchers.save(writes[0]);
    else if (writes.length > 1) await deps.store.vouchers.saveAll(writes);
    const written = writes.map((item) => ({ voucher: item.voucher, owed: item.owed }));
    return { result: planned.result(written), owed: writes.flatMap((item) => item.owed) };
  }, options.attempts);
  if (owed.length > 0) await deps.workflowOutbox.written(owed);
  return result;
}

function write(read: Voucher, change: VoucherChange, now: Date): VoucherWrite & { owed: OwedAnswer[] } {
  const voucher = advance(read, change.next, change.action, change.actor, change.event.at);
  return {
    voucher,
    expectedRevision: read.revision,
    event: change.event,
    conditions: change.conditions ?? [],
    effects: change.effects ?? [],
    owed: (change.answers ?? []).map(({ wait, answer }) => owedAnswer(voucher, wait, answer, now)),
  };
}

async function existing(deps: ChangeDeps, voucherId: string): Promise<Voucher> {
  const voucher = await deps.store.vouchers.get(voucherId);
  // A workflow task or a link names a voucher that was written: one that is missing is a bug.
  if (!voucher) throw new Error(`voucher ${voucherId} does not exist`);
  return voucher;
}

// ——— Invoice requests (POLICY 4): the same steps, with their own lifecycle ———

/** What a guard decides an invoice request's change is. */
export interface InvoiceRequestChange {
  action: InvoiceRequestAction;
  actor: { roles: readonly Role[] } | 'WORKFLOW';
  /** The request as the change leaves it; its revision and `updatedAt` are the operation's. */
  next: InvoiceRequest;
  event: AuditEvent;
  /** An issued invoice's number, taken once with the change. */
  invoiceNumberTaken?: { invoiceNumber: string; requestId: string };
  /** D12: the batch it joins must still be open at the write (a close landing first: judged again). */
  batchStillOpen?: { entityId: string; batchDate: string };
  /** Issue 13 §4: the request's order claims deleted with the change (the red invoice). */
  claimsReleased?: { requestId: string; orderIds: readonly string[] };
}

export type InvoiceRequestGuard = (
  request: InvoiceRequest,
) => Promise<InvoiceRequestChange | null> | InvoiceRequestChange | null;

export interface InvoiceChangeDeps {
  store: {
    invoiceRequests: Pick<InvoiceRequestStore, 'get' | 'save'>;
    invoiceBatches: Pick<InvoiceBatchStore, 'get'>;
  };
  workflowOutbox: WorkflowOutbox;
}

/**
 * Steps 1–5 for one invoice request: load, ask the guard, ask the lifecycle
 * (lib/domain/invoice-request.ts), bump the revision, save with the audit event conditional on the
 * revision read, with the closed batch's counters and the batch workflow's answers they owe (below);
 * a lost race judges the request again. `load` replaces the plain read (e.g. to hide another
 * entity's request).
 */
export async function changeInvoiceRequest(
  deps: InvoiceChangeDeps,
  requestId: string,
  guard: InvoiceRequestGuard,
  options: { load?: () => Promise<InvoiceRequest>; attempts?: number } = {},
): Promise<{ request: InvoiceRequest; changed: boolean }> {
  const load =
    options.load ??
    (async () => {
      const request = await deps.store.invoiceRequests.get(requestId);
      if (!request) throw new Error(`invoice request ${requestId} does not exist`);
      return request;
    });
  return retryingLostRaces(async () => {
    const read = await load();
    const change = await guard(read);
    if (!change) return { request: read, changed: false };
    const request = invoiceRequestWritten(read, change);
    const batch = await batchCountersOf(deps, read, request);
    await deps.store.invoiceRequests.save({
      request,
      expectedRevision: read.revision,
      event: change.event,
      ...(change.invoiceNumberTaken ? { invoiceNumberTaken: change.invoiceNumberTaken } : {}),
      ...(change.batchStillOpen ? { batchStillOpen: change.batchStillOpen } : {}),
      ...(change.claimsReleased ? { claimsReleased: change.claimsReleased } : {}),
      ...(batch ? { batchCounters: batch.counters, owed: batch.owed } : {}),
    });
    if (batch && batch.owed.length > 0) await deps.workflowOutbox.written(batch.owed).catch(() => undefined);
    return { request, changed: true };
  }, options.attempts);
}

/** Whether a line in this status counts as with finance, or as issued and not yet mailed. */
const countsOf = (request: InvoiceRequest) => ({
  withFinance: request.status === 'WITH_FINANCE' ? 1 : 0,
  unmailed: request.status === 'ISSUED' ? 1 : 0,
});

/**
 * A line of a closed batch moving into or out of finance's hands, or out of the unmailed: the batch's
 * counters as the change leaves them (conditional on the batch's revision read, so two lines changing
 * at once are judged one after the other), and the batch workflow's waits the change ends — the one
 * taking `withFinance` to zero answers `ISSUED`, the one leaving both at zero `MAILED` (POLICY 4, D13).
 * A batch closed before the counters were kept has none: nothing to keep, nothing to answer.
 */
async function batchCountersOf(
  deps: InvoiceChangeDeps,
  read: InvoiceRequest,
  next: InvoiceRequest,
): Promise<{ counters: InvoiceBatchCounters; owed: OwedDelivery[] } | null> {
  const before = countsOf(read);
  const after = countsOf(next);
  if (before.withFinance === after.withFinance && before.unmailed === after.unmailed) return null;
  // The batch the line is in after the change: a queued line a calendar change left behind is sent
  // with the batch that closes for it (lib/invoicing/batches.ts sendQueuedToFinance).
  const batchDate = next.batchDate ?? read.batchDate;
  if (!batchDate) return null;
  const batch = await deps.store.invoiceBatches.get(read.entityId, batchDate);
  if (!batch || batch.withFinance === undefined || batch.unmailed === undefined) return null;
  const withFinance = Math.max(0, batch.withFinance + after.withFinance - before.withFinance);
  const unmailed = Math.max(0, batch.unmailed + after.unmailed - before.unmailed);
  const counters = {
    entityId: read.entityId,
    batchDate,
    expectedRevision: batch.revision,
    withFinance,
    unmailed,
  };
  const ref = { entityId: read.entityId, batchDate };
  const now = new Date(next.updatedAt);
  const written = batch.revision + 1;
  const owed: OwedDelivery[] = [];
  const output = { output: { withFinance, unmailed } };
  if (withFinance === 0 && batch.withFinance > 0) {
    owed.push(owedAggregateAnswer(invoiceBatchAggregate(ref), 'ISSUED', written, output, now));
  }
  if (withFinance === 0 && unmailed === 0 && (batch.withFinance > 0 || batch.unmailed > 0)) {
    owed.push(owedAggregateAnswer(invoiceBatchAggregate(ref), 'MAILED', written, output, now));
  }
  return { counters, owed };
}

/** The request as a change writes it: the lifecycle asked, the revision bumped, `updatedAt` the event's. */
export function invoiceRequestWritten(read: InvoiceRequest, change: InvoiceRequestChange): InvoiceRequest {
  assertInvoiceRequestTransition(read.status, change.action, change.actor, change.next.status);
  return { ...change.next, revision: read.revision + 1, updatedAt: change.event.at };
}

/**
 * What a change owes the workflow, as the change's own transaction writes it (the workflow outbox,
 * lib/workflow/outbox.ts, delivers it): start an execution, or answer a wait. The shapes live here,
 * beside the store's ports, because the store writes them and the use cases and the outbox both
 * speak them; lib/workflow/outbox.ts re-exports them.
 */
import type { ApprovalStep, Instant, Voucher, WaitKind } from '../domain/model.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { newId } from '../ids.ts';

/**
 * The partition of the outbox's items (lib/storage/keys.ts `owedDelivery`): every delivery owed to the
 * workflows, sorted by when it was owed. One partition on purpose: the sweep asks "what has been owed
 * for over a minute, oldest first" with one Query (no Scan, no index to lag behind a write), and the
 * dispatcher's stream filter names it. An item lives for the second or so until it is delivered, so
 * the partition stays nearly empty; its writes (a put and a delete per change) are far below one
 * partition's 1,000 writes a second. Should that ever bind, shard it (`OUTBOX#<n>`) and sweep each.
 */
export const OUTBOX_PARTITION = 'OUTBOX';

/** The workflow waits whose task tokens are not an approval step's (those keep their own item). */
export type VoucherWaitKind = WaitKind;

/** What a waiting task is answered with: SendTaskSuccess's output, or SendTaskFailure's error. */
export type WaitAnswer = { output: unknown } | { error: string; cause: string };

/** The wait an answer is for: an approval step's (its `STEP#` token), or a `WAIT#` one after review. */
export type AnsweredWait = { step: ApprovalStep } | { kind: VoucherWaitKind };

interface Owed {
  /** Unique (ULID); with `createdAt` it makes the item's key. */
  id: string;
  /** When the change that owes it was written (`+08:00`, so it sorts as text). */
  createdAt: Instant;
  /** Failed delivery attempts so far, and the last error (for the runbook; absent until one fails). */
  attempts?: number;
  lastError?: string;
}

/**
 * An execution to start: which state machine of the catalogue (lib/workflow/catalogue.ts, by name),
 * under which name, with what input. The name is a plain string here (the store keeps what it was
 * given); the workflow port checks it names a state machine of the catalogue.
 */
export interface WorkflowStart {
  machine: string;
  /** Unique per state machine: starting the same name twice starts one execution. */
  executionName: string;
  input: unknown;
}

/** Start an execution of a state machine (idempotent: by its name). */
export interface OwedStart extends Owed, WorkflowStart {
  type: 'START_WORKFLOW';
}

/** Answer a wait of the version with what the change decided. */
export interface OwedAnswer extends Owed {
  type: 'ANSWER_WAIT';
  voucherId: string;
  version: number;
  wait: AnsweredWait;
  answer: WaitAnswer;
  /**
   * The voucher's revision the change wrote. A wait whose token was stored at this revision or later
   * began after the change — it saw the change and answers itself from the voucher — so this answer
   * is not for it (a failed payment's answer must not fail the wait of the payment retried since).
   */
  revision: number;
}

/**
 * A start owed before there was more than one state machine (a table or a local data folder from
 * then): the voucher workflow of that version. The outbox reads it as the voucher workflow's start.
 */
export interface EarlierOwedStart extends Owed {
  type: 'START_APPROVAL';
  voucherId: string;
  version: number;
}

/**
 * Answer a wait of another aggregate than a voucher (a reconciliation week's sign-off): the wait is
 * named by its aggregate and kind, as the wait store keeps it.
 */
export interface OwedWaitAnswer extends Owed {
  type: 'ANSWER_AGGREGATE_WAIT';
  aggregate: { type: 'reconciliation'; id: string };
  kind: string;
  answer: WaitAnswer;
  /** The aggregate's revision the change wrote: a token stored at it or later is a newer wait's. */
  revision: number;
}

/** What the outbox holds: what this version owes, or a start owed by an earlier version. */
export type OwedDelivery = OwedStart | OwedAnswer | OwedWaitAnswer | EarlierOwedStart;

/** The owed answer to an aggregate's own wait (not a voucher's), for the change's transaction. */
export function owedWaitAnswer(
  wait: { aggregate: OwedWaitAnswer['aggregate']; kind: string },
  answer: WaitAnswer,
  revision: number,
  now: Date,
): OwedWaitAnswer {
  return {
    type: 'ANSWER_AGGREGATE_WAIT',
    id: newId(now.getTime()),
    createdAt: toShanghaiIso(now),
    aggregate: wait.aggregate,
    kind: wait.kind,
    answer,
    revision,
  };
}

/** The owed start of an execution (e.g. `voucherWorkflowStart(...)`), for the change's transaction. */
export function owedStart(start: WorkflowStart, now: Date): OwedStart {
  return {
    type: 'START_WORKFLOW',
    id: newId(now.getTime()),
    createdAt: toShanghaiIso(now),
    machine: start.machine,
    executionName: start.executionName,
    input: start.input,
  };
}

/** The owed answer to a wait, for the transaction of the change (`next`: the voucher as written). */
export function owedAnswer(
  next: Pick<Voucher, 'id' | 'version' | 'revision'>,
  wait: AnsweredWait,
  answer: WaitAnswer,
  now: Date,
): OwedAnswer {
  return {
    type: 'ANSWER_WAIT',
    id: newId(now.getTime()),
    createdAt: toShanghaiIso(now),
    voucherId: next.id,
    version: next.version,
    wait,
    answer,
    revision: next.revision,
  };
}

/**
 * The port a use case tells after a transaction that owed the workflow something: it may deliver at
 * once (best effort — it never fails the request, whose change stands). The stream and the sweep are
 * the guarantee.
 */
export interface WorkflowOutbox {
  written(items: readonly OwedDelivery[]): Promise<void>;
}

/**
 * The workflow outbox: what a change owes the approval workflow, written in the change's own
 * transaction, then delivered by something that does not depend on the request that made the change.
 *
 * A person's change (a submission, a decision, a payment…) is saved in one TransactWriteItems; before
 * this, the request then told Step Functions itself, and a crash in between (a `kill -9`, a Lambda
 * timeout, a throttled call) left the voucher saved and the workflow never told. Now the same
 * transaction puts an *owed delivery* — "start the execution of this version", or "answer this wait
 * with this output / error" — and it is delivered:
 *  1. at once, best effort, when the runtime can (`WorkflowOutbox.written`: locally the request hands
 *     the items to the dispatcher; in AWS it does nothing, the stream is as fast);
 *  2. by the dispatcher on the table's stream (functions/workflow/deliver-owed.ts; a DynamoDB stream
 *     event source filtered to outbox items as they are inserted; locally the runtime drives the same
 *     handler after each write and, at start-up, for everything still owed);
 *  3. by the sweep (`sweepOwedDeliveries`, a scheduled job every minute), for anything owed for more
 *     than a minute — a stream batch that gave up, a delivery that kept failing.
 * Delivery is idempotent, so any of them may deliver an item more than once: starting uses the
 * execution name `<voucherId>-v<version>` (ExecutionAlreadyExists = started), an answer goes to the
 * task token stored at delivery time and a closed token means nobody waits. Then the item is deleted.
 */
import type { AppDeps } from '../app.ts';
import type { ApprovalStep, Instant, Voucher, WaitKind } from '../domain/model.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { newId } from '../ids.ts';
import type { JobInput } from '../jobs/job-input.ts';
import { logger } from '../observability/logger.ts';
import type { ApprovalInput } from './ports.ts';

/**
 * The partition of the outbox's items (lib/storage/keys.ts `owedDelivery`): every delivery owed to the approval
 * workflow, sorted by when it was owed. One partition on purpose: the sweep asks "what has been owed
 * for over a minute, oldest first" with one Query (no Scan, no index to lag behind a write), and the
 * dispatcher's stream filter names it. An item lives for the second or so until it is delivered, so
 * the partition stays nearly empty; its writes (a put and a delete per change) are far below one
 * partition's 1,000 writes a second. Should that ever bind, shard it (`OUTBOX#<n>`) and sweep each.
 */
export const OUTBOX_PARTITION = 'OUTBOX';

/** What a waiting task is answered with: SendTaskSuccess's output, or SendTaskFailure's error. */
export type WaitAnswer = { output: unknown } | { error: string; cause: string };

/** The wait an answer is for: an approval step's (its `STEP#` token), or a `WAIT#` one after review. */
export type AnsweredWait = { step: ApprovalStep } | { kind: WaitKind };

interface Owed {
  /** Unique (ULID); with `createdAt` it makes the item's key. */
  id: string;
  /** When the change that owes it was written (`+08:00`, so it sorts as text). */
  createdAt: Instant;
  voucherId: string;
  version: number;
  /** Failed delivery attempts so far, and the last error (for the runbook; absent until one fails). */
  attempts?: number;
  lastError?: string;
}

/** Start the approval execution of a submitted version. */
export interface OwedStart extends Owed {
  type: 'START_APPROVAL';
}

/** Answer a wait of the version with what the change decided. */
export interface OwedAnswer extends Owed {
  type: 'ANSWER_WAIT';
  wait: AnsweredWait;
  answer: WaitAnswer;
  /**
   * The voucher's revision the change wrote. A wait whose token was stored at this revision or later
   * began after the change — it saw the change and answers itself from the voucher — so this answer
   * is not for it (a failed payment's answer must not fail the wait of the payment retried since).
   */
  revision: number;
}

export type OwedDelivery = OwedStart | OwedAnswer;

/** The owed start of a submitted (or resubmitted) version, for its submission's transaction. */
export function owedStart(ref: ApprovalInput, now: Date): OwedStart {
  return {
    type: 'START_APPROVAL',
    id: newId(now.getTime()),
    createdAt: toShanghaiIso(now),
    voucherId: ref.voucherId,
    version: ref.version,
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

/**
 * In AWS the request does not deliver: the table's stream invokes the dispatcher within about a
 * second, so no request function needs a Step Functions permission (least privilege, one path).
 */
export const deliveredByStream: WorkflowOutbox = { written: async () => undefined };

export type DeliveryOutcome =
  /** The execution was started (or existed already). */
  | 'STARTED'
  /** The waiting task was answered. */
  | 'ANSWERED'
  /** Nobody waits with a token for it (not stored yet, or a later wait's): that wait answers itself. */
  | 'NOT_WAITING'
  /** The token was closed (answered, timed out, its execution ended). */
  | 'TOKEN_CLOSED';

/**
 * Delivers one owed item, then deletes it. Idempotent: a second delivery starts nothing new and
 * answers nothing twice. Throws when Step Functions or the table fails; the item stays owed.
 */
export async function deliver(deps: AppDeps, item: OwedDelivery): Promise<DeliveryOutcome> {
  const outcome = item.type === 'START_APPROVAL' ? await start(deps, item) : await answer(deps, item);
  await deps.store.outbox.delivered(item);
  return outcome;
}

async function start(deps: AppDeps, item: OwedStart): Promise<DeliveryOutcome> {
  await deps.workflow.startApproval({ voucherId: item.voucherId, version: item.version });
  return 'STARTED';
}

async function answer(deps: AppDeps, item: OwedAnswer): Promise<DeliveryOutcome> {
  // The newest token, read now: one stored since the change is the one that waits (DESIGN.md
  // decision 4: the token never leaves the server). None stored yet: the wait, when it gets there,
  // finds the change in the table and answers itself.
  const token = await currentToken(deps, item);
  if (!token) return 'NOT_WAITING';
  const answered =
    'output' in item.answer
      ? await deps.taskTokens.succeed(token, item.answer.output)
      : await deps.taskTokens.fail(token, item.answer.error, item.answer.cause);
  return answered ? 'ANSWERED' : 'TOKEN_CLOSED';
}

async function currentToken(deps: AppDeps, item: OwedAnswer): Promise<string | undefined> {
  if ('step' in item.wait) {
    // A step's token is stored only while it is undecided. A decision is final — unless a refused
    // proxy approval (D6) sends the chain back, and the step is asked for again: a token stored at
    // the change's revision or later belongs to that later wait, which answers itself.
    const step = await deps.store.approvals.getStep(item.voucherId, item.version, item.wait.step);
    if (step?.voucherRevision !== undefined && step.voucherRevision >= item.revision) return undefined;
    return step?.taskToken;
  }
  const wait = await deps.store.vouchers.waitRecord(item.voucherId, item.version, item.wait.kind);
  if (!wait) return undefined;
  if (wait.voucherRevision !== undefined && wait.voucherRevision >= item.revision) return undefined;
  return wait.taskToken;
}

/**
 * Delivers the owed item stored at `key` if it is still owed — what a stream record or the fast
 * path names. Gone means delivered already (by the fast path, the sweep, or an earlier attempt).
 */
export async function deliverOwedAt(
  deps: AppDeps,
  key: { pk: string; sk: string },
): Promise<DeliveryOutcome | 'ALREADY_DELIVERED'> {
  const item = await deps.store.outbox.get(key);
  if (!item) return 'ALREADY_DELIVERED';
  return deliverRecordingFailure(deps, item);
}

async function deliverRecordingFailure(deps: AppDeps, item: OwedDelivery): Promise<DeliveryOutcome> {
  try {
    return await deliver(deps, item);
  } catch (error) {
    logger.warn('an owed workflow delivery failed; it stays owed', {
      owed: describe(item),
      error: error as Error,
    });
    await deps.store.outbox
      .failedAttempt(item, error instanceof Error ? error.message : String(error))
      .catch(() => undefined); // the count is for people; the item itself stays owed either way
    throw error;
  }
}

/** What the logs and the runbook show of an item (never the answer: it may carry a reason). */
function describe(item: OwedDelivery): Record<string, unknown> {
  return {
    type: item.type,
    voucherId: item.voucherId,
    version: item.version,
    createdAt: item.createdAt,
    ...(item.type === 'ANSWER_WAIT' ? { wait: item.wait } : {}),
  };
}

/** An owed delivery younger than this is left to the fast path and the stream. */
export const SWEEP_AFTER_MS = 60_000;
/** How many owed deliveries one sweep delivers at most; the next sweep goes on (a minute later). */
export const SWEEP_LIMIT = 100;
/**
 * How many it delivers at once: a backlog (Step Functions was down) of 100 takes a few seconds, well
 * inside the function's timeout, and far below Step Functions' API rates. Order does not matter:
 * an answer that reaches a wait before its execution started finds no token, and the wait answers
 * itself from the table when it gets there.
 */
const SWEEP_CONCURRENCY = 10;

export interface SweepResult {
  delivered: number;
}

/**
 * The sweep: every delivery owed for more than a minute, oldest first. Each is delivered on its own;
 * one that fails stays owed (its attempts counted) and the run fails at the end, naming how many, so
 * the job's retries and its dead-letter alarm see it; the others are done.
 */
export async function sweepOwedDeliveries(deps: AppDeps, _input: JobInput = {}): Promise<SweepResult> {
  // "Now", not the occurrence's time: a late or repeated occurrence delivers what is owed by now.
  return deliverOwedBefore(deps, new Date(deps.clock.now().getTime() - SWEEP_AFTER_MS));
}

/**
 * Delivers what was owed before `before` (the sweep; the local runtime at start-up, for everything:
 * a restart after `kill -9` between a write and its delivery must deliver).
 */
export async function deliverOwedBefore(
  deps: AppDeps,
  before: Date,
  limit = SWEEP_LIMIT,
): Promise<SweepResult> {
  const owed = await deps.store.outbox.owedBefore(before, limit);
  const failures: unknown[] = [];
  for (let from = 0; from < owed.length; from += SWEEP_CONCURRENCY) {
    const outcomes = await Promise.allSettled(
      owed.slice(from, from + SWEEP_CONCURRENCY).map((item) => deliverRecordingFailure(deps, item)),
    );
    for (const outcome of outcomes) if (outcome.status === 'rejected') failures.push(outcome.reason);
  }
  if (failures.length > 0) {
    throw new AggregateError(
      failures,
      `${failures.length} of ${owed.length} owed workflow deliveries failed; they stay owed and the next sweep tries again.`,
    );
  }
  return { delivered: owed.length };
}

/**
 * The workflow outbox: what a change owes a workflow (any state machine of lib/workflow/catalogue.ts),
 * written in the change's own transaction, then delivered by something that does not depend on the
 * request that made the change.
 *
 * A person's change (a submission, a decision, a payment…) is saved in one TransactWriteItems; before
 * this, the request then told Step Functions itself, and a crash in between (a `kill -9`, a Lambda
 * timeout, a throttled call) left the voucher saved and the workflow never told. Now the same
 * transaction puts an *owed delivery* — "start this execution of that state machine" (e.g. the voucher
 * workflow of a submitted version), or "answer this wait with this output / error" — and it is
 * delivered:
 *  1. at once, best effort, when the runtime can (`WorkflowOutbox.written`: locally the request hands
 *     the items to the dispatcher; in AWS it does nothing, the stream is as fast);
 *  2. by the dispatcher on the table's stream (functions/workflow/deliver-owed.ts; a DynamoDB stream
 *     event source filtered to outbox items as they are inserted; locally the runtime drives the same
 *     handler after each write and, at start-up, for everything still owed);
 *  3. by the sweep (`sweepOwedDeliveries`, a scheduled job every minute), for anything owed for more
 *     than a minute — a stream batch that gave up, a delivery that kept failing.
 * Delivery is idempotent, so any of them may deliver an item more than once: a start names its
 * execution (the voucher's `<voucherId>-v<version>`; ExecutionAlreadyExists = started), an answer goes to the
 * task token stored at delivery time and a closed token means nobody waits. Then the item is deleted.
 */
import type { AppDeps } from '../app.ts';
import type { JobInput } from '../jobs/job-input.ts';
import { logger } from '../observability/logger.ts';
import type {
  OwedAnswer,
  OwedDelivery,
  OwedStart,
  OwedWaitAnswer,
  WorkflowOutbox,
} from '../platform/owed-deliveries.ts';
import { waitAnsweredBy } from '../platform/store.ts';
import { voucherWorkflowStart } from './approval-states.ts';
import type { WorkflowName } from './catalogue.ts';

// What a change owes is written by the store with the change (lib/platform/owed-deliveries.ts).
export {
  type AnsweredWait,
  OUTBOX_PARTITION,
  type OwedAnswer,
  type OwedDelivery,
  type OwedStart,
  owedAnswer,
  owedStart,
  type WaitAnswer,
  type WorkflowOutbox,
} from '../platform/owed-deliveries.ts';

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
  const owed = current(item);
  const outcome =
    owed.type === 'START_WORKFLOW'
      ? await start(deps, owed)
      : owed.type === 'ANSWER_AGGREGATE_WAIT'
        ? await answerAggregateWait(deps, owed)
        : await answer(deps, owed);
  await deps.store.outbox.delivered(item);
  return outcome;
}

/** An item as this version owes it (an earlier start is the voucher workflow's, by its old shape). */
function current(item: OwedDelivery): OwedStart | OwedAnswer | OwedWaitAnswer {
  if (item.type !== 'START_APPROVAL') return item;
  const { voucherId, version, type: _type, ...owed } = item;
  return { ...owed, type: 'START_WORKFLOW', ...voucherWorkflowStart({ voucherId, version }) };
}

async function start(deps: AppDeps, item: OwedStart): Promise<DeliveryOutcome> {
  // The table keeps the name it was given; the port refuses a machine it does not run (the item stays
  // owed and the alarm says so), so the name is not checked twice.
  await deps.workflow.start(item.machine as WorkflowName, item.executionName, item.input);
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

/** The same, for an aggregate's own wait (a reconciliation week's sign-off). */
async function answerAggregateWait(deps: AppDeps, item: OwedWaitAnswer): Promise<DeliveryOutcome> {
  const wait = await deps.store.waits.get({ aggregate: item.aggregate, kind: item.kind });
  const token = wait?.revision !== undefined && wait.revision >= item.revision ? undefined : wait?.taskToken;
  if (!token) return 'NOT_WAITING';
  const answered =
    'output' in item.answer
      ? await deps.taskTokens.succeed(token, item.answer.output)
      : await deps.taskTokens.fail(token, item.answer.error, item.answer.cause);
  return answered ? 'ANSWERED' : 'TOKEN_CLOSED';
}

async function currentToken(deps: AppDeps, item: OwedAnswer): Promise<string | undefined> {
  // A step's token is stored only while it is undecided. A decision is final — unless a refused proxy
  // approval (D6) sends the chain back, and the step is asked for again. A wait's token stored at the
  // change's revision or later belongs to a wait that began after the change and answers itself.
  const wait = await deps.store.waits.get(waitAnsweredBy(item));
  if (wait?.revision !== undefined && wait.revision >= item.revision) return undefined;
  return wait?.taskToken;
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
  const owed = current(item);
  return {
    type: owed.type,
    createdAt: owed.createdAt,
    ...(owed.type === 'ANSWER_WAIT'
      ? { voucherId: owed.voucherId, version: owed.version, wait: owed.wait }
      : owed.type === 'ANSWER_AGGREGATE_WAIT'
        ? { aggregate: owed.aggregate, kind: owed.kind }
        : { machine: owed.machine, executionName: owed.executionName }),
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

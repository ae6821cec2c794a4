/**
 * The workflow outbox (lib/workflow/outbox.ts): what a change owes the approval workflow is written in
 * the change's own transaction and reaches the workflow whatever happens to the request that made it
 * — through the dispatcher on the table's stream (functions/workflow/deliver-owed.ts), the sweep job
 * (functions/jobs/sweep-owed-deliveries.ts), and the runtime's start-up. On DynamoDB Local, with the
 * synthesized state machine under the local engine.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createHandler as sweepJob } from '../../functions/jobs/sweep-owed-deliveries.ts';
import { createHandler as dispatcher } from '../../functions/workflow/deliver-owed.ts';
import { decide } from '../../lib/approvals/decide.ts';
import type { Person, Voucher } from '../../lib/domain/model.ts';
import { recordPayment, retryPayment } from '../../lib/payments/payments.ts';
import { keys } from '../../lib/storage/keys.ts';
import { submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { executionName } from '../../lib/workflow/approval-states.ts';
import { deliver, type OwedDelivery } from '../../lib/workflow/outbox.ts';
import { type TestApp, testApp, voucherInput } from '../support/app.ts';
import { voucherOfLink } from '../support/runtime.ts';

const emailOf = (local: string) => `${local}@lianshang.example`;

let app: TestApp;
let liNa: Person;

beforeEach(async () => {
  app = await testApp('2026-11-18T10:00:00+08:00');
  liNa = app.person('li.na');
});

const execution = (voucher: Pick<Voucher, 'id'>) =>
  app.engine.execution('voucher', executionName({ voucherId: voucher.id, version: 1 }));

/** The approval links a person was emailed for one voucher. */
const linksFor = (localPart: string, voucher: Pick<Voucher, 'id'>) =>
  app.outbox
    .list()
    .filter((message) => message.to.includes(emailOf(localPart)))
    .flatMap((message) => message.links)
    .filter((link) => link.includes('/approvals/') && voucherOfLink(link) === voucher.id);

const owed = () => app.deps.store.outbox.owedBefore(new Date('9999-01-01T00:00:00Z'), 100);
/** The voucher an owed answer is for. */
const voucherOf = (item: OwedDelivery) => (item.type === 'ANSWER_WAIT' ? item.voucherId : undefined);

/** The table's stream as Lambda hands it to the dispatcher: KEYS_ONLY inserts of these items. */
const streamEvent = (items: OwedDelivery[]) => ({
  Records: items.map((item, index) => {
    const key = keys.owedDelivery(item.createdAt, item.id);
    return {
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        Keys: { pk: { S: key.pk }, sk: { S: key.sk } },
        SequenceNumber: `10000000000000000000${index}`,
        StreamViewType: 'KEYS_ONLY',
      },
    };
  }),
});

async function submitted(): Promise<Voucher> {
  const { voucher } = await submitVoucher(app.deps, liNa, await voucherInput(app, liNa));
  await app.engine.settled();
  return voucher;
}

/** The newest approval link of a person, as the token in its path. */
const latestLink = (localPart: string, voucher: Voucher) =>
  linksFor(localPart, voucher).at(-1)?.split('/approvals/')[1] ?? '';

describe('starting the approval of a submission', () => {
  it('starts a submission whose runtime died right after its write once it restarts, and mails the approver once', async () => {
    // The submission's transaction lands; the process dies before the execution is started.
    vi.spyOn(app.deps.workflow, 'start').mockRejectedValueOnce(new Error('killed'));
    const voucher = await submitted();
    expect(execution(voucher)).toBeUndefined();
    expect(linksFor('wang.qiang', voucher)).toEqual([]);

    await app.restart();
    await app.engine.settled();
    await app.restart();
    await app.engine.settled();

    expect(execution(voucher)).toMatchObject({
      status: 'RUNNING',
      currentState: 'RequestHeadOfMerchandisingDecision',
    });
    expect(linksFor('wang.qiang', voucher)).toHaveLength(1);
    expect(await owed()).toEqual([]);
  });

  it('is started by the sweep job once it has been owed for over a minute, and only once', async () => {
    vi.spyOn(app.deps.workflow, 'start').mockRejectedValueOnce(new Error('Step Functions throttled'));
    const voucher = await submitted();
    const sweep = sweepJob(app.deps);

    app.clock.set('2026-11-18T10:00:59+08:00');
    expect(await sweep({ scheduledTime: '2026-11-18T02:00:59Z' })).toEqual({ delivered: 0 });
    expect(execution(voucher)).toBeUndefined();

    app.clock.set('2026-11-18T10:01:01+08:00');
    expect(await sweep({ scheduledTime: '2026-11-18T02:01:00Z' })).toEqual({ delivered: 1 });
    await app.engine.settled();
    expect(await sweep({ scheduledTime: '2026-11-18T02:02:00Z' })).toEqual({ delivered: 0 });
    await app.engine.settled();

    expect(execution(voucher)?.currentState).toBe('RequestHeadOfMerchandisingDecision');
    expect(linksFor('wang.qiang', voucher)).toHaveLength(1);
  });

  it('keeps what failed to be delivered owed, with its attempts and error, and fails the sweep for the alarm', async () => {
    const start = vi.spyOn(app.deps.workflow, 'start');
    start.mockRejectedValueOnce(new Error('Step Functions throttled'));
    const voucher = await submitted();
    start.mockRejectedValueOnce(new Error('Step Functions throttled again'));
    app.clock.set('2026-11-18T10:02:00+08:00');

    await expect(sweepJob(app.deps)({})).rejects.toThrow('1 of 1 owed workflow deliveries failed');

    expect(await owed()).toEqual([
      expect.objectContaining({
        type: 'START_WORKFLOW',
        machine: 'voucher',
        executionName: `${voucher.id}-v1`,
        attempts: 2,
        lastError: 'Step Functions throttled again',
      }),
    ]);
  });

  it('delivers a start owed in the shape it had before there were several state machines', async () => {
    vi.spyOn(app.deps.workflow, 'start').mockRejectedValueOnce(new Error('killed'));
    const voucher = await submitted();
    const [current] = await owed();
    if (!current) throw new Error('nothing owed');
    await app.deps.store.outbox.delivered(current);
    // As a table or data folder from then holds it.
    const earlier = {
      type: 'START_APPROVAL',
      id: current.id,
      createdAt: current.createdAt,
      voucherId: voucher.id,
      version: 1,
    } as unknown as OwedDelivery;

    expect(await deliver(app.deps, earlier)).toBe('STARTED');
    await app.engine.settled();

    expect(execution(voucher)?.currentState).toBe('RequestHeadOfMerchandisingDecision');
  });
});

describe('answering a wait', () => {
  it('delivers a decision whose answer to Step Functions failed after it was written, and the chain moves on', async () => {
    const voucher = await submitted();
    vi.spyOn(app.deps.taskTokens, 'succeed').mockRejectedValueOnce(new Error('Step Functions throttled'));

    const decided = await decide(app.deps, latestLink('wang.qiang', voucher), {
      decision: 'APPROVE',
      reason: '',
    });
    await app.engine.settled();
    expect(decided.approval.decidedBy).toBe(emailOf('wang.qiang'));
    expect(execution(voucher)?.currentState).toBe('RequestHeadOfMerchandisingDecision');
    const stuck = await owed();

    const result = await dispatcher(app.deps)(streamEvent(stuck));
    await app.engine.settled();

    expect(result).toEqual({ batchItemFailures: [] });
    expect(execution(voucher)?.currentState).toBe('RequestFinanceReviewDecision');
    expect(linksFor('liu.yang', voucher)).toHaveLength(1);
    expect(await owed()).toEqual([]);
    // The stream delivers at least once: the same record again changes nothing.
    expect(await dispatcher(app.deps)(streamEvent(stuck))).toEqual({ batchItemFailures: [] });
    await app.engine.settled();
    expect(linksFor('liu.yang', voucher)).toHaveLength(1);
  });

  it('reports the record it could not deliver by its sequence number, and delivers the others', async () => {
    const first = await submitted();
    const second = await submitted();
    const succeed = vi.spyOn(app.deps.taskTokens, 'succeed');
    succeed.mockRejectedValueOnce(new Error('throttled')).mockRejectedValueOnce(new Error('throttled'));
    await decide(app.deps, latestLink('wang.qiang', first), { decision: 'APPROVE', reason: '' });
    await decide(app.deps, latestLink('wang.qiang', second), { decision: 'APPROVE', reason: '' });
    const stuck = await owed();
    succeed.mockRejectedValueOnce(new Error('still throttled'));

    const result = await dispatcher(app.deps)(streamEvent(stuck));
    await app.engine.settled();

    expect(stuck.map(voucherOf)).toEqual([first.id, second.id]);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '100000000000000000000' }] });
    expect(execution(first)?.currentState).toBe('RequestHeadOfMerchandisingDecision');
    expect(execution(second)?.currentState).toBe('RequestFinanceReviewDecision');
    expect((await owed()).map(voucherOf)).toEqual([first.id]);
  });

  it('never gives an answer owed to an earlier wait to a wait that began after the change', async () => {
    const cashier = app.person('chen.jing');
    const voucher = await submitted();
    await decide(app.deps, latestLink('wang.qiang', voucher), { decision: 'APPROVE', reason: '' });
    await app.engine.settled();
    await decide(app.deps, latestLink('liu.yang', voucher), { decision: 'APPROVE', reason: '' });
    await app.engine.settled();
    // The cashier's failed payment is saved, but its answer to the workflow is lost for now.
    vi.spyOn(app.deps.taskTokens, 'fail').mockRejectedValueOnce(new Error('Step Functions throttled'));
    await recordPayment(app.deps, cashier, voucher.id, {
      status: 'PAYMENT_FAILED',
      reason: 'account closed',
    });
    const [failedAnswer] = await owed();
    // The next day the cashier's step looks again, finds the failure and goes to finance, who
    // schedule the payment again: the voucher is back in a run, and the cashier's step waits anew.
    app.clock.set('2026-11-19T10:00:01+08:00');
    await app.engine.settled();
    await retryPayment(app.deps, app.person('liu.yang'), voucher.id, 'new account confirmed');
    await app.engine.settled();
    expect(execution(voucher)?.currentState).toBe('AwaitPayment');
    const transitions = execution(voucher)?.transitions;

    const outcome = failedAnswer ? await deliver(app.deps, failedAnswer) : undefined;
    await app.engine.settled();

    expect(outcome).toBe('NOT_WAITING');
    expect(execution(voucher)).toMatchObject({ currentState: 'AwaitPayment', transitions });
    expect((await app.deps.store.vouchers.get(voucher.id))?.status).toBe('READY_FOR_PAYMENT');
    expect(await owed()).toEqual([]);
  });
});

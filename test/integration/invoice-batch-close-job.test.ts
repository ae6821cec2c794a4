/**
 * The batch close as a scheduled job (POLICY 4, D12): lib/invoicing/batch-close-job.ts on DynamoDB
 * Local, with the test app's fixed clock — what the catalogue's five-minute schedule runs at 17:00 and
 * the run after it (test/integration/policy-timed-jobs.test.ts: another close hour).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Person } from '../../lib/domain/model.ts';
import { closeDueInvoiceBatches } from '../../lib/invoicing/batch-close-job.ts';
import { recordInvoiceRequest } from '../../lib/invoicing/requests.ts';
import { scheduledJobs } from '../../lib/workflow/catalogue.ts';
import { type TestApp, testApp } from '../support/app.ts';

let app: TestApp;
let zhaoMin: Person;
let wuFang: Person;

async function record(orderId: string) {
  const { request } = await recordInvoiceRequest(app.deps, zhaoMin, {
    idempotencyKey: `close-job-${orderId}`,
    orderIds: [orderId],
    kind: 'VAT_ORDINARY',
    buyer: { type: 'INDIVIDUAL', name: '张三' },
    delivery: { method: 'EMAIL', email: 'buyer@example.com' },
  });
  return request;
}

/** The Shanghai entity's batch mails (the demo's Guangzhou entity closes its own batches). */
const batchMails = () =>
  app.outbox
    .list()
    .filter(
      (message) =>
        message.subject.includes('Invoice batch of') && message.to.includes('wu.fang@lianshang.example'),
    );
const shanghai = (closed: readonly { entityId: string }[]) =>
  closed.filter((batch) => batch.entityId === 'lianshang-sh');

beforeEach(async () => {
  app = await testApp('2026-11-25T10:00:00+08:00');
  zhaoMin = app.person('zhao.min');
  wuFang = app.person('wu.fang');
});

describe('the invoice batch close job (D12)', () => {
  it('runs every five minutes (the close hour is each entity’s policy), and once for each day the local clock skips', () => {
    expect(scheduledJobs.invoiceBatchClose).toMatchObject({ everyMinutes: 5, catchUp: 'eachDay' });
  });

  it('closes the batch of the 25th at 17:00 and its workflow emails finance a link to the requests to issue, once', async () => {
    const request = await record('LS-20261116-0001');
    app.clock.set('2026-11-25T17:00:00+08:00');

    const first = await closeDueInvoiceBatches(app.deps, { scheduledTime: '2026-11-25T17:00:00+08:00' });
    await app.engine.settled();
    app.clock.set('2026-11-25T17:01:00+08:00');
    const again = await closeDueInvoiceBatches(app.deps, { scheduledTime: '2026-11-25T17:01:00+08:00' });
    await app.engine.settled();

    expect(shanghai(first.closed)).toEqual([{ entityId: zhaoMin.entityId, sent: 1, closedNow: true }]);
    expect(shanghai(again.closed)).toEqual([{ entityId: zhaoMin.entityId, sent: 0, closedNow: false }]);
    expect((await app.deps.store.invoiceRequests.get(request.id))?.status).toBe('WITH_FINANCE');
    const mails = batchMails();
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toEqual([wuFang.email]);
    expect(mails[0]?.subject).toContain('开票批次 2026-11-25');
    expect(mails[0]?.text).toContain('2026-11-30');
    expect(mails[0]?.links[0]).toMatch(/\/invoice-batches\/2026-11-25$/);
  });

  it('leaves a batch closed ten minutes before alone on the day’s later runs; a run by hand still closes it again', async () => {
    await record('LS-20261116-0001');
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeDueInvoiceBatches(app.deps, { scheduledTime: '2026-11-25T17:00:00+08:00' });
    await app.engine.settled();

    app.clock.set('2026-11-25T17:10:00+08:00');
    const later = await closeDueInvoiceBatches(app.deps, { scheduledTime: '2026-11-25T17:10:00+08:00' });
    const byHand = await closeDueInvoiceBatches(app.deps, { date: '2026-11-25' });

    expect(shanghai(later.closed)).toEqual([]);
    expect(shanghai(byHand.closed)).toEqual([{ entityId: zhaoMin.entityId, sent: 0, closedNow: false }]);
  });

  it('closes nothing before 17:00 on a batch day, nor on a day that is not one', async () => {
    await record('LS-20261116-0001');
    app.clock.set('2026-11-25T16:59:59.999+08:00');
    const early = await closeDueInvoiceBatches(app.deps, { date: '2026-11-25' });
    app.clock.set('2026-11-24T17:00:00+08:00');
    const notABatchDay = await closeDueInvoiceBatches(app.deps, {
      scheduledTime: '2026-11-24T17:00:00+08:00',
    });

    expect(early.closed).toEqual([]);
    expect(notABatchDay.closed).toEqual([]);
    expect(await app.deps.store.invoiceBatches.get(zhaoMin.entityId, '2026-11-25')).toBeNull();
    expect(batchMails()).toEqual([]);
  });

  it('closes the batch of Sunday 2026-10-25 on Friday 2026-10-23, the working day before', async () => {
    app.clock.set('2026-10-23T17:00:00+08:00');
    const friday = await closeDueInvoiceBatches(app.deps, { scheduledTime: '2026-10-23T17:00:00+08:00' });
    app.clock.set('2026-10-25T17:00:00+08:00');
    const sunday = await closeDueInvoiceBatches(app.deps, { scheduledTime: '2026-10-25T17:00:00+08:00' });

    expect(friday.closed.map((closed) => closed.entityId)).toEqual(['lianshang-gz', zhaoMin.entityId]);
    expect(await app.deps.store.invoiceBatches.get(zhaoMin.entityId, '2026-10-23')).not.toBeNull();
    expect(sunday.closed).toEqual([]);
    expect(await app.deps.store.invoiceBatches.get(zhaoMin.entityId, '2026-10-25')).toBeNull();
  });
});

/**
 * An invoice request queued for a batch day that a calendar change takes away (D12, D16) is not left
 * behind: the batch that closes for it takes it — the moved day's batch when it became eligible before
 * that close, otherwise the next one — and its event names the day it was queued for.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { setCalendarOverride } from '../../lib/admin/calendar.ts';
import type { Person } from '../../lib/domain/model.ts';
import { closeDueInvoiceBatches } from '../../lib/invoicing/batch-close-job.ts';
import { recordInvoiceRequest } from '../../lib/invoicing/requests.ts';
import { type TestApp, testApp } from '../support/app.ts';

let app: TestApp;
let zhaoMin: Person;
const SHANGHAI = 'lianshang-sh';

beforeEach(async () => {
  app = await testApp('2026-12-08T10:00:00+08:00');
  zhaoMin = app.person('zhao.min');
});

async function record(orderId: string) {
  const { request } = await recordInvoiceRequest(app.deps, zhaoMin, {
    idempotencyKey: `calendar-change-${orderId}`,
    orderIds: [orderId],
    kind: 'VAT_ORDINARY',
    buyer: { type: 'INDIVIDUAL', name: '张三' },
    delivery: { method: 'EMAIL', email: 'buyer@example.com' },
  });
  return request;
}

/** A scheduled run of the close at `time` (Asia/Shanghai), with the clock there. */
async function closeAt(time: string) {
  app.clock.set(time);
  await closeDueInvoiceBatches(app.deps, { scheduledTime: new Date(time).toISOString() });
  await app.engine.settled();
}

describe('a calendar change that takes a batch day away', () => {
  it('sends a request queued for that day with the batch that closes for it, and one eligible later with the next', async () => {
    const early = await record('LS-20261116-0001');
    app.clock.set('2026-12-09T17:30:00+08:00');
    const late = await record('LS-20261116-0002');
    expect([early.batchDate, late.batchDate]).toEqual(['2026-12-10', '2026-12-10']);

    // Thursday the 10th becomes a holiday: the batch day is now Wednesday the 9th, whose 17:00 passed.
    app.clock.set('2026-12-09T17:40:00+08:00');
    await setCalendarOverride(app.deps, app.person('admin'), {
      date: '2026-12-10',
      working: false,
      reason: '临时放假 An extra day off',
      confirm: true,
    });
    await closeAt('2026-12-09T17:45:00+08:00');

    const earlyNow = await app.deps.store.invoiceRequests.get(early.id);
    const lateNow = await app.deps.store.invoiceRequests.get(late.id);
    expect([earlyNow?.status, earlyNow?.batchDate]).toEqual(['WITH_FINANCE', '2026-12-09']);
    // Eligible after the 9th's close: it waits for the next batch, the 25th.
    expect(lateNow?.status).toBe('QUEUED');
    const batch = await app.deps.store.invoiceBatches.get(SHANGHAI, '2026-12-09');
    expect(batch?.withFinance).toBe(1);
    const history = await app.deps.store.invoiceRequests.history(early.id);
    expect(history.at(-1)).toMatchObject({
      type: 'INVOICE_REQUEST_SENT_TO_FINANCE',
      details: { batchDate: '2026-12-09', queuedFor: '2026-12-10' },
    });

    // The 10th passes without a close (not a batch day); the 25th's close takes the later one.
    await closeAt('2026-12-10T17:05:00+08:00');
    expect((await app.deps.store.invoiceRequests.get(late.id))?.status).toBe('QUEUED');
    await closeAt('2026-12-25T17:00:00+08:00');
    const lateAtLast = await app.deps.store.invoiceRequests.get(late.id);
    expect([lateAtLast?.status, lateAtLast?.batchDate]).toEqual(['WITH_FINANCE', '2026-12-25']);
  });
});

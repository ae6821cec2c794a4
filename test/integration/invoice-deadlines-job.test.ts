/**
 * The invoicing deadlines as a scheduled job (POLICY 4, D13): lib/invoicing/deadlines-job.ts on
 * DynamoDB Local with the test app's fixed clock — what the catalogue's 09:00 schedule runs.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Person } from '../../lib/domain/model.ts';
import { closeBatch } from '../../lib/invoicing/batches.ts';
import { remindInvoiceDeadlines } from '../../lib/invoicing/deadlines-job.ts';
import { issueInvoice, recordInvoiceRequest } from '../../lib/invoicing/requests.ts';
import { type TestApp, testApp } from '../support/app.ts';

let app: TestApp;
let zhaoMin: Person;
let wuFang: Person;

/** A request in the batch of 2026-11-25, closed at 17:00 (finance's deadline 2026-11-30). */
async function closedBatchWithOneLine() {
  const { request } = await recordInvoiceRequest(app.deps, zhaoMin, {
    idempotencyKey: 'deadlines-1',
    orderIds: ['LS-20261116-0001'],
    kind: 'VAT_ORDINARY',
    buyer: { type: 'INDIVIDUAL', name: '张三' },
    delivery: { method: 'EMAIL', email: 'buyer@example.com' },
  });
  app.clock.set('2026-11-25T17:00:00+08:00');
  await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });
  return request;
}

async function runAt(day: string) {
  app.clock.set(`${day}T09:00:00+08:00`);
  return remindInvoiceDeadlines(app.deps, { scheduledTime: `${day}T09:00:00+08:00` });
}

const mailsOf = (words: string) => app.outbox.list().filter((message) => message.subject.includes(words));

beforeEach(async () => {
  app = await testApp('2026-11-25T10:00:00+08:00');
  zhaoMin = app.person('zhao.min');
  wuFang = app.person('wu.fang');
});

describe('the invoicing deadlines job (D13)', () => {
  it('reminds finance at 09:00 on the due day, once however often it runs', async () => {
    await closedBatchWithOneLine();

    const first = await runAt('2026-11-30');
    const rerun = await runAt('2026-11-30');

    expect(first.sent).toEqual([{ entityId: zhaoMin.entityId, kind: 'FINANCE_REMINDER', items: 1 }]);
    expect(rerun.sent).toEqual([]);
    const reminders = mailsOf('invoice batches due today');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]?.to).toEqual([wuFang.email]);
    expect(reminders[0]?.text).toContain('Batch of 2026-11-25: 1 left, due 2026-11-30');
  });

  it('escalates to the finance reviewer’s manager and the CEO the working day after, copying finance', async () => {
    await closedBatchWithOneLine();

    const result = await runAt('2026-12-01');

    expect(result.sent.map((sent) => sent.kind)).toEqual(['FINANCE_ESCALATION']);
    const escalation = mailsOf('invoice batches overdue')[0];
    // The finance reviewer Liu Yang's manager is the CEO Zhang Wei: one recipient, named once.
    expect(escalation?.to).toEqual([app.person('zhang.wei').email]);
    expect(escalation?.cc).toEqual([wuFang.email]);
  });

  it('reminds customer service on the mailing day and tells finance after it, once a day', async () => {
    const request = await closedBatchWithOneLine();
    app.clock.set('2026-11-27T10:00:00+08:00');
    await issueInvoice(app.deps, wuFang, request.id, {
      invoiceNumber: '26352000000012345678',
      issuedOn: '2026-11-27',
    });

    const onDay = await runAt('2026-12-04');
    const after = await runAt('2026-12-05');
    await runAt('2026-12-05');

    expect(onDay.sent.map((sent) => sent.kind)).toEqual(['MAILING_REMINDER']);
    expect(mailsOf('invoice mailings due today')[0]?.to).toEqual([zhaoMin.email]);
    expect(after.sent.map((sent) => sent.kind)).toEqual(['MAILING_ESCALATION']);
    expect(mailsOf('invoice mailings overdue')).toHaveLength(1);
    expect(mailsOf('invoice mailings overdue')[0]?.to).toEqual([wuFang.email]);
  });

  it('mails nobody on a day with nothing due', async () => {
    await closedBatchWithOneLine();

    expect((await runAt('2026-11-26')).sent).toEqual([]);
    expect(mailsOf('[fundflow]').filter((message) => message.subject.includes('invoice'))).toEqual([]);
  });
});

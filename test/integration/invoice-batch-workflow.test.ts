/**
 * The invoice batch workflow (POLICY 4, D12, D13): the synthesized `invoiceBatch` state machine run by
 * the local runtime on DynamoDB Local, started by the close through the outbox, its Wait states on the
 * runtime's clock — finance's email with the 《开票申请表》 attached, the due day's reminder, the next
 * working day's escalation, the waits answered by the last issued line and the last mailing.
 */
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Person } from '../../lib/domain/model.ts';
import { closeDueInvoiceBatches } from '../../lib/invoicing/batch-close-job.ts';
import { issueInvoice, recordDelivery, recordInvoiceRequest } from '../../lib/invoicing/requests.ts';
import { invoiceBatchExecutionName, invoiceBatchStates } from '../../lib/workflow/invoice-batch-states.ts';
import { type TestApp, testApp } from '../support/app.ts';

let app: TestApp;
let zhaoMin: Person;
let wuFang: Person;

const ORDER = 'LS-20261116-0001';

async function record(orderId: string) {
  const { request } = await recordInvoiceRequest(app.deps, zhaoMin, {
    idempotencyKey: `batch-workflow-${orderId}`,
    orderIds: [orderId],
    kind: 'VAT_ORDINARY',
    buyer: { type: 'INDIVIDUAL', name: '张三' },
    delivery: { method: 'EMAIL', email: 'buyer@example.com' },
  });
  return request;
}

/** The batch of 2026-11-25 closes at 17:00 (finance's deadline 2026-11-30, escalation 2026-12-01). */
async function close() {
  app.clock.set('2026-11-25T17:00:00+08:00');
  await closeDueInvoiceBatches(app.deps, { scheduledTime: '2026-11-25T17:00:00+08:00' });
  await app.engine.settled();
}

const execution = () =>
  app.engine.execution(
    'invoiceBatch',
    invoiceBatchExecutionName({ entityId: zhaoMin.entityId, batchDate: '2026-11-25' }),
  );

async function at(instant: string) {
  app.clock.set(instant);
  await app.engine.settled();
}

const mailsOf = (words: string) => app.outbox.list().filter((message) => message.subject.includes(words));

beforeEach(async () => {
  app = await testApp('2026-11-25T10:00:00+08:00');
  zhaoMin = app.person('zhao.min');
  wuFang = app.person('wu.fang');
});

describe('the invoice batch workflow', () => {
  it('starts once when the batch closes, named after the entity and the batch day, and waits for the due day', async () => {
    await record(ORDER);
    await close();
    app.clock.set('2026-11-25T17:01:00+08:00');
    await closeDueInvoiceBatches(app.deps, { scheduledTime: '2026-11-25T17:01:00+08:00' });
    await app.engine.settled();

    expect(execution()).toMatchObject({ status: 'RUNNING', currentState: invoiceBatchStates.waitForDueDay });
    expect(mailsOf('Invoice batch of 2026-11-25')).toHaveLength(1);
  });

  it('emails finance the batch with a link to it and the 《开票申请表》 attached as the tax bureau’s workbook', async () => {
    const request = await record(ORDER);
    await close();

    const [mail] = mailsOf('Invoice batch of 2026-11-25');
    expect(mail?.to).toEqual([wuFang.email]);
    expect(mail?.links).toEqual([
      expect.stringMatching(/\/invoice-batches\/2026-11-25$/),
      expect.stringMatching(/\/invoice-batches\/2026-11-25\/application\.xlsx$/),
    ]);
    expect(mail?.attachments?.map((file) => [file.fileName, file.contentType])).toEqual([
      [
        'kaipiao-shenqing-2026-11-25.xlsx',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ],
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(mail?.attachments?.[0]?.base64 ?? '', 'base64') as never);
    const basics = workbook.getWorksheet('1-发票基本信息');
    expect(basics?.getRow(3).getCell(1).text).toBe('发票流水号');
    expect(basics?.getRow(4).getCell(1).text).toBe(request.number);
  });

  it('reminds finance at 09:00 on the due day and escalates at 09:00 the working day after while a line is left', async () => {
    await record(ORDER);
    await close();

    await at('2026-11-30T08:59:59+08:00');
    expect(mailsOf('invoice batches due today')).toEqual([]);
    await at('2026-11-30T09:00:00+08:00');
    expect(mailsOf('invoice batches due today').map((mail) => mail.to)).toEqual([[wuFang.email]]);
    expect(execution()?.currentState).toBe(invoiceBatchStates.waitForEscalationDay);

    await at('2026-12-01T09:00:00+08:00');
    const escalations = mailsOf('invoice batches overdue');
    // The finance reviewer Liu Yang's manager is the CEO Zhang Wei: one recipient, finance copied.
    expect(escalations.map((mail) => [mail.to, mail.cc])).toEqual([
      [[app.person('zhang.wei').email], [wuFang.email]],
    ]);
    expect(execution()).toMatchObject({ status: 'RUNNING', currentState: invoiceBatchStates.awaitIssued });
  });

  it('sends no second reminder when the 09:00 deadlines job has sent it already', async () => {
    await record(ORDER);
    await close();
    app.clock.set('2026-11-30T09:00:00+08:00');
    const { remindInvoiceDeadlines } = await import('../../lib/invoicing/deadlines-job.ts');
    await remindInvoiceDeadlines(app.deps, { scheduledTime: '2026-11-30T09:00:00+08:00' });
    await app.engine.settled();

    expect(mailsOf('invoice batches due today')).toHaveLength(1);
  });

  it('ends when the last line is issued and the last mailing recorded', async () => {
    const request = await record(ORDER);
    await close();
    await at('2026-12-01T09:00:00+08:00');
    expect(execution()?.currentState).toBe(invoiceBatchStates.awaitIssued);

    app.clock.set('2026-12-01T10:00:00+08:00');
    await issueInvoice(app.deps, wuFang, request.id, {
      invoiceNumber: '26352000000012345678',
      issuedOn: '2026-12-01',
    });
    await app.engine.settled();
    expect(execution()).toMatchObject({ status: 'RUNNING', currentState: invoiceBatchStates.awaitMailed });

    await recordDelivery(app.deps, zhaoMin, request.id, {
      method: 'EMAIL',
      sentTo: 'buyer@example.com',
      sentOn: '2026-12-01',
    });
    await app.engine.settled();
    expect(execution()).toMatchObject({ status: 'SUCCEEDED', endState: invoiceBatchStates.done });
  });

  it('reminds nobody on the due day when every line was issued before it', async () => {
    const request = await record(ORDER);
    await close();
    app.clock.set('2026-11-26T10:00:00+08:00');
    await issueInvoice(app.deps, wuFang, request.id, {
      invoiceNumber: '26352000000012345678',
      issuedOn: '2026-11-26',
    });
    await at('2026-11-30T09:00:00+08:00');

    expect(mailsOf('invoice batches due today')).toEqual([]);
    expect(execution()?.currentState).toBe(invoiceBatchStates.awaitMailed);
  });

  it('resumes its wait after a restart of the local runtime, and reminds once on the due day', async () => {
    await record(ORDER);
    await close();

    await app.restart();
    await app.engine.settled();
    expect(execution()).toMatchObject({ status: 'RUNNING', currentState: invoiceBatchStates.waitForDueDay });
    expect(mailsOf('Invoice batch of 2026-11-25')).toHaveLength(1);

    await at('2026-11-30T09:00:00+08:00');
    await app.restart();
    await app.engine.settled();
    expect(mailsOf('invoice batches due today')).toHaveLength(1);
    expect(execution()?.currentState).toBe(invoiceBatchStates.waitForEscalationDay);
  });
});

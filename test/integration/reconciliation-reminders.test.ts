/**
 * The reconciliation's reminders (POLICY 3.2, D11): at 10:00 on a week's due day (week 2026-09-28 is
 * due 2026-10-08, after National Day) merchandising and its head are reminded while the sales summary
 * is missing; the next working day finance and the head of merchandising are told it is late; each
 * once, whatever reruns; nothing once the summary is registered.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { remindReconciliations } from '../../lib/reconciliation/reminders-job.ts';
import { registerInput } from '../../lib/reconciliation/weeks.ts';
import { storeUploadedFile } from '../../lib/uploads/create-upload.ts';
import { type TestApp, testApp } from '../support/app.ts';

let app: TestApp;

beforeEach(async () => {
  app = await testApp('2026-10-08T10:00:00+08:00');
});

/** The Shanghai entity's mails (the demo's second entity, Guangzhou, has its own week and reminders). */
const mailsOf = (words: string) =>
  app.outbox
    .list()
    .filter((message) => message.subject.includes(words) && !message.to.some((to) => to.startsWith('gz.')));
const ofShanghai = (sent: { entityId: string }[]) => sent.filter((unit) => unit.entityId === 'lianshang-sh');
const MERCHANDISING = [
  'li.na@lianshang.example',
  'sun.hao@lianshang.example',
  'zhou.lei@lianshang.example',
  'wang.qiang@lianshang.example',
];

describe('the reconciliation reminders', () => {
  it('remind merchandising and its head on the due day, once however often the job runs', async () => {
    await remindReconciliations(app.deps, { date: '2026-10-08' });
    const again = await remindReconciliations(app.deps, { date: '2026-10-08' });

    const reminders = mailsOf('is due today');
    expect(reminders).toHaveLength(1);
    expect([...(reminders[0]?.to ?? [])].sort()).toEqual([...MERCHANDISING].sort());
    expect(reminders[0]?.subject).toContain('2026-09-28');
    expect(again.sent).toEqual([]);
    expect(app.outbox.list().filter((message) => message.subject.includes('is due today'))).toHaveLength(2);
  });

  it('link the reminder to the week’s own page, where the summary is uploaded', async () => {
    await remindReconciliations(app.deps, { date: '2026-10-08' });

    expect(mailsOf('is due today')[0]?.links).toEqual(['http://fundflow.test/reconciliations/2026-09-28']);
  });

  it('say nothing on a day no week is due (National Day, and the Tuesday after the week)', async () => {
    expect((await remindReconciliations(app.deps, { date: '2026-10-06' })).sent).toEqual([]);
    expect((await remindReconciliations(app.deps, { date: '2026-10-07' })).sent).toEqual([]);
  });

  it('tell finance and the head of merchandising the working day after that the summary is late', async () => {
    await remindReconciliations(app.deps, { date: '2026-10-09' });

    const late = mailsOf('was not uploaded');
    expect(late).toHaveLength(1);
    expect([...(late[0]?.to ?? [])].sort()).toEqual([
      'liu.yang@lianshang.example',
      'wang.qiang@lianshang.example',
    ]);
  });

  it('send nothing once the summary is registered', async () => {
    const liNa = app.person('li.na');
    const uploadKey = await storeUploadedFile(app.deps, liNa, {
      fileName: 'summary.csv',
      contentType: 'text/csv',
      body: Buffer.from('orderId,supplierId,supplierName,amount,supplierPayable,completedAt\n'),
      purpose: 'sales-summary',
    });
    await registerInput(app.deps, liNa, '2026-09-28', { kind: 'SALES_SUMMARY', uploadKey });

    expect(ofShanghai((await remindReconciliations(app.deps, { date: '2026-10-08' })).sent)).toEqual([]);
    expect(ofShanghai((await remindReconciliations(app.deps, { date: '2026-10-09' })).sent)).toEqual([]);
  });
});

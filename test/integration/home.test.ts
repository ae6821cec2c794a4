/**
 * "待我处理 Waiting for me" (lib/home/waiting.ts), from the indexes on DynamoDB Local with the real
 * workflow: each approval is on the home of the step's holder exactly while the chain is at that
 * step, with a link signed for them; a rejected voucher is on its applicant's until edited; a paid
 * one until its invoice is recorded; the cashier sees today's and overdue payments, counted and
 * summed.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { decide, openApproval } from '../../lib/approvals/decide.ts';
import type { Person, Voucher } from '../../lib/domain/model.ts';
import { waitingFor } from '../../lib/home/waiting.ts';
import { type PaymentInput, recordPayment } from '../../lib/payments/payments.ts';
import { recordSupplierInvoice } from '../../lib/payments/supplier-invoices.ts';
import { resubmitVoucher, submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { type TestApp, testApp, voucherInput } from '../support/app.ts';

let app: TestApp;
let liNa: Person;
let head: Person;
let finance: Person;
let cashier: Person;

const emailOf = (local: string) => `${local}@lianshang.example`;

function latestLink(localPart: string): string {
  const link = app.outbox
    .list()
    .filter((message) => message.to.includes(emailOf(localPart)))
    .at(-1)
    ?.links.find((candidate) => candidate.includes('/approvals/'));
  if (!link) throw new Error(`no approval link for ${localPart}`);
  return link.split('/approvals/')[1] ?? '';
}

async function decideAs(localPart: string, decision: 'APPROVE' | 'REJECT', reason = '') {
  await app.engine.settled();
  await decide(app.deps, latestLink(localPart), { decision, reason });
  await app.engine.settled();
}

async function submitted(amount = '1.00'): Promise<Voucher> {
  const { voucher } = await submitVoucher(app.deps, liNa, await voucherInput(app, liNa, { amount }));
  await app.engine.settled();
  return voucher;
}

const approvalIds = async (person: Person) =>
  (await waitingFor(app.deps, person)).approvals.map((item) => item.voucher.id);

beforeEach(async () => {
  app = await testApp('2026-11-18T09:00:00+08:00');
  liNa = app.person('li.na');
  head = app.person('wang.qiang');
  finance = app.person('liu.yang');
  cashier = app.person('chen.jing');
});

describe('what waits for me', () => {
  it('puts an approval on the home of the step’s holder while the chain is at that step, and nobody else’s', async () => {
    const voucher = await submitted('12.00');

    const forHead = (await waitingFor(app.deps, head)).approvals;
    expect(forHead.map((item) => [item.voucher.id, item.step])).toEqual([
      [voucher.id, 'HEAD_OF_MERCHANDISING'],
    ]);
    expect(await approvalIds(finance)).toEqual([]);
    expect(await approvalIds(liNa)).toEqual([]);

    await decideAs('wang.qiang', 'APPROVE');

    expect(await approvalIds(head)).toEqual([]);
    expect(await approvalIds(finance)).toEqual([voucher.id]);
  });

  it('links each approval to its confirmation page by a link signed for that approver, which decides nothing by itself', async () => {
    const voucher = await submitted();
    const [item] = (await waitingFor(app.deps, head)).approvals;
    const token = item?.link.replace('/approvals/', '') ?? '';

    const opened = await openApproval(app.deps, token);

    expect(opened.link).toMatchObject({
      voucherId: voucher.id,
      approver: head.email,
      step: 'HEAD_OF_MERCHANDISING',
    });
    expect((await app.deps.store.vouchers.get(voucher.id))?.approvals ?? []).toEqual([]);
  });

  it('counts and sums what waits for one approver', async () => {
    await submitted('10.00');
    await submitted('2.50');

    const approvals = (await waitingFor(app.deps, head)).approvals;

    expect(approvals).toHaveLength(2);
    expect(approvals.reduce((sum, item) => sum + item.voucher.amountFen, 0)).toBe(1_250);
  });

  it('puts a rejected voucher, with its reason, on its applicant’s home until it is edited and sent again', async () => {
    const voucher = await submitted('3.00');
    await decideAs('wang.qiang', 'REJECT', '请附发货单 attach the delivery note');

    const waiting = await waitingFor(app.deps, liNa);
    expect(
      waiting.toEdit.map((item) => [item.voucher.id, item.rejection?.reason, item.rejection?.by]),
    ).toEqual([[voucher.id, '请附发货单 attach the delivery note', '王强 Wang Qiang']]);
    expect(await approvalIds(head)).toEqual([]);

    await resubmitVoucher(app.deps, liNa, voucher.id, await voucherInput(app, liNa, { amount: '3.00' }));
    await app.engine.settled();

    expect((await waitingFor(app.deps, liNa)).toEdit).toEqual([]);
    expect(await approvalIds(head)).toEqual([voucher.id]);
  });

  it('puts a paid voucher on its applicant’s home until the supplier’s invoice is recorded', async () => {
    const voucher = await submitted('10,000.00');
    await decideAs('wang.qiang', 'APPROVE');
    await decideAs('liu.yang', 'APPROVE');
    await pay(voucher.id, '2026-11-18');

    expect((await waitingFor(app.deps, liNa)).invoices.map((item) => item.id)).toEqual([voucher.id]);

    await recordSupplierInvoice(app.deps, liNa, voucher.id, {
      type: 'VAT_SPECIAL',
      number: '26332000000012345678',
      issuedOn: '2026-11-18',
      amount: '10,000.00',
      taxAmount: '1,150.44',
    });
    await app.engine.settled();

    expect((await waitingFor(app.deps, liNa)).invoices).toEqual([]);
  });

  it('shows the cashier today’s payments and the overdue ones apart, counted and summed', async () => {
    app.clock.set('2026-11-17T09:00:00+08:00');
    await submitted('5.00');
    await decideAs('wang.qiang', 'APPROVE');
    await decideAs('liu.yang', 'APPROVE');
    app.clock.set('2026-11-18T09:00:00+08:00');
    await app.engine.settled();
    await submitted('7.00');
    await decideAs('wang.qiang', 'APPROVE');
    await decideAs('liu.yang', 'APPROVE');
    await submitted('11.00');
    await decideAs('wang.qiang', 'APPROVE');
    await decideAs('liu.yang', 'APPROVE');

    const { run } = await waitingFor(app.deps, cashier);

    expect(run).toEqual({ dueToday: { count: 2, amountFen: 1_800 }, overdue: { count: 1, amountFen: 500 } });
    expect((await waitingFor(app.deps, liNa)).run).toBeUndefined();
  });
});

async function pay(voucherId: string, paidOn: string) {
  await recordPayment(app.deps, cashier, voucherId, {
    status: 'PAID',
    bankReference: 'ICBC-HOME-1',
    paidOn,
  } as PaymentInput);
  await app.engine.settled();
}

/**
 * What the payments say to people, without a browser: the emails name a voucher by its short number
 * beside its id (once vouchers carry one), and a page's confirmation banner says only what the voucher
 * as it is now agrees with — an outcome it does not have shows nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Voucher } from '../../lib/domain/model.ts';
import { paymentFailedNotice, supplierInvoiceRequest, unpaidRunReminder } from '../../lib/payments/emails.ts';
import { RUN_OUTCOMES, VOUCHER_OUTCOMES, voucherConfirmation } from '../../lib/payments/outcomes.ts';

const base: Voucher = {
  id: '01KA0000000000000000000001',
  version: 1,
  revision: 7,
  entityId: 'lianshang-sh',
  status: 'READY_FOR_PAYMENT',
  applicant: 'li.na@lianshang.example',
  supplierId: 'SUP-HZ-TEXTILE',
  supplierName: '杭州织锦服饰有限公司',
  payee: {
    name: '杭州织锦服饰有限公司',
    account: '3301 0400 0001 2345 678',
    bank: '中国工商银行杭州西湖支行',
  },
  amountFen: 100_000,
  orderIds: ['LS-20261116-0001'],
  allocations: [{ orderId: 'LS-20261116-0001', amountFen: 100_000 }],
  goods: '秋冬女装',
  evidence: [],
  route: {
    requiresCeo: false,
    ceoReason: null,
    judgedAmountFen: 100_000,
    thresholdFen: 50_000_000,
    steps: [],
  },
  flags: [],
  submittedOn: '2026-11-18',
  submittedAt: '2026-11-18T09:00:00.000+08:00',
  updatedAt: '2026-11-18T10:00:00.000+08:00',
  policyVersion: 1,
  payment: {
    payableAt: '2026-11-18T10:00:00.000+08:00',
    dueDate: '2026-11-18',
    status: 'PAID',
    bankReference: 'ICBC-20261118-0001',
    paidOn: '2026-11-18',
  },
};
const numbered = { ...base, number: 'FK-20261118-0007' };

describe('the payment emails', () => {
  it('name a numbered voucher by its short number beside its id, in the subject and the text', () => {
    const mails = [
      paymentFailedNotice(numbered, ['liu.yang@lianshang.example'], 'chen.jing@…', '账户冻结', 'http://x/v'),
      supplierInvoiceRequest('REQUEST', numbered, 'http://x/v', []),
      unpaidRunReminder('2026-11-18', [numbered], ['chen.jing@…'], ['liu.yang@…'], 'http://x/r'),
    ];

    for (const mail of mails.slice(0, 2)) expect(mail.subject).toContain('FK-20261118-0007');
    for (const mail of mails) expect(mail.text).toContain(`FK-20261118-0007 (${base.id})`);
  });

  it('name a voucher without a number by its id alone', () => {
    const mail = supplierInvoiceRequest('REMINDER', base, 'http://x/v', []);

    expect(mail.text).toContain(`${base.id} 已于 2026-11-18 付款`);
    expect(mail.text).not.toContain('FK-');
  });
});

describe('the confirmation banner', () => {
  it('confirms a payment with the facts the voucher holds, and names its number', () => {
    const banner = voucherConfirmation({ ...numbered, status: 'PAID' }, 'paid');

    expect(banner?.title).toBe('已记录付款 Payment recorded');
    expect(banner?.lines.join(' ')).toContain('ICBC-20261118-0001');
    expect(banner?.lines.join(' ')).toContain('FK-20261118-0007');
  });

  it('says nothing of an outcome the voucher does not have', () => {
    const due: Voucher = {
      ...base,
      payment: { payableAt: base.submittedAt, dueDate: '2026-11-18', status: 'DUE' },
    };
    const outcomes = [...new Set([...RUN_OUTCOMES, ...VOUCHER_OUTCOMES])];

    expect(outcomes.map((outcome) => [outcome, voucherConfirmation(due, outcome)])).toEqual(
      outcomes.map((outcome) => [outcome, null]),
    );
  });

  it('confirms each outcome only in the state it leads to', () => {
    const failed: Voucher = {
      ...base,
      status: 'PAYMENT_FAILED',
      payment: {
        payableAt: base.submittedAt,
        dueDate: '2026-11-18',
        status: 'PAYMENT_FAILED',
        failureReason: '冻结',
      },
    };
    const rescheduled: Voucher = {
      ...base,
      payment: {
        payableAt: base.submittedAt,
        dueDate: '2026-11-19',
        status: 'DUE',
        failures: [{ at: base.submittedAt, by: 'chen.jing@…', reason: '冻结' }],
      },
    };

    expect(voucherConfirmation(failed, 'failed')?.title).toBe('已记录付款失败 Recorded as failed');
    expect(voucherConfirmation(failed, 'paid')).toBeNull();
    expect(voucherConfirmation(rescheduled, 'retried')?.lines.join(' ')).toContain('2026-11-19');
    expect(voucherConfirmation(rescheduled, 'returned')).toBeNull();
  });
});

/**
 * The approval chain: the synthesized state machine under aws-local-stepfunctions, every Task state
 * running its real handler, on DynamoDB Local. Decisions go through the same use case the approval
 * page's POST calls.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { decide, openApproval } from '../../lib/approvals/decide.ts';
import { addDelegation } from '../../lib/approvals/delegations.ts';
import type { ApprovalStep, Person } from '../../lib/domain/model.ts';
import {
  resubmitVoucher,
  type SubmitVoucherInput,
  submitVoucher,
} from '../../lib/vouchers/submit-voucher.ts';
import { executionName } from '../../lib/workflow/approval-states.ts';
import { BEAUTY_PAYEE, type TestApp, testApp, voucherInput } from '../support/app.ts';

const emailOf = (local: string) => `${local}@lianshang.example`;

let app: TestApp;
let liNa: Person;

const input = (overrides: Partial<SubmitVoucherInput> = {}) => voucherInput(app, liNa, overrides);

const ceoInput = (amount = '500,000.00') =>
  input({ supplierId: 'SUP-GZ-BEAUTY', payee: BEAUTY_PAYEE, orderIds: ['LS-20261116-0003'], amount });

/** The newest approval link emailed to a person, as the token in its path. */
function latestLink(localPart: string): string {
  const messages = app.outbox.list().filter((message) => message.to.includes(emailOf(localPart)));
  const link = messages.at(-1)?.links.find((candidate) => candidate.includes('/approvals/'));
  if (!link)
    throw new Error(`no approval link for ${localPart}; outbox: ${app.outbox.list().map((m) => m.subject)}`);
  return link.split('/approvals/')[1] ?? '';
}

async function approve(localPart: string) {
  await app.engine.settled();
  const result = await decide(app.deps, latestLink(localPart), { decision: 'APPROVE', reason: '' });
  await app.engine.settled();
  return result;
}

async function submitted(request: Promise<SubmitVoucherInput>) {
  const { voucher } = await submitVoucher(app.deps, liNa, await request);
  await app.engine.settled();
  return voucher;
}

const statusOf = async (id: string) => (await app.deps.store.vouchers.get(id))?.status;

beforeEach(async () => {
  app = await testApp();
  liNa = app.person('li.na');
});

describe('the standard route (POLICY 2.2(1))', () => {
  it('goes head of merchandising → finance review → READY_FOR_PAYMENT, one email each', async () => {
    const voucher = await submitted(input());

    expect(await statusOf(voucher.id)).toBe('IN_APPROVAL');
    await approve('wang.qiang');
    await approve('liu.yang');

    const stored = await app.deps.store.vouchers.get(voucher.id);
    expect(stored?.status).toBe('READY_FOR_PAYMENT');
    // Payable at 10:00 on a Wednesday: paid in that day's run (POLICY 2.2(3), D3).
    expect(stored?.payment).toMatchObject({ dueDate: '2026-11-18', status: 'DUE' });
    expect(stored?.approvals?.map((approval) => [approval.step, approval.decidedBy])).toEqual([
      ['HEAD_OF_MERCHANDISING', emailOf('wang.qiang')],
      ['FINANCE_REVIEW', emailOf('liu.yang')],
    ]);
    expect(app.outbox.list().filter((message) => message.to.includes(emailOf('zhang.wei')))).toEqual([]);
    // Payable at 10:00: today's run is open, so the workflow waits for the cashier.
    expect(
      app.engine.execution('voucher', executionName({ voucherId: voucher.id, version: 1 })),
    ).toMatchObject({
      status: 'RUNNING',
      currentState: 'AwaitPayment',
    });
  });

  it('never puts a task token in an email', async () => {
    await submitted(input());

    const token = (
      await app.deps.store.approvals.getStep(
        (await app.deps.store.vouchers.listByApplicant(liNa.email, { limit: 1 })).items[0]?.id ?? '',
        1,
        'HEAD_OF_MERCHANDISING',
      )
    )?.taskToken;
    expect(token).toBeTruthy();
    for (const message of app.outbox.list()) {
      expect(`${message.text}${message.html}${message.links.join()}`).not.toContain(token);
    }
  });
});

describe('the payment day (POLICY 2.2(3), D3)', () => {
  it('is the next working day when finance reviews in the afternoon', async () => {
    const voucher = await submitted(input());
    await approve('wang.qiang');
    app.clock.set('2026-11-20T12:00:00+08:00');

    await approve('liu.yang');

    expect((await app.deps.store.vouchers.get(voucher.id))?.payment?.dueDate).toBe('2026-11-23');
  });
});

describe('the CEO route (POLICY 2.2(2), D1, D2)', () => {
  it('asks the CEO at exactly 500,000.00', async () => {
    const voucher = await submitted(ceoInput());

    await approve('wang.qiang');
    await approve('zhang.wei');
    await approve('liu.yang');

    expect(
      (await app.deps.store.vouchers.get(voucher.id))?.approvals?.map((approval) => approval.step),
    ).toEqual(['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEW']);
    expect(await statusOf(voucher.id)).toBe('READY_FOR_PAYMENT');
  });

  it('sends a split-flagged voucher to the CEO, and the earlier one of its group too', async () => {
    const first = await submitted(input({ orderIds: ['LS-20261117-0009'], amount: '260,000.00' }));
    const second = await submitted(input({ orderIds: ['LS-20261117-0010'], amount: '240,000.00' }));

    const firstHeadLink = app.outbox
      .list()
      .filter((message) => message.to.includes(emailOf('wang.qiang')))
      .flatMap((message) => message.links)
      .map((link) => link.split('/approvals/')[1] ?? '');
    for (const link of firstHeadLink) await decide(app.deps, link, { decision: 'APPROVE', reason: '' });
    await app.engine.settled();

    const ceoMail = app.outbox.list().filter((message) => message.to.includes(emailOf('zhang.wei')));
    expect(ceoMail).toHaveLength(2);
    expect((await app.deps.store.vouchers.get(second.id))?.flags.map((flag) => flag.code)).toContain(
      'POSSIBLE_SPLIT',
    );
    expect((await app.deps.store.vouchers.get(first.id))?.route.requiresCeo).toBe(true);
  });
});

describe('rejection and resubmission (POLICY D19)', () => {
  const approvers: Record<ApprovalStep, string> = {
    HEAD_OF_MERCHANDISING: 'wang.qiang',
    CEO: 'zhang.wei',
    FINANCE_REVIEW: 'liu.yang',
    PAYMENT: 'chen.jing',
  };
  const order: ApprovalStep[] = ['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEW'];

  it.each(order)(
    'ends the version at a rejection by %s, tells the applicant why, and frees the order',
    async (step) => {
      const voucher = await submitted(ceoInput());
      for (const earlier of order.slice(0, order.indexOf(step))) await approve(approvers[earlier]);

      await app.engine.settled();
      await decide(app.deps, latestLink(approvers[step]), {
        decision: 'REJECT',
        reason: '发票抬头不符 wrong invoice title',
      });
      await app.engine.settled();

      const stored = await app.deps.store.vouchers.get(voucher.id);
      expect(stored).toMatchObject({ status: 'REJECTED', claimsReleased: true });
      expect((await app.deps.store.orders.get('LS-20261116-0003'))?.claimedFen).toBe(0);
      const notice = app.outbox
        .list()
        .filter((message) => message.to.includes(liNa.email))
        .at(-1);
      expect(notice?.text).toContain('wrong invoice title');
      expect(
        app.engine.execution('voucher', executionName({ voucherId: voucher.id, version: 1 }))?.endState,
      ).toBe('Rejected');
    },
  );

  it('restarts the whole chain for the edited version, and the old links stop working', async () => {
    const voucher = await submitted(ceoInput());
    await approve('wang.qiang');
    const oldCeoLink = latestLink('zhang.wei');
    await decide(app.deps, oldCeoLink, { decision: 'REJECT', reason: 'too much' });
    await app.engine.settled();

    const { voucher: edited } = await resubmitVoucher(
      app.deps,
      liNa,
      voucher.id,
      await ceoInput('400,000.00'),
    );
    await app.engine.settled();

    expect(edited).toMatchObject({ version: 2, status: 'SUBMITTED' });
    expect(await statusOf(voucher.id)).toBe('IN_APPROVAL');
    await expect(openApproval(app.deps, oldCeoLink)).rejects.toMatchObject({ code: 'SUPERSEDED' });
    await approve('wang.qiang');
    await approve('liu.yang');
    expect(await statusOf(voucher.id)).toBe('READY_FOR_PAYMENT');
    expect((await app.deps.store.orders.get('LS-20261116-0003'))?.claimedFen).toBe(40_000_000);
  });

  it('refuses a rejection without a reason', async () => {
    await submitted(input());

    await expect(
      decide(app.deps, latestLink('wang.qiang'), { decision: 'REJECT', reason: ' ' }),
    ).rejects.toMatchObject({
      statusCode: 400,
    });
  });
});

describe('deciding exactly once', () => {
  it('turns a second click into “already decided” and changes nothing', async () => {
    const voucher = await submitted(input());
    const link = latestLink('wang.qiang');
    await decide(app.deps, link, { decision: 'APPROVE', reason: '' });

    await expect(
      decide(app.deps, link, { decision: 'REJECT', reason: 'changed my mind' }),
    ).rejects.toMatchObject({
      code: 'ALREADY_DECIDED',
    });
    await app.engine.settled();
    expect((await app.deps.store.vouchers.get(voucher.id))?.approvals).toHaveLength(1);
  });

  it('lets exactly one of two simultaneous decisions land', async () => {
    const voucher = await submitted(input());
    const link = latestLink('wang.qiang');

    const results = await Promise.allSettled([
      decide(app.deps, link, { decision: 'APPROVE', reason: '' }),
      decide(app.deps, link, { decision: 'REJECT', reason: 'no' }),
    ]);
    await app.engine.settled();

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((await app.deps.store.vouchers.get(voucher.id))?.approvals).toHaveLength(1);
  });
});

describe('links', () => {
  it('refuses a tampered link', async () => {
    await submitted(input());
    const link = latestLink('wang.qiang');
    const tampered = `${link.slice(0, 10)}${link[10] === 'A' ? 'B' : 'A'}${link.slice(11)}`;

    await expect(openApproval(app.deps, tampered)).rejects.toMatchObject({ code: 'LINK_INVALID' });
  });

  it('refuses an expired link (14 days by default)', async () => {
    await submitted(input());
    const link = latestLink('wang.qiang');
    app.clock.set('2026-12-03T10:00:01+08:00');

    await expect(openApproval(app.deps, link)).rejects.toMatchObject({ code: 'LINK_EXPIRED' });
  });
});

describe('reminders and escalation', () => {
  it('reminds after one working day, with a link that still works', async () => {
    const voucher = await submitted(input());

    app.clock.set('2026-11-19T10:00:01+08:00');
    await app.engine.settled();

    const toHead = app.outbox.list().filter((message) => message.to.includes(emailOf('wang.qiang')));
    expect(toHead.map((message) => message.subject.includes('提醒'))).toEqual([false, true]);
    await approve('wang.qiang');
    expect((await app.deps.store.vouchers.get(voucher.id))?.approvals).toHaveLength(1);
  });

  it('emails the request when the workflow retries it after its email failed, and only once', async () => {
    vi.spyOn(app.deps.mailer, 'send').mockRejectedValueOnce(new Error('SES throttled'));

    const voucher = await submitted(input());

    const toHead = app.outbox.list().filter((message) => message.to.includes(emailOf('wang.qiang')));
    expect(toHead).toHaveLength(1);
    expect(
      app.engine.execution('voucher', executionName({ voucherId: voucher.id, version: 1 })),
    ).toMatchObject({
      status: 'RUNNING',
      currentState: 'RequestHeadOfMerchandisingDecision',
    });
  });

  it('does not remind over the weekend: Friday’s request is reminded on Monday', async () => {
    app.clock.set('2026-11-20T10:00:00+08:00');
    await submitted(input());

    app.clock.set('2026-11-22T12:00:00+08:00');
    await app.engine.settled();
    const beforeMonday = app.outbox.list().length;
    app.clock.set('2026-11-23T10:00:01+08:00');
    await app.engine.settled();

    expect(beforeMonday).toBe(1);
    expect(app.outbox.list()).toHaveLength(2);
  });

  it('escalates to the approver’s manager and finance after two reminders', async () => {
    await submitted(input());
    for (const day of ['2026-11-19', '2026-11-20', '2026-11-23']) {
      app.clock.set(`${day}T10:00:01+08:00`);
      await app.engine.settled();
    }

    const escalation = app.outbox.list().at(-1);
    expect(escalation?.subject).toContain('Escalated');
    expect(escalation?.cc).toEqual([emailOf('zhang.wei'), emailOf('liu.yang')]);
  });
});

describe('delegation (POLICY D18)', () => {
  it('lets a dated delegate decide for the head of merchandising, on the record', async () => {
    await addDelegation(app.deps, app.person('admin'), {
      from: emailOf('wang.qiang'),
      to: emailOf('sun.hao'),
      validFrom: '2026-11-18',
      validTo: '2026-11-20',
      reason: 'travelling',
    });
    const voucher = await submitted(input());

    await approve('sun.hao');

    const [approval] = (await app.deps.store.vouchers.get(voucher.id))?.approvals ?? [];
    expect(approval).toMatchObject({ decidedBy: emailOf('sun.hao'), onBehalfOf: emailOf('wang.qiang') });
  });

  it('refuses a delegate outside the delegation’s dates', async () => {
    await addDelegation(app.deps, app.person('admin'), {
      from: emailOf('wang.qiang'),
      to: emailOf('sun.hao'),
      validFrom: '2026-11-18',
      validTo: '2026-11-18',
      reason: 'one day',
    });
    await submitted(input());
    const delegateLink = latestLink('sun.hao');
    app.clock.set('2026-11-19T09:00:00+08:00');

    await expect(decide(app.deps, delegateLink, { decision: 'APPROVE', reason: '' })).rejects.toMatchObject({
      statusCode: 403,
    });
  });
});

describe('restart', () => {
  it('loses nothing when the runtime restarts in the middle of a chain', async () => {
    const voucher = await submitted(input());
    await approve('wang.qiang');
    const financeLink = latestLink('liu.yang');
    const mailBefore = app.outbox.list().length;

    await app.restart();
    await app.engine.settled();
    await decide(app.deps, financeLink, { decision: 'APPROVE', reason: '' });
    await app.engine.settled();

    expect(app.outbox.list()).toHaveLength(mailBefore);
    expect(await statusOf(voucher.id)).toBe('READY_FOR_PAYMENT');
  });

  it('reminds one working day after the request, not one working day after a restart in between', async () => {
    app.clock.set('2026-11-18T10:30:00+08:00');
    await submitted(input());
    const toHead = () => app.outbox.list().filter((message) => message.to.includes(emailOf('wang.qiang')));
    expect(toHead()).toHaveLength(1);

    app.clock.set('2026-11-18T13:30:00+08:00');
    await app.restart();
    await app.engine.settled();
    app.clock.set('2026-11-19T10:29:59+08:00');
    await app.engine.settled();
    expect(toHead()).toHaveLength(1);
    app.clock.set('2026-11-19T10:30:00+08:00');
    await app.engine.settled();

    expect(toHead()).toHaveLength(2);
    expect(toHead()[1]?.subject).toContain('Reminder');
  });

  it('keeps the next reminder at its time when the runtime restarts after a reminder went out', async () => {
    app.clock.set('2026-11-18T10:30:00+08:00');
    await submitted(input());
    const toHead = () => app.outbox.list().filter((message) => message.to.includes(emailOf('wang.qiang')));
    app.clock.set('2026-11-19T10:30:00+08:00');
    await app.engine.settled();
    expect(toHead()).toHaveLength(2);

    app.clock.set('2026-11-19T13:30:00+08:00');
    await app.restart();
    await app.engine.settled();
    app.clock.set('2026-11-20T10:29:59+08:00');
    await app.engine.settled();
    expect(toHead()).toHaveLength(2);
    app.clock.set('2026-11-20T10:30:00+08:00');
    await app.engine.settled();

    expect(toHead()).toHaveLength(3);
    expect(toHead()[2]?.subject).toContain('Reminder');
  });
});

/**
 * The travelling approver (POLICY 2.2 note, D6, D18): who may record a proxy approval, the DKIM
 * check of the consent email, the approver's notice with a refusal link, and the refusal that pulls
 * the voucher back — under the synthesized state machine, on DynamoDB Local, with the tests' own DKIM
 * keys published through the resolver port.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { decide } from '../../lib/approvals/decide.ts';
import { addProxyAssignment, listProxyAssignments } from '../../lib/approvals/proxy-assignments.ts';
import {
  countersignAll,
  openProxyRefusal,
  recordProxyApproval,
  refuseByLink,
  remindOutstandingCountersigns,
} from '../../lib/approvals/travelling-approver.ts';
import { markReadyForPayment } from '../../lib/approvals/workflow-tasks.ts';
import type { Person, Voucher } from '../../lib/domain/model.ts';
import { exportBankBatch, paymentRun } from '../../lib/payments/payment-run.ts';
import { recordPayment } from '../../lib/payments/payments.ts';
import { type SubmitVoucherInput, submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { executionName } from '../../lib/workflow/approval-states.ts';
import { BEAUTY_PAYEE, type TestApp, testApp, voucherInput } from '../support/app.ts';
import { consentText, PROXY_OF, proxyApprove, signedConsent, uploadConsent } from '../support/consent.ts';
import { eml, signed, testKey } from '../support/dkim.ts';

const emailOf = (local: string) => `${local}@lianshang.example`;

let app: TestApp;
let liNa: Person;

beforeEach(async () => {
  app = await testApp('2026-11-18T09:00:00+08:00');
  liNa = app.person('li.na');
});

const textileInput = (overrides: Partial<SubmitVoucherInput> = {}) => voucherInput(app, liNa, overrides);
const ceoInput = () =>
  voucherInput(app, liNa, {
    supplierId: 'SUP-GZ-BEAUTY',
    payee: BEAUTY_PAYEE,
    orderIds: ['LS-20261116-0003'],
    amount: '500,000.00',
  });

async function submitted(request: Promise<SubmitVoucherInput>): Promise<Voucher> {
  const { voucher } = await submitVoucher(app.deps, liNa, await request);
  await app.engine.settled();
  return voucher;
}

/** The newest link of a kind (`/approvals/`, `/proxy-refusal/`, `/countersign/`) emailed to a person, as its token. */
function latestLink(localPart: string, kind = '/approvals/'): string {
  const link = app.outbox
    .list()
    .filter((message) => message.to.includes(emailOf(localPart)))
    .flatMap((message) => message.links)
    .filter((candidate) => candidate.includes(kind))
    .at(-1);
  if (!link) throw new Error(`no ${kind} link for ${localPart}`);
  return link.split(kind)[1] ?? '';
}

async function approve(localPart: string) {
  await app.engine.settled();
  await decide(app.deps, latestLink(localPart), { decision: 'APPROVE', reason: '' });
  await app.engine.settled();
}

const stored = async (id: string) => {
  const voucher = await app.deps.store.vouchers.get(id);
  if (!voucher) throw new Error(`no voucher ${id}`);
  return voucher;
};
const stateOf = (voucher: Voucher) =>
  app.engine.execution('voucher', executionName({ voucherId: voucher.id, version: voucher.version }))
    ?.currentState;

/** Everything a proxy approval would write: the voucher, its history, the step, the countersigns. */
async function snapshot(voucher: Voucher) {
  return {
    voucher: await stored(voucher.id),
    history: (await app.deps.store.vouchers.history(voucher.id)).length,
    step: await app.deps.store.approvals.getStep(voucher.id, voucher.version, 'HEAD_OF_MERCHANDISING'),
    ceo: await app.deps.store.approvals.getStep(voucher.id, voucher.version, 'CEO'),
    countersigns: await app.deps.store.approvals.pendingCountersigns(),
  };
}

/** An administrator names `proxy` as `approver`'s proxy (from today, a week unless given). */
function assign(proxy: string, approver: string, from = '2026-11-18', to = '2026-11-25') {
  return addProxyAssignment(app.deps, app.person('admin'), {
    approver: emailOf(approver),
    proxy: emailOf(proxy),
    from,
    to,
    reason: '出差 travelling',
  });
}

/** `uploader` uploads `raw` and records the step from it. */
async function record(
  uploader: string,
  voucher: Voucher,
  raw: Buffer,
  step: 'HEAD_OF_MERCHANDISING' | 'CEO',
) {
  const person = app.person(uploader);
  return recordProxyApproval(app.deps, person, voucher.id, {
    step,
    consentEmail: await uploadConsent(app, person, raw),
  });
}

/** The probe's file: a From: line typed by hand, no signature. */
const forged = (from: string, voucher: Voucher) =>
  eml({ from, body: `I approve voucher ${voucher.id} for ¥500,000.00 to ${voucher.payee.name}` });

describe('naming a travelling approver’s proxy (admin; POLICY D6, D18)', () => {
  const name = (overrides: Partial<Parameters<typeof addProxyAssignment>[2]> = {}, by = 'admin') =>
    addProxyAssignment(app.deps, app.person(by), {
      approver: emailOf('wang.qiang'),
      proxy: emailOf('tech'),
      from: '2026-11-18',
      to: '2026-11-30',
      reason: '出差 travelling',
      ...overrides,
    });

  it('names a proxy for dated days, audited under the approver, and lists it', async () => {
    const assignment = await name();

    expect(assignment).toMatchObject({ proxy: emailOf('tech'), createdBy: emailOf('admin') });
    const audit = await app.deps.store.approvals.personHistory(emailOf('wang.qiang'));
    expect(audit.filter((event) => event.type === 'PROXY_ASSIGNED').at(-1)).toMatchObject({
      actor: emailOf('admin'),
      details: { id: assignment.id, proxy: emailOf('tech'), from: '2026-11-18', to: '2026-11-30' },
    });
    const listed = await listProxyAssignments(app.deps, app.person('wang.qiang'), emailOf('wang.qiang'));
    expect(listed.map((item) => [item.proxy, item.activeToday])).toEqual([
      [emailOf('sun.hao'), true],
      [emailOf('tech'), true],
    ]);
  });

  it('starts today at the earliest and lasts less than a year', async () => {
    await expect(name({ from: '2026-11-17' })).rejects.toMatchObject({
      statusCode: 400,
      issues: [{ path: 'from' }],
    });
    await expect(name({ to: '2026-11-17' })).rejects.toMatchObject({
      statusCode: 400,
      issues: [{ path: 'to' }],
    });
    await expect(name({ to: '2027-11-18' })).rejects.toMatchObject({
      statusCode: 400,
      issues: [{ path: 'to' }],
    });
    await expect(name({ to: '2027-11-17' })).resolves.toMatchObject({ to: '2027-11-17' });
  });

  it('is for an administrator only, for two people of the directory, and for a step a proxy may record', async () => {
    await expect(name({}, 'wang.qiang')).rejects.toMatchObject({ statusCode: 403 });
    await expect(name({ proxy: 'nobody@lianshang.example' })).rejects.toMatchObject({
      statusCode: 400,
      issues: [{ path: 'proxy' }],
    });
    await expect(name({ proxy: emailOf('wang.qiang') })).rejects.toMatchObject({ statusCode: 400 });
    await expect(name({ approver: emailOf('liu.yang') })).rejects.toMatchObject({
      statusCode: 422,
      code: 'NOT_A_PROXY_STEP_HOLDER',
    });
  });

  it('shows an approver’s proxies to the approver and the control roles, not to others', async () => {
    await expect(
      listProxyAssignments(app.deps, app.person('zhao.min'), emailOf('wang.qiang')),
    ).rejects.toMatchObject({ statusCode: 403 });
    expect(await listProxyAssignments(app.deps, app.person('liu.yang'), emailOf('zhang.wei'))).toHaveLength(
      1,
    );
  });
});

describe('who may record a proxy approval (POLICY D6, D18)', () => {
  it('refuses the probe’s forgery: customer service, named by nobody, with a hand-typed From: — nothing written', async () => {
    const voucher = await submitted(ceoInput());
    const before = await snapshot(voucher);

    await expect(
      record('zhao.min', voucher, forged(emailOf('wang.qiang'), voucher), 'HEAD_OF_MERCHANDISING'),
    ).rejects.toMatchObject({ statusCode: 403 });

    expect(await snapshot(voucher)).toEqual(before);
  });

  it('refuses an unsigned email with From: the head of merchandising even from his named proxy (422), writing nothing', async () => {
    const voucher = await submitted(ceoInput());
    await assign('zhao.min', 'wang.qiang');
    const before = await snapshot(voucher);

    const refusal = record(
      'zhao.min',
      voucher,
      forged(emailOf('wang.qiang'), voucher),
      'HEAD_OF_MERCHANDISING',
    );

    await expect(refusal).rejects.toMatchObject({ statusCode: 422, code: 'CONSENT_EMAIL_UNSIGNED' });
    await expect(refusal).rejects.toThrow(/no DKIM signature/);
    expect(await snapshot(voucher)).toEqual(before);
    expect(stateOf(voucher)).toBe('RequestHeadOfMerchandisingDecision');
  });

  it('refuses an unsigned email with From: the CEO at the CEO step (422), writing nothing', async () => {
    const voucher = await submitted(ceoInput());
    await approve('wang.qiang');
    await assign('zhao.min', 'zhang.wei');
    const before = await snapshot(voucher);

    await expect(
      record('zhao.min', voucher, forged(emailOf('zhang.wei'), voucher), 'CEO'),
    ).rejects.toMatchObject({
      statusCode: 422,
      code: 'CONSENT_EMAIL_UNSIGNED',
    });

    expect(await snapshot(voucher)).toEqual(before);
    expect(stateOf(voucher)).toBe('RequestCeoDecision');
  });

  it('refuses a correctly signed email when the recorder was named nobody’s proxy (403)', async () => {
    const voucher = await submitted(textileInput());
    const raw = await signedConsent(emailOf('wang.qiang'), consentText(voucher));

    await expect(record('tech', voucher, raw, 'HEAD_OF_MERCHANDISING')).rejects.toMatchObject({
      statusCode: 403,
    });
    // Nor by role alone: an administrator is no proxy either.
    await expect(record('admin', voucher, raw, 'HEAD_OF_MERCHANDISING')).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('refuses a proxy whose assignment has not started yet, and one whose assignment has ended (403)', async () => {
    const voucher = await submitted(textileInput());
    await assign('tech', 'wang.qiang', '2026-11-19', '2026-11-20');
    const raw = await signedConsent(emailOf('wang.qiang'), consentText(voucher));

    await expect(record('tech', voucher, raw, 'HEAD_OF_MERCHANDISING')).rejects.toMatchObject({
      statusCode: 403,
      message: expect.stringContaining('proxy for today'),
    });
    app.clock.set('2026-11-21T09:00:00+08:00');
    await app.engine.settled();
    await expect(record('tech', voucher, raw, 'HEAD_OF_MERCHANDISING')).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('accepts the same proxy on a day its assignment covers', async () => {
    const voucher = await submitted(textileInput());
    await assign('tech', 'wang.qiang', '2026-11-18', '2026-11-18');

    const result = await record(
      'tech',
      voucher,
      await signedConsent(emailOf('wang.qiang'), consentText(voucher)),
      'HEAD_OF_MERCHANDISING',
    );

    expect(result.approvals?.[0]).toMatchObject({ proxy: emailOf('tech'), via: 'email-proxy' });
  });

  it('never takes the applicant as proxy, even when named (403)', async () => {
    const voucher = await submitted(textileInput());
    await assign('li.na', 'wang.qiang');

    await expect(
      record(
        'li.na',
        voucher,
        await signedConsent(emailOf('wang.qiang'), consentText(voucher)),
        'HEAD_OF_MERCHANDISING',
      ),
    ).rejects.toMatchObject({ statusCode: 403, message: expect.stringContaining('applicant') });
  });

  it('never takes the holder of another step of the voucher as proxy, even when named (403)', async () => {
    const voucher = await submitted(textileInput());
    await assign('liu.yang', 'wang.qiang');

    await expect(
      record(
        'liu.yang',
        voucher,
        await signedConsent(emailOf('wang.qiang'), consentText(voucher)),
        'HEAD_OF_MERCHANDISING',
      ),
    ).rejects.toMatchObject({ statusCode: 403, message: expect.stringContaining('finance review') });
  });

  it('never takes the person who recorded another step of the voucher as proxy (403)', async () => {
    const voucher = await submitted(ceoInput());
    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');
    await assign(PROXY_OF.HEAD_OF_MERCHANDISING, 'zhang.wei');

    await expect(
      record(
        PROXY_OF.HEAD_OF_MERCHANDISING,
        voucher,
        await signedConsent(emailOf('zhang.wei'), consentText(voucher)),
        'CEO',
      ),
    ).rejects.toMatchObject({ statusCode: 403, message: expect.stringContaining('head of merchandising') });
  });

  it('never takes a proxy for finance review', async () => {
    const voucher = await submitted(textileInput());
    await approve('wang.qiang');

    await expect(
      recordProxyApproval(app.deps, app.person('sun.hao'), voucher.id, {
        step: 'FINANCE_REVIEW',
        consentEmail: 'x',
      }),
    ).rejects.toMatchObject({ code: 'PROXY_NOT_ALLOWED' });
  });
});

describe('the consent email must be the approver’s own, DKIM-signed (POLICY D6)', () => {
  const refusedWith = async (voucher: Voucher, raw: Buffer, code: string, why: RegExp) => {
    const before = await snapshot(voucher);
    const refusal = record('sun.hao', voucher, raw, 'HEAD_OF_MERCHANDISING');
    await expect(refusal).rejects.toMatchObject({ statusCode: 422, code });
    await expect(refusal).rejects.toThrow(why);
    expect(await snapshot(voucher)).toEqual(before);
  };

  it('refuses a valid signature of another domain (422)', async () => {
    const voucher = await submitted(textileInput());
    const other = testKey('evil.example');
    app.dns.publish(other);

    await refusedWith(
      voucher,
      await signed(eml({ from: emailOf('wang.qiang'), body: consentText(voucher) }), other),
      'CONSENT_EMAIL_NOT_AUTHENTIC',
      /signed by evil\.example, not by the approver’s own domain lianshang\.example/,
    );
  });

  it('refuses a signature of the approver’s domain whose From: is elsewhere (misaligned, 422)', async () => {
    const voucher = await submitted(textileInput());

    await refusedWith(
      voucher,
      await signed(
        eml({ from: 'wang.qiang@lianshang-mail.example', body: consentText(voucher) }),
        testKey('lianshang.example'),
      ),
      'CONSENT_EMAIL_NOT_AUTHENTIC',
      /its From: is at lianshang-mail\.example/,
    );
  });

  it('refuses a signature that does not cover the From: line (422)', async () => {
    const voucher = await submitted(textileInput());
    const genuine = await signed(
      eml({ from: emailOf('zhou.lei'), body: consentText(voucher) }),
      testKey('lianshang.example'),
      { headerList: ['From', 'Subject', 'To', 'Content-Type', 'Content-Transfer-Encoding'] },
    );
    // The signature made to leave From: out, and a From: of the attacker's choosing put in.
    const text = genuine.toString('utf8');
    const withoutFrom = text
      .replace(/(h=[^;]*?): From;/, '$1;')
      .replace(`From: ${emailOf('zhou.lei')}`, `From: ${emailOf('wang.qiang')}`);
    expect(withoutFrom).not.toEqual(text);

    await refusedWith(
      voucher,
      Buffer.from(withoutFrom),
      'CONSENT_EMAIL_NOT_AUTHENTIC',
      /From field not signed|does not cover the From/,
    );
  });

  it('refuses a signature with an l= tag once text is appended after the signed part (422)', async () => {
    const voucher = await submitted(textileInput());
    const genuine = eml({ from: emailOf('wang.qiang'), body: '我在出差，下周回来。' });
    const body = genuine.subarray(genuine.indexOf('\r\n\r\n') + 4);
    const limited = await signed(genuine, testKey('lianshang.example'), { maxBodyLength: body.length });

    await refusedWith(
      voucher,
      Buffer.concat([limited, Buffer.from(`${consentText(voucher)}\r\n`)]),
      'CONSENT_EMAIL_NOT_AUTHENTIC',
      /l= tag/,
    );
  });

  it('refuses a signed email whose body was changed afterwards (422)', async () => {
    const voucher = await submitted(textileInput());
    const genuine = await signedConsent(
      emailOf('wang.qiang'),
      consentText({ ...voucher, amountFen: 100_00 }),
    );

    await refusedWith(
      voucher,
      Buffer.from(genuine.toString('utf8').replace('100.00', '10,000.00')),
      'CONSENT_EMAIL_NOT_AUTHENTIC',
      /does not verify/,
    );
  });

  it('refuses a signature whose key is not published (422)', async () => {
    const voucher = await submitted(textileInput());

    await refusedWith(
      voucher,
      await signed(
        eml({ from: emailOf('wang.qiang'), body: consentText(voucher) }),
        testKey('lianshang.example', 'unpublished'),
      ),
      'CONSENT_EMAIL_NOT_AUTHENTIC',
      /does not verify \(neutral: no key\)/,
    );
  });

  it('refuses a genuine email of someone else at the approver’s domain (422)', async () => {
    const voucher = await submitted(textileInput());

    await refusedWith(
      voucher,
      await signedConsent(emailOf('zhou.lei'), consentText(voucher)),
      'CONSENT_EMAIL_MISMATCH',
      /from zhou\.lei@lianshang\.example, not from wang\.qiang@lianshang\.example/,
    );
  });

  it('refuses a genuine email whose amount is off by 0.01 (422)', async () => {
    const voucher = await submitted(textileInput());

    await refusedWith(
      voucher,
      await signedConsent(
        emailOf('wang.qiang'),
        `同意支付凭单 ${voucher.id}：¥10,000.01，收款人 ${voucher.payee.name}`,
      ),
      'CONSENT_EMAIL_MISMATCH',
      /amount 10,000\.00/,
    );
  });

  it('refuses a genuine email naming another payee (422)', async () => {
    const voucher = await submitted(textileInput());

    await refusedWith(
      voucher,
      await signedConsent(
        emailOf('wang.qiang'),
        `同意支付凭单 ${voucher.id}：¥10,000.00，收款人 广州美妆供应链有限公司`,
      ),
      'CONSENT_EMAIL_MISMATCH',
      /payee 杭州织锦服饰有限公司/,
    );
  });

  it('accepts a genuine email naming the voucher by its orders, the payee and 10000.00', async () => {
    const voucher = await submitted(textileInput());

    const result = await record(
      'sun.hao',
      voucher,
      await signedConsent(
        emailOf('wang.qiang'),
        `订单 LS-20261116-0001 付给 ${voucher.payee.name} 10000.00 元，同意。`,
      ),
      'HEAD_OF_MERCHANDISING',
    );

    expect(result.approvals?.[0]?.countersign).toBe('PENDING');
  });

  it('uses one consent email for one approval only', async () => {
    const first = await submitted(textileInput());
    const second = await submitted(textileInput({ orderIds: ['LS-20261116-0002'] }));
    const raw = await signedConsent(
      emailOf('wang.qiang'),
      `同意支付凭单 ${first.id} 与 ${second.id}：各 ¥10,000.00，收款人 ${first.payee.name}`,
    );
    await record('sun.hao', first, raw, 'HEAD_OF_MERCHANDISING');

    await refusedWith(second, raw, 'CONSENT_EMAIL_ALREADY_USED', /used for an approval already/);
  });
});

describe('a valid proxy approval (POLICY D6)', () => {
  it('approves the step awaiting countersign, moves the chain on, and emails the approver a link to refuse it', async () => {
    const voucher = await submitted(textileInput());

    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');

    const approval = (await stored(voucher.id)).approvals?.[0];
    expect(approval).toMatchObject({
      via: 'email-proxy',
      countersign: 'PENDING',
      decidedBy: emailOf('wang.qiang'),
      proxy: emailOf('sun.hao'),
    });
    expect(stateOf(voucher)).toBe('RequestFinanceReviewDecision');
    const notice = app.outbox.list().find((message) => message.subject.includes('Approved in your name'));
    expect(notice?.to).toEqual([emailOf('wang.qiang')]);
    expect(notice?.text).toContain(emailOf('sun.hao'));
    expect(notice?.links.some((link) => link.includes('/countersign/'))).toBe(true);
    const refusal = await openProxyRefusal(app.deps, latestLink('wang.qiang', '/proxy-refusal/'));
    expect(refusal).toMatchObject({ step: 'HEAD_OF_MERCHANDISING', approver: emailOf('wang.qiang') });
    expect(await app.deps.store.approvals.pendingCountersigns(emailOf('wang.qiang'))).toHaveLength(1);
  });
});

describe('a refusal before payment pulls the voucher back (POLICY D6, the synthesized workflow)', () => {
  it('sends a proxy-approved CEO step refused at finance review back to the CEO; the CEO approves by link, finance reviews again, payable', async () => {
    const voucher = await submitted(ceoInput());
    await approve('wang.qiang');
    await proxyApprove(app, voucher, 'CEO');
    expect(stateOf(voucher)).toBe('RequestFinanceReviewDecision');
    const ceoRequests = () =>
      app.outbox
        .list()
        .filter(
          (message) =>
            message.to.includes(emailOf('zhang.wei')) &&
            message.links.some((link) => link.includes('/approvals/')),
        ).length;
    const requestsBefore = ceoRequests();

    const { outcome } = await refuseByLink(
      app.deps,
      latestLink('zhang.wei', '/proxy-refusal/'),
      '我没有同意',
    );
    await app.engine.settled();

    expect(outcome).toBe('PULLED_BACK');
    expect(stateOf(voucher)).toBe('RequestCeoDecision');
    // The CEO is asked again, by email, with a link of their own.
    expect(ceoRequests()).toBe(requestsBefore + 1);
    const back = await stored(voucher.id);
    expect(back.status).toBe('IN_APPROVAL');
    expect(back.approvals?.find((approval) => approval.step === 'CEO')).toMatchObject({
      countersign: 'REFUSED',
      withdrawn: { by: emailOf('zhang.wei'), step: 'CEO', reason: '我没有同意' },
    });
    expect(await app.deps.store.approvals.pendingCountersigns()).toEqual([]);
    const told = app.outbox.list().find((message) => message.subject.includes('Proxy approval refused'));
    expect(told?.to).toContain(emailOf('liu.yang'));
    expect((await app.deps.store.vouchers.history(voucher.id)).map((event) => event.type)).toContain(
      'APPROVAL_WITHDRAWN',
    );

    await approve('zhang.wei');
    expect(stateOf(voucher)).toBe('RequestFinanceReviewDecision');
    await approve('liu.yang');

    const payable = await stored(voucher.id);
    expect(payable.status).toBe('READY_FOR_PAYMENT');
    expect(
      payable.approvals?.map((approval) => [approval.step, approval.via, approval.withdrawn !== undefined]),
    ).toEqual([
      ['HEAD_OF_MERCHANDISING', 'link', false],
      ['CEO', 'email-proxy', true],
      ['CEO', 'link', false],
      ['FINANCE_REVIEW', 'link', false],
    ]);
  });

  it('sends a head step refused once the voucher is in a payment run back to the head: the payment is dropped, and finance reviews again after him', async () => {
    const voucher = await submitted(textileInput());
    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');
    await approve('liu.yang');
    expect((await stored(voucher.id)).status).toBe('READY_FOR_PAYMENT');
    const oldFinanceLink = latestLink('liu.yang');

    await refuseByLink(app.deps, latestLink('wang.qiang', '/proxy-refusal/'), '');
    await app.engine.settled();

    const back = await stored(voucher.id);
    expect(back.status).toBe('IN_APPROVAL');
    expect(back.payment).toBeUndefined();
    expect(back.approvals?.every((approval) => approval.withdrawn !== undefined)).toBe(true);
    expect(stateOf(voucher)).toBe('RequestHeadOfMerchandisingDecision');
    expect((await paymentRun(app.deps, app.person('chen.jing'), '2026-11-18')).items).toEqual([]);
    // Finance's old link cannot decide before the head has decided again.
    await expect(decide(app.deps, oldFinanceLink, { decision: 'APPROVE', reason: '' })).rejects.toMatchObject(
      {
        code: 'NOT_WAITING',
      },
    );

    await approve('wang.qiang');
    await approve('liu.yang');
    expect((await stored(voucher.id)).status).toBe('READY_FOR_PAYMENT');
    expect(stateOf(voucher)).toBe('AwaitPayment');
  });

  it('sends a voucher whose payment failed back too: finance’s wait goes back to the head', async () => {
    const voucher = await submitted(textileInput());
    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');
    await approve('liu.yang');
    await recordPayment(app.deps, app.person('chen.jing'), voucher.id, {
      status: 'PAYMENT_FAILED',
      reason: '账户已冻结',
    });
    await app.engine.settled();
    expect(stateOf(voucher)).toBe('AwaitFinanceAfterFailedPayment');

    const { outcome } = await refuseByLink(app.deps, latestLink('wang.qiang', '/proxy-refusal/'), '');
    await app.engine.settled();

    expect(outcome).toBe('PULLED_BACK');
    expect(stateOf(voucher)).toBe('RequestHeadOfMerchandisingDecision');
    expect(await stored(voucher.id)).toMatchObject({ status: 'IN_APPROVAL', approvalRound: 1 });
  });

  it('never makes a pulled-back voucher payable, even when finance’s approval reached the workflow first', async () => {
    const voucher = await submitted(textileInput());
    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');
    await refuseByLink(app.deps, latestLink('wang.qiang', '/proxy-refusal/'), '');
    await app.engine.settled();

    // MarkReadyForPayment running late, after the refusal: it sends the workflow on to find the pull-back.
    const due = await markReadyForPayment(app.deps, { voucherId: voucher.id, version: 1 });

    expect(due.secondsUntilRun).toBeGreaterThan(0);
    expect(await stored(voucher.id)).toMatchObject({ status: 'IN_APPROVAL' });
    expect((await stored(voucher.id)).payment).toBeUndefined();
  });

  it('pulls back the same way when the approver refuses on the countersign page before payment', async () => {
    const first = await submitted(textileInput());
    const second = await submitted(textileInput({ orderIds: ['LS-20261116-0002'], amount: '2,000.00' }));
    await proxyApprove(app, first, 'HEAD_OF_MERCHANDISING');
    await proxyApprove(app, second, 'HEAD_OF_MERCHANDISING');

    const result = await countersignAll(app.deps, latestLink('wang.qiang', '/countersign/'), {
      refuse: [second.id],
      reason: '我没有同意这一笔',
    });
    await app.engine.settled();

    expect(result).toEqual({ countersigned: 1, refused: 1 });
    expect(await app.deps.store.approvals.pendingCountersigns()).toEqual([]);
    expect((await stored(first.id)).approvals?.[0]?.countersign).toBe('COUNTERSIGNED');
    expect((await stored(second.id)).approvals?.[0]).toMatchObject({
      countersign: 'REFUSED',
      withdrawn: expect.any(Object),
    });
    expect(stateOf(second)).toBe('RequestHeadOfMerchandisingDecision');
    const told = app.outbox.list().find((message) => message.subject.includes('Proxy approval refused'));
    expect(told?.text).toContain(second.id);
    expect(told?.to).toContain(emailOf('liu.yang'));
  });

  it('still goes back when the refusal’s answer to the workflow is lost: the wait finds it when it next runs', async () => {
    const voucher = await submitted(ceoInput());
    await approve('wang.qiang');
    await proxyApprove(app, voucher, 'CEO');
    const lost = vi.spyOn(app.deps.taskTokens, 'fail').mockResolvedValueOnce(false);

    await refuseByLink(app.deps, latestLink('zhang.wei', '/proxy-refusal/'), '');
    await app.engine.settled();
    expect(lost).toHaveBeenCalled();
    lost.mockRestore();
    expect(stateOf(voucher)).toBe('RequestFinanceReviewDecision');
    // Finance's reminder comes a working day later: that wait runs again and sees the pull-back.
    app.clock.set('2026-11-19T09:00:01+08:00');
    await app.engine.settled();

    expect(stateOf(voucher)).toBe('RequestCeoDecision');
  });

  it('escalates a refusal after payment to finance and the CEO; the voucher stays paid', async () => {
    const voucher = await submitted(textileInput());
    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');
    await approve('liu.yang');
    await recordPayment(app.deps, app.person('chen.jing'), voucher.id, {
      status: 'PAID',
      bankReference: 'ICBC-20261118-0001',
      paidOn: '2026-11-18',
    });
    await app.engine.settled();

    const { outcome } = await refuseByLink(app.deps, latestLink('wang.qiang', '/proxy-refusal/'), '不是我');

    expect(outcome).toBe('ESCALATED');
    expect((await stored(voucher.id)).status).toBe('PAID');
    const escalation = app.outbox.list().find((message) => message.subject.includes('Countersign refused'));
    expect(escalation?.text).toContain(voucher.id);
    expect(escalation?.to.sort()).toEqual([emailOf('liu.yang'), emailOf('zhang.wei')]);
  });

  it('does not pull back a voucher already in a bank batch file — the money may have left — but escalates it', async () => {
    const voucher = await submitted(textileInput());
    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');
    await approve('liu.yang');
    await exportBankBatch(app.deps, app.person('chen.jing'), '2026-11-18', 'csv');

    const { outcome } = await refuseByLink(app.deps, latestLink('wang.qiang', '/proxy-refusal/'), '');

    expect(outcome).toBe('ESCALATED');
    expect((await stored(voucher.id)).status).toBe('READY_FOR_PAYMENT');
    const escalation = app.outbox.list().find((message) => message.subject.includes('Countersign refused'));
    expect(escalation?.text).toContain('bank batch file');
  });

  it('refuses nothing twice: a second refusal changes nothing', async () => {
    const voucher = await submitted(textileInput());
    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');
    const link = latestLink('wang.qiang', '/proxy-refusal/');
    await refuseByLink(app.deps, link, '');
    await app.engine.settled();
    const after = await snapshot(voucher);

    await expect(refuseByLink(app.deps, link, '')).rejects.toMatchObject({ statusCode: 409 });
    expect(await snapshot(voucher)).toEqual(after);
  });

  it('does not take the refused consent email again for the same step', async () => {
    const voucher = await submitted(textileInput());
    const raw = await signedConsent(emailOf('wang.qiang'), consentText(voucher));
    await record('sun.hao', voucher, raw, 'HEAD_OF_MERCHANDISING');
    await app.engine.settled();
    await refuseByLink(app.deps, latestLink('wang.qiang', '/proxy-refusal/'), '');
    await app.engine.settled();

    await expect(record('sun.hao', voucher, raw, 'HEAD_OF_MERCHANDISING')).rejects.toMatchObject({
      code: 'CONSENT_EMAIL_ALREADY_USED',
    });
  });
});

describe('countersign reminders (POLICY D6)', () => {
  const countersignMails = () =>
    app.outbox.list().filter((message) => message.links.some((link) => link.includes('/countersign/')));

  it('sends a countersign reminder whose email failed on the retry, and mails no one twice', async () => {
    const voucher = await submitted(textileInput());
    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');
    const before = countersignMails().length;
    vi.spyOn(app.deps.mailer, 'send').mockRejectedValueOnce(new Error('SES throttled'));

    await expect(remindOutstandingCountersigns(app.deps, { date: '2026-11-23' })).rejects.toThrow('failed');
    const retry = await remindOutstandingCountersigns(app.deps, { date: '2026-11-23' });
    const repeat = await remindOutstandingCountersigns(app.deps, { date: '2026-11-23' });

    expect(retry.reminded).toEqual([emailOf('wang.qiang')]);
    expect(repeat.reminded).toEqual([]);
    expect(countersignMails().length - before).toBe(1);
  });

  it('reminds each approver of outstanding countersigns with their one link', async () => {
    const voucher = await submitted(textileInput());
    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');

    const result = await remindOutstandingCountersigns(app.deps);
    // A repeated delivery of the same Monday's schedule sends nothing again.
    const repeat = await remindOutstandingCountersigns(app.deps, { date: result.date });

    expect(result.reminded).toEqual([emailOf('wang.qiang')]);
    expect(repeat).toMatchObject({ reminded: [], alreadySent: [emailOf('wang.qiang')] });
    // The notice at the proxy approval, then the reminder.
    expect(countersignMails()).toHaveLength(2);
  });
});

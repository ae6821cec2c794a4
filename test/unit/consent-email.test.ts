/**
 * The travelling approver's rules (POLICY D6, D18), pure: what makes a consent email the approver's
 * own (the DKIM report judged), what its text must say, who may record a proxy approval, and which
 * step a withdrawn approval sends the chain back to.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertMayRecordProxy,
  type ProxyAssignment,
  stepToRedo,
  whyMayNotPay,
} from '../../lib/domain/approval-rules.ts';
import {
  assertAuthenticConsent,
  assertConsentNamesVoucher,
  type DkimReport,
  type DkimSignatureReport,
  statesAmount,
} from '../../lib/domain/consent-email.ts';
import type { Approval, Voucher } from '../../lib/domain/model.ts';
import { fenToYuanString, formatFen } from '../../lib/domain/money.ts';

const APPROVER = 'wang.qiang@lianshang.example';

const signature = (overrides: Partial<DkimSignatureReport> = {}): DkimSignatureReport => ({
  id: 'sig-1',
  domain: 'lianshang.example',
  result: 'pass',
  signedHeaders: ['content-transfer-encoding', 'content-type', 'subject', 'to', 'from'],
  bodyLengthLimited: false,
  unsignedBodyBytes: 0,
  testing: false,
  ...overrides,
});

const report = (overrides: Partial<DkimReport> = {}): DkimReport => ({
  fromAddresses: [APPROVER],
  fromFields: 1,
  headerCounts: { from: 1, 'content-type': 1, 'content-transfer-encoding': 1 },
  signatures: [signature()],
  ...overrides,
});

const judged = (value: DkimReport) => () => assertAuthenticConsent(value, APPROVER);

describe('an authentic consent email (POLICY D6, DESIGN.md decision 15)', () => {
  it('is one with a passing signature of the approver’s domain, aligned with its From:, covering From: and the body', () => {
    expect(assertAuthenticConsent(report(), APPROVER).id).toBe('sig-1');
  });

  it('is never an unsigned one, whatever its From: says', () => {
    expect(judged(report({ signatures: [] }))).toThrowError(
      expect.objectContaining({ code: 'CONSENT_EMAIL_UNSIGNED', statusCode: 422 }),
    );
  });

  it('needs the signature to pass', () => {
    for (const result of ['fail', 'neutral', 'policy', 'temperror', 'permerror']) {
      expect(judged(report({ signatures: [signature({ result })] })), result).toThrowError(/does not verify/);
    }
  });

  it('needs the signing domain to be the approver’s own, and exactly the From: domain (strict alignment)', () => {
    expect(judged(report({ signatures: [signature({ domain: 'evil.example' })] }))).toThrowError(
      /not by the approver’s own domain/,
    );
    expect(judged(report({ signatures: [signature({ domain: 'mail.lianshang.example' })] }))).toThrowError(
      /not by the approver’s own domain/,
    );
    expect(judged(report({ fromAddresses: ['wang.qiang@evil.example'] }))).toThrowError(
      /its From: is at evil\.example/,
    );
  });

  it('needs the signature to cover From: and the headers that decide how the body reads', () => {
    expect(judged(report({ signatures: [signature({ signedHeaders: ['subject', 'to'] })] }))).toThrowError(
      /does not cover the From: line/,
    );
    expect(
      judged(report({ signatures: [signature({ signedHeaders: ['from', 'content-transfer-encoding'] })] })),
    ).toThrowError(/content-type/);
  });

  it('refuses an l= signature that leaves part of the body unsigned, and takes one that covers it all', () => {
    expect(
      judged(report({ signatures: [signature({ bodyLengthLimited: true, unsignedBodyBytes: 42 })] })),
    ).toThrowError(/42 bytes after it are unsigned/);
    expect(
      assertAuthenticConsent(
        report({ signatures: [signature({ bodyLengthLimited: true, unsignedBodyBytes: 0 })] }),
        APPROVER,
      ).id,
    ).toBe('sig-1');
  });

  it('refuses a message with two senders, or repeated body headers', () => {
    expect(judged(report({ fromAddresses: [APPROVER, 'zhang.wei@lianshang.example'] }))).toThrowError(
      /exactly one sender/,
    );
    expect(judged(report({ fromFields: 2 }))).toThrowError(/exactly one sender/);
    expect(judged(report({ headerCounts: { from: 1, 'content-type': 2 } }))).toThrowError(/more than once/);
  });

  it('refuses a key published in test mode', () => {
    expect(judged(report({ signatures: [signature({ testing: true })] }))).toThrowError(/test mode/);
  });

  it('takes the one good signature among bad ones', () => {
    const value = report({
      signatures: [signature({ id: 'bad', domain: 'evil.example' }), signature({ id: 'good' })],
    });
    expect(assertAuthenticConsent(value, APPROVER).id).toBe('good');
  });
});

const voucher = {
  id: '01KAVOUCHERID0000000000000',
  orderIds: ['LS-20261116-0001', 'LS-20261116-0002'],
  payee: { name: '杭州织锦服饰有限公司' },
  amountFen: 50_000_000,
};
const names =
  (text: string, from = APPROVER) =>
  () =>
    assertConsentNamesVoucher({ from, text }, APPROVER, voucher);

describe('what the signed text of a consent email must say (POLICY D6)', () => {
  it('names the voucher, the payee and the exact amount', () => {
    expect(names(`同意 ${voucher.id} ¥500,000.00 杭州织锦服饰有限公司`)).not.toThrow();
    expect(names(`OK ${voucher.id} 500000.00 to 杭州织锦服饰有限公司`)).not.toThrow();
    // Full-width forms, as a Chinese keyboard types them.
    expect(names(`同意 ${voucher.id} ￥５００，０００．００ 杭州织锦服饰有限公司`)).not.toThrow();
  });

  it('may name every order of the voucher instead of its id, but not just one of them', () => {
    expect(names('LS-20261116-0001 和 LS-20261116-0002：500,000.00 杭州织锦服饰有限公司')).not.toThrow();
    expect(names('LS-20261116-0001：500,000.00 杭州织锦服饰有限公司')).toThrowError(/names neither/);
    expect(names('LS-20261116-00011 LS-20261116-00021：500,000.00 杭州织锦服饰有限公司')).toThrowError(
      /names neither/,
    );
  });

  it('refuses another payee, another sender, or no amount', () => {
    expect(names(`${voucher.id} 500,000.00 广州美妆供应链有限公司`)).toThrowError(/payee/);
    expect(names(`${voucher.id} 500,000.00 杭州织锦服饰有限公司`, 'zhou.lei@lianshang.example')).toThrowError(
      /not from wang\.qiang/,
    );
    expect(names(`${voucher.id} 杭州织锦服饰有限公司 同意`)).toThrowError(
      expect.objectContaining({ code: 'CONSENT_EMAIL_MISMATCH' }),
    );
  });

  it('finds an amount only as itself: never inside a larger one, nor another one off by a fen', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99_999_999_999 }),
        fc.integer({ min: 1, max: 99_999_999_999 }),
        fc.constantFrom('¥', '', 'RMB ', '金额'),
        fc.boolean(),
        (amount, other, prefix, separated) => {
          const written = separated ? formatFen(other) : fenToYuanString(other);
          expect(statesAmount(`同意 ${prefix}${written} 元`, amount)).toBe(amount === other);
        },
      ),
    );
    expect(statesAmount('1,500,000.00', 50_000_000)).toBe(false);
    expect(statesAmount('500,000.001', 50_000_000)).toBe(false);
    expect(statesAmount('500,000.00.', 50_000_000)).toBe(true);
  });
});

const route = {
  requiresCeo: true,
  steps: [
    { step: 'HEAD_OF_MERCHANDISING', role: 'HEAD_OF_MERCHANDISING', assignee: 'head@x' },
    { step: 'CEO', role: 'CEO', assignee: 'ceo@x' },
    { step: 'FINANCE_REVIEW', role: 'FINANCE_REVIEWER', assignee: 'fin@x' },
    { step: 'PAYMENT', role: 'CASHIER', assignee: 'cashier@x' },
  ],
};
const proxyVoucher = (approvals: Partial<Approval>[] = [], status = 'IN_APPROVAL') =>
  ({ id: 'V1', version: 1, applicant: 'm@x', status, route, approvals }) as unknown as Voucher;
const assignment = (overrides: Partial<ProxyAssignment> = {}): ProxyAssignment => ({
  id: 'p',
  approver: 'head@x',
  proxy: 'assistant@x',
  from: '2026-11-18',
  to: '2026-11-20',
  reason: 'travel',
  createdBy: 'admin@x',
  createdAt: '',
  ...overrides,
});
const mayRecord =
  (input: {
    proxy?: string;
    step?: 'HEAD_OF_MERCHANDISING' | 'CEO';
    at?: string;
    voucher?: Voucher;
    assignments?: ProxyAssignment[];
  }) =>
  () =>
    assertMayRecordProxy({
      voucher: input.voucher ?? proxyVoucher(),
      step: input.step ?? 'HEAD_OF_MERCHANDISING',
      proxy: input.proxy ?? 'assistant@x',
      assignments: input.assignments ?? [assignment()],
      now: new Date(input.at ?? '2026-11-18T02:00:00Z'),
    });

describe('who may record a proxy approval (POLICY D6, D18)', () => {
  it('is the holder’s named proxy, on the assignment’s days in Asia/Shanghai', () => {
    expect(mayRecord({})).not.toThrow();
    expect(mayRecord({ at: '2026-11-17T16:00:00Z' })).not.toThrow();
    expect(mayRecord({ at: '2026-11-17T15:59:59Z' })).toThrowError(/proxy for today/);
    expect(mayRecord({ at: '2026-11-20T16:00:00Z' })).toThrowError(/proxy for today/);
  });

  it('is never someone named for another approver, nor anyone by role alone', () => {
    expect(mayRecord({ step: 'CEO' })).toThrowError(/proxy for today/);
    expect(mayRecord({ assignments: [] })).toThrowError(expect.objectContaining({ statusCode: 403 }));
  });

  it('is never the applicant, the holder, or a holder of another step, even when named', () => {
    expect(mayRecord({ proxy: 'm@x', assignments: [assignment({ proxy: 'm@x' })] })).toThrowError(
      /applicant/,
    );
    expect(mayRecord({ proxy: 'head@x', assignments: [assignment({ proxy: 'head@x' })] })).toThrowError(
      /You hold this step/,
    );
    for (const other of ['ceo@x', 'fin@x', 'cashier@x']) {
      expect(mayRecord({ proxy: other, assignments: [assignment({ proxy: other })] }), other).toThrowError(
        /one person holds one step/,
      );
    }
  });

  it('is never someone who recorded another step of the voucher', () => {
    const voucher = proxyVoucher([
      {
        step: 'HEAD_OF_MERCHANDISING',
        version: 1,
        decision: 'APPROVE',
        decidedBy: 'head@x',
        proxy: 'assistant@x',
      },
    ]);
    expect(
      mayRecord({ step: 'CEO', voucher, assignments: [assignment({ approver: 'ceo@x' })] }),
    ).toThrowError(/head of merchandising/);
  });

  it('keeps a proxy of one step from paying the voucher (D18)', () => {
    const voucher = proxyVoucher([
      {
        step: 'HEAD_OF_MERCHANDISING',
        version: 1,
        decision: 'APPROVE',
        decidedBy: 'head@x',
        proxy: 'assistant@x',
      },
    ]);
    expect(whyMayNotPay(voucher, 'assistant@x')).toMatch(/head of merchandising/);
  });
});

describe('where a withdrawn approval sends the chain (POLICY D6)', () => {
  const approved = (step: string, withdrawn = false): Partial<Approval> => ({
    step: step as Approval['step'],
    version: 1,
    decision: 'APPROVE',
    decidedBy: 'x',
    ...(withdrawn ? { withdrawn: { at: '', by: 'x', step: 'CEO', reason: '' } } : {}),
  });

  it('is nowhere while every earlier step stands', () => {
    const voucher = proxyVoucher([approved('HEAD_OF_MERCHANDISING'), approved('CEO')]);
    expect(stepToRedo(voucher, 'FINANCE_REVIEW')).toBeNull();
    expect(stepToRedo(voucher, 'CEO')).toBeNull();
  });

  it('is the first step whose approval was withdrawn', () => {
    const voucher = proxyVoucher([
      approved('HEAD_OF_MERCHANDISING'),
      approved('CEO', true),
      approved('FINANCE_REVIEW', true),
    ]);
    expect(stepToRedo(voucher, 'PAYMENT')).toBe('CEO');
    expect(stepToRedo(voucher, 'FINANCE_REVIEW')).toBe('CEO');
    expect(stepToRedo(voucher, 'CEO')).toBeNull();
  });

  it('counts an approval given again after the withdrawal', () => {
    const voucher = proxyVoucher([approved('HEAD_OF_MERCHANDISING'), approved('CEO', true), approved('CEO')]);
    expect(stepToRedo(voucher, 'FINANCE_REVIEW')).toBeNull();
  });

  it('never applies to a voucher that left approval (payable, paid, rejected)', () => {
    for (const status of ['READY_FOR_PAYMENT', 'PAID', 'REJECTED']) {
      expect(stepToRedo(proxyVoucher([], status), 'PAYMENT'), status).toBeNull();
    }
  });
});

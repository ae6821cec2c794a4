/**
 * DynamoDB refuses an item over 400 KB (the probe's 4,000 evidence keys were a 500). The voucher item
 * and the supplier-day item are bounded by construction: every list and string in them has a limit at
 * an edge, in the policy's ceilings, or in what the item keeps. These tests build the largest items
 * those limits allow and size them by DynamoDB's own rules.
 */
import { describe, expect, it } from 'vitest';
import type { Approval, ApprovalStep, Voucher } from '../../lib/domain/model.ts';
import {
  assertPolicyWithinCeilings,
  DEFAULT_POLICY,
  VOUCHER_SIZE_CEILINGS,
} from '../../lib/domain/policy.ts';
import { payeeFlags } from '../../lib/domain/supplier-checks.ts';
import { KEPT_EXPORTS } from '../../lib/payments/payment-run.ts';
import { MAX_FAILED_PAYMENTS } from '../../lib/payments/payments.ts';
import { reason as reasonSchema, supplierInvoiceBody } from '../../lib/payments/schemas.ts';
import { amountDiffersFlag } from '../../lib/payments/supplier-invoices.ts';
import {
  type BankFile,
  MAX_VOUCHERS_PER_BANK_FILE,
  MAX_VOUCHERS_PER_SUPPLIER_DAY,
} from '../../lib/platform/store.ts';
import { keys } from '../../lib/storage/keys.ts';
import { Table } from '../../lib/storage/table.ts';
import { voucherPut } from '../../lib/storage/voucher-repository.ts';
import { MAX_KEY_NAME_CHARACTERS } from '../../lib/uploads/upload-keys.ts';
import { submitVoucherBody } from '../../lib/vouchers/schemas.ts';
import { possibleSplitFlag } from '../../lib/vouchers/submit-voucher.ts';
import { dynamoItemBytes } from '../support/item-size.ts';

const LIMIT = 400 * 1024;
/** "Well under": half of DynamoDB's limit, room for what later changes add. */
const BUDGET = LIMIT / 2;

/** `n` UTF-16 units of a character that takes 3 bytes in UTF-8: the most bytes a length limit allows. */
const wide = (n: number, last = '中') => '中'.repeat(n - 1) + last;
/** The longest email address (RFC 5321): people come from the directory, never from a voucher's body. */
const email = (tag: string) => `${tag}${'a'.repeat(63 - tag.length)}@${'b'.repeat(186)}.cn`;
const ulid = (n: number) => `01K${String(n).padStart(23, '0')}`;
const instant = '2026-11-18T10:00:00.000+08:00';
/** The longest upload key: every name character a 4-byte one. */
const key = (n: number) => `evidence/2026-11-18/${ulid(n)}/${'𠀀'.repeat(MAX_KEY_NAME_CHARACTERS)}`;

/** The longest id (lib/http/input.ts recordId: 64 ASCII characters, so one byte each). */
const longId = (tag: string) => tag.padStart(64, 'X');

/** The largest body the voucher edge (the API and the form) accepts. */
const largestBody = {
  supplierId: longId('S'),
  payee: { name: wide(200), account: wide(40), bank: wide(200) },
  amount: '100,000,000.00',
  orderIds: Array.from({ length: VOUCHER_SIZE_CEILINGS.maxOrdersPerVoucher }, (_, i) => longId(`O${i}`)),
  goods: wide(500),
  evidence: Array.from({ length: VOUCHER_SIZE_CEILINGS.maxEvidencePerVoucher }, (_, i) => key(i)),
};

type Body = typeof largestBody;
const withOneMore: [string, (body: Body) => Body][] = [
  ['supplierId', (body) => ({ ...body, supplierId: `${body.supplierId}X` })],
  ['payee.name', (body) => ({ ...body, payee: { ...body.payee, name: `${body.payee.name}中` } })],
  ['payee.account', (body) => ({ ...body, payee: { ...body.payee, account: `${body.payee.account}中` } })],
  ['payee.bank', (body) => ({ ...body, payee: { ...body.payee, bank: `${body.payee.bank}中` } })],
  ['goods', (body) => ({ ...body, goods: `${body.goods}中` })],
  ['orderIds', (body) => ({ ...body, orderIds: [...body.orderIds, 'X'] })],
  ['orderIds.0', (body) => ({ ...body, orderIds: [`${body.orderIds[0]}X`, ...body.orderIds.slice(1)] })],
  ['evidence', (body) => ({ ...body, evidence: [...body.evidence, key(99)] })],
  ['evidence.0', (body) => ({ ...body, evidence: [`${key(0)}𠀀`, ...body.evidence.slice(1)] })],
];

/** Every decision of one version at its largest: a delegate, a proxy, a consent email, a long reason. */
function largestApproval(step: ApprovalStep, version: number): Approval {
  return {
    step,
    version,
    decision: 'REJECT',
    decidedBy: email('decider'),
    onBehalfOf: email('assignee'),
    via: 'email-proxy',
    decidedAt: instant,
    // The approval page takes a reason of up to 1,000 characters (lib/approvals/approval-page-handler.ts).
    reason: wide(1000),
    proxy: email('proxy'),
    consentEmail: key(50 + version),
    countersign: 'COUNTERSIGNED',
    countersignedAt: instant,
  };
}

function largestVoucher(): Voucher {
  const body = submitVoucherBody.parse(largestBody);
  const steps: ApprovalStep[] = ['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEW', 'PAYMENT'];
  const reason = wide(500);
  return {
    id: ulid(1),
    version: VOUCHER_SIZE_CEILINGS.maxVersionsPerVoucher,
    revision: Number.MAX_SAFE_INTEGER,
    entityId: wide(64),
    status: 'READY_FOR_PAYMENT',
    applicant: email('applicant'),
    supplierId: body.supplierId,
    supplierName: wide(200),
    payee: body.payee,
    amountFen: 10_000_000_000,
    orderIds: body.orderIds,
    allocations: body.orderIds.map((orderId) => ({ orderId, amountFen: 10_000_000_000 })),
    goods: body.goods,
    evidence: body.evidence,
    route: {
      requiresCeo: true,
      ceoReason: 'SPLIT_AGGREGATE_AT_OR_ABOVE_THRESHOLD',
      judgedAmountFen: 10_000_000_000,
      thresholdFen: 50_000_000,
      steps: steps.map((step) => ({
        step,
        role: 'HEAD_OF_MERCHANDISING',
        assignee: email(`a-${step}`),
        deputyFor: email(`d-${step}`),
      })),
    },
    flags: [
      possibleSplitFlag(
        Number.MAX_SAFE_INTEGER,
        Array.from({ length: MAX_VOUCHERS_PER_SUPPLIER_DAY }, (_, i) => ulid(i)),
      ),
      ...payeeFlags(
        { name: body.payee.name, account: '1'.repeat(40), bank: body.payee.bank },
        { name: wide(200), bankAccount: '2'.repeat(40), bankName: wide(200), accountType: 'PERSONAL' },
      ),
      amountDiffersFlag({ amountFen: 10_000_000_000 } as Voucher, 1, {
        email: email('recorder'),
        name: '',
        entityId: '',
        roles: [],
      }),
    ],
    submittedOn: '2026-11-18',
    submittedAt: instant,
    updatedAt: instant,
    policyVersion: Number.MAX_SAFE_INTEGER,
    approvals: Array.from({ length: VOUCHER_SIZE_CEILINGS.maxVersionsPerVoucher }, (_, v) =>
      steps.map((step) => largestApproval(step, v + 1)),
    ).flat(),
    payment: {
      payableAt: instant,
      dueDate: '2026-11-18',
      status: 'PAYMENT_FAILED',
      override: { by: email('override'), at: instant, reason, originalDueDate: '2026-11-19' },
      bankReference: 'R'.repeat(64),
      paidOn: '2026-11-18',
      paidBy: email('cashier'),
      recordedAt: instant,
      failedOn: '2026-11-18',
      failureReason: reason,
      failures: Array.from({ length: MAX_FAILED_PAYMENTS }, () => ({ at: instant, by: email('c'), reason })),
      exports: Array.from({ length: KEPT_EXPORTS }, (_, i) => ({
        batch: ulid(i),
        at: instant,
        by: email('exporter'),
        file: 'fundflow-payment-run-2026-11-18-235959.xlsx',
        run: '2026-11-18',
      })),
    },
    supplierInvoice: {
      type: 'VAT_ORDINARY',
      number: wide(32),
      code: wide(16),
      issuedOn: '2026-11-18',
      amountFen: 10_000_000_000,
      taxAmountFen: 10_000_000_000,
      file: key(200),
      recordedBy: email('recorder'),
      recordedAt: instant,
    },
    invoiceWaiver: { by: email('waiver'), at: instant, reason },
    claimsReleased: true,
  };
}

/** The item exactly as the repository writes it, with its index keys. */
function voucherItem(voucher: Voucher): Record<string, unknown> {
  const put = voucherPut(new Table(undefined as never, 'fundflow'), voucher, 1).Put;
  if (!put?.Item) throw new Error('a voucher is written with a Put');
  return put.Item;
}

describe('the voucher item cannot outgrow DynamoDB’s 400 KB', () => {
  it('starts from the largest body the voucher edge accepts', () => {
    expect(submitVoucherBody.safeParse(largestBody).success).toBe(true);
  });

  it.each(withOneMore)('refuses one more at %s', (path, grow) => {
    const parsed = submitVoucherBody.safeParse(grow(largestBody));

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });

  it('bounds the reasons and the invoice fields that go into the item at the lengths assumed here', () => {
    expect(reasonSchema.safeParse(wide(500)).success).toBe(true);
    expect(reasonSchema.safeParse(wide(501)).success).toBe(false);
    const invoice = { type: 'VAT_SPECIAL', issuedOn: '2026-11-18', amount: '1.00', taxAmount: '0.00' };
    expect(supplierInvoiceBody.safeParse({ ...invoice, number: wide(33) }).success).toBe(false);
    expect(supplierInvoiceBody.safeParse({ ...invoice, number: '1', code: wide(17) }).success).toBe(false);
  });

  it('keeps the largest voucher the limits allow well under the limit (under half of it)', () => {
    const bytes = dynamoItemBytes(voucherItem(largestVoucher()));

    expect(bytes).toBeLessThan(BUDGET);
  });

  it('names at most five members of a split group in its flag, however large the group', () => {
    const flag = possibleSplitFlag(
      100,
      Array.from({ length: 1000 }, (_, i) => ulid(i)),
    );

    expect(flag.message).toContain('and 995 more');
    expect(flag.message.length).toBeLessThan(400);
  });

  it('refuses a policy version above the ceilings the item is sized for', () => {
    expect(() => assertPolicyWithinCeilings(DEFAULT_POLICY)).not.toThrow();
    for (const [setting, ceiling] of Object.entries(VOUCHER_SIZE_CEILINGS)) {
      expect(() => assertPolicyWithinCeilings({ ...DEFAULT_POLICY, [setting]: ceiling + 1 })).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          issues: [expect.objectContaining({ path: setting })],
        }),
      );
    }
  });
});

describe('the supplier-day item cannot outgrow it either', () => {
  it('stays well under the limit with the most vouchers one supplier-day holds', () => {
    const item = {
      ...keys.supplierDay('S'.repeat(64), '2026-11-18'),
      supplierId: 'S'.repeat(64),
      day: '2026-11-18',
      version: Number.MAX_SAFE_INTEGER,
      vouchers: Object.fromEntries(
        Array.from({ length: MAX_VOUCHERS_PER_SUPPLIER_DAY }, (_, i) => [
          ulid(i),
          { amountFen: 10_000_000_000, status: 'READY_FOR_PAYMENT' },
        ]),
      ),
    };

    expect(dynamoItemBytes(item)).toBeLessThan(BUDGET);
  });
});

describe('the bank file item cannot outgrow it either', () => {
  it('stays well under the limit with the most vouchers one bank file holds', () => {
    const file: BankFile = {
      id: ulid(0),
      entityId: longId('E'),
      day: '2026-11-18',
      fileName: 'fundflow-payment-run-2026-11-18-235959.xlsx',
      format: 'xlsx',
      at: instant,
      by: email('exporter'),
      vouchers: Array.from({ length: MAX_VOUCHERS_PER_BANK_FILE }, (_, i) => ({
        voucherId: longId(`V${i}`),
        version: Number.MAX_SAFE_INTEGER,
        amountFen: 10_000_000_000,
      })),
    };

    const bytes = dynamoItemBytes({ ...keys.bankFile(file.entityId, file.day, file.id), ...file });

    expect(bytes).toBeLessThan(BUDGET);
    // docs/data-model.md says so.
    expect(bytes).toBeLessThan(70 * 1024);
  });
});

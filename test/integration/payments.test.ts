/**
 * Payment runs and the supplier-invoice chase (POLICY 2.1(3), 2.2(3), D3–D7, D9): the synthesized state
 * machine past finance review — the wait for the payment day on the runtime's clock, the cashier's
 * callback step, finance after a failed payment, the weekly invoice chase to CLOSED — on DynamoDB Local.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { decide } from '../../lib/approvals/decide.ts';
import { approvalUrl } from '../../lib/approvals/links.ts';
import { markReadyForPayment, requestApproval, startApproval } from '../../lib/approvals/workflow-tasks.ts';
import type { LegalEntity, Person, Voucher } from '../../lib/domain/model.ts';
import { DEFAULT_POLICY } from '../../lib/domain/policy.ts';
import { LocalScheduler } from '../../lib/local/scheduler.ts';
import { DEMO_ORDERS, DEMO_SUPPLIERS } from '../../lib/local/seed.ts';
import { logger } from '../../lib/observability/logger.ts';
import { remindUnpaidRuns } from '../../lib/payments/cashier-reminders.ts';
import { exportBankBatch, KEPT_EXPORTS, paymentRun } from '../../lib/payments/payment-run.ts';
import {
  awaitPaymentDay,
  awaitPaymentRetry,
  awaitSupplierInvoice,
} from '../../lib/payments/payment-tasks.ts';
import {
  MAX_FAILED_PAYMENTS,
  type PaymentInput,
  pullIntoTodaysRun,
  recordPayment,
  retryPayment,
  returnToApplicant,
} from '../../lib/payments/payments.ts';
import {
  paymentsMissingInvoice,
  recordSupplierInvoice,
  type SupplierInvoiceInput,
  waiveSpecialInvoice,
} from '../../lib/payments/supplier-invoices.ts';
import { type VoucherStore, voucherWait } from '../../lib/platform/store.ts';
import { MAX_TRANSACTION_ITEMS } from '../../lib/storage/transact.ts';
import { storeUploadedFile } from '../../lib/uploads/create-upload.ts';
import { type SubmitVoucherInput, submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { executionName } from '../../lib/workflow/approval-states.ts';
import { scheduledJobs } from '../../lib/workflow/catalogue.ts';
import { deliveredByStream, sweepOwedDeliveries } from '../../lib/workflow/outbox.ts';
import { BEAUTY_PAYEE, TEXTILE_PAYEE, type TestApp, testApp, voucherInput } from '../support/app.ts';
import { proxyApprove } from '../support/consent.ts';

const emailOf = (local: string) => `${local}@lianshang.example`;

let app: TestApp;
let liNa: Person;
let cashier: Person;
let finance: Person;

function latestLink(localPart: string): string {
  const messages = app.outbox.list().filter((message) => message.to.includes(emailOf(localPart)));
  const link = messages.at(-1)?.links.find((candidate) => candidate.includes('/approvals/'));
  if (!link) throw new Error(`no approval link for ${localPart}`);
  return link.split('/approvals/')[1] ?? '';
}

async function approve(localPart: string) {
  await app.engine.settled();
  await decide(app.deps, latestLink(localPart), { decision: 'APPROVE', reason: '' });
  await app.engine.settled();
}

async function setClock(instant: string) {
  app.clock.set(instant);
  await app.engine.settled();
}

/** Submitted and approved by the head at `submittedAt`; finance reviews at `reviewedAt`. */
async function payable(
  submittedAt: string,
  reviewedAt: string,
  overrides: Partial<SubmitVoucherInput> = {},
): Promise<Voucher> {
  await setClock(submittedAt);
  const { voucher } = await submitVoucher(app.deps, liNa, await voucherInput(app, liNa, overrides));
  await app.engine.settled();
  await approve('wang.qiang');
  await setClock(reviewedAt);
  await approve('liu.yang');
  return stored(voucher.id);
}

async function stored(id: string): Promise<Voucher> {
  const voucher = await app.deps.store.vouchers.get(id);
  if (!voucher) throw new Error(`no voucher ${id}`);
  return voucher;
}

const execution = (voucher: Voucher) =>
  app.engine.execution('voucher', executionName({ voucherId: voucher.id, version: 1 }));

async function pay(voucher: Voucher, input: Partial<PaymentInput> = {}) {
  const result = await recordPayment(app.deps, cashier, voucher.id, {
    status: 'PAID',
    bankReference: 'ICBC-20261118-0001',
    paidOn: '2026-11-18',
    ...input,
  } as PaymentInput);
  await app.engine.settled();
  return result;
}

const invoice = (overrides: Partial<SupplierInvoiceInput> = {}): SupplierInvoiceInput => ({
  type: 'VAT_SPECIAL',
  number: '26332000000012345678',
  issuedOn: '2026-11-18',
  amount: '10,000.00',
  taxAmount: '1,150.44',
  ...overrides,
});

beforeEach(async () => {
  app = await testApp('2026-11-18T09:00:00+08:00');
  liNa = app.person('li.na');
  cashier = app.person('chen.jing');
  finance = app.person('liu.yang');
});

describe('the payment run of a day (POLICY 2.2(3), D3, D4)', () => {
  it('puts a voucher reviewed at 11:59:59.999 into that day’s run, where the cashier’s step waits', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T11:59:59.999+08:00');

    const run = await paymentRun(app.deps, cashier, '2026-11-18');

    expect(run.items.map((item) => [item.voucherId, item.status, item.amount])).toEqual([
      [voucher.id, 'DUE', '10000.00'],
    ]);
    expect(run.total).toBe('10000.00');
    expect(execution(voucher)).toMatchObject({ status: 'RUNNING', currentState: 'AwaitPayment' });
  });

  it('judges the cutoff at the moment finance decided, not when the workflow gets to it', async () => {
    await setClock('2026-11-18T09:00:00+08:00');
    const { voucher } = await submitVoucher(app.deps, liNa, await voucherInput(app, liNa));
    await app.engine.settled();
    await approve('wang.qiang');
    await setClock('2026-11-18T11:59:59.000+08:00');

    await decide(app.deps, latestLink('liu.yang'), { decision: 'APPROVE', reason: '' });
    // The workflow's next task runs a few seconds later (a cold start, a retry, a restart).
    app.clock.set('2026-11-18T12:00:05+08:00');
    await app.engine.settled();

    expect((await stored(voucher.id)).payment).toMatchObject({
      dueDate: '2026-11-18',
      payableAt: '2026-11-18T11:59:59.000+08:00',
    });
  });

  it('puts a voucher reviewed at 12:00:00.000 into the next working day’s run, released when the clock gets there', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T12:00:00.000+08:00');

    expect((await paymentRun(app.deps, cashier, '2026-11-18')).items).toEqual([]);
    expect((await paymentRun(app.deps, cashier, '2026-11-19')).items.map((item) => item.voucherId)).toEqual([
      voucher.id,
    ]);
    expect(execution(voucher)?.currentState).toBe('WaitForPaymentDay');
    await expect(pay(voucher)).rejects.toMatchObject({ code: 'NOT_IN_A_RUN_YET' });

    await setClock('2026-11-19T00:00:00+08:00');

    expect(execution(voucher)?.currentState).toBe('AwaitPayment');
  });

  it('pays a Friday-afternoon voucher in Monday’s run', async () => {
    const voucher = await payable('2026-11-20T09:00:00+08:00', '2026-11-20T15:00:00+08:00');

    expect(voucher.payment?.dueDate).toBe('2026-11-23');
    await setClock('2026-11-21T10:00:00+08:00');
    expect(execution(voucher)?.currentState).toBe('WaitForPaymentDay');
    await setClock('2026-11-23T08:00:00+08:00');
    expect(execution(voucher)?.currentState).toBe('AwaitPayment');
  });

  it('waits over the National Day holiday to 2026-10-08, and pays on the make-up Saturday 2026-10-10', async () => {
    const holiday = await payable('2026-09-30T09:00:00+08:00', '2026-09-30T14:00:00+08:00');
    expect(holiday.payment?.dueDate).toBe('2026-10-08');

    const makeUp = await payable('2026-10-10T08:00:00+08:00', '2026-10-10T10:00:00+08:00', {
      orderIds: ['LS-20261116-0002'],
    });

    expect(makeUp.payment?.dueDate).toBe('2026-10-10');
    const run = await paymentRun(app.deps, cashier, '2026-10-10');
    // The overdue one stays in every run until paid; the make-up day's own is due that day.
    expect(run.items.map((item) => [item.voucherId, item.overdue])).toEqual([
      [holiday.id, true],
      [makeUp.id, false],
    ]);
  });

  it('shows the full account to the cashier and finance only, masked for the CEO — and never in a log', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
      const account = (person: Person) =>
        paymentRun(app.deps, person, '2026-11-18').then((run) => run.items[0]?.payee.account);

      expect(await account(cashier)).toBe(TEXTILE_PAYEE.account);
      expect(await account(finance)).toBe(TEXTILE_PAYEE.account);
      expect(await account(app.person('zhang.wei'))).toBe('**** **** 5678');
      await expect(paymentRun(app.deps, liNa, '2026-11-18')).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await pay(voucher);
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toContain('payment run read');
    expect(writes.join('').replace(/\s/g, '')).not.toContain(TEXTILE_PAYEE.account.replace(/\s/g, ''));
  });

  it('exports the unpaid vouchers as a bank batch, CSV and XLSX, for the cashier only', async () => {
    await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00', {
      supplierId: 'SUP-GZ-BEAUTY',
      payee: { ...BEAUTY_PAYEE, name: '=HYPERLINK("http://evil")' },
      orderIds: ['LS-20261116-0004'],
      amount: '1,234.56',
    });

    const csv = (await exportBankBatch(app.deps, cashier, '2026-11-18', 'csv')).body.toString('utf8');
    const xlsx = await exportBankBatch(app.deps, cashier, '2026-11-18', 'xlsx', { includeExported: true });

    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('4400123456789012345');
    expect(csv).toContain('1234.56');
    // A payee name that a spreadsheet would run as a formula is made inert.
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const row = workbook.worksheets[0]?.getRow(2).values as unknown[];
    expect(row.slice(1)).toEqual([
      1,
      `'=HYPERLINK("http://evil")`,
      '4400123456789012345',
      BEAUTY_PAYEE.bank,
      1234.56,
      expect.stringContaining('货款'),
      expect.any(String),
      expect.stringMatching(/^FK-\d{8}-\d{4}$/),
    ]);
    await expect(
      exportBankBatch(app.deps, app.person('zhang.wei'), '2026-11-18', 'csv'),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('puts an unpaid voucher in one bank file only, unless asked again for those already in one', async () => {
    const first = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    const file = await exportBankBatch(app.deps, cashier, '2026-11-18', 'csv');
    const second = await payable('2026-11-18T10:00:00+08:00', '2026-11-18T11:00:00+08:00', {
      orderIds: ['LS-20261116-0002'],
    });

    // The first is at the bank already (uploaded, not yet marked paid): the next file leaves it out.
    const next = await exportBankBatch(app.deps, cashier, '2026-11-18', 'csv');
    await expect(exportBankBatch(app.deps, cashier, '2026-11-18', 'csv')).rejects.toMatchObject({
      code: 'NOTHING_TO_EXPORT',
    });
    const again = await exportBankBatch(app.deps, cashier, '2026-11-18', 'csv', { includeExported: true });

    expect(file.vouchers).toEqual([first.id]);
    expect(next.vouchers).toEqual([second.id]);
    expect(next.body.toString('utf8')).not.toContain(first.id);
    expect(again.vouchers.sort()).toEqual([first.id, second.id].sort());
    const run = await paymentRun(app.deps, cashier, '2026-11-18');
    expect(run.items.find((item) => item.voucherId === first.id)?.exported).toMatchObject({
      by: cashier.email,
    });
    const exports = (await app.deps.store.vouchers.history(first.id)).filter(
      (event) => event.type === 'BANK_BATCH_EXPORTED',
    );
    expect(exports.map((event) => event.details?.again)).toEqual([false, true]);
  });

  it('remembers the latest five bank files a voucher went into; its history keeps every one', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    for (let i = 0; i < KEPT_EXPORTS + 2; i++) {
      await exportBankBatch(app.deps, cashier, '2026-11-18', 'csv', { includeExported: true });
    }

    const kept = (await stored(voucher.id)).payment?.exports?.map((file) => file.batch);
    const everyFile = (await app.deps.store.vouchers.history(voucher.id))
      .filter((event) => event.type === 'BANK_BATCH_EXPORTED')
      .map((event) => event.details?.batch);
    expect(everyFile).toHaveLength(KEPT_EXPORTS + 2);
    expect(kept).toEqual(everyFile.slice(-KEPT_EXPORTS));
  });

  it('leaves out of the bank file a voucher paid a moment ago, whatever the run’s index still says', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    const unpaid = await stored(voucher.id);
    await pay(voucher);
    // The index the run is read from lags the table for a moment.
    vi.spyOn(app.deps.store.vouchers, 'paymentRun').mockResolvedValueOnce([unpaid]);

    await expect(exportBankBatch(app.deps, cashier, '2026-11-18', 'csv')).rejects.toMatchObject({
      code: 'NOTHING_TO_EXPORT',
    });
    expect((await app.deps.store.vouchers.history(voucher.id)).map((event) => event.type)).not.toContain(
      'BANK_BATCH_EXPORTED',
    );
  });

  it('leaves out of the bank file, and offers no payment of, a voucher its exporter held another step of (D18)', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    const reviewerAsCashier = { ...finance, roles: [...finance.roles, 'CASHIER' as const] };

    await expect(exportBankBatch(app.deps, reviewerAsCashier, '2026-11-18', 'csv')).rejects.toMatchObject({
      code: 'NOTHING_TO_EXPORT',
      message: expect.stringContaining('D18'),
    });
    const run = await paymentRun(app.deps, reviewerAsCashier, '2026-11-18');
    expect(run.items.map((item) => [item.voucherId, item.mayPay])).toEqual([[voucher.id, false]]);
    expect((await paymentRun(app.deps, cashier, '2026-11-18')).items[0]?.mayPay).toBe(true);
    expect((await exportBankBatch(app.deps, cashier, '2026-11-18', 'csv')).vouchers).toEqual([voucher.id]);
  });

  it('refuses to export the bank file of a run that is not open yet', async () => {
    await expect(exportBankBatch(app.deps, cashier, '2026-11-19', 'csv')).rejects.toMatchObject({
      code: 'RUN_NOT_OPEN',
    });
  });

  it('shows countersigns still pending on the run without blocking the payment (D6)', async () => {
    await setClock('2026-11-18T09:00:00+08:00');
    const { voucher } = await submitVoucher(app.deps, liNa, await voucherInput(app, liNa));
    await app.engine.settled();
    await proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING');
    await approve('liu.yang');

    const item = (await paymentRun(app.deps, cashier, '2026-11-18')).items[0];

    expect(item?.pendingCountersigns).toEqual([
      { step: 'HEAD_OF_MERCHANDISING', approver: emailOf('wang.qiang') },
    ]);
    expect((await pay(voucher)).status).toBe('PAID');
  });
});

/**
 * `count` vouchers of 1.00, approved and in today's run, moved there by the workflow's own task
 * functions and the approvers' links: the workflow itself is not told (its executions would only slow
 * the test down).
 */
async function inTodaysRun(count: number): Promise<string[]> {
  const quiet = { ...app.deps, workflowOutbox: deliveredByStream };
  const evidence = [await app.upload(liNa)];
  const approvers = [
    ['HEAD_OF_MERCHANDISING', 'wang.qiang'],
    ['FINANCE_REVIEW', 'liu.yang'],
  ] as const;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const input = await voucherInput(app, liNa, { amount: '1.00', evidence });
    const { voucher } = await submitVoucher(quiet, liNa, input);
    const ref = { voucherId: voucher.id, version: 1 };
    await startApproval(quiet, ref);
    for (const [step, approver] of approvers) {
      await requestApproval(quiet, { ...ref, step, attempt: 0, taskToken: `${voucher.id}-${step}` });
      const link = approvalUrl(quiet, { ...ref, step, approver: emailOf(approver) }, 14);
      await decide(quiet, link.split('/approvals/')[1] ?? '', { decision: 'APPROVE', reason: '' });
    }
    await markReadyForPayment(quiet, ref);
    ids.push(voucher.id);
  }
  return ids;
}

/**
 * The store as it is, except that the first time vouchers are written in more than one transaction,
 * `meanwhile` changes the last of them first — after the writer read them, before it writes: the later
 * transaction loses its race, the earlier ones land.
 */
function racingTheLastWrite(meanwhile: (voucherId: string) => Promise<unknown>): TestApp['deps'] {
  const vouchers = app.deps.store.vouchers;
  let raced = false;
  const racing = new Proxy(vouchers, {
    get(target, name) {
      if (name === 'saveAll') {
        return async (writes: Parameters<VoucherStore['saveAll']>[0]) => {
          const last = writes.at(-1);
          if (!raced && last) {
            raced = true;
            await meanwhile(last.voucher.id);
          }
          return target.saveAll(writes);
        };
      }
      const value = Reflect.get(target, name);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...app.deps, store: { ...app.deps.store, vouchers: racing } };
}

describe('a bank file larger than one transaction', () => {
  it('puts every voucher of the run in the file when a later part of its marking lost a race', async () => {
    // More vouchers than one transaction can mark (each is its item and its event).
    const ids = await inTodaysRun(MAX_TRANSACTION_ITEMS / 2 + 1);
    // Finance waives the special invoice of one of them while the file is being marked: it is still
    // payable, and its part of the marking must be done again.
    const deps = racingTheLastWrite((voucherId) =>
      waiveSpecialInvoice(app.deps, finance, voucherId, 'The supplier issues ordinary invoices only'),
    );

    const file = await exportBankBatch(deps, cashier, '2026-11-18', 'csv');

    expect([...file.vouchers].sort()).toEqual([...ids].sort());
    const body = file.body.toString('utf8');
    expect(ids.filter((id) => !body.includes(id))).toEqual([]);
    const batches = await Promise.all(
      ids.map(async (id) => (await stored(id)).payment?.exports?.map((entry) => entry.batch)),
    );
    expect(new Set(batches.flat()).size).toBe(1);
    expect(batches.every((batch) => batch?.length === 1)).toBe(true);
    await expect(exportBankBatch(app.deps, cashier, '2026-11-18', 'csv')).rejects.toMatchObject({
      code: 'NOTHING_TO_EXPORT',
      message: expect.stringContaining(`${ids.length} in a bank file already`),
    });
  });
});

describe('pulling an afternoon voucher into today’s run (POLICY D5)', () => {
  it('moves it with a reason, audited, and the cashier pays it today', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T14:00:00+08:00');
    expect(execution(voucher)?.currentState).toBe('WaitForPaymentDay');

    const moved = await pullIntoTodaysRun(
      app.deps,
      finance,
      voucher.id,
      'Supplier ships only once paid today',
    );

    expect(moved.payment).toMatchObject({
      dueDate: '2026-11-18',
      override: {
        by: finance.email,
        originalDueDate: '2026-11-19',
        reason: 'Supplier ships only once paid today',
      },
    });
    expect((await paymentRun(app.deps, cashier, '2026-11-18')).items[0]?.override?.reason).toBe(
      'Supplier ships only once paid today',
    );
    expect((await app.deps.store.vouchers.history(voucher.id)).map((event) => event.type)).toContain(
      'PULLED_INTO_TODAYS_RUN',
    );
    // The workflow's wait for the payment day ends now: the cashier's step waits, in today's run.
    await app.engine.settled();
    expect(execution(voucher)?.currentState).toBe('AwaitPayment');

    expect((await pay(voucher)).status).toBe('PAID');
    // Paid today, so the supplier's invoice is asked for today, not when the original day begins.
    expect(execution(voucher)?.currentState).toBe('AwaitSupplierInvoice');
    expect(app.outbox.list().at(-1)).toMatchObject({ to: [liNa.email] });
    expect(app.outbox.list().at(-1)?.subject).toContain('record the supplier’s invoice');
  });

  it('lists this afternoon’s vouchers beside today’s run, for the cashier and finance only, until pulled in', async () => {
    const morning = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T11:00:00+08:00');
    const afternoon = await payable('2026-11-18T11:30:00+08:00', '2026-11-18T14:00:00+08:00', {
      orderIds: ['LS-20261116-0002'],
    });
    const ids = (items: { voucherId: string }[]) => items.map((item) => item.voucherId);

    const today = await paymentRun(app.deps, cashier, '2026-11-18');

    expect(ids(today.items)).toEqual([morning.id]);
    expect(ids(today.pullable)).toEqual([afternoon.id]);
    expect(today.pullable[0]?.dueDate).toBe('2026-11-19');
    expect(today.totalFen).toBe(morning.amountFen);
    expect(ids((await paymentRun(app.deps, finance, undefined)).pullable)).toEqual([afternoon.id]);
    expect((await paymentRun(app.deps, app.person('zhang.wei'), '2026-11-18')).pullable).toEqual([]);
    // Tomorrow's run is not open yet: nothing is pulled into it, and nothing shows as overdue before then.
    const tomorrow = await paymentRun(app.deps, cashier, '2026-11-19');
    expect(tomorrow.pullable).toEqual([]);
    expect(tomorrow.items.map((item) => [item.voucherId, item.overdue])).toEqual([
      [morning.id, false],
      [afternoon.id, false],
    ]);

    await pullIntoTodaysRun(app.deps, cashier, afternoon.id, 'Supplier ships only once paid today');

    const after = await paymentRun(app.deps, cashier, '2026-11-18');
    expect(ids(after.items)).toEqual([morning.id, afternoon.id]);
    expect(after.pullable).toEqual([]);
  });

  it('never keeps a payment-day wait that read the voucher before a pull forward', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T14:00:00+08:00');
    const asReadByTheWait = await stored(voucher.id);
    await pullIntoTodaysRun(app.deps, cashier, voucher.id, 'Urgent: the factory stops without it');
    vi.spyOn(app.deps.store.vouchers, 'get').mockResolvedValueOnce(asReadByTheWait);
    const answer = vi.spyOn(app.deps.taskTokens, 'succeed');

    // A (retried) wait task that read the voucher before the pull, and stores its token after it.
    await awaitPaymentDay(app.deps, { voucherId: voucher.id, version: 1, taskToken: 'late-wait' });

    expect(answer).toHaveBeenCalledWith('late-wait', expect.objectContaining({ dueDate: '2026-11-18' }));
    expect((await app.deps.store.waits.get(voucherWait(voucher.id, 1, 'PAYMENT_DAY')))?.taskToken).not.toBe(
      'late-wait',
    );
  });

  it('refuses a voucher that became payable on an earlier day, and anyone but cashier or finance', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T14:00:00+08:00');
    await setClock('2026-11-18T23:59:00+08:00');
    await expect(pullIntoTodaysRun(app.deps, liNa, voucher.id, 'please')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await setClock('2026-11-19T00:00:01+08:00');
    await expect(pullIntoTodaysRun(app.deps, cashier, voucher.id, 'please')).rejects.toMatchObject({
      code: 'ALREADY_IN_RUN',
    });
    expect((await stored(voucher.id)).payment?.override).toBeUndefined();
  });
});

describe('paying exactly once', () => {
  it('answers a double click with the same voucher and refuses a different second payment', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');

    const first = await pay(voucher);
    const again = await pay(voucher);

    expect(again).toEqual(first);
    await expect(pay(voucher, { bankReference: 'ICBC-OTHER-0002' })).rejects.toMatchObject({
      code: 'ALREADY_PAID',
    });
    const events = (await app.deps.store.vouchers.history(voucher.id)).filter(
      (event) => event.type === 'PAID',
    );
    expect(events).toHaveLength(1);
  });

  it('lets exactly one of two simultaneous payments land', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');

    const results = await Promise.allSettled([
      pay(voucher, { bankReference: 'ICBC-A-0001' }),
      pay(voucher, { bankReference: 'ICBC-B-0002' }),
    ]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({
      reason: { code: 'ALREADY_PAID' },
    });
    const events = (await app.deps.store.vouchers.history(voucher.id)).filter(
      (event) => event.type === 'PAID',
    );
    expect(events).toHaveLength(1);
    expect(execution(voucher)?.currentState).toBe('AwaitSupplierInvoice');
  });

  it('records the payment even when telling the workflow fails, and the workflow moves on at its daily re-check', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    vi.spyOn(app.deps.taskTokens, 'succeed').mockRejectedValueOnce(new Error('Step Functions throttled'));

    expect((await pay(voucher)).status).toBe('PAID');
    expect(execution(voucher)?.currentState).toBe('AwaitPayment');

    // A day later the cashier's step looks at the voucher again, finds it paid, and goes on.
    await setClock('2026-11-19T10:00:01+08:00');
    expect(execution(voucher)?.currentState).toBe('AwaitSupplierInvoice');
    expect(app.outbox.list().at(-1)?.subject).toContain('record the supplier’s invoice');
  });

  it('retries a wait whose handler failed once, and the voucher still reaches the cashier', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T14:00:00+08:00');
    vi.spyOn(app.deps.store.waits, 'keep').mockRejectedValueOnce(new Error('DynamoDB throttled'));

    await setClock('2026-11-19T00:00:01+08:00');

    expect(execution(voucher)).toMatchObject({ status: 'RUNNING', currentState: 'AwaitPayment' });
    expect((await app.deps.store.waits.get(voucherWait(voucher.id, 1, 'PAYMENT')))?.taskToken).toBeDefined();
  });

  it('delivers the answer to the workflow that failed after the payment was saved a minute later, by the sweep', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    vi.spyOn(app.deps.taskTokens, 'succeed').mockRejectedValueOnce(new Error('Step Functions throttled'));
    await pay(voucher);
    // The cashier's repeat is answered with the voucher as it is; what the payment owes the workflow
    // was written with it.
    await pay(voucher);
    expect(execution(voucher)?.currentState).toBe('AwaitPayment');

    await setClock('2026-11-18T10:01:01+08:00');
    await sweepOwedDeliveries(app.deps);
    await app.engine.settled();

    expect(execution(voucher)?.currentState).toBe('AwaitSupplierInvoice');
    const paid = (await app.deps.store.vouchers.history(voucher.id)).filter((event) => event.type === 'PAID');
    expect(paid).toHaveLength(1);
  });

  it('refuses the applicant as cashier (D18)', async () => {
    const both = { ...cashier, email: liNa.email };
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await expect(
      recordPayment(app.deps, both, voucher.id, {
        status: 'PAID',
        bankReference: 'X-0001',
        paidOn: '2026-11-18',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses as cashier the finance reviewer who reviewed the voucher (D18: one person, one step)', async () => {
    const reviewerAsCashier = { ...finance, roles: [...finance.roles, 'CASHIER' as const] };
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');

    await expect(
      recordPayment(app.deps, reviewerAsCashier, voucher.id, {
        status: 'PAID',
        bankReference: 'X-0001',
        paidOn: '2026-11-18',
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('finance review') });
    expect((await stored(voucher.id)).status).toBe('READY_FOR_PAYMENT');
  });
});

describe('the same request twice at the same moment', () => {
  it('pulls a voucher forward once and answers both requests with it', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T14:00:00+08:00');

    const results = await Promise.all([
      pullIntoTodaysRun(app.deps, cashier, voucher.id, 'Supplier ships only once paid today'),
      pullIntoTodaysRun(app.deps, cashier, voucher.id, 'Supplier ships only once paid today'),
    ]);

    expect(results.map((result) => result.payment?.dueDate)).toEqual(['2026-11-18', '2026-11-18']);
    const pulls = (await app.deps.store.vouchers.history(voucher.id)).filter(
      (event) => event.type === 'PULLED_INTO_TODAYS_RUN',
    );
    expect(pulls).toHaveLength(1);
  });

  it('records the supplier’s invoice once and answers both requests with the closed voucher', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await pay(voucher);

    const results = await Promise.all([
      recordSupplierInvoice(app.deps, liNa, voucher.id, invoice()),
      recordSupplierInvoice(app.deps, liNa, voucher.id, invoice()),
    ]);

    expect(results.map((result) => result.status)).toEqual(['CLOSED', 'CLOSED']);
    const recorded = (await app.deps.store.vouchers.history(voucher.id)).filter(
      (event) => event.type === 'SUPPLIER_INVOICE_RECORDED',
    );
    expect(recorded).toHaveLength(1);
  });
});

describe('the order check before paying (POLICY D7)', () => {
  /** The platform reports a refund or dispute on the order (the order import updates it). */
  async function openDispute(orderId: string) {
    const order = await app.deps.store.orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    await app.deps.store.orders.save(
      { ...order, disputeStatus: 'OPEN', version: order.version + 1 },
      order.version,
      {
        at: '2026-11-18T10:30:00.000+08:00',
        actor: 'tech@lianshang.example',
        type: 'ORDER_IMPORTED',
        version: order.version + 1,
      },
    );
  }

  it('blocks the payment when a dispute was opened on the order since submission, and writes nothing', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await openDispute('LS-20261116-0001');

    await expect(pay(voucher)).rejects.toMatchObject({ code: 'ORDER_DISPUTED' });

    const after = await stored(voucher.id);
    expect(after.status).toBe('READY_FOR_PAYMENT');
    expect(after.revision).toBe(voucher.revision);
  });

  it('blocks the payment when the dispute opens between the order check and the write', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    const asChecked = await app.deps.store.orders.getMany(voucher.orderIds);
    await openDispute('LS-20261116-0001');
    // The check reads the orders as they were a moment before the dispute was opened.
    vi.spyOn(app.deps.store.orders, 'getMany').mockResolvedValueOnce(asChecked);

    await expect(pay(voucher)).rejects.toMatchObject({ code: 'ORDER_DISPUTED' });

    expect((await stored(voucher.id)).status).toBe('READY_FOR_PAYMENT');
    expect((await app.deps.store.vouchers.history(voucher.id)).map((event) => event.type)).not.toContain(
      'PAID',
    );
  });
});

describe('a failed payment goes back to finance', () => {
  it('tells finance; finance schedules it again by the noon cutoff; the cashier pays it then', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');

    await recordPayment(app.deps, cashier, voucher.id, {
      status: 'PAYMENT_FAILED',
      reason: 'Account closed',
    });
    await app.engine.settled();

    expect(app.outbox.list().at(-1)).toMatchObject({ to: expect.arrayContaining([finance.email]) });
    expect(app.outbox.list().at(-1)?.text).toContain('Account closed');
    expect(execution(voucher)?.currentState).toBe('AwaitFinanceAfterFailedPayment');

    await setClock('2026-11-18T15:00:00+08:00');
    const retried = await retryPayment(app.deps, finance, voucher.id, 'Supplier confirmed the account');
    await app.engine.settled();
    expect(retried.payment).toMatchObject({ status: 'DUE', dueDate: '2026-11-19' });
    expect(execution(voucher)?.currentState).toBe('WaitForPaymentDay');

    await setClock('2026-11-19T09:00:00+08:00');
    expect((await pay(voucher, { paidOn: '2026-11-19' })).payment?.failures).toHaveLength(1);
    expect(execution(voucher)?.currentState).toBe('AwaitSupplierInvoice');
  });

  it('tells finance once of a failed payment, however often the workflow retries or re-checks', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await recordPayment(app.deps, cashier, voucher.id, {
      status: 'PAYMENT_FAILED',
      reason: 'Account closed',
    });
    await app.engine.settled();

    // The wait re-checks the voucher every day, and a retried invocation enters it again (its made-up
    // token then stands for the wait's: the test looks no further than the notice).
    await setClock('2026-11-20T10:00:01+08:00');
    await awaitPaymentRetry(app.deps, { voucherId: voucher.id, version: 1, taskToken: 'retried-invocation' });

    const notices = app.outbox.list().filter((message) => message.text?.includes('Account closed'));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.to).toContain(finance.email);
    expect(execution(voucher)?.currentState).toBe('AwaitFinanceAfterFailedPayment');
  });

  it('after five failed payments only lets finance return it to the applicant, not retry again', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    for (let attempt = 1; attempt <= MAX_FAILED_PAYMENTS; attempt++) {
      if (attempt > 1) await retryPayment(app.deps, finance, voucher.id, 'Supplier says try again');
      await app.engine.settled();
      await recordPayment(app.deps, cashier, voucher.id, {
        status: 'PAYMENT_FAILED',
        reason: `Bank refused, attempt ${attempt}`,
      });
      await app.engine.settled();
    }

    await expect(retryPayment(app.deps, finance, voucher.id, 'Once more')).rejects.toMatchObject({
      code: 'TOO_MANY_FAILED_PAYMENTS',
      statusCode: 409,
    });
    expect((await stored(voucher.id)).payment?.failures).toHaveLength(MAX_FAILED_PAYMENTS);
    await returnToApplicant(app.deps, finance, voucher.id, 'Check the account with the supplier');
    expect((await stored(voucher.id)).status).toBe('REJECTED');
  });

  it('or returns it to the applicant, releasing its claim on the order', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await recordPayment(app.deps, cashier, voucher.id, { status: 'PAYMENT_FAILED', reason: 'Wrong account' });
    await app.engine.settled();

    await returnToApplicant(app.deps, finance, voucher.id, 'Ask the supplier for the right account');
    await app.engine.settled();

    const returned = await stored(voucher.id);
    expect(returned.status).toBe('REJECTED');
    expect(returned.approvals?.at(-1)).toMatchObject({
      step: 'PAYMENT',
      decision: 'REJECT',
      decidedBy: finance.email,
      via: 'signed-in',
    });
    expect((await app.deps.store.orders.get('LS-20261116-0001'))?.claimedFen).toBe(0);
    expect(app.outbox.list().at(-1)).toMatchObject({ to: [liNa.email] });
    expect(app.outbox.list().at(-1)?.text).toContain('Ask the supplier for the right account');
    expect(execution(voucher)).toMatchObject({ status: 'SUCCEEDED', endState: 'Rejected' });
  });
});

describe('the end of a payment day', () => {
  const at = (time: string) => new Date(`2026-11-18T${time}+08:00`);
  const remindersTo = (person: Person) =>
    app.outbox
      .list()
      .filter(
        (message) => message.to.includes(person.email) && message.subject.includes('Unpaid in the run'),
      );

  /** A second legal entity of the company (POLICY 1.2), staffed for a 10,000.00 voucher. */
  async function openBeijing() {
    const entity: LegalEntity = {
      id: 'lianshang-bj',
      name: '链尚网络科技（北京）有限公司',
      taxId: '91110105MA01XYZ12K',
    };
    const member = (localPart: string, roles: Person['roles']): Person => ({
      email: emailOf(localPart),
      name: localPart,
      entityId: entity.id,
      roles,
    });
    const staff = {
      merchandiser: member('li.na.bj', ['MERCHANDISER']),
      head: member('wang.qiang.bj', ['HEAD_OF_MERCHANDISING', 'MERCHANDISER']),
      ceo: member('zhang.wei.bj', ['CEO']),
      finance: member('liu.yang.bj', ['FINANCE_REVIEWER']),
      cashier: member('chen.jing.bj', ['CASHIER']),
    };
    const seeded = { at: '2026-01-05T09:00:00.000+08:00', actor: 'test', type: 'SEEDED', version: 1 };
    await app.deps.store.people.saveEntity(entity, null, seeded);
    for (const person of Object.values(staff)) await app.deps.store.people.save(person, null, seeded);
    await app.deps.store.settings.addPolicyVersion(entity.id, DEFAULT_POLICY);
    const [supplier] = DEMO_SUPPLIERS;
    const [order] = DEMO_ORDERS;
    if (!supplier || !order) throw new Error('no demo supplier or order');
    await app.deps.store.suppliers.save(
      { ...supplier, id: 'SUP-BJ-TEXTILE', entityId: entity.id },
      null,
      seeded,
    );
    await app.deps.store.orders.save(
      { ...order, orderId: 'LS-20261116-0101', supplierId: 'SUP-BJ-TEXTILE' },
      null,
      seeded,
    );
    return { entity, ...staff };
  }

  /** Beijing's voucher, submitted and approved by its head at 09:00, reviewed by its finance at `reviewedAt`. */
  async function payableInBeijing(reviewedAt: string): Promise<Voucher> {
    await setClock('2026-11-18T09:00:00+08:00');
    const merchandiser = await app.deps.store.people.get(emailOf('li.na.bj'));
    if (!merchandiser) throw new Error('Beijing is not open');
    const input = await voucherInput(app, merchandiser, {
      supplierId: 'SUP-BJ-TEXTILE',
      orderIds: ['LS-20261116-0101'],
    });
    const { voucher } = await submitVoucher(app.deps, merchandiser, input);
    await approve('wang.qiang.bj');
    await setClock(reviewedAt);
    await approve('liu.yang.bj');
    return stored(voucher.id);
  }

  it('reminds the cashier of what is unpaid and escalates to finance; nothing on a Sunday', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await setClock('2026-11-18T17:30:00+08:00');

    expect(await remindUnpaidRuns(app.deps)).toEqual({ date: '2026-11-18', reminded: 1, alreadySent: [] });

    const reminder = app.outbox.list().at(-1);
    expect(reminder).toMatchObject({ to: [cashier.email], cc: [finance.email] });
    expect(reminder?.text).toContain(voucher.id);
    await setClock('2026-11-22T17:30:00+08:00');
    expect(await remindUnpaidRuns(app.deps)).toMatchObject({ date: '2026-11-22', reminded: 0 });
  });

  it('sends a day’s reminder once, whatever is delivered twice or late, and works for the occurrence’s own day', async () => {
    await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await setClock('2026-11-18T17:30:00+08:00');
    const occurrence = { scheduledTime: '2026-11-18T09:30:00Z' };
    const sent = () => app.outbox.list().filter((message) => message.to.includes(cashier.email)).length;

    await remindUnpaidRuns(app.deps, occurrence);
    const once = sent();
    // EventBridge Scheduler delivers at least once; a duplicate arrives the next morning.
    await setClock('2026-11-19T08:00:00+08:00');
    const repeat = await remindUnpaidRuns(app.deps, occurrence);

    expect(repeat).toEqual({ date: '2026-11-18', reminded: 0, alreadySent: [liNa.entityId] });
    expect(sent()).toBe(once);
  });

  it('sends exactly one reminder when two deliveries of the same occurrence run at the same moment', async () => {
    await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await setClock('2026-11-18T17:30:00+08:00');
    const occurrence = { scheduledTime: '2026-11-18T09:30:00Z' };

    const [first, second] = await Promise.all([
      remindUnpaidRuns(app.deps, occurrence),
      remindUnpaidRuns(app.deps, occurrence),
    ]);

    expect(remindersTo(cashier)).toHaveLength(1);
    expect([first.reminded, second.reminded].sort()).toEqual([0, 1]);
  });

  it('sends the reminder of a run that crashed after claiming the day, once its claim is a few minutes old', async () => {
    await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    // A delivery claimed the day at 17:30 and died before sending (a Lambda timeout, a lost container).
    await app.deps.store.jobRuns.claim('cashierReminders', `2026-11-18#${liNa.entityId}`, at('17:30:00'));
    await setClock('2026-11-18T17:36:00+08:00');

    const retry = await remindUnpaidRuns(app.deps, { date: '2026-11-18' });
    const repeat = await remindUnpaidRuns(app.deps, { date: '2026-11-18' });

    expect(retry.reminded).toBe(1);
    expect(repeat.alreadySent).toEqual([liNa.entityId]);
    expect(remindersTo(cashier)).toHaveLength(1);
  });

  it('leaves a day claimed moments ago to the run that claimed it', async () => {
    await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await app.deps.store.jobRuns.claim('cashierReminders', `2026-11-18#${liNa.entityId}`, at('17:30:00'));
    await setClock('2026-11-18T17:31:00+08:00');

    const result = await remindUnpaidRuns(app.deps, { date: '2026-11-18' });

    expect(result).toEqual({ date: '2026-11-18', reminded: 0, alreadySent: [liNa.entityId] });
    expect(remindersTo(cashier)).toEqual([]);
  });

  it('fails the job when the email fails, and its retry sends the reminder', async () => {
    await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await setClock('2026-11-18T17:30:00+08:00');
    const send = vi.spyOn(app.deps.mailer, 'send').mockRejectedValueOnce(new Error('SES throttled'));

    await expect(remindUnpaidRuns(app.deps)).rejects.toThrow(liNa.entityId);
    send.mockRestore();
    // Lambda retries the failed asynchronous invocation a minute later.
    await setClock('2026-11-18T17:31:00+08:00');
    const retry = await remindUnpaidRuns(app.deps, { date: '2026-11-18' });

    expect(retry.reminded).toBe(1);
    expect(remindersTo(cashier)).toHaveLength(1);
  });

  it('still reminds the other entities when one entity’s email fails, then fails the job naming that entity', async () => {
    const beijing = await openBeijing();
    await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await payableInBeijing('2026-11-18T10:30:00+08:00');
    await setClock('2026-11-18T17:30:00+08:00');
    // Beijing's reminder goes first (entities in id order) and SES refuses it.
    const send = app.deps.mailer.send.bind(app.deps.mailer);
    vi.spyOn(app.deps.mailer, 'send').mockImplementation(async (message) => {
      if (message.to.includes(beijing.cashier.email)) throw new Error('SES throttled');
      await send(message);
    });

    const outcome = await remindUnpaidRuns(app.deps).then(
      () => 'succeeded',
      (error: Error) => error.message,
    );

    expect(remindersTo(cashier)).toHaveLength(1);
    expect(outcome).toContain(beijing.entity.id);
  });

  it('skips, with a warning, an entity that has no cashier and no finance reviewer, and reminds the others', async () => {
    const beijing = await openBeijing();
    await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await payableInBeijing('2026-11-18T10:30:00+08:00');
    // Beijing's cashier and finance reviewer have left since they handled the voucher.
    const left = { at: '2026-11-18T10:40:00.000+08:00', actor: 'test', type: 'PERSON_UPDATED', version: 1 };
    await app.deps.store.people.save({ ...beijing.cashier, roles: ['MERCHANDISER'], version: 1 }, 0, left);
    await app.deps.store.people.save({ ...beijing.finance, roles: ['MERCHANDISER'], version: 1 }, 0, left);
    await setClock('2026-11-18T17:30:00+08:00');
    const warn = vi.spyOn(logger, 'warn');
    onTestFinished(() => warn.mockRestore());

    const result = await remindUnpaidRuns(app.deps);

    expect(result.reminded).toBe(1);
    expect(remindersTo(cashier)).toHaveLength(1);
    expect(app.outbox.list().filter((message) => message.to.length === 0)).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('no cashier and no finance reviewer'),
      expect.objectContaining({ entityId: beijing.entity.id }),
    );
  });

  it('sends one reminder per working day when the dev clock jumps over two of them', async () => {
    await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    const scheduler = new LocalScheduler(
      {
        cashierReminders: {
          cron: scheduledJobs.cashierReminders.cron,
          run: (input) => remindUnpaidRuns(app.deps, input),
        },
      },
      app.clock,
      path.join(mkdtempSync(path.join(tmpdir(), 'fundflow-scheduler-')), 'scheduler.json'),
    );
    try {
      // Wednesday 10:00 to Thursday 18:00: Wednesday's and Thursday's 17:30 came due.
      await setClock('2026-11-19T18:00:00+08:00');
      await scheduler.check();
    } finally {
      scheduler.stop();
    }

    // The voucher is unpaid in both runs (a run carries what is still unpaid from earlier days).
    expect(remindersTo(cashier).map((message) => message.subject.match(/run of (\S+):/)?.[1])).toEqual([
      '2026-11-18',
      '2026-11-19',
    ]);
  });
});

describe('the supplier-invoice chase (POLICY 2.1(3), D9)', () => {
  it('asks after payment, reminds weekly, escalates to finance, and closes when the invoice is recorded', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await pay(voucher);
    const toLiNa = () => app.outbox.list().filter((message) => message.to.includes(liNa.email));

    expect(toLiNa().at(-1)?.subject).toContain('record the supplier’s invoice');
    expect((await paymentsMissingInvoice(app.deps, finance, { limit: 10 })).items.map((v) => v.id)).toEqual([
      voucher.id,
    ]);

    await setClock('2026-11-25T10:00:01+08:00');
    expect(toLiNa().at(-1)?.subject).toContain('Reminder');
    await setClock('2026-12-02T10:00:02+08:00');
    await setClock('2026-12-09T10:00:03+08:00');
    await setClock('2026-12-16T10:00:04+08:00');
    expect(toLiNa().at(-1)).toMatchObject({ cc: expect.arrayContaining([finance.email]) });
    expect(toLiNa().at(-1)?.subject).toContain('Escalated');

    const closed = await recordSupplierInvoice(app.deps, liNa, voucher.id, invoice());
    await app.engine.settled();

    expect(closed.status).toBe('CLOSED');
    expect(execution(voucher)).toMatchObject({ status: 'SUCCEEDED', endState: 'Closed' });
    expect((await paymentsMissingInvoice(app.deps, finance, { limit: 10 })).items).toEqual([]);
    // The run of the day still shows what was paid in it.
    expect((await paymentRun(app.deps, cashier, '2026-11-18')).items[0]).toMatchObject({ status: 'PAID' });
  });

  it('escalates after as many reminders as the voucher’s own policy version says (D17)', async () => {
    const current = await app.deps.store.settings.currentPolicy(liNa.entityId, app.deps.clock.now());
    await app.deps.store.settings.addPolicyVersion(liNa.entityId, {
      ...current,
      version: current.version + 1,
      invoiceRemindersBeforeEscalation: 1,
    });
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await pay(voucher);
    // A later policy version does not change the rules this voucher was decided under.
    await app.deps.store.settings.addPolicyVersion(liNa.entityId, {
      ...current,
      version: current.version + 2,
      invoiceRemindersBeforeEscalation: 5,
    });
    const toLiNa = () => app.outbox.list().filter((message) => message.to.includes(liNa.email));

    await setClock('2026-11-25T10:00:01+08:00');
    expect(toLiNa().at(-1)?.subject).toContain('Reminder');
    expect(toLiNa().at(-1)?.cc ?? []).not.toContain(finance.email);
    await setClock('2026-12-02T10:00:02+08:00');

    expect(toLiNa().at(-1)?.subject).toContain('Escalated');
    expect(toLiNa().at(-1)?.cc).toContain(finance.email);
  });

  it('requires a VAT special invoice from a general taxpayer unless finance waives it', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await pay(voucher);

    // A copy sent with the refused form is never stored.
    const storeCopy = vi.fn(async () => 'evidence/never');
    await expect(
      recordSupplierInvoice(app.deps, liNa, voucher.id, invoice({ type: 'VAT_ORDINARY' }), {
        check: async () => null,
        store: storeCopy,
      }),
    ).rejects.toMatchObject({ code: 'SPECIAL_INVOICE_REQUIRED' });
    expect((await stored(voucher.id)).status).toBe('PAID');
    expect(storeCopy).not.toHaveBeenCalled();

    await waiveSpecialInvoice(app.deps, finance, voucher.id, 'Supplier lost general-taxpayer status in 2026');
    const closed = await recordSupplierInvoice(app.deps, liNa, voucher.id, invoice({ type: 'VAT_ORDINARY' }));

    expect(closed.status).toBe('CLOSED');
    expect(closed.invoiceWaiver?.reason).toBe('Supplier lost general-taxpayer status in 2026');
  });

  it('keeps a copy of the invoice uploaded by whoever records it, and refuses anyone else’s file', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await pay(voucher);
    const upload = (owner: Person, contentType: string) =>
      storeUploadedFile(app.deps, owner, {
        fileName: 'invoice.pdf',
        contentType,
        purpose: 'supplier-invoice',
        body: Buffer.from('%PDF-1.4\n%%EOF\n'),
      });
    const financeCopy = await upload(finance, 'application/pdf');

    await expect(
      recordSupplierInvoice(app.deps, liNa, voucher.id, invoice({ file: financeCopy })),
    ).rejects.toMatchObject({ code: 'INVOICE_FILE_INVALID', issues: [{ path: 'file' }] });
    await expect(upload(liNa, 'text/html')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(upload(cashier, 'application/pdf')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await stored(voucher.id)).status).toBe('PAID');

    const closed = await recordSupplierInvoice(
      app.deps,
      liNa,
      voucher.id,
      invoice({ file: await upload(liNa, 'application/pdf') }),
    );
    expect(closed.supplierInvoice?.file).toMatch(/^evidence\/2026-11-18\/.+\/invoice\.pdf$/);
  });

  it('answers only the very same invoice again as a repeat; any other invoice for the closed voucher is a conflict', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await pay(voucher);
    const closed = await recordSupplierInvoice(app.deps, liNa, voucher.id, invoice());

    const again = await recordSupplierInvoice(app.deps, liNa, voucher.id, invoice());
    for (const other of [
      invoice({ number: '26332000000099999999', amount: '9,000.00' }),
      invoice({ amount: '20,000.00' }),
      invoice({ taxAmount: '1,000.00' }),
      invoice({ issuedOn: '2026-11-17' }),
    ]) {
      await expect(recordSupplierInvoice(app.deps, finance, voucher.id, other)).rejects.toMatchObject({
        statusCode: 409,
        code: 'INVOICE_ALREADY_RECORDED',
      });
    }

    expect(again).toEqual(closed);
    expect((await stored(voucher.id)).supplierInvoice).toEqual(closed.supplierInvoice);
  });

  it('lists missing invoices oldest payment first', async () => {
    const older = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await pay(older);
    const newer = await payable('2026-11-19T09:00:00+08:00', '2026-11-19T10:00:00+08:00', {
      orderIds: ['LS-20261116-0002'],
    });
    await pay(newer, { paidOn: '2026-11-19', bankReference: 'ICBC-20261119-0001' });

    const page = await paymentsMissingInvoice(app.deps, finance, { limit: 10 });

    expect(page.items.map((voucher) => [voucher.id, voucher.payment?.paidOn])).toEqual([
      [older.id, '2026-11-18'],
      [newer.id, '2026-11-19'],
    ]);
    expect(page.nextCursor).toBeNull();
    // A page at a time: the cursor leads to the next page, and the last page says it is the last.
    const first = await paymentsMissingInvoice(app.deps, finance, { limit: 1 });
    const second = await paymentsMissingInvoice(app.deps, finance, {
      limit: 1,
      cursor: first.nextCursor ?? '',
    });
    expect([first.items[0]?.id, second.items[0]?.id]).toEqual([older.id, newer.id]);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses an invoice number in no known format, and one before payment', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await expect(recordSupplierInvoice(app.deps, liNa, voucher.id, invoice())).rejects.toMatchObject({
      code: 'NOT_PAID',
    });
    await pay(voucher);
    await expect(
      recordSupplierInvoice(app.deps, liNa, voucher.id, invoice({ number: '12345' })),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'number' }] });
  });

  it('sends each weekly reminder once when the workflow retries its task, and still sends one whose email failed', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await pay(voucher);
    const toLiNa = () => app.outbox.list().filter((message) => message.to.includes(liNa.email));
    const chaseOf = async () => app.deps.store.waits.get(voucherWait(voucher.id, 1, 'SUPPLIER_INVOICE'));
    await setClock('2026-11-25T10:00:01+08:00');
    const afterFirstReminder = toLiNa().length;
    const waiting = await chaseOf();

    // Step Functions retries (or an operator redrives) the same task: same token, same attempt.
    const retry = { voucherId: voucher.id, version: 1, taskToken: waiting?.taskToken ?? '', attempt: 1 };
    await awaitSupplierInvoice(app.deps, retry);

    expect(toLiNa()).toHaveLength(afterFirstReminder);
    expect((await chaseOf())?.attempt).toBe(1);

    // The next week's reminder is the second, not the third.
    await setClock('2026-12-02T10:00:02+08:00');
    expect(toLiNa()).toHaveLength(afterFirstReminder + 1);
    expect((await chaseOf())?.attempt).toBe(2);

    // A send that failed is sent by the retry, once.
    const send = vi.spyOn(app.deps.mailer, 'send').mockRejectedValueOnce(new Error('SES throttled'));
    const third = { ...retry, taskToken: (await chaseOf())?.taskToken ?? '', attempt: 3 };
    await expect(awaitSupplierInvoice(app.deps, third)).rejects.toThrow('SES throttled');
    send.mockRestore();
    await awaitSupplierInvoice(app.deps, third);
    await awaitSupplierInvoice(app.deps, third);

    expect(toLiNa()).toHaveLength(afterFirstReminder + 2);
    expect((await chaseOf())?.attempt).toBe(3);
  });

  it('reminds a week after the invoice was asked for, whatever restart came in between', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await pay(voucher);
    const toLiNa = () => app.outbox.list().filter((message) => message.to.includes(liNa.email));
    await setClock('2026-11-18T13:00:00+08:00');
    await app.restart();
    await app.engine.settled();
    const asked = toLiNa().length;

    await setClock('2026-11-25T09:59:59+08:00');
    expect(toLiNa()).toHaveLength(asked);
    await setClock('2026-11-25T10:00:00+08:00');

    expect(toLiNa()).toHaveLength(asked + 1);
    expect((await app.deps.store.waits.get(voucherWait(voucher.id, 1, 'SUPPLIER_INVOICE')))?.attempt).toBe(1);
  });

  it('resumes the chase after a restart without mailing again', async () => {
    const voucher = await payable('2026-11-18T09:00:00+08:00', '2026-11-18T10:00:00+08:00');
    await pay(voucher);
    const before = app.outbox.list().length;

    await app.restart();
    await app.engine.settled();

    expect(app.outbox.list()).toHaveLength(before);
    expect(execution(voucher)?.currentState).toBe('AwaitSupplierInvoice');
    expect((await recordSupplierInvoice(app.deps, liNa, voucher.id, invoice())).status).toBe('CLOSED');
    await app.engine.settled();
    expect(execution(voucher)).toMatchObject({ status: 'SUCCEEDED', endState: 'Closed' });
  });
});

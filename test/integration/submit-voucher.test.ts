import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { RuleViolationError, ValidationError } from '../../lib/domain/errors.ts';
import type { Person } from '../../lib/domain/model.ts';
import { MAX_TRANSACTION_ITEMS } from '../../lib/storage/transact.ts';
import { type SubmitVoucherInput, submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { deliveredByStream } from '../../lib/workflow/outbox.ts';
import {
  BEAUTY_PAYEE,
  TEXTILE_PAYEE,
  type TestApp,
  TINY_PNG,
  testApp,
  voucherInput,
} from '../support/app.ts';

let app: TestApp;
let liNa: Person;

const input = (overrides: Partial<SubmitVoucherInput> = {}) => voucherInput(app, liNa, overrides);

async function vouchersOf(person: Person) {
  return (await app.deps.store.vouchers.listByApplicant(person.email, { limit: 100 })).items;
}

beforeEach(async () => {
  app = await testApp();
  liNa = app.person('li.na');
});

describe('submitting a voucher', () => {
  it('stores the voucher with its route, amount in fen and a submission event', async () => {
    const { voucher, replayed } = await submitVoucher(app.deps, liNa, await input());

    const stored = await app.deps.store.vouchers.get(voucher.id);
    const history = await app.deps.store.vouchers.history(voucher.id);
    expect(replayed).toBe(false);
    expect(voucher).toMatchObject({ status: 'SUBMITTED', version: 1, revision: 1 });
    expect(stored).toMatchObject({ amountFen: 1_000_000, applicant: liNa.email, version: 1 });
    expect(stored?.route.steps.map((step) => [step.step, step.assignee])).toEqual([
      ['HEAD_OF_MERCHANDISING', 'wang.qiang@lianshang.example'],
      ['FINANCE_REVIEW', 'liu.yang@lianshang.example'],
      ['PAYMENT', 'chen.jing@lianshang.example'],
    ]);
    expect(history[0]?.type).toBe('VOUCHER_SUBMITTED');
    expect(stored?.submittedOn).toBe('2026-11-18');
  });

  it('claims the amount against the cited order', async () => {
    await submitVoucher(app.deps, liNa, await input({ amount: '10,000.00' }));

    const order = await app.deps.store.orders.get('LS-20261116-0001');
    expect(order?.claimedFen).toBe(1_000_000);
  });

  it('sends exactly 500,000.00 to the CEO (POLICY D1)', async () => {
    const { voucher } = await submitVoucher(
      app.deps,
      liNa,
      await input({
        supplierId: 'SUP-GZ-BEAUTY',
        payee: BEAUTY_PAYEE,
        orderIds: ['LS-20261116-0003'],
        amount: '500,000.00',
      }),
    );

    expect(voucher.route.requiresCeo).toBe(true);
    expect(voucher.route.ceoReason).toBe('AMOUNT_AT_OR_ABOVE_THRESHOLD');
    expect(voucher.route.steps.map((step) => step.step)).toEqual([
      'HEAD_OF_MERCHANDISING',
      'CEO',
      'FINANCE_REVIEW',
      'PAYMENT',
    ]);
  });

  it('keeps 499,999.99 away from the CEO', async () => {
    const { voucher } = await submitVoucher(
      app.deps,
      liNa,
      await input({
        supplierId: 'SUP-GZ-BEAUTY',
        payee: BEAUTY_PAYEE,
        orderIds: ['LS-20261116-0003'],
        amount: '499999.99',
      }),
    );

    expect(voucher.route.requiresCeo).toBe(false);
  });

  it('routes a head of merchandising’s own voucher to their deputy (POLICY D18)', async () => {
    const wang = app.person('wang.qiang');
    const { voucher } = await submitVoucher(app.deps, wang, {
      ...(await input()),
      evidence: [await app.upload(wang)],
    });

    expect(voucher.route.steps[0]).toMatchObject({
      step: 'HEAD_OF_MERCHANDISING',
      assignee: 'zhou.lei@lianshang.example',
      deputyFor: 'wang.qiang@lianshang.example',
    });
  });

  it('flags a payee that differs from the supplier master data (POLICY D8)', async () => {
    const { voucher } = await submitVoucher(
      app.deps,
      liNa,
      await input({ payee: { ...TEXTILE_PAYEE, account: '6222 0000 1111 2222' } }),
    );

    expect(voucher.flags.map((flag) => flag.code)).toEqual(['BANK_DETAILS_MISMATCH']);
  });

  it('flags a payment to a personal account (POLICY D8)', async () => {
    const { voucher } = await submitVoucher(
      app.deps,
      liNa,
      await input({
        supplierId: 'SUP-YW-SMALL',
        payee: {
          name: '义乌市王小明日用品商行',
          account: '6222 0212 3456 7890',
          bank: '中国农业银行义乌分行',
        },
        orderIds: ['LS-20261116-0005'],
        amount: '8,800.00',
      }),
    );

    expect(voucher.flags.map((flag) => flag.code)).toEqual(['PERSONAL_ACCOUNT']);
  });
});

describe('split aggregation (POLICY D2)', () => {
  it('sends a second same-day voucher to the CEO when the two reach the threshold, and re-routes the first', async () => {
    const first = await submitVoucher(
      app.deps,
      liNa,
      await input({ orderIds: ['LS-20261117-0009'], amount: '260,000.00' }),
    );
    await app.engine.settled();
    const revisionBefore = (await app.deps.store.vouchers.get(first.voucher.id))?.revision ?? 0;
    const second = await submitVoucher(
      app.deps,
      liNa,
      await input({ orderIds: ['LS-20261117-0010'], amount: '240,000.00' }),
    );

    const firstNow = await app.deps.store.vouchers.get(first.voucher.id);
    const firstHistory = await app.deps.store.vouchers.history(first.voucher.id);
    expect(second.voucher.route).toMatchObject({
      requiresCeo: true,
      ceoReason: 'SPLIT_AGGREGATE_AT_OR_ABOVE_THRESHOLD',
      judgedAmountFen: 50_000_000,
    });
    expect(second.voucher.flags.map((flag) => flag.code)).toContain('POSSIBLE_SPLIT');
    expect(firstNow?.route.requiresCeo).toBe(true);
    expect(firstNow?.flags.map((flag) => flag.code)).toContain('POSSIBLE_SPLIT');
    expect(firstNow).toMatchObject({ version: 1, revision: revisionBefore + 1 });
    expect(firstHistory.map((event) => event.type)).toContain('ROUTE_ESCALATED_SPLIT');
  });

  it('sums vouchers that share an order even on different days', async () => {
    await submitVoucher(
      app.deps,
      liNa,
      await input({ orderIds: ['LS-20261117-0009'], amount: '150,000.00' }),
    );
    app.clock.set('2026-11-19T10:00:00+08:00');
    const later = await submitVoucher(
      app.deps,
      liNa,
      await input({ orderIds: ['LS-20261117-0009', 'LS-20261117-0010'], amount: '350,000.00' }),
    );

    expect(later.voucher.route.requiresCeo).toBe(true);
    expect(later.voucher.flags.map((flag) => flag.code)).toContain('POSSIBLE_SPLIT');
  });

  it('does not sum vouchers to one supplier on different days that share no order', async () => {
    await submitVoucher(
      app.deps,
      liNa,
      await input({ orderIds: ['LS-20261117-0009'], amount: '260,000.00' }),
    );
    app.clock.set('2026-11-19T10:00:00+08:00');
    const nextDay = await submitVoucher(
      app.deps,
      liNa,
      await input({ orderIds: ['LS-20261117-0010'], amount: '240,000.00' }),
    );

    expect(nextDay.voucher.route.requiresCeo).toBe(false);
    expect(nextDay.voucher.flags).toEqual([]);
  });

  it('refuses, writing nothing, a voucher whose split group is too large to re-route in one transaction', async () => {
    // The voucher, its event, the idempotency record, the supplier day, the owed start, its order (two)
    // and two writes per re-routed voucher: this many earlier vouchers make one too many.
    const earlier = Math.floor((MAX_TRANSACTION_ITEMS - 7) / 2) + 1;
    // The workflow is not told (its executions would only slow the test down).
    const quiet = { ...app.deps, workflowOutbox: deliveredByStream };
    const evidence = [await app.upload(liNa)];
    const beauty = {
      supplierId: 'SUP-GZ-BEAUTY',
      payee: BEAUTY_PAYEE,
      orderIds: ['LS-20261116-0003'],
      evidence,
    };
    for (let i = 0; i < earlier; i++) {
      await submitVoucher(quiet, liNa, await input({ ...beauty, amount: '10,000.00' }));
    }

    // Together they stay under 500,000.00; the next one takes the group over it, so every one of them
    // would need the CEO in the same transaction (POLICY D2).
    await expect(
      submitVoucher(quiet, liNa, await input({ ...beauty, amount: '40,000.00' })),
    ).rejects.toMatchObject({ code: 'SPLIT_GROUP_TOO_LARGE', statusCode: 422 });
    const vouchers = await vouchersOf(liNa);
    expect(vouchers).toHaveLength(earlier);
    expect(vouchers.every((voucher) => !voucher.route.requiresCeo && voucher.revision === 1)).toBe(true);
    expect((await app.deps.store.orders.get('LS-20261116-0003'))?.claimedFen).toBe(earlier * 1_000_000);
  });

  it('judges the day in Asia/Shanghai: 23:30 UTC is already the next day there', async () => {
    app.clock.set('2026-11-18T23:30:00Z');
    const { voucher } = await submitVoucher(app.deps, liNa, await input());

    expect(voucher.submittedOn).toBe('2026-11-19');
  });
});

describe('idempotency', () => {
  it('returns the same voucher for the same key and body, writing nothing new', async () => {
    const request = await input();
    const first = await submitVoucher(app.deps, liNa, request);
    const again = await submitVoucher(app.deps, liNa, request);

    expect(again).toMatchObject({ replayed: true, voucher: { id: first.voucher.id } });
    expect(await vouchersOf(liNa)).toHaveLength(1);
    expect((await app.deps.store.orders.get('LS-20261116-0001'))?.claimedFen).toBe(1_000_000);
  });

  it('treats 10000.00 and 10,000.00 as the same request', async () => {
    const request = await input({ amount: '10000.00' });
    const first = await submitVoucher(app.deps, liNa, request);
    const again = await submitVoucher(app.deps, liNa, { ...request, amount: '10,000.00' });

    expect(again.voucher.id).toBe(first.voucher.id);
  });

  it('refuses the same key with a different body (409) and writes nothing', async () => {
    const request = await input();
    await submitVoucher(app.deps, liNa, request);

    await expect(submitVoucher(app.deps, liNa, { ...request, amount: '20,000.00' })).rejects.toMatchObject({
      statusCode: 409,
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect(await vouchersOf(liNa)).toHaveLength(1);
  });

  it('makes exactly one voucher from two simultaneous identical requests', async () => {
    const request = await input();
    const results = await Promise.all([
      submitVoucher(app.deps, liNa, request),
      submitVoucher(app.deps, liNa, request),
    ]);

    expect(new Set(results.map((result) => result.voucher.id)).size).toBe(1);
    expect(await vouchersOf(liNa)).toHaveLength(1);
  });
});

describe('refusals change nothing', () => {
  async function expectNothingWritten(orderId: string, claimedBefore: number) {
    expect(await vouchersOf(liNa)).toHaveLength(0);
    expect((await app.deps.store.orders.get(orderId))?.claimedFen ?? 0).toBe(claimedBefore);
  }

  it.each([
    ['an order whose funds are not credited', 'LS-20261117-0006', 'ORDER_NOT_SETTLED'],
    ['an order whose receipt is not confirmed', 'LS-20261117-0007', 'ORDER_NOT_SETTLED'],
    ['an order with an open dispute', 'LS-20261117-0008', 'ORDER_DISPUTED'],
    ['an unknown order', 'LS-NOPE', 'ORDER_NOT_FOUND'],
  ])('refuses %s, naming the order (POLICY D7)', async (_what, orderId, code) => {
    const supplierId = orderId === 'LS-20261117-0007' ? 'SUP-GZ-BEAUTY' : 'SUP-HZ-TEXTILE';
    const attempt = submitVoucher(
      app.deps,
      liNa,
      await input({ orderIds: [orderId], supplierId, amount: '100.00' }),
    );

    await expect(attempt).rejects.toMatchObject({ code, message: expect.stringContaining(orderId) });
    await expectNothingWritten(orderId, 0);
  });

  it('refuses a supplier that is not in the master data', async () => {
    const attempt = submitVoucher(app.deps, liNa, await input({ supplierId: 'SUP-UNKNOWN' }));

    await expect(attempt).rejects.toMatchObject({
      code: 'SUPPLIER_NOT_FOUND',
      issues: [{ path: 'supplierId' }],
    });
    await expectNothingWritten('LS-20261116-0001', 0);
  });

  it('refuses an order of another supplier', async () => {
    const attempt = submitVoucher(app.deps, liNa, await input({ orderIds: ['LS-20261116-0003'] }));

    await expect(attempt).rejects.toMatchObject({ code: 'ORDER_SUPPLIER_MISMATCH' });
    await expectNothingWritten('LS-20261116-0003', 0);
  });

  it('refuses more than the orders still owe the supplier, counting earlier vouchers', async () => {
    await submitVoucher(app.deps, liNa, await input({ amount: '100,000.00' }));
    const attempt = submitVoucher(app.deps, liNa, await input({ amount: '15,000.01' }));

    await expect(attempt).rejects.toBeInstanceOf(RuleViolationError);
    await expect(attempt).rejects.toMatchObject({ code: 'AMOUNT_EXCEEDS_PAYABLE' });
    expect(await vouchersOf(liNa)).toHaveLength(1);
    expect((await app.deps.store.orders.get('LS-20261116-0001'))?.claimedFen).toBe(10_000_000);
  });

  it('refuses a voucher without evidence (POLICY 2.1(2))', async () => {
    const attempt = submitVoucher(app.deps, liNa, await input({ evidence: [] }));

    await expect(attempt).rejects.toMatchObject({ code: 'EVIDENCE_REQUIRED' });
    await expectNothingWritten('LS-20261116-0001', 0);
  });

  it('refuses evidence uploaded by somebody else', async () => {
    const someoneElses = await app.upload(app.person('sun.hao'));
    const attempt = submitVoucher(app.deps, liNa, await input({ evidence: [someoneElses] }));

    await expect(attempt).rejects.toMatchObject({ code: 'EVIDENCE_INVALID' });
    await expectNothingWritten('LS-20261116-0001', 0);
  });

  it.each(['1.234', '0', '-5.00', '1e5', '', 'abc'])(
    'refuses the amount "%s" (POLICY D14)',
    async (amount) => {
      const attempt = submitVoucher(app.deps, liNa, await input({ amount }));

      await expect(attempt).rejects.toBeInstanceOf(ValidationError);
      await expect(attempt).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'amount' })] });
      await expectNothingWritten('LS-20261116-0001', 0);
    },
  );

  it('refuses someone who is not a merchandiser', async () => {
    const attempt = submitVoucher(app.deps, app.person('chen.jing'), await input());

    await expect(attempt).rejects.toMatchObject({ statusCode: 403 });
    await expectNothingWritten('LS-20261116-0001', 0);
  });
});

describe('files sent with the submission (the page’s form)', () => {
  const png = (fileName = 'order.png') => ({ fileName, contentType: 'image/png', body: TINY_PNG });

  /** Every upload record of the table, and every file under the evidence folder. */
  async function uploadsAndFiles() {
    const items = (await app.client.send(new ScanCommand({ TableName: app.tableName }))).Items ?? [];
    const folder = path.join(app.evidenceDir, 'evidence');
    return {
      uploads: items.filter((item) => String(item.pk).startsWith('UPLOAD#')).length,
      files: existsSync(folder) ? readdirSync(folder, { recursive: true }).length : 0,
    };
  }

  it('stores them as the voucher’s evidence, in the order sent, once the voucher is accepted', async () => {
    const { voucher } = await submitVoucher(
      app.deps,
      liNa,
      await input({ evidence: [], files: [png('front.png'), png('back.png')] }),
    );

    expect(voucher.evidence.map((key) => key.split('/').pop())).toEqual(['front.png', 'back.png']);
    expect(await app.deps.store.uploads.get(voucher.evidence[0] ?? '')).toMatchObject({ owner: liNa.email });
    expect(await app.deps.evidence.head(voucher.evidence[1] ?? '')).toMatchObject({
      contentType: 'image/png',
    });
  });

  it.each([
    ['a supplier that is not in the master data', { supplierId: 'SUP-UNKNOWN' }],
    ['an order that is not settled', { orderIds: ['LS-20261117-0006'] }],
    ['an amount with three decimals', { amount: '100.001' }],
    [
      'a second file of a type evidence may not be',
      { files: [png(), { fileName: 'page.html', contentType: 'text/html', body: Buffer.from('<p>') }] },
    ],
  ])('stores none of them when it refuses %s', async (_what, change: Partial<SubmitVoucherInput>) => {
    const form = await input({ evidence: [], files: [png()], ...change });
    const before = await uploadsAndFiles();

    const attempt = submitVoucher(app.deps, liNa, form);

    await expect(attempt).rejects.toMatchObject({ statusCode: expect.any(Number) });
    expect(await uploadsAndFiles()).toEqual(before);
    expect(await vouchersOf(liNa)).toHaveLength(0);
  });

  it('stores them once when the same form is sent twice, and makes one voucher', async () => {
    const form = await input({ evidence: [], files: [png()] });

    const [first, second] = await Promise.all([
      submitVoucher(app.deps, liNa, form),
      submitVoucher(app.deps, liNa, form),
    ]);

    expect(second.voucher.id).toBe(first.voucher.id);
    expect(await vouchersOf(liNa)).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('lets two racing vouchers claim no more than the order owes', async () => {
    // Order 0001 owes 115,000.00; each voucher asks for 70,000.00.
    const [a, b] = [await input({ amount: '70,000.00' }), await input({ amount: '70,000.00' })];
    const results = await Promise.allSettled([
      submitVoucher(app.deps, liNa, a),
      submitVoucher(app.deps, liNa, b),
    ]);

    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect((await app.deps.store.orders.get('LS-20261116-0001'))?.claimedFen).toBe(7_000_000);
  });
});

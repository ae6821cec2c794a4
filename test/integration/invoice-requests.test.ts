import { beforeEach, describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../../lib/domain/errors.ts';
import type { Person } from '../../lib/domain/model.ts';
import { toShanghaiIso } from '../../lib/domain/time.ts';
import { INVOICE_REQUEST_CSV_COLUMNS, importInvoiceRequests } from '../../lib/invoicing/import-requests.ts';
import {
  admitWaitingRequests,
  correctInvoiceRequest,
  getInvoiceRequest,
  issueInvoice,
  listInvoiceRequests,
  recordDelivery,
  recordInvoiceRequest,
  returnInvoiceRequest,
} from '../../lib/invoicing/requests.ts';
import type { InvoiceRequestInput } from '../../lib/invoicing/schemas.ts';
import { importOrders } from '../../lib/orders/import-orders.ts';
import { type TestApp, testApp } from '../support/app.ts';

let app: TestApp;
let zhaoMin: Person;
let wuFang: Person;
let keyCount = 0;

const company = {
  type: 'COMPANY' as const,
  name: '福州某某贸易有限公司',
  taxId: '91350100M000100Y43',
  address: '福州市鼓楼区五四路 1 号',
  phone: '0591-12345678',
  bank: '中国银行福州分行',
  account: '1234567890123',
};

function input(
  overrides: Partial<InvoiceRequestInput> = {},
): InvoiceRequestInput & { idempotencyKey: string } {
  keyCount += 1;
  return {
    idempotencyKey: `key-${keyCount}`,
    orderIds: ['LS-20261116-0001'],
    kind: 'VAT_SPECIAL',
    buyer: company,
    delivery: { method: 'EMAIL', email: 'buyer@example.com' },
    ...overrides,
  };
}

/** Puts the request through its batch's close (the close job's own use case is wired by the lead). */
async function withFinance(requestId: string) {
  const { changeInvoiceRequest } = await import('../../lib/platform/change.ts');
  await changeInvoiceRequest(app.deps, requestId, (read) => ({
    action: 'SEND_TO_FINANCE',
    actor: 'WORKFLOW',
    next: { ...read, status: 'WITH_FINANCE' },
    event: {
      at: toShanghaiIso(app.clock.now()),
      actor: 'fundflow',
      type: 'INVOICE_REQUEST_SENT_TO_FINANCE',
      version: read.revision + 1,
    },
  }));
}

beforeEach(async () => {
  app = await testApp('2026-11-18T10:00:00+08:00');
  zhaoMin = app.person('zhao.min');
  wuFang = app.person('wu.fang');
});

describe('recording an invoice request (POLICY 4)', () => {
  it('records a special invoice for a complete order into the batch of the 25th, one line at the order’s amount', async () => {
    const { request, replayed } = await recordInvoiceRequest(app.deps, zhaoMin, input());

    expect(replayed).toBe(false);
    expect(request).toMatchObject({
      status: 'QUEUED',
      batchDate: '2026-11-25',
      amountFen: 12_800_000,
      warnings: [],
    });
    expect(request.number.length).toBeLessThanOrEqual(20);
    expect(request.lines).toEqual([
      {
        orderId: 'LS-20261116-0001',
        itemName: '日用杂品',
        taxCode: '1060512990000000000',
        taxRatePercent: 13,
        amountFen: 12_800_000,
      },
    ]);
    expect((await app.deps.store.invoiceRequests.history(request.id)).map((event) => event.type)).toEqual([
      'INVOICE_REQUEST_RECORDED',
    ]);
  });

  it('answers a repeat with the same Idempotency-Key with the request it made, writing nothing new', async () => {
    const first = input();
    const a = await recordInvoiceRequest(app.deps, zhaoMin, first);
    const b = await recordInvoiceRequest(app.deps, zhaoMin, first);

    expect(b).toEqual({ request: a.request, replayed: true });
  });

  it('refuses the same Idempotency-Key with another body', async () => {
    const first = input();
    await recordInvoiceRequest(app.deps, zhaoMin, first);

    await expect(
      recordInvoiceRequest(app.deps, zhaoMin, { ...first, orderIds: ['LS-20261116-0002'] }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', statusCode: 409 });
  });

  it('keeps a tax id that fails its check character, with the warning USCC_CHECKSUM', async () => {
    const { request } = await recordInvoiceRequest(
      app.deps,
      zhaoMin,
      input({ buyer: { ...company, taxId: '９１３５０１００Ｍ０００１ＴＧＱＸＭ' } }),
    );

    expect(request.buyer.taxId).toBe('91350100M0001TGQXM');
    expect(request.warnings.map((warning) => warning.code)).toEqual(['USCC_CHECKSUM']);
  });

  it('refuses an order that does not exist with a 422 naming it, writing nothing', async () => {
    const error = await recordInvoiceRequest(
      app.deps,
      zhaoMin,
      input({ orderIds: ['LS-20261116-0001', 'LS-NOPE'] }),
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RuleViolationError);
    expect(error).toMatchObject({
      code: 'ORDER_NOT_FOUND',
      issues: [{ path: 'orderIds.1', message: expect.stringContaining('no order LS-NOPE') }],
    });
    expect((await app.deps.store.invoiceRequests.claimsOf(['LS-20261116-0001'])).size).toBe(0);
  });

  it('refuses an order already on another request with a 409 naming that request', async () => {
    const { request } = await recordInvoiceRequest(app.deps, zhaoMin, input());

    const error = await recordInvoiceRequest(
      app.deps,
      zhaoMin,
      input({ orderIds: ['LS-20261116-0002', 'LS-20261116-0001'] }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'ORDER_ALREADY_INVOICED' });
    expect((error as ConflictError).message).toContain(request.number);
    expect((error as ConflictError).issues[0]?.path).toBe('orderIds.1');
  });

  it('lets only one of two concurrent requests for one order land; the other is refused naming it', async () => {
    const results = await Promise.allSettled([
      recordInvoiceRequest(app.deps, zhaoMin, input({ orderIds: ['LS-20261116-0005'] })),
      recordInvoiceRequest(
        app.deps,
        zhaoMin,
        input({ orderIds: ['LS-20261116-0005'], kind: 'VAT_ORDINARY' }),
      ),
    ]);

    const landed = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.request] : []));
    const refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(landed).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ code: 'ORDER_ALREADY_INVOICED' });
    expect(String((refused[0] as Error).message)).toContain(landed[0]?.number);
    const claims = await app.deps.store.invoiceRequests.claimsOf(['LS-20261116-0005']);
    expect(claims.get('LS-20261116-0005')?.requestId).toBe(landed[0]?.id);
  });

  it('accepts an order whose funds are not credited yet; the request waits (D7)', async () => {
    const { request } = await recordInvoiceRequest(
      app.deps,
      zhaoMin,
      input({ orderIds: ['LS-20261117-0006'] }),
    );

    expect(request).toMatchObject({ status: 'WAITING_FOR_ORDER', batchDate: null });
  });

  it('admits a waiting request into a batch once its order is complete', async () => {
    const { request } = await recordInvoiceRequest(
      app.deps,
      zhaoMin,
      input({ orderIds: ['LS-20261117-0006'] }),
    );
    const order = await app.deps.store.orders.get('LS-20261117-0006');
    if (!order) throw new Error('seeded order missing');
    app.clock.set('2026-11-25T17:30:00+08:00');
    await app.deps.store.orders.save(
      { ...order, fundsCreditedAt: '2026-11-25T17:10:00+08:00', version: order.version + 1 },
      order.version,
      { at: '2026-11-25T17:30:00+08:00', actor: 'test', type: 'ORDER_UPDATED', version: order.version + 1 },
    );

    const admitted = await admitWaitingRequests(app.deps, { entityId: zhaoMin.entityId });

    expect(admitted.map((r) => [r.id, r.status, r.batchDate])).toEqual([
      [request.id, 'QUEUED', '2026-12-10'],
    ]);
  });

  it('admits a waiting request into the next batch when an order import completes its order (D7, D12)', async () => {
    const { request } = await recordInvoiceRequest(
      app.deps,
      zhaoMin,
      input({ orderIds: ['LS-20261117-0006'] }),
    );
    app.clock.set('2026-11-20T11:00:00+08:00');

    const imported = await importOrders(
      app.deps,
      app.person('tech'),
      [
        'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
        'LS-20261117-0006,SUP-HZ-TEXTILE,45000.00,42000.00,2026-11-17T12:00:00+08:00,2026-11-20T10:30:00+08:00,NONE',
      ].join('\n'),
    );

    expect(imported.invoiceRequestsAdmitted).toEqual([request.number]);
    expect(await app.deps.store.invoiceRequests.get(request.id)).toMatchObject({
      status: 'QUEUED',
      batchDate: '2026-11-25',
      eligibleAt: '2026-11-20T10:30:00.000+08:00',
    });
  });

  it('leaves a request waiting when the import does not complete its order', async () => {
    const { request } = await recordInvoiceRequest(
      app.deps,
      zhaoMin,
      input({ orderIds: ['LS-20261117-0006'] }),
    );

    const imported = await importOrders(
      app.deps,
      app.person('tech'),
      [
        'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
        'LS-20261117-0006,SUP-HZ-TEXTILE,45000.00,42000.00,2026-11-17T12:00:00+08:00,,NONE',
      ].join('\n'),
    );

    expect(imported.invoiceRequestsAdmitted ?? []).toEqual([]);
    expect((await app.deps.store.invoiceRequests.get(request.id))?.status).toBe('WAITING_FOR_ORDER');
  });

  it('refuses a person without the customer service role', async () => {
    await expect(recordInvoiceRequest(app.deps, wuFang, input())).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses a special invoice without the buyer’s bank, writing nothing', async () => {
    const { bank: _bank, ...noBank } = company;
    await expect(recordInvoiceRequest(app.deps, zhaoMin, input({ buyer: noBank }))).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect((await app.deps.store.invoiceRequests.claimsOf(['LS-20261116-0001'])).size).toBe(0);
  });
});

describe('reading and listing', () => {
  it('lists an entity’s queued requests of one batch, a page at a time', async () => {
    const a = await recordInvoiceRequest(app.deps, zhaoMin, input({ orderIds: ['LS-20261116-0001'] }));
    const b = await recordInvoiceRequest(app.deps, zhaoMin, input({ orderIds: ['LS-20261116-0002'] }));
    await recordInvoiceRequest(app.deps, zhaoMin, input({ orderIds: ['LS-20261117-0006'] }));

    const first = await listInvoiceRequests(app.deps, wuFang, {
      status: 'QUEUED',
      batchDate: '2026-11-25',
      limit: 1,
    });
    const second = await listInvoiceRequests(app.deps, wuFang, {
      status: 'QUEUED',
      batchDate: '2026-11-25',
      limit: 1,
      ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
    });
    const byBatch = await listInvoiceRequests(app.deps, wuFang, { batchDate: '2026-11-25', limit: 10 });

    expect([...first.items, ...second.items].map((r) => r.id)).toEqual([a.request.id, b.request.id]);
    expect(second.nextCursor).toBeNull();
    expect(byBatch.items.map((r) => r.id).sort()).toEqual([a.request.id, b.request.id].sort());
  });

  it('hides a request from a person of another entity', async () => {
    const { request } = await recordInvoiceRequest(app.deps, zhaoMin, input());
    const stranger = { ...wuFang, entityId: 'OTHER' };

    await expect(getInvoiceRequest(app.deps, stranger, request.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('finance issues or returns each line (POLICY 4, D13)', () => {
  it('records the issued invoice and the mailing deadline 7 calendar days later', async () => {
    const { request } = await recordInvoiceRequest(app.deps, zhaoMin, input());
    await withFinance(request.id);
    app.clock.set('2026-11-26T10:00:00+08:00');

    const issued = await issueInvoice(app.deps, wuFang, request.id, {
      invoiceNumber: '26352000000012345678',
      issuedOn: '2026-11-26',
    });

    expect(issued.status).toBe('ISSUED');
    expect(issued.invoice).toMatchObject({ number: '26352000000012345678', mailingDueOn: '2026-12-03' });
  });

  it('takes a second identical issue as a repeat and refuses another number', async () => {
    const { request } = await recordInvoiceRequest(app.deps, zhaoMin, input());
    await withFinance(request.id);
    app.clock.set('2026-11-26T10:00:00+08:00');
    const body = { invoiceNumber: '26352000000012345678', issuedOn: '2026-11-26' };
    const first = await issueInvoice(app.deps, wuFang, request.id, body);

    expect(await issueInvoice(app.deps, wuFang, request.id, body)).toEqual(first);
    await expect(
      issueInvoice(app.deps, wuFang, request.id, { ...body, invoiceNumber: '26352000000012345679' }),
    ).rejects.toMatchObject({ code: 'INVOICE_ALREADY_ISSUED' });
  });

  it('refuses an invoice number already recorded for another request', async () => {
    const a = await recordInvoiceRequest(app.deps, zhaoMin, input({ orderIds: ['LS-20261116-0001'] }));
    const b = await recordInvoiceRequest(app.deps, zhaoMin, input({ orderIds: ['LS-20261116-0002'] }));
    await withFinance(a.request.id);
    await withFinance(b.request.id);
    app.clock.set('2026-11-26T10:00:00+08:00');
    const body = { invoiceNumber: '26352000000012345678', issuedOn: '2026-11-26' };
    await issueInvoice(app.deps, wuFang, a.request.id, body);

    await expect(issueInvoice(app.deps, wuFang, b.request.id, body)).rejects.toMatchObject({
      code: 'INVOICE_NUMBER_TAKEN',
    });
  });

  it('refuses to issue a line that has not reached finance', async () => {
    const { request } = await recordInvoiceRequest(app.deps, zhaoMin, input());

    await expect(
      issueInvoice(app.deps, wuFang, request.id, {
        invoiceNumber: '26352000000012345678',
        issuedOn: '2026-11-18',
      }),
    ).rejects.toMatchObject({ code: 'NOT_WITH_FINANCE', statusCode: 409 });
  });

  it('returns a line to customer service, who corrects it into the next open batch', async () => {
    const { request } = await recordInvoiceRequest(app.deps, zhaoMin, input());
    await withFinance(request.id);
    app.clock.set('2026-11-26T10:00:00+08:00');

    const returned = await returnInvoiceRequest(
      app.deps,
      wuFang,
      request.id,
      '开户行名称不全 Bank name incomplete',
    );
    const corrected = await correctInvoiceRequest(app.deps, zhaoMin, request.id, {
      orderIds: request.orderIds,
      kind: 'VAT_SPECIAL',
      buyer: { ...company, bank: '中国银行福州鼓楼支行' },
      delivery: request.delivery,
    });

    expect(returned).toMatchObject({
      status: 'RETURNED',
      returned: { reason: '开户行名称不全 Bank name incomplete', batchDate: '2026-11-25' },
    });
    expect(corrected).toMatchObject({
      status: 'QUEUED',
      batchDate: '2026-12-10',
      buyer: { bank: '中国银行福州鼓楼支行' },
    });
    expect((await app.deps.store.invoiceRequests.history(request.id)).map((event) => event.type)).toEqual([
      'INVOICE_REQUEST_RECORDED',
      'INVOICE_REQUEST_SENT_TO_FINANCE',
      'INVOICE_REQUEST_RETURNED',
      'INVOICE_REQUEST_CORRECTED',
    ]);
  });

  it('refuses to correct a request that was not returned', async () => {
    const { request } = await recordInvoiceRequest(app.deps, zhaoMin, input());

    await expect(
      correctInvoiceRequest(app.deps, zhaoMin, request.id, {
        orderIds: request.orderIds,
        kind: 'VAT_ORDINARY',
        buyer: company,
        delivery: request.delivery,
      }),
    ).rejects.toMatchObject({ code: 'NOT_RETURNED' });
  });
});

describe('customer service records the mailing (POLICY 4)', () => {
  it('records the courier and tracking number of an issued invoice', async () => {
    const { request } = await recordInvoiceRequest(app.deps, zhaoMin, input());
    await withFinance(request.id);
    app.clock.set('2026-11-27T10:00:00+08:00');
    await issueInvoice(app.deps, wuFang, request.id, {
      invoiceNumber: '26352000000012345678',
      issuedOn: '2026-11-26',
    });

    const delivered = await recordDelivery(app.deps, zhaoMin, request.id, {
      method: 'POST',
      courier: '顺丰速运',
      trackingNumber: 'SF1234567890',
      sentOn: '2026-11-27',
    });

    expect(delivered).toMatchObject({
      status: 'DELIVERED',
      deliveryRecord: { trackingNumber: 'SF1234567890' },
    });
  });

  it('refuses a mailing day before the invoice was issued', async () => {
    const { request } = await recordInvoiceRequest(app.deps, zhaoMin, input());
    await withFinance(request.id);
    app.clock.set('2026-11-27T10:00:00+08:00');
    await issueInvoice(app.deps, wuFang, request.id, {
      invoiceNumber: '26352000000012345678',
      issuedOn: '2026-11-26',
    });

    await expect(
      recordDelivery(app.deps, zhaoMin, request.id, {
        method: 'EMAIL',
        sentTo: 'buyer@example.com',
        sentOn: '2026-11-25',
      }),
    ).rejects.toMatchObject({ code: 'SENT_BEFORE_ISSUED' });
  });
});

describe('importing requests from CSV (POLICY 4)', () => {
  const header = INVOICE_REQUEST_CSV_COLUMNS.join(',');
  const special = `LS-20261116-0001,VAT_SPECIAL,COMPANY,福州某某贸易有限公司,91350100M000100Y43,福州市五四路 1 号,0591-12345678,中国银行福州分行,1234567890123,,EMAIL,buyer@example.com,,,,`;
  const person = `LS-20261116-0002;LS-20261116-0005,VAT_ORDINARY,INDIVIDUAL,张三,,,,,,,POST,,张三,13800000000,福州市鼓楼区某路 2 号,请尽快`;
  const badTaxId = `LS-20261117-0009,VAT_ORDINARY,COMPANY,某公司,91350100M0001OOOOO,,,,,,EMAIL,a@example.com,,,,`;

  it('records the good lines and rejects a bad line only, naming its line', async () => {
    const result = await importInvoiceRequests(
      app.deps,
      zhaoMin,
      [header, special, badTaxId, person].join('\n'),
    );

    expect(result.recorded.map((r) => [r.line, r.status, r.batchDate])).toEqual([
      [2, 'QUEUED', '2026-11-25'],
      [4, 'QUEUED', '2026-11-25'],
    ]);
    expect(result.rejected.map((r) => [r.line, r.code])).toEqual([[3, 'VALIDATION_FAILED']]);
    const recorded = await app.deps.store.invoiceRequests.get(result.recorded[1]?.id ?? '');
    expect(recorded).toMatchObject({
      orderIds: ['LS-20261116-0002', 'LS-20261116-0005'],
      buyer: { type: 'INDIVIDUAL' },
    });
  });

  it('records nothing twice when the same file is imported again', async () => {
    const file = [header, special].join('\n');
    const first = await importInvoiceRequests(app.deps, zhaoMin, file);
    const again = await importInvoiceRequests(app.deps, zhaoMin, file);

    expect(again.recorded).toEqual([]);
    expect(again.repeated).toEqual([
      { line: 2, id: first.recorded[0]?.id, number: first.recorded[0]?.number },
    ]);
  });

  it('rejects a line whose order is on another request with that request’s number', async () => {
    const { request } = await recordInvoiceRequest(app.deps, zhaoMin, input());

    const result = await importInvoiceRequests(app.deps, zhaoMin, [header, special].join('\n'));

    expect(result.rejected).toMatchObject([{ line: 2, code: 'ORDER_ALREADY_INVOICED' }]);
    expect(result.rejected[0]?.message).toContain(request.number);
  });

  it('refuses a file whose header is not the documented one', async () => {
    await expect(importInvoiceRequests(app.deps, zhaoMin, `orders,kind\n${special}`)).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

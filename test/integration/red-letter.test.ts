/**
 * The red-letter reversal (issue 13 §4): an order import that refunds or disputes an order of an
 * issued invoice flags the request for finance; finance records the red invoice (which frees the
 * order for a new request at its current amount) or dismisses the flag.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, ValidationError } from '../../lib/domain/errors.ts';
import type { Person } from '../../lib/domain/model.ts';
import { toShanghaiIso } from '../../lib/domain/time.ts';
import { dismissRedLetter, flagRedLetters, recordRedLetter } from '../../lib/invoicing/red-letter.ts';
import { issueInvoice, listInvoiceRequests, recordInvoiceRequest } from '../../lib/invoicing/requests.ts';
import { importOrders } from '../../lib/orders/import-orders.ts';
import { changeInvoiceRequest } from '../../lib/platform/change.ts';
import { type TestApp, testApp } from '../support/app.ts';

let app: TestApp;
let zhaoMin: Person;
let wuFang: Person;
let keyCount = 0;

const ORDER = 'LS-20261116-0001';
const HEADER = 'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus';
const orderCsv = (amount: string, dispute = 'NONE') =>
  [
    HEADER,
    `${ORDER},SUP-HZ-TEXTILE,${amount},1000.00,2026-11-16T10:12:00+08:00,2026-11-16T11:00:00+08:00,${dispute}`,
  ].join('\n');

const red = {
  confirmationNumber: '35010026110000012345',
  reasonCode: '02' as const,
  redInvoiceNumber: '26352000000099999999',
  issuedOn: '2026-11-28',
};

function newRequest() {
  keyCount += 1;
  return recordInvoiceRequest(app.deps, zhaoMin, {
    idempotencyKey: `red-${keyCount}`,
    orderIds: [ORDER],
    kind: 'VAT_ORDINARY',
    buyer: { type: 'INDIVIDUAL', name: '张三' },
    delivery: { method: 'EMAIL', email: 'buyer@example.com' },
  });
}

/** A request for ORDER, through its batch and issued on 2026-11-26. */
async function issued() {
  const { request } = await newRequest();
  await changeInvoiceRequest(app.deps, request.id, (read) => ({
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
  app.clock.set('2026-11-26T10:00:00+08:00');
  await issueInvoice(app.deps, wuFang, request.id, {
    invoiceNumber: '26352000000012345678',
    issuedOn: '2026-11-26',
  });
  app.clock.set('2026-11-27T10:00:00+08:00');
  return request;
}

async function flaggedByRefund() {
  const request = await issued();
  const imported = await importOrders(app.deps, app.person('tech'), orderCsv('100000.00'));
  expect(imported.invoiceRequestsFlagged).toEqual([request.number]);
  app.clock.set('2026-11-28T10:00:00+08:00');
  return request;
}

beforeEach(async () => {
  app = await testApp('2026-11-18T10:00:00+08:00');
  zhaoMin = app.person('zhao.min');
  wuFang = app.person('wu.fang');
});

describe('the order import flags an issued invoice for finance (issue 13 §4)', () => {
  it('flags the request when an import refunds part of its order, with the order, the new amount and an audit event', async () => {
    const request = await flaggedByRefund();

    const read = await app.deps.store.invoiceRequests.get(request.id);
    expect(read).toMatchObject({
      status: 'ISSUED',
      redLetter: {
        status: 'FLAGGED',
        triggers: [{ orderId: ORDER, what: 'REFUNDED', amountFen: 10_000_000 }],
      },
    });
    const history = await app.deps.store.invoiceRequests.history(request.id);
    expect(history.at(-1)).toMatchObject({
      type: 'INVOICE_RED_LETTER_FLAGGED',
      details: { triggers: [{ orderId: ORDER, what: 'REFUNDED', amountFen: 10_000_000 }] },
    });
  });

  it('flags once when the same refund is imported twice', async () => {
    const request = await flaggedByRefund();

    const again = await importOrders(app.deps, app.person('tech'), orderCsv('100000.00'));

    expect(again.invoiceRequestsFlagged).toEqual([]);
    const history = await app.deps.store.invoiceRequests.history(request.id);
    expect(history.filter((event) => event.type === 'INVOICE_RED_LETTER_FLAGGED')).toHaveLength(1);
  });

  it('flags the request when its order gets an open dispute', async () => {
    const request = await issued();

    await importOrders(app.deps, app.person('tech'), orderCsv('128000.00', 'OPEN'));

    expect((await app.deps.store.invoiceRequests.get(request.id))?.redLetter?.triggers).toMatchObject([
      { orderId: ORDER, what: 'DISPUTED' },
    ]);
  });

  it('does not flag a request whose invoice is not issued yet', async () => {
    const { request } = await newRequest();

    const imported = await importOrders(app.deps, app.person('tech'), orderCsv('100000.00'));

    expect(imported.invoiceRequestsFlagged).toEqual([]);
    expect((await app.deps.store.invoiceRequests.get(request.id))?.redLetter).toBeUndefined();
  });

  it('keeps the imported orders when the flagging fails, and reports none flagged', async () => {
    await issued();
    const failing = {
      ...app.deps,
      store: {
        ...app.deps.store,
        invoiceRequests: {
          ...app.deps.store.invoiceRequests,
          claimsOf: () => Promise.reject(new Error('DynamoDB unavailable')),
        },
      },
    } as typeof app.deps;

    const imported = await importOrders(failing, app.person('tech'), orderCsv('100000.00'));

    expect(imported).toMatchObject({ updated: 1, invoiceRequestsFlagged: [] });
    expect((await app.deps.store.orders.get(ORDER))?.amountFen).toBe(10_000_000);
  });

  it('lists the flagged requests for finance from their own index', async () => {
    const request = await flaggedByRefund();

    const page = await listInvoiceRequests(app.deps, wuFang, { flag: 'RED_LETTER', limit: 50 });

    expect(page.items.map((item) => item.id)).toEqual([request.id]);
  });
});

describe('finance records the red invoice or dismisses the flag (issue 13 §4)', () => {
  it('records the confirmation and the red invoice: the request is reversed and leaves finance’s list', async () => {
    const request = await flaggedByRefund();

    const reversed = await recordRedLetter(app.deps, wuFang, request.id, red);

    expect(reversed).toMatchObject({
      status: 'REVERSED',
      redLetter: { status: 'RECORDED', recorded: { ...red, by: wuFang.email } },
    });
    const history = await app.deps.store.invoiceRequests.history(request.id);
    expect(history.at(-1)).toMatchObject({ type: 'INVOICE_RED_LETTER_RECORDED' });
    expect((await listInvoiceRequests(app.deps, wuFang, { flag: 'RED_LETTER', limit: 50 })).items).toEqual(
      [],
    );
  });

  it('takes the same confirmation again as a repeat and refuses another one with a 409', async () => {
    const request = await flaggedByRefund();
    const first = await recordRedLetter(app.deps, wuFang, request.id, red);

    expect(await recordRedLetter(app.deps, wuFang, request.id, red)).toEqual(first);
    await expect(
      recordRedLetter(app.deps, wuFang, request.id, { ...red, redInvoiceNumber: '26352000000099999998' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('refuses a red invoice number that is not 20 digits, writing nothing', async () => {
    const request = await flaggedByRefund();

    await expect(
      recordRedLetter(app.deps, wuFang, request.id, { ...red, redInvoiceNumber: '1234' }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await app.deps.store.invoiceRequests.get(request.id))?.status).toBe('ISSUED');
  });

  it('refuses to record a red invoice for a request that is not flagged', async () => {
    const request = await issued();

    await expect(recordRedLetter(app.deps, wuFang, request.id, red)).rejects.toMatchObject({
      code: 'NOT_FLAGGED',
    });
  });

  it('refuses customer service', async () => {
    const request = await flaggedByRefund();

    await expect(recordRedLetter(app.deps, zhaoMin, request.id, red)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('dismisses the flag with a reason: the invoice stands, a repeat changes nothing, a new trigger flags again', async () => {
    const request = await flaggedByRefund();

    const dismissed = await dismissRedLetter(app.deps, wuFang, request.id, '客户撤回退款');
    expect(dismissed).toMatchObject({
      status: 'ISSUED',
      redLetter: { status: 'DISMISSED', dismissed: { reason: '客户撤回退款' } },
    });
    expect((await dismissRedLetter(app.deps, wuFang, request.id, '客户撤回退款')).revision).toBe(
      dismissed.revision,
    );
    expect(await flagRedLetters(app.deps, [ORDER])).toEqual([]);

    await importOrders(app.deps, app.person('tech'), orderCsv('100000.00', 'OPEN'));
    expect((await app.deps.store.invoiceRequests.get(request.id))?.redLetter?.status).toBe('FLAGGED');
  });
});

describe('a new request for the order only after the red invoice (issue 13 §4)', () => {
  it('refuses a new request for the order while the flag is open, with a 409 naming the request', async () => {
    const request = await flaggedByRefund();

    await expect(newRequest()).rejects.toMatchObject({
      code: 'ORDER_ALREADY_INVOICED',
      message: expect.stringContaining(request.number),
    });
  });

  it('accepts a new request once the red invoice is recorded, at the order’s current amount', async () => {
    const request = await flaggedByRefund();
    await recordRedLetter(app.deps, wuFang, request.id, red);

    const { request: again } = await newRequest();

    expect(again.amountFen).toBe(10_000_000);
    expect(again.lines[0]?.amountFen).toBe(10_000_000);
  });

  it('lets only one of two concurrent new requests land after the red invoice', async () => {
    const request = await flaggedByRefund();
    await recordRedLetter(app.deps, wuFang, request.id, red);

    const outcomes = await Promise.allSettled([newRequest(), newRequest()]);

    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toMatchObject({
      code: 'ORDER_ALREADY_INVOICED',
    });
  });
});

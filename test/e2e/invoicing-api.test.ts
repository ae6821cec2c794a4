/** Invoice requests over real HTTP against the local runtime (POLICY 4). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENTITY } from '../../lib/local/seed.ts';
import { jsonPost, type RunningRuntime, startRuntime } from '../support/runtime.ts';

const ZHAO_MIN = 'zhao.min@lianshang.example';
const WU_FANG = 'wu.fang@lianshang.example';
let server: RunningRuntime;
let zhaoMin: string;
let wuFang: string;

const body = (overrides: Record<string, unknown> = {}) => ({
  orderIds: ['LS-20261116-0004'],
  kind: 'VAT_ORDINARY',
  buyer: { type: 'COMPANY', name: '广州某某美妆有限公司', taxId: '９１４４０３００７０８４６１１３６Ｔ' },
  delivery: { method: 'EMAIL', email: 'invoice@buyer.example' },
  ...overrides,
});

beforeAll(async () => {
  server = await startRuntime();
  zhaoMin = await server.login(ZHAO_MIN);
  wuFang = await server.login(WU_FANG);
}, 120_000);

afterAll(async () => {
  await server?.runtime.stop();
});

describe('the invoice request API', () => {
  it('records a request (201), answers a repeat with the same request, and reads it back with its history', async () => {
    const post = () =>
      server.api('/api/invoice-requests', {
        ...jsonPost(body(), { 'idempotency-key': 'e2e-invoice-0001' }),
        token: zhaoMin,
      });
    const first = await post();
    const again = await post();
    const created = (await first.json()) as {
      id: string;
      number: string;
      status: string;
      amount: string;
      buyer: { taxId: string };
    };

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(created).toMatchObject({
      status: 'QUEUED',
      amount: '550000.00',
      buyer: { taxId: '91440300708461136T' },
    });
    const read = await server.api(`/api/invoice-requests/${created.id}`, { token: wuFang });
    expect(await read.json()).toMatchObject({
      id: created.id,
      history: [{ type: 'INVOICE_REQUEST_RECORDED' }],
    });
  });

  it('refuses a missing order with 422 naming it, in the error shape', async () => {
    const response = await server.api('/api/invoice-requests', {
      ...jsonPost(body({ orderIds: ['LS-NOT-THERE'] }), { 'idempotency-key': 'e2e-invoice-0002' }),
      token: zhaoMin,
    });

    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: {
        code: 'ORDER_NOT_FOUND',
        message:
          '导入的平台订单中没有订单 LS-NOT-THERE。Order LS-NOT-THERE is not among the imported platform orders.',
        issues: [{ path: 'orderIds.0', message: '没有订单 LS-NOT-THERE no order LS-NOT-THERE' }],
      },
    });
  });

  it('refuses a special invoice without the buyer’s bank details with 400 naming each field', async () => {
    const response = await server.api('/api/invoice-requests', {
      ...jsonPost(body({ kind: 'VAT_SPECIAL', orderIds: ['LS-20261116-0003'] }), {
        'idempotency-key': 'e2e-invoice-0003',
      }),
      token: zhaoMin,
    });

    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { issues: { path: string }[] } };
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'buyer.address',
      'buyer.phone',
      'buyer.bank',
      'buyer.account',
    ]);
  });

  it('refuses a request without an Idempotency-Key, and one from finance', async () => {
    const noKey = await server.api('/api/invoice-requests', {
      ...jsonPost(body({ orderIds: ['LS-20261116-0003'] })),
      token: zhaoMin,
    });
    const fromFinance = await server.api('/api/invoice-requests', {
      ...jsonPost(body({ orderIds: ['LS-20261116-0003'] }), { 'idempotency-key': 'e2e-invoice-0004' }),
      token: wuFang,
    });

    expect(noKey.status).toBe(400);
    expect(fromFinance.status).toBe(403);
  });

  it('lists queued requests of a batch, and refuses a list without status or batch', async () => {
    const all = await server.api('/api/invoice-requests?status=QUEUED', { token: wuFang });
    const bare = await server.api('/api/invoice-requests', { token: wuFang });
    const { items } = (await all.json()) as { items: { orderIds: string[] }[] };

    expect(items.some((item) => item.orderIds.includes('LS-20261116-0004'))).toBe(true);
    expect(bare.status).toBe(400);
  });

  it('imports requests from CSV, rejecting the bad line only', async () => {
    const csv = [
      'orderIds,kind,buyerType,buyerName,buyerTaxId,buyerAddress,buyerPhone,buyerBank,buyerAccount,buyerEmail,deliveryMethod,deliveryEmail,recipient,recipientPhone,recipientAddress,note',
      'LS-20261116-0005,VAT_ORDINARY,INDIVIDUAL,李四,,,,,,,EMAIL,li.si@example.com,,,,',
      'LS-20261116-0004,VAT_ORDINARY,INDIVIDUAL,王五,,,,,,,EMAIL,wang.wu@example.com,,,,',
    ].join('\n');
    const response = await server.api('/api/invoice-requests/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
      token: zhaoMin,
    });

    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      recorded: { line: number }[];
      rejected: { line: number; code: string }[];
    };
    expect(result.recorded.map((r) => r.line)).toEqual([2]);
    expect(result.rejected).toMatchObject([{ line: 3, code: 'ORDER_ALREADY_INVOICED' }]);
  });
});

describe('a batch end to end over HTTP (POLICY 4, D12, D13)', () => {
  it('closes at 17:00, emails finance the 《开票申请表》, takes the tax bureau’s result, then the mailing, and the batch’s workflow ends', async () => {
    await server.setClock('2026-11-18T10:00:00+08:00');
    const recorded = await server.api('/api/invoice-requests', {
      ...jsonPost(body({ orderIds: ['LS-20261116-0003'] }), { 'idempotency-key': 'e2e-invoice-batch-1' }),
      token: zhaoMin,
    });
    const request = (await recorded.json()) as { id: string; number: string; batchDate: string };
    expect(request.batchDate).toBe('2026-11-25');

    await server.setClock('2026-11-25T17:00:00+08:00');
    // The close job (its schedule may have run it as the clock moved; by hand it mails nothing twice).
    const closed = await server.api('/api/dev/jobs/invoice-batch-close', jsonPost({}));
    expect(closed.status).toBe(200);
    // Each entity closes its own batch; the demo's second entity (Guangzhou) has its own, empty one.
    expect(await closed.json()).toMatchObject({
      date: '2026-11-25',
      closed: expect.arrayContaining([expect.objectContaining({ entityId: DEMO_ENTITY.id })]),
    });
    // The close started the batch's workflow, whose first task emails finance.
    await server.settled();
    const toFinance = (await server.outbox()).filter(
      (message) => message.to.includes(WU_FANG) && message.subject.includes('开票批次 2026-11-25'),
    );
    expect(toFinance).toHaveLength(1);
    expect(toFinance[0]?.links[0]).toMatch(/\/invoice-batches\/2026-11-25$/);
    const attached = toFinance[0]?.attachments?.[0];
    expect(attached?.fileName).toBe('kaipiao-shenqing-2026-11-25.xlsx');

    const batch = await server.api('/api/invoice-batches/2026-11-25', { token: wuFang });
    expect(await batch.json()).toMatchObject({ status: 'WITH_FINANCE', dueBy: '2026-11-30' });
    const file = await server.api('/api/invoice-batches/2026-11-25/application?format=xlsx', {
      token: wuFang,
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await file.arrayBuffer());
    expect(workbook.getWorksheet('1-发票基本信息')?.getRow(4).getCell(1).value).toBe(request.number);
    const inTheMail = new ExcelJS.Workbook();
    await inTheMail.xlsx.load(Buffer.from(attached?.base64 ?? '', 'base64') as never);
    expect(inTheMail.getWorksheet('1-发票基本信息')?.getRow(4).getCell(1).value).toBe(request.number);

    await server.setClock('2026-11-26T10:00:00+08:00');
    const result = await server.api('/api/invoice-batches/2026-11-25/issued', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: `发票流水号,发票号码,开票日期\n${request.number},26352000000099990001,2026-11-26\n`,
      token: wuFang,
    });
    expect(await result.json()).toMatchObject({ issued: [{ number: request.number }], rejected: [] });

    const delivery = await server.api(`/api/invoice-requests/${request.id}/delivery`, {
      ...jsonPost({
        method: 'POST',
        courier: '顺丰速运',
        trackingNumber: 'SF1234567890',
        sentOn: '2026-11-26',
      }),
      token: zhaoMin,
    });
    expect(await delivery.json()).toMatchObject({
      status: 'DELIVERED',
      invoice: { mailingDueOn: '2026-12-03' },
    });

    // The due day: nothing left for finance, nobody reminded; every mailing recorded: the workflow ends.
    await server.setClock('2026-11-30T09:00:00+08:00');
    expect(server.runtime.engine.execution('invoiceBatch', `${DEMO_ENTITY.id}-2026-11-25`)).toMatchObject({
      status: 'SUCCEEDED',
      endState: 'Done',
    });
    expect(
      (await server.outbox()).filter((message) => message.subject.includes('invoice batches due today')),
    ).toEqual([]);
  });
});

describe('the red-letter reversal over HTTP (issue 13 §4)', () => {
  const ORDER = 'LS-RED-E2E-1';
  const orderCsv = (amount: string) =>
    [
      'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
      `${ORDER},SUP-YW-SMALL,${amount},100.00,2026-12-01T10:00:00+08:00,2026-12-01T11:00:00+08:00,NONE`,
    ].join('\n');
  const importCsv = async (csv: string) =>
    server.api('/api/orders/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
      token: await server.login('tech@lianshang.example'),
    });
  const newRequest = (key: string) =>
    server.api('/api/invoice-requests', {
      ...jsonPost(body({ orderIds: [ORDER] }), { 'idempotency-key': key }),
      token: zhaoMin,
    });

  it('flags an issued request on a refund, refuses a new request until finance records the red invoice, then takes one at the new amount', async () => {
    await server.setClock('2026-12-02T10:00:00+08:00');
    expect((await importCsv(orderCsv('1000.00'))).status).toBe(200);
    const recorded = (await (await newRequest('e2e-red-1')).json()) as { id: string; number: string };
    const deps = server.runtime.deps;
    const finance = await deps.store.people.get(WU_FANG);
    if (!finance) throw new Error('demo directory incomplete');
    const { changeInvoiceRequest } = await import('../../lib/platform/change.ts');
    const { issueInvoice } = await import('../../lib/invoicing/requests.ts');
    const { toShanghaiIso } = await import('../../lib/domain/time.ts');
    // As if its batch had closed.
    await changeInvoiceRequest(deps, recorded.id, (read) => ({
      action: 'SEND_TO_FINANCE',
      actor: 'WORKFLOW',
      next: { ...read, status: 'WITH_FINANCE' },
      event: {
        at: toShanghaiIso(deps.clock.now()),
        actor: 'fundflow',
        type: 'INVOICE_REQUEST_SENT_TO_FINANCE',
        version: read.revision + 1,
      },
    }));
    await server.setClock('2026-12-10T10:00:00+08:00');
    await issueInvoice(deps, finance, recorded.id, {
      invoiceNumber: '26352000000077777777',
      issuedOn: '2026-12-10',
    });

    // The clock moved on: sign in again.
    zhaoMin = await server.login(ZHAO_MIN);
    wuFang = await server.login(WU_FANG);
    const refund = await importCsv(orderCsv('600.00'));
    expect(await refund.json()).toMatchObject({ updated: 1, invoiceRequestsFlagged: [recorded.number] });
    const flaggedList = await server.api('/api/invoice-requests?flag=RED_LETTER', { token: wuFang });
    expect(((await flaggedList.json()) as { items: { id: string }[] }).items.map((i) => i.id)).toContain(
      recorded.id,
    );

    const refused = await newRequest('e2e-red-2');
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      error: { code: 'ORDER_ALREADY_INVOICED', message: expect.stringContaining(recorded.number) },
    });

    const badCode = await server.api(`/api/invoice-requests/${recorded.id}/red-letter`, {
      ...jsonPost({
        confirmationNumber: '35010026120000000001',
        reasonCode: '05',
        redInvoiceNumber: '26352000000077777778',
        issuedOn: '2026-12-10',
      }),
      token: wuFang,
    });
    expect(badCode.status).toBe(400);
    expect(await badCode.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', issues: [{ path: 'reasonCode' }] },
    });

    const red = () =>
      server.api(`/api/invoice-requests/${recorded.id}/red-letter`, {
        ...jsonPost({
          confirmationNumber: '35010026120000000001',
          reasonCode: '04',
          redInvoiceNumber: '26352000000077777778',
          issuedOn: '2026-12-10',
        }),
        token: wuFang,
      });
    const reversed = await red();
    expect(reversed.status).toBe(200);
    expect(await reversed.json()).toMatchObject({ status: 'REVERSED', redLetter: { status: 'RECORDED' } });
    expect((await red()).status).toBe(200);

    const again = await newRequest('e2e-red-3');
    expect(again.status).toBe(201);
    expect(await again.json()).toMatchObject({ amount: '600.00' });
  });

  it('refuses to dismiss a flag that is not there with 409, and a dismissal without a reason with 400', async () => {
    zhaoMin = await server.login(ZHAO_MIN);
    wuFang = await server.login(WU_FANG);
    const missing = await server.api('/api/invoice-requests/01KDOESNOTEXIST0000000000/red-letter/dismiss', {
      ...jsonPost({}),
      token: wuFang,
    });
    expect(missing.status).toBe(400);
    const recorded = (await (
      await server.api('/api/invoice-requests', {
        ...jsonPost(body({ orderIds: ['LS-20261116-0002'] }), { 'idempotency-key': 'e2e-red-dismiss' }),
        token: zhaoMin,
      })
    ).json()) as { id: string };
    const notFlagged = await server.api(`/api/invoice-requests/${recorded.id}/red-letter/dismiss`, {
      ...jsonPost({ reason: '客户撤回退款' }),
      token: wuFang,
    });
    expect(notFlagged.status).toBe(409);
    expect(await notFlagged.json()).toMatchObject({ error: { code: 'NOT_FLAGGED' } });
  });
});

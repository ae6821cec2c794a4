/**
 * The weekly reconciliation as a stored week (POLICY 3.2, D11): inputs registered (a statement read
 * whole on registration, a summary replaced by version), the run through the `reconciliation`
 * workflow (started through the outbox, run locally from the synthesized definition, the week's
 * orders read from the table's index), differences stored and resolved, the sign-off refused while
 * one is open and resuming the workflow's wait, reopening, and a restart mid-run.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/domain/errors.ts';
import type { Person } from '../../lib/domain/model.ts';
import { importOrders } from '../../lib/orders/import-orders.ts';
import {
  executionNameOf,
  getReconciliation,
  listDifferences,
  registerInput,
  reopen,
  resolveDifference,
  runReconciliation,
  signOff,
} from '../../lib/reconciliation/weeks.ts';
import type { UploadPurpose } from '../../lib/uploads/create-upload.ts';
import { storeUploadedFile } from '../../lib/uploads/create-upload.ts';
import { accountLogText, gbk } from '../support/alipay-files.ts';
import { type TestApp, testApp } from '../support/app.ts';

const WEEK = '2026-09-28';
const ORDERS_HEADER =
  'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus';
const SUMMARY_HEADER = 'orderId,supplierId,supplierName,amount,supplierPayable,completedAt';

let app: TestApp;
let merchandiser: Person;
let finance: Person;
let entityId: string;

beforeEach(async () => {
  app = await testApp('2026-10-08T09:00:00+08:00');
  merchandiser = app.person('li.na');
  finance = app.person('liu.yang');
  entityId = finance.entityId;
  await importOrders(
    app.deps,
    app.person('tech'),
    [
      ORDERS_HEADER,
      'RW-1,SUP-HZ-TEXTILE,100.00,90.00,2026-09-29T10:00:00+08:00,2026-09-29T11:00:00+08:00,NONE',
      'RW-2,SUP-GZ-BEAUTY,200.00,180.00,2026-09-30T10:00:00+08:00,2026-09-30T11:00:00+08:00,NONE',
      'RW-3,SUP-HZ-TEXTILE,50.00,45.00,2026-10-02T10:00:00+08:00,2026-10-02T11:00:00+08:00,NONE',
      // Complete the week after: not this week's.
      'RW-4,SUP-HZ-TEXTILE,70.00,60.00,2026-10-05T10:00:00+08:00,2026-10-05T11:00:00+08:00,NONE',
    ].join('\n'),
  );
});

async function upload(owner: Person, purpose: UploadPurpose, fileName: string, body: Buffer | string) {
  return storeUploadedFile(app.deps, owner, {
    fileName,
    contentType: 'text/csv',
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    purpose,
  });
}

const summary = (lines: string[]) => `\uFEFF${[SUMMARY_HEADER, ...lines].join('\n')}\n`;

/** RW-1 as fundflow has it, RW-2 one fen more, RW-3 missing. */
const SUMMARY = summary([
  'RW-1,SUP-HZ-TEXTILE,杭州织锦服饰有限公司,100.00,90.00,2026-09-29T11:00:00+08:00',
  'RW-2,SUP-GZ-BEAUTY,广州美妆,200.01,180.00,2026-09-30T11:00:00+08:00',
]);

const statement = (to = '2026-10-04T23:59:59+08:00') =>
  gbk(
    accountLogText({
      from: '2026-09-28T00:00:00+08:00',
      to,
      rows: [
        {
          serial: '20260929110000001',
          orderId: 'RW-1',
          time: '2026-09-29 11:00:00',
          fen: 10_000,
          type: '在线支付',
        },
        {
          serial: '20260930110000002',
          orderId: 'RW-2',
          time: '2026-09-30 11:00:00',
          fen: 20_000,
          type: '在线支付',
        },
        {
          serial: '20261002110000003',
          orderId: 'RW-3',
          time: '2026-10-02 11:00:00',
          fen: 5_000,
          type: '在线支付',
        },
      ],
    }),
  );

async function registerAll() {
  await registerInput(app.deps, merchandiser, WEEK, {
    kind: 'SALES_SUMMARY',
    uploadKey: await upload(merchandiser, 'sales-summary', 'summary.csv', SUMMARY),
  });
  await registerInput(app.deps, finance, WEEK, {
    kind: 'ALIPAY_STATEMENT',
    uploadKey: await upload(finance, 'alipay-statement', 'alipay.csv', statement()),
  });
}

async function ranAndSettled() {
  await runReconciliation(app.deps, finance, WEEK);
  await app.engine.settled();
  return getReconciliation(app.deps, finance, WEEK);
}

describe('a reconciliation week', () => {
  it('is awaiting its inputs before anything is registered, with its period, due day and policy version', async () => {
    const week = await getReconciliation(app.deps, merchandiser, WEEK);

    expect(week).toMatchObject({
      week: WEEK,
      periodStart: '2026-09-28T00:00:00.000+08:00',
      periodEnd: '2026-10-05T00:00:00.000+08:00',
      dueOn: '2026-10-08',
      status: 'AWAITING_INPUTS',
      inputs: [],
      policyVersion: 1,
    });
  });

  it('is named by its Monday: another day is refused as bad input', async () => {
    await expect(getReconciliation(app.deps, finance, '2026-09-29')).rejects.toBeInstanceOf(ValidationError);
  });

  it('is not for a cashier to read', async () => {
    await expect(getReconciliation(app.deps, app.person('chen.jing'), WEEK)).rejects.toMatchObject({
      statusCode: 403,
    });
  });
});

describe('registering inputs', () => {
  it('refuses a truncated statement with the line that disagrees, and registers nothing', async () => {
    const cut = gbk(
      accountLogText({
        from: '2026-09-28T00:00:00+08:00',
        to: '2026-10-04T23:59:59+08:00',
        rows: [
          {
            serial: '20260929110000001',
            orderId: 'RW-1',
            time: '2026-09-29 11:00:00',
            fen: 10_000,
            type: '在线支付',
          },
        ],
      })
        .split('\r\n')
        .slice(0, 6)
        .join('\r\n'),
    );
    const key = await upload(finance, 'alipay-statement', 'cut.csv', cut);

    await expect(
      registerInput(app.deps, finance, WEEK, { kind: 'ALIPAY_STATEMENT', uploadKey: key }),
    ).rejects.toMatchObject({ statusCode: 422, code: 'STATEMENT_TRUNCATED' });
    expect(await app.deps.store.reconciliations.get(entityId, WEEK)).toBeNull();
    expect(await app.deps.store.reconciliations.history(entityId, WEEK)).toEqual([]);
  });

  it('refuses a statement whose order number Excel turned into scientific notation, saying so', async () => {
    const mangled = gbk(
      accountLogText({
        from: '2026-09-28T00:00:00+08:00',
        to: '2026-10-04T23:59:59+08:00',
        rows: [
          {
            serial: '20260929110000001',
            orderId: '2.02609E+17',
            time: '2026-09-29 11:00:00',
            fen: 10_000,
            type: '在线支付',
          },
        ],
      }),
    );
    const key = await upload(finance, 'alipay-statement', 'excel.csv', mangled);

    await expect(
      registerInput(app.deps, finance, WEEK, { kind: 'ALIPAY_STATEMENT', uploadKey: key }),
    ).rejects.toMatchObject({ statusCode: 422, code: 'STATEMENT_ID_SCIENTIFIC' });
  });

  it('refuses a statement of another week', async () => {
    const other = gbk(
      accountLogText({ from: '2026-10-12T00:00:00+08:00', to: '2026-10-18T23:59:59+08:00', rows: [] }),
    );
    const key = await upload(finance, 'alipay-statement', 'other.csv', other);

    await expect(
      registerInput(app.deps, finance, WEEK, { kind: 'ALIPAY_STATEMENT', uploadKey: key }),
    ).rejects.toMatchObject({ statusCode: 422, code: 'STATEMENT_OUTSIDE_WEEK' });
  });

  it('refuses a file someone else uploaded', async () => {
    const key = await upload(app.person('sun.hao'), 'sales-summary', 'summary.csv', SUMMARY);

    await expect(
      registerInput(app.deps, merchandiser, WEEK, { kind: 'SALES_SUMMARY', uploadKey: key }),
    ).rejects.toMatchObject({ statusCode: 422, code: 'RECONCILIATION_INPUT_INVALID' });
  });

  it('lets only finance register a statement and only merchandising a summary', async () => {
    const key = await upload(finance, 'alipay-statement', 'alipay.csv', statement());

    await expect(
      registerInput(app.deps, merchandiser, WEEK, { kind: 'ALIPAY_STATEMENT', uploadKey: key }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });

  it('replaces a summary registered again with its next version, both audited', async () => {
    const first = await upload(merchandiser, 'sales-summary', 'summary.csv', SUMMARY);
    const second = await upload(merchandiser, 'sales-summary', 'summary-2.csv', SUMMARY);
    await registerInput(app.deps, merchandiser, WEEK, { kind: 'SALES_SUMMARY', uploadKey: first });
    const week = await registerInput(app.deps, merchandiser, WEEK, {
      kind: 'SALES_SUMMARY',
      uploadKey: second,
    });

    expect(week.inputs).toEqual([
      expect.objectContaining({
        kind: 'SALES_SUMMARY',
        uploadKey: second,
        version: 2,
        fileName: 'summary-2.csv',
      }),
    ]);
    const history = await app.deps.store.reconciliations.history(entityId, WEEK);
    expect(history.map((e) => [e.type, e.details?.inputVersion, e.details?.replaces])).toEqual([
      ['RECONCILIATION_INPUT_REGISTERED', 1, undefined],
      ['RECONCILIATION_INPUT_REGISTERED', 2, first],
    ]);
  });

  it('keeps each statement registered, with the range its header gives', async () => {
    await registerAll();

    const week = await getReconciliation(app.deps, finance, WEEK);
    expect(week.inputs.find((i) => i.kind === 'ALIPAY_STATEMENT')?.statementFiles).toEqual([
      {
        name: 'alipay.csv',
        kind: 'ACCOUNT_LOG',
        rangeStartMs: Date.parse('2026-09-28T00:00:00+08:00'),
        rangeEndMs: Date.parse('2026-10-05T00:00:00+08:00'),
      },
    ]);
  });
});

describe('the run', () => {
  it('cannot start without a summary and a statement', async () => {
    await expect(runReconciliation(app.deps, finance, WEEK)).rejects.toMatchObject({
      statusCode: 422,
      code: 'RECONCILIATION_INPUTS_MISSING',
    });
  });

  it('cannot start while the statements leave part of the week uncovered', async () => {
    await registerInput(app.deps, merchandiser, WEEK, {
      kind: 'SALES_SUMMARY',
      uploadKey: await upload(merchandiser, 'sales-summary', 'summary.csv', SUMMARY),
    });
    await registerInput(app.deps, finance, WEEK, {
      kind: 'ALIPAY_STATEMENT',
      uploadKey: await upload(
        finance,
        'alipay-statement',
        'part.csv',
        statement('2026-10-01T23:59:59+08:00'),
      ),
    });

    await expect(runReconciliation(app.deps, finance, WEEK)).rejects.toMatchObject({
      statusCode: 422,
      code: 'STATEMENTS_DO_NOT_COVER_WEEK',
    });
  });

  it('runs as its own workflow, reads the week’s orders from the table and stores each difference', async () => {
    await registerAll();
    const running = await runReconciliation(app.deps, merchandiser, WEEK);
    expect(running).toMatchObject({ status: 'RUNNING', run: 1 });

    await app.engine.settled();
    const week = await getReconciliation(app.deps, finance, WEEK);

    expect(week).toMatchObject({ status: 'READY', open: 2 });
    expect(week.counts).toMatchObject({ AMOUNT_MISMATCH: 1, MISSING_IN_SUMMARY: 1, NOT_IN_PLATFORM: 0 });
    expect(week.totals).toMatchObject({ platform: { ordersInWeek: 3, amountFen: 35_000 } });
    const { items } = await listDifferences(app.deps, finance, WEEK, {});
    expect(items.map((d) => [d.id, d.status])).toEqual([
      ['AMOUNT_MISMATCH:RW-2:amount', 'OPEN'],
      ['MISSING_IN_SUMMARY:RW-3', 'OPEN'],
    ]);
    expect(app.engine.execution('reconciliation', executionNameOf(entityId, WEEK, 1))).toMatchObject({
      status: 'RUNNING',
      currentState: 'AwaitSignOff',
    });
  });

  it('is one run however often it is asked for while it runs', async () => {
    await registerAll();
    await runReconciliation(app.deps, finance, WEEK);
    const again = await runReconciliation(app.deps, merchandiser, WEEK);
    await app.engine.settled();

    expect(again.run).toBe(1);
    expect((await getReconciliation(app.deps, finance, WEEK)).run).toBe(1);
  });

  it('filters the differences by category', async () => {
    await registerAll();
    await ranAndSettled();

    const { items } = await listDifferences(app.deps, finance, WEEK, { category: 'MISSING_IN_SUMMARY' });
    expect(items).toEqual([
      expect.objectContaining({
        id: 'MISSING_IN_SUMMARY:RW-3',
        orderId: 'RW-3',
        category: 'MISSING_IN_SUMMARY',
      }),
    ]);
  });

  it('resumes when the runtime restarts in the middle of the run', async () => {
    await registerAll();
    await runReconciliation(app.deps, finance, WEEK);

    await app.restart();
    await app.engine.settled();

    expect(await getReconciliation(app.deps, finance, WEEK)).toMatchObject({ status: 'READY', open: 2 });
    expect(app.engine.execution('reconciliation', executionNameOf(entityId, WEEK, 1))).toMatchObject({
      status: 'RUNNING',
      currentState: 'AwaitSignOff',
    });
  });
});

describe('resolving and signing off', () => {
  beforeEach(async () => {
    await registerAll();
    await ranAndSettled();
  });

  it('refuses the sign-off while any difference is open', async () => {
    await resolveDifference(app.deps, finance, WEEK, 'AMOUNT_MISMATCH:RW-2:amount', {
      resolution: 'CORRECTED',
      note: '汇总表改正 summary corrected',
    });

    await expect(signOff(app.deps, finance, WEEK)).rejects.toMatchObject({
      statusCode: 409,
      code: 'RECONCILIATION_DIFFERENCES_OPEN',
    });
  });

  it('lets only finance resolve a difference, once, with its note audited', async () => {
    await expect(
      resolveDifference(app.deps, merchandiser, WEEK, 'MISSING_IN_SUMMARY:RW-3', {
        resolution: 'EXPLAINED',
        note: 'late',
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
    const resolved = await resolveDifference(app.deps, finance, WEEK, 'MISSING_IN_SUMMARY:RW-3', {
      resolution: 'EXPLAINED',
      note: '周五晚上的订单 a Friday night order',
    });
    await expect(
      resolveDifference(app.deps, finance, WEEK, 'MISSING_IN_SUMMARY:RW-3', {
        resolution: 'CORRECTED',
        note: 'x',
      }),
    ).rejects.toMatchObject({ statusCode: 409, code: 'DIFFERENCE_RESOLVED_ALREADY' });

    expect(resolved).toMatchObject({
      status: 'EXPLAINED',
      resolution: { note: '周五晚上的订单 a Friday night order', by: finance.email },
    });
    expect((await getReconciliation(app.deps, finance, WEEK)).open).toBe(1);
    const history = await app.deps.store.reconciliations.history(entityId, WEEK);
    expect(history.at(-1)).toMatchObject({
      type: 'RECONCILIATION_DIFFERENCE_RESOLVED',
      actor: finance.email,
      details: { differenceId: 'MISSING_IN_SUMMARY:RW-3', resolution: 'EXPLAINED' },
    });
  });

  it('signs off once every difference is resolved, records who signed and ends the workflow’s wait', async () => {
    for (const id of ['AMOUNT_MISMATCH:RW-2:amount', 'MISSING_IN_SUMMARY:RW-3'])
      await resolveDifference(app.deps, finance, WEEK, id, { resolution: 'EXPLAINED', note: 'checked' });

    await expect(signOff(app.deps, merchandiser, WEEK)).rejects.toMatchObject({ statusCode: 403 });
    const signed = await signOff(app.deps, finance, WEEK);
    await app.engine.settled();

    expect(signed).toMatchObject({ status: 'SIGNED_OFF', signedOff: { by: finance.email } });
    expect(app.engine.execution('reconciliation', executionNameOf(entityId, WEEK, 1))).toMatchObject({
      status: 'SUCCEEDED',
    });
  });

  it('signs off after a restart while the workflow waits', async () => {
    for (const id of ['AMOUNT_MISMATCH:RW-2:amount', 'MISSING_IN_SUMMARY:RW-3'])
      await resolveDifference(app.deps, finance, WEEK, id, { resolution: 'EXPLAINED', note: 'checked' });

    await app.restart();
    await app.engine.settled();
    await signOff(app.deps, finance, WEEK);
    await app.engine.settled();

    expect(app.engine.execution('reconciliation', executionNameOf(entityId, WEEK, 1))).toMatchObject({
      status: 'SUCCEEDED',
    });
  });

  it('is reopened with a reason, audited, and by a new input after the sign-off', async () => {
    for (const id of ['AMOUNT_MISMATCH:RW-2:amount', 'MISSING_IN_SUMMARY:RW-3'])
      await resolveDifference(app.deps, finance, WEEK, id, { resolution: 'EXPLAINED', note: 'checked' });
    await signOff(app.deps, finance, WEEK);

    const reopened = await reopen(app.deps, finance, WEEK, '供应商来电 the supplier called');
    expect(reopened.status).toBe('AWAITING_INPUTS');
    expect((await app.deps.store.reconciliations.history(entityId, WEEK)).at(-1)).toMatchObject({
      type: 'RECONCILIATION_REOPENED',
      details: { reason: '供应商来电 the supplier called' },
    });

    await ranAndSettled();
    for (const id of ['AMOUNT_MISMATCH:RW-2:amount', 'MISSING_IN_SUMMARY:RW-3'])
      await resolveDifference(app.deps, finance, WEEK, id, { resolution: 'EXPLAINED', note: 'checked' });
    await signOff(app.deps, finance, WEEK);
    const corrected = await registerInput(app.deps, merchandiser, WEEK, {
      kind: 'SALES_SUMMARY',
      uploadKey: await upload(merchandiser, 'sales-summary', 'summary-3.csv', SUMMARY),
    });

    expect(corrected.status).toBe('AWAITING_INPUTS');
    expect(corrected.signedOff).toBeUndefined();
    expect((await app.deps.store.reconciliations.history(entityId, WEEK)).at(-1)).toMatchObject({
      type: 'RECONCILIATION_INPUT_REGISTERED',
      details: { reopened: 'SIGNED_OFF' },
    });
  });
});

describe('master data', () => {
  it('opens a supplier change request for a changed bank account and leaves the master untouched', async () => {
    const before = await app.deps.store.suppliers.get('SUP-HZ-TEXTILE');
    await registerAll();
    await registerInput(app.deps, merchandiser, WEEK, {
      kind: 'MASTER_DATA',
      uploadKey: await upload(
        merchandiser,
        'master-data',
        'master.csv',
        `kind,id,name,bankAccount,bankName,accountType,taxId\nSUPPLIER,SUP-HZ-TEXTILE,${before?.name},6222 0000 1111 2222,${before?.bankName},CORPORATE,${before?.taxId}\n`,
      ),
    });

    const week = await ranAndSettled();

    expect(week.counts).toMatchObject({ MASTER_DATA_CHANGE: 1 });
    expect(await app.deps.store.suppliers.get('SUP-HZ-TEXTILE')).toEqual(before);
    expect(await app.deps.store.supplierChanges.listBySupplier('SUP-HZ-TEXTILE')).toEqual([
      expect.objectContaining({
        status: 'PENDING',
        proposed: expect.objectContaining({ bankAccount: '6222 0000 1111 2222' }),
      }),
    ]);
  });
});

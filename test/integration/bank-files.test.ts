/**
 * Bank batch files (POLICY 2.2(3), D7, D18) on DynamoDB Local with the synthesized workflow: what the
 * exported file holds (read back with exceljs: accounts as text, amounts as numbers, a total row), its
 * record — so the file can be downloaded again — and the cashier's bank references for one file
 * recorded at once: each row paid once, a refused row leaving the others paid, the same rows again
 * changing nothing, and a voucher not in that file refusing the whole request.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../lib/approvals/decide.ts';
import type { Person, Voucher } from '../../lib/domain/model.ts';
import { type BankFileRow, bankFileView, recordBankFilePayments } from '../../lib/payments/bank-files.ts';
import { bankFileAgain, exportBankBatch, paymentRun } from '../../lib/payments/payment-run.ts';
import { recordPayment } from '../../lib/payments/payments.ts';
import { keys } from '../../lib/storage/keys.ts';
import { type SubmitVoucherInput, submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { BEAUTY_PAYEE, type TestApp, testApp, voucherInput } from '../support/app.ts';

const TODAY = '2026-11-18';
let app: TestApp;
let liNa: Person;
let cashier: Person;

async function approve(localPart: string) {
  await app.engine.settled();
  const message = app.outbox
    .list()
    .filter((candidate) => candidate.to.includes(`${localPart}@lianshang.example`))
    .at(-1);
  const link = message?.links.find((candidate) => candidate.includes('/approvals/'));
  if (!link) throw new Error(`no approval link for ${localPart}`);
  await decide(app.deps, link.split('/approvals/')[1] ?? '', { decision: 'APPROVE', reason: '' });
  await app.engine.settled();
}

/** Submitted at 09:00 and reviewed at 10:00 of the 18th: due in that day's run. */
async function dueToday(overrides: Partial<SubmitVoucherInput>): Promise<Voucher> {
  const { voucher } = await submitVoucher(app.deps, liNa, await voucherInput(app, liNa, overrides));
  await approve('wang.qiang');
  await approve('liu.yang');
  return stored(voucher.id);
}

async function stored(id: string): Promise<Voucher> {
  const voucher = await app.deps.store.vouchers.get(id);
  if (!voucher) throw new Error(`no voucher ${id}`);
  return voucher;
}

/** The platform reports a dispute on the order (POLICY D7: it blocks paying its vouchers). */
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

/** How many times the voucher's history says it was paid. */
async function paidEvents(id: string): Promise<number> {
  return (await app.deps.store.vouchers.history(id)).filter((event) => event.type === 'PAID').length;
}

let textile: Voucher;
let textileToo: Voucher;
let beauty: Voucher;

beforeEach(async () => {
  app = await testApp('2026-11-18T09:00:00+08:00');
  liNa = app.person('li.na');
  cashier = app.person('chen.jing');
  textile = await dueToday({ amount: '1,000.00', orderIds: ['LS-20261116-0001'] });
  textileToo = await dueToday({ amount: '2,000.50', orderIds: ['LS-20261116-0002'] });
  beauty = await dueToday({
    supplierId: 'SUP-GZ-BEAUTY',
    payee: BEAUTY_PAYEE,
    amount: '300,000.01',
    orderIds: ['LS-20261116-0004'],
  });
});

describe('the bank file as the bank and a spreadsheet read it', () => {
  it('has accounts and voucher ids as text cells, amounts as numbers with two decimals, and a total row', async () => {
    const file = await exportBankBatch(app.deps, cashier, TODAY, 'xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = (name: string) => header.findIndex((title) => String(title).includes(name)) + 1;
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2));
    const transfers = rows.slice(0, -1);
    const total = rows.at(-1);

    expect(transfers).toHaveLength(3);
    for (const row of transfers) {
      const account = row.getCell(column('Account'));
      const amount = row.getCell(column('Amount'));
      expect(typeof account.value).toBe('string');
      expect(account.value).toMatch(/^\d{19}$/);
      expect(account.numFmt).toBe('@');
      expect(typeof row.getCell(column('凭单号')).value).toBe('string');
      expect(typeof amount.value).toBe('number');
      expect(amount.numFmt).toBe('#,##0.00');
    }
    expect(transfers.map((row) => row.getCell(column('Account')).value)).toContain('4400123456789012345');
    const fen = transfers.map((row) => Math.round((row.getCell(column('Amount')).value as number) * 100));
    expect(fen.sort((a, b) => a - b)).toEqual([100_000, 200_050, 30_000_001]);
    expect(total?.getCell(1).value).toBe('合计 Total');
    expect(Math.round((total?.getCell(column('Amount')).value as number) * 100)).toBe(
      fen.reduce((sum, each) => sum + each, 0),
    );
    expect(total?.getCell(column('Account')).value ?? '').toBe('');
  });

  it('writes the CSV for the bank’s import: amounts plain, every text field quoted, the total last', async () => {
    const csv = (await exportBankBatch(app.deps, cashier, TODAY, 'csv')).body.toString('utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');

    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(
      /^1,"杭州织锦服饰有限公司","3301040000012345678","[^"]+",1000\.00,"货款 FK-\d{8}-\d{4}","[0-9A-Z]{26}","FK-\d{8}-\d{4}"$/,
    );
    expect(lines.some((line) => line.includes(',300000.01,'))).toBe(true);
    expect(lines[4]).toBe('合计 Total,"3 笔 transfers",,,303000.51,,,');
  });

  it('names a voucher by its short number, when it has one, beside its id in the file', async () => {
    // As numbered vouchers are stored (the voucher form gives each its number).
    await app.client.send(
      new UpdateCommand({
        TableName: app.tableName,
        Key: keys.voucher(textile.id),
        UpdateExpression: 'SET #number = :number',
        ExpressionAttributeNames: { '#number': 'number' },
        ExpressionAttributeValues: { ':number': 'FK-20261118-0001' },
      }),
    );

    const csv = (await exportBankBatch(app.deps, cashier, TODAY, 'csv')).body.toString('utf8');
    const line = csv.split('\n').find((candidate) => candidate.includes(textile.id)) ?? '';

    expect(line).toContain('"货款 FK-20261118-0001"');
    expect(line.endsWith(`"${textile.id}","FK-20261118-0001"`)).toBe(true);
    expect(
      (await paymentRun(app.deps, cashier, TODAY)).items.find((item) => item.voucherId === textile.id),
    ).toMatchObject({
      number: 'FK-20261118-0001',
    });
  });
});

describe('the record of a bank file', () => {
  it('keeps which vouchers the file holds, lists it on its run, and gives the same file again', async () => {
    const file = await exportBankBatch(app.deps, cashier, TODAY, 'csv');

    const run = await paymentRun(app.deps, cashier, TODAY);
    expect(run.bankFiles).toEqual([
      expect.objectContaining({
        id: file.batch.id,
        fileName: file.fileName,
        vouchers: file.vouchers,
        count: 3,
        totalFen: 30_300_051,
      }),
    ]);
    expect((await stored(textile.id)).payment?.exports?.at(-1)).toMatchObject({
      batch: file.batch.id,
      run: TODAY,
    });
    const again = await bankFileAgain(app.deps, cashier, TODAY, file.batch.id);
    expect(again.fileName).toBe(file.fileName);
    expect(again.body.equals(file.body)).toBe(true);
    // A made-up file is none at all; nobody but the cashier and finance has one.
    await expect(bankFileAgain(app.deps, cashier, TODAY, '01KAAAAAAAAAAAAAAAAAAAAAAA')).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
    await expect(bankFileAgain(app.deps, liNa, TODAY, file.batch.id)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});

describe('recording a bank file’s payments at once', () => {
  const rowsFor = (vouchers: Voucher[], tag = ''): BankFileRow[] =>
    vouchers.map((voucher, index) => ({
      voucherId: voucher.id,
      bankReference: `ICBC-20261118-${tag}${index + 1}`,
      paidOn: TODAY,
    }));

  it('pays every row once, and a refused row (a dispute opened since, D7) leaves the others paid', async () => {
    const file = await exportBankBatch(app.deps, cashier, TODAY, 'csv');
    await openDispute('LS-20261116-0002');

    const outcome = await recordBankFilePayments(
      app.deps,
      cashier,
      TODAY,
      file.batch.id,
      rowsFor([textile, textileToo, beauty]),
    );

    expect(outcome.rows.map((row) => [row.voucherId, row.result])).toEqual([
      [textile.id, 'PAID'],
      [textileToo.id, 'REFUSED'],
      [beauty.id, 'PAID'],
    ]);
    expect(outcome.rows[1]).toMatchObject({ error: { code: 'ORDER_DISPUTED' } });
    expect((await stored(textile.id)).payment).toMatchObject({
      status: 'PAID',
      bankReference: 'ICBC-20261118-1',
    });
    expect((await stored(textileToo.id)).status).toBe('READY_FOR_PAYMENT');
    expect((await stored(beauty.id)).payment).toMatchObject({
      status: 'PAID',
      bankReference: 'ICBC-20261118-3',
    });
    await app.engine.settled();
    const view = await bankFileView(app.deps, cashier, TODAY, file.batch.id);
    expect([view.paid.count, view.due.count]).toEqual([2, 1]);
  });

  it('changes nothing twice when the same rows are sent again, and refuses another reference for a paid one', async () => {
    const file = await exportBankBatch(app.deps, cashier, TODAY, 'csv');
    const rows = rowsFor([textile, textileToo, beauty]);
    await recordBankFilePayments(app.deps, cashier, TODAY, file.batch.id, rows);
    const revisions = await Promise.all(
      [textile, textileToo, beauty].map(async (v) => (await stored(v.id)).revision),
    );

    const again = await recordBankFilePayments(app.deps, cashier, TODAY, file.batch.id, rows);
    const other = await recordBankFilePayments(app.deps, cashier, TODAY, file.batch.id, [
      { voucherId: textile.id, bankReference: 'ICBC-OTHER-0001', paidOn: TODAY },
    ]);

    expect(again.rows.map((row) => row.result)).toEqual(['UNCHANGED', 'UNCHANGED', 'UNCHANGED']);
    expect(other.rows[0]).toMatchObject({ result: 'REFUSED', error: { code: 'ALREADY_PAID' } });
    expect(
      await Promise.all([textile, textileToo, beauty].map(async (v) => (await stored(v.id)).revision)),
    ).toEqual(revisions);
    expect(await Promise.all([textile, textileToo, beauty].map((v) => paidEvents(v.id)))).toEqual([1, 1, 1]);
  });

  it('records nothing when a row names a voucher that is not in that file', async () => {
    const first = await exportBankBatch(app.deps, cashier, TODAY, 'csv');
    const fourth = await dueToday({ amount: '500.00', orderIds: ['LS-20261116-0001'] });
    app.clock.set('2026-11-18T15:30:00+08:00');
    const second = await exportBankBatch(app.deps, cashier, TODAY, 'csv');
    expect(second.vouchers).toEqual([fourth.id]);

    await expect(
      recordBankFilePayments(app.deps, cashier, TODAY, first.batch.id, rowsFor([textile, fourth])),
    ).rejects.toMatchObject({
      statusCode: 422,
      code: 'NOT_IN_BANK_FILE',
      issues: [{ path: 'rows.1.voucherId' }],
    });

    expect((await stored(textile.id)).status).toBe('READY_FOR_PAYMENT');
    expect((await stored(fourth.id)).status).toBe('READY_FOR_PAYMENT');
  });

  it('refuses one bank reference given to two transfers, before recording anything', async () => {
    const file = await exportBankBatch(app.deps, cashier, TODAY, 'csv');

    await expect(
      recordBankFilePayments(app.deps, cashier, TODAY, file.batch.id, [
        { voucherId: textile.id, bankReference: 'ICBC-SAME-0001', paidOn: TODAY },
        { voucherId: beauty.id, bankReference: 'ICBC-SAME-0001', paidOn: TODAY },
      ]),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'rows.1.bankReference' }] });
    expect((await stored(textile.id)).status).toBe('READY_FOR_PAYMENT');
  });

  it('lets only a cashier record them (finance may look at the file)', async () => {
    const file = await exportBankBatch(app.deps, cashier, TODAY, 'csv');
    const finance = app.person('liu.yang');

    await expect(
      recordBankFilePayments(app.deps, finance, TODAY, file.batch.id, rowsFor([textile])),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await bankFileView(app.deps, finance, TODAY, file.batch.id)).count).toBe(3);
    // A payment recorded one by one meanwhile is the same payment: its row is a repeat.
    await recordPayment(app.deps, cashier, textile.id, {
      status: 'PAID',
      bankReference: 'ICBC-20261118-1',
      paidOn: TODAY,
    });
    const outcome = await recordBankFilePayments(app.deps, cashier, TODAY, file.batch.id, rowsFor([textile]));
    expect(outcome.rows[0]?.result).toBe('UNCHANGED');
  });
});

/**
 * The weekly reconciliation engine on generated files (test/support/alipay-files.ts): every
 * difference category, the Alipay statement's own checks, and the forms it comes in.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../lib/domain/calendar.ts';
import { DEFAULT_POLICY } from '../../lib/domain/policy.ts';
import { type ReconcileInput, reconcile, type SupplierMaster } from '../../lib/reconciliation/engine.ts';
import { ReconciliationInputError } from '../../lib/reconciliation/errors.ts';
import type { Difference } from '../../lib/reconciliation/model.ts';
import { TempDirPartitions } from '../../lib/reconciliation/partitions.ts';
import { CATEGORY_TITLES, writeReconciliationReport } from '../../lib/reconciliation/report.ts';
import { readPlatformOrders } from '../../lib/reconciliation/sheets.ts';
import type { InputFile } from '../../lib/reconciliation/text-input.ts';
import { reconciliationWeek } from '../../lib/reconciliation/week.ts';
import {
  type AccountLogRow,
  accountLogText,
  gbk,
  tradeDetailText,
  writeGbk,
  zip,
} from '../support/alipay-files.ts';

const WEEK = reconciliationWeek('2026-09-28', new WorkingDayCalendar(), DEFAULT_POLICY);
const FROM = '2026-09-28T00:00:00';
const TO = '2026-10-05T00:00:00';
const stores: TempDirPartitions[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.dispose();
});

const SUPPLIERS: SupplierMaster[] = [
  {
    id: 'SUP-1',
    name: '广州美妆供应链有限公司',
    bankAccount: '4400 1234 5678 9012 345',
    bankName: '招商银行广州天河支行',
    accountType: 'CORPORATE',
    taxId: '91350100M000100Y43',
  },
];
const directory = { get: async (id: string) => SUPPLIERS.find((s) => s.id === id) ?? null };

/** One order per category, planted; `OK-*` orders agree everywhere. */
const ORDERS = `orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus
OK-1,SUP-1,100.00,80.00,2026-09-28T09:00:00+08:00,2026-09-28T00:00:00+08:00,NONE
OK-2,SUP-1,"1,234.56",1000.00,,2026-10-04T23:59:59+08:00,NONE
MISS-SUM,SUP-1,50.00,40.00,,2026-09-30T12:00:00+08:00,NONE
AMT,SUP-1,100.00,80.00,,2026-09-30T12:00:00+08:00,NONE
PAY,SUP-1,100.00,80.00,,2026-09-30T12:00:00+08:00,NONE
DUP,SUP-1,20.00,10.00,,2026-09-30T12:00:00+08:00,NONE
OUT,SUP-1,30.00,20.00,,2026-10-05T00:00:00+08:00,NONE
NO-STMT,SUP-1,60.00,50.00,,2026-10-01T08:00:00+08:00,NONE
STMT-AMT,SUP-1,70.00,60.00,,2026-10-01T08:00:00+08:00,NONE
REFUND,SUP-1,90.00,70.00,,2026-10-02T08:00:00+08:00,NONE
REFUND-OK,SUP-1,90.00,70.00,,2026-10-02T08:00:00+08:00,OPEN
UNK,SUP-9,10.00,5.00,,2026-10-02T08:00:00+08:00,NONE
`;

const SUMMARY = `orderId,supplierId,supplierName,amount,supplierPayable,completedAt,备注
OK-1,SUP-1,广州美妆供应链有限公司,100.00,80.00,2026-09-28T00:00:00+08:00,
OK-2,SUP-1,广州美妆供应链有限公司,1234.56,1000.00,2026-10-04T23:59:59+08:00,extra column ignored
AMT,SUP-1,广州美妆供应链有限公司,100.01,80.00,2026-09-30T12:00:00+08:00,
PAY,SUP-1,广州美妆供应链有限公司,100.00,79.99,2026-09-30T12:00:00+08:00,
DUP,SUP-1,广州美妆供应链有限公司,20.00,10.00,2026-09-30T12:00:00+08:00,
DUP,SUP-1,广州美妆供应链有限公司,20.00,10.00,2026-09-30T12:00:00+08:00,
OUT,SUP-1,广州美妆供应链有限公司,30.00,20.00,2026-10-04T23:00:00+08:00,
NO-STMT,SUP-1,广州美妆供应链有限公司,60.00,50.00,,
STMT-AMT,SUP-1,广州美妆供应链有限公司,70.00,60.00,,
REFUND,SUP-1,广州美妆供应链有限公司,90.00,70.00,,
REFUND-OK,SUP-1,广州美妆供应链有限公司,90.00,70.00,,
GHOST,SUP-1,广州美妆供应链有限公司,15.00,10.00,,
UNK,SUP-9,深圳无名贸易,10.00,5.00,,
`;

const MASTER = `kind,id,name,bankAccount,bankName,accountType,taxId
SUPPLIER,SUP-1,广州美妆供应链有限公司,4400 1234 5678 9012 999,招商银行广州天河支行,CORPORATE,91350100M000100Y43
CUSTOMER,CUS-1,张三,,,,
`;

let serial = 0;
const credit = (orderId: string, fen: number, time = '2026-09-30 12:00:00'): AccountLogRow => ({
  serial: `2026093020001${String(++serial).padStart(8, '0')}`,
  orderId,
  time,
  fen,
  type: '在线支付',
});

function statementRows(): AccountLogRow[] {
  serial = 0;
  return [
    credit('OK-1', 100_00, '2026-09-28 00:00:00'),
    credit('OK-2', 1234_56, '2026-10-04 23:59:59'),
    credit('MISS-SUM', 50_00),
    credit('AMT', 100_00),
    credit('PAY', 100_00),
    credit('DUP', 20_00),
    credit('STMT-AMT', 69_99),
    credit('REFUND', 90_00),
    { ...credit('REFUND', -50_00), type: '退款' },
    credit('REFUND-OK', 90_00),
    { ...credit('REFUND-OK', -90_00), type: '退款' },
    credit('UNK', 10_00),
    credit('NO-ORDER', 12_34),
    { ...credit('', -3_21), type: '交易服务费' },
    { ...credit('', -60_00), type: '提现' },
    { ...credit('', 500_00), type: '转账' },
  ];
}

function folder(): string {
  return mkdtempSync(path.join(tmpdir(), 'recon-test-'));
}

function file(dir: string, name: string, body: string | Buffer): InputFile {
  const full = path.join(dir, name);
  writeFileSync(full, body);
  return { name, path: full };
}

function world(dir: string, statements?: InputFile[]): ReconcileInput {
  const orders = file(dir, 'orders.csv', ORDERS);
  return {
    week: WEEK,
    summaries: [file(dir, '销售情况汇总表.csv', SUMMARY)],
    statements: statements ?? [
      file(dir, '账务明细.csv', gbk(accountLogText({ from: FROM, to: TO, rows: statementRows() }))),
    ],
    masterData: [file(dir, '供应商客户信息维护表.csv', MASTER)],
    platformOrders: () => readPlatformOrders(orders),
    suppliers: directory,
  };
}

async function run(input: ReconcileInput, partitions = 3, threads?: number) {
  const store = new TempDirPartitions();
  stores.push(store);
  const result = await reconcile(input, { store, partitions, ...(threads === undefined ? {} : { threads }) });
  const differences: Difference[] = [];
  for await (const difference of result.differences()) differences.push(difference);
  const matched = [];
  for await (const line of result.matched()) matched.push(line);
  return { result, differences, matched };
}

async function refusal(promise: Promise<unknown>): Promise<ReconciliationInputError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ReconciliationInputError);
  return error as ReconciliationInputError;
}

describe('the weekly reconciliation finds each kind of difference', async () => {
  const dir = folder();
  const { result, differences, matched } = await run(world(dir));
  const of = (category: string) => differences.filter((d) => d.category === category);

  it('lists an order complete this week that the summary lacks (MISSING_IN_SUMMARY)', () => {
    expect(of('MISSING_IN_SUMMARY').map((d) => d.orderId)).toEqual(['MISS-SUM']);
    expect(of('MISSING_IN_SUMMARY')[0]?.sides[0]).toEqual({
      source: 'PLATFORM',
      value: 50_00,
      at: { file: 'orders.csv', line: 4 },
    });
  });

  it('lists a summary line with no such order in fundflow (NOT_IN_PLATFORM)', () => {
    expect(of('NOT_IN_PLATFORM').map((d) => d.orderId)).toEqual(['GHOST']);
    expect(of('NOT_IN_PLATFORM')[0]?.sides[0]?.at).toEqual({ file: '销售情况汇总表.csv', line: 13 });
  });

  it('finds a 0.01-yuan difference in the amount and in the supplier payable (AMOUNT_MISMATCH)', () => {
    expect(
      of('AMOUNT_MISMATCH')
        .map((d) => [d.id, d.sides.map((s) => s.value)])
        .sort(),
    ).toEqual([
      ['AMOUNT_MISMATCH:AMT:amount', [100_01, 100_00]],
      ['AMOUNT_MISMATCH:PAY:supplierPayable', [79_99, 80_00]],
    ]);
  });

  it('names both lines of an order that is in the summary twice (DUPLICATE_LINE)', () => {
    const [duplicate] = of('DUPLICATE_LINE');
    expect(of('DUPLICATE_LINE')).toHaveLength(1);
    expect(duplicate?.sides.map((s) => s.at)).toEqual([
      { file: '销售情况汇总表.csv', line: 6 },
      { file: '销售情况汇总表.csv', line: 7 },
    ]);
  });

  it('lists an order completed at Monday 00:00 of the next week (OUTSIDE_PERIOD), keeping Sunday 23:59:59 in', () => {
    expect(of('OUTSIDE_PERIOD').map((d) => d.orderId)).toEqual(['OUT']);
    expect(of('OUTSIDE_PERIOD')[0]?.sides[1]?.value).toBe('2026-10-05T00:00:00+08:00');
    expect(matched.map((line) => line.orderId)).toContain('OK-2');
  });

  it('lists an order complete in fundflow without an Alipay credit (MISSING_IN_STATEMENT)', () => {
    expect(of('MISSING_IN_STATEMENT').map((d) => d.orderId)).toEqual(['NO-STMT']);
  });

  it('lists an Alipay credit for no order (NOT_IN_ORDERS), and each credit without an order number, with the statement line', () => {
    expect(
      of('NOT_IN_ORDERS')
        .map((d) => [d.orderId, d.sides[0]?.value, d.sides[0]?.at])
        .sort(),
    ).toEqual([
      ['NO-ORDER', 12_34, { file: '账务明细.csv', line: 18 }],
      ['NO-ORDER-ID#202609302000100000016', 500_00, { file: '账务明细.csv', line: 21 }],
    ]);
  });

  it('finds an Alipay credit 0.01 yuan short of the order (STATEMENT_AMOUNT_MISMATCH)', () => {
    expect(of('STATEMENT_AMOUNT_MISMATCH').map((d) => [d.orderId, d.sides.map((s) => s.value)])).toEqual([
      ['STMT-AMT', [69_99, 70_00]],
    ]);
  });

  it('lists a refund fundflow does not show as refunded or disputed, and not one under an open dispute (UNRECORDED_REFUND)', () => {
    expect(of('UNRECORDED_REFUND').map((d) => [d.orderId, d.sides[0]?.value])).toEqual([['REFUND', -50_00]]);
  });

  it('lists a supplier that is not in fundflow’s master data once (UNKNOWN_PARTY)', () => {
    expect(of('UNKNOWN_PARTY').map((d) => d.id)).toEqual(['UNKNOWN_PARTY:SUPPLIER:SUP-9']);
  });

  it('proposes a supplier change for a bank account that differs from the master (MASTER_DATA_CHANGE)', () => {
    expect(of('MASTER_DATA_CHANGE').map((d) => [d.field, d.sides.map((s) => s.value)])).toEqual([
      ['bankAccount', ['4400 1234 5678 9012 999', '4400 1234 5678 9012 345']],
    ]);
    expect(result.supplierChanges).toEqual([
      expect.objectContaining({ supplierId: 'SUP-1', fields: ['bankAccount'] }),
    ]);
    expect(SUPPLIERS[0]?.bankAccount).toBe('4400 1234 5678 9012 345');
  });

  it('matches the lines that agree, totals Alipay’s fees instead of listing them, and counts every category', () => {
    expect(matched.map((line) => line.orderId).sort()).toEqual(
      ['DUP', 'NO-STMT', 'OK-1', 'OK-2', 'REFUND', 'REFUND-OK', 'STMT-AMT', 'UNK'].sort(),
    );
    expect(result.totals.statement.fees).toEqual({ count: 1, fen: 3_21 });
    expect(result.totals.summary.lines).toBe(13);
    expect(Object.values(result.counts).reduce((a, b) => a + b, 0)).toBe(differences.length);
    expect(result.counts.AMOUNT_MISMATCH).toBe(2);
  });

  it('gives the same differences, with the same ids, however many partitions it uses', async () => {
    const again = await run(world(folder()), 1);

    expect(again.differences.map((d) => d.id).sort()).toEqual(differences.map((d) => d.id).sort());
  });
});

describe('an Alipay account log', () => {
  it('is refused when cut short, naming the line where it ends', async () => {
    const dir = folder();
    const text = accountLogText({ from: FROM, to: TO, rows: statementRows() });
    const cut = text.slice(0, text.indexOf('REFUND-OK') + 4);

    const error = await refusal(run(world(dir, [file(dir, 'cut.csv', gbk(cut))])));

    expect(error.code).toBe('STATEMENT_TRUNCATED');
    expect(error.message).toMatch(/^cut\.csv 第 15 行 line 15:/);
  });

  it('is refused when a whole row is missing: the footer total names its line', async () => {
    const dir = folder();
    const lines = accountLogText({ from: FROM, to: TO, rows: statementRows() }).split('\r\n');
    lines.splice(7, 1);

    const error = await refusal(run(world(dir, [file(dir, 'short.csv', gbk(lines.join('\r\n')))])));

    expect(error.code).toBe('STATEMENT_TOTALS_DISAGREE');
    expect(error.message).toMatch(/^short\.csv 第 22 行 line 22: /);
    expect(error.message).toContain(
      '#收入合计 says 12 rows, 2376.89 yuan; the rows above add up to 11 rows, 2326.89 yuan',
    );
  });

  it('is refused when read as UTF-8 text rather than GBK (its first line is not Alipay’s)', async () => {
    const dir = folder();
    const text = accountLogText({ from: FROM, to: TO, rows: statementRows() });

    const error = await refusal(run(world(dir, [file(dir, 'utf8.csv', Buffer.from(text, 'utf8'))])));

    expect(error.code).toBe('STATEMENT_UNKNOWN_FORMAT');
  });

  it('is refused for another week, naming its 起始日期 line', async () => {
    const dir = folder();
    const text = accountLogText({ from: '2026-09-21T00:00:00', to: '2026-09-28T00:00:00', rows: [] });

    const error = await refusal(run(world(dir, [file(dir, 'old.csv', gbk(text))])));

    expect(error.code).toBe('STATEMENT_OUTSIDE_WEEK');
    expect(error.message).toMatch(/^old\.csv 第 3 行 line 3:/);
  });

  it('is refused with the explanation when Excel turned an order number into scientific notation', async () => {
    const dir = folder();
    const text = accountLogText({ from: FROM, to: TO, rows: [credit('2.02609E+19', 100_00)] });

    const error = await refusal(run(world(dir, [file(dir, 'excel.csv', gbk(text))])));

    expect(error.code).toBe('STATEMENT_ID_SCIENTIFIC');
    expect(error.message).toContain('excel.csv 第 6 行 line 6');
    expect(error.message).toContain('saved again in Excel');
  });

  it('counts once a row that two overlapping statements both hold (seven daily bills and a weekly one)', async () => {
    const dir = folder();
    const rows = statementRows();
    const monday = rows.filter((row) => row.time.startsWith('2026-09-28'));
    const daily = file(
      dir,
      'monday.csv',
      gbk(accountLogText({ from: FROM, to: '2026-09-28T23:59:59', rows: monday })),
    );
    const weekly = file(dir, 'week.csv', gbk(accountLogText({ from: FROM, to: TO, rows })));

    const { result, differences } = await run(world(dir, [daily, weekly]));

    expect(result.totals.statement.repeatedRows).toBe(1);
    expect(differences.filter((d) => d.orderId === 'OK-1')).toEqual([]);
  });

  it('is refused when two different rows carry one 账务流水号', async () => {
    const dir = folder();
    const rows = statementRows();
    const other = rows.map((row, index) => (index === 0 ? { ...row, fen: 99_00 } : row)).slice(0, 1);
    const first = file(dir, 'a.csv', gbk(accountLogText({ from: FROM, to: TO, rows })));
    const second = file(
      dir,
      'b.csv',
      gbk(accountLogText({ from: FROM, to: '2026-09-28T23:59:59', rows: other })),
    );

    const error = await refusal(run(world(dir, [first, second])));

    expect(error.code).toBe('STATEMENT_ROW_CONFLICT');
    expect(error.message).toMatch(/a\.csv line 6|b\.csv line 6/);
  });

  it('is refused when the statements leave part of the week uncovered', async () => {
    const dir = folder();
    const monday = file(
      dir,
      'monday.csv',
      gbk(accountLogText({ from: FROM, to: '2026-09-28T23:59:59', rows: [] })),
    );

    const error = await refusal(run(world(dir, [monday])));

    expect(error.code).toBe('STATEMENTS_DO_NOT_COVER_WEEK');
    expect(error.message).toContain('2026-09-29 00:00:00');
  });

  it('is read from the .csv.zip Alipay hands out, its GBK-named 汇总 file left aside', async () => {
    const dir = folder();
    const body = gbk(accountLogText({ from: FROM, to: TO, rows: statementRows() }));
    const archive = zip([
      { name: '20881234567890120156_20260928_账务明细.csv', body },
      { name: '20881234567890120156_20260928_账务明细(汇总).csv', body: gbk('#支付宝账务汇总查询\r\n') },
    ]);

    const zipped = await run(world(dir, [file(dir, 'bill.csv.zip', archive)]));
    const plain = await run(world(folder()));

    expect(zipped.differences.map((d) => d.id)).toEqual(plain.differences.map((d) => d.id));
    expect(zipped.differences.find((d) => d.category === 'NOT_IN_ORDERS')?.sides[0]?.at?.file).toBe(
      'bill.csv.zip/20881234567890120156_20260928_账务明细.csv',
    );
  });
});

describe('an Alipay trade detail (业务明细)', () => {
  it('gives the same statement differences as the account log, with its footer checked', async () => {
    const dir = folder();
    let trade = 0;
    const rows = statementRows()
      .filter((row) => row.type === '在线支付' || row.type === '退款')
      .map((row) => ({
        tradeNo: `2026093022001${String(++trade).padStart(8, '0')}`,
        orderId: row.orderId,
        type: row.type === '退款' ? ('退款' as const) : ('交易' as const),
        time: row.time,
        fen: row.fen,
        feeFen: row.type === '退款' ? 0 : 1,
      }));
    const detail = file(dir, '业务明细.csv', gbk(tradeDetailText({ from: FROM, to: TO, rows })));

    const { result, differences } = await run(world(dir, [detail]));

    const statementSide = differences.filter((d) =>
      ['NOT_IN_ORDERS', 'STATEMENT_AMOUNT_MISMATCH', 'MISSING_IN_STATEMENT', 'UNRECORDED_REFUND'].includes(
        d.category,
      ),
    );
    expect(statementSide.map((d) => d.id).sort()).toEqual([
      'MISSING_IN_STATEMENT:NO-STMT',
      'NOT_IN_ORDERS:NO-ORDER',
      'STATEMENT_AMOUNT_MISMATCH:STMT-AMT',
      'UNRECORDED_REFUND:REFUND',
    ]);
    expect(result.totals.statement.fees.count).toBe(11);
  });

  it('is refused when its 交易合计 disagrees with its rows', async () => {
    const dir = folder();
    const text = tradeDetailText({
      from: FROM,
      to: TO,
      rows: [
        { tradeNo: 'T1', orderId: 'OK-1', type: '交易', time: '2026-09-28 00:00:00', fen: 100_00, feeFen: 0 },
      ],
    }).replace('商家实收共100.00元', '商家实收共100.01元');

    const error = await refusal(run(world(dir, [file(dir, 'detail.csv', gbk(text))])));

    expect(error.code).toBe('STATEMENT_TOTALS_DISAGREE');
    expect(error.message).toContain('detail.csv 第 8 行 line 8');
  });
});

describe('the sales summary', () => {
  it('is read from GBK text as well as UTF-8', async () => {
    const dir = folder();
    const input = world(dir);
    input.summaries = [file(dir, 'gbk-summary.csv', gbk(SUMMARY))];

    const { differences } = await run(input);

    expect(differences.find((d) => d.category === 'UNKNOWN_PARTY')?.sides[0]?.value).toBe('深圳无名贸易');
  });

  it('is read from XLSX, amounts typed as numbers, columns found by their header in any order', async () => {
    const dir = folder();
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('汇总');
    const [header = '', ...lines] = SUMMARY.trim().split('\n');
    const names = header.split(',');
    const order = [3, 0, 1, 2, 4, 5, 6];
    sheet.addRow(order.map((i) => names[i]));
    for (const line of lines) {
      const cells = line.split(',');
      sheet.addRow(order.map((i) => (i === 3 || i === 4 ? Number(cells[i]) : cells[i])));
    }
    const xlsx = path.join(dir, 'summary.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    const input = world(dir);
    input.summaries = [{ name: 'summary.xlsx', path: xlsx }];

    const { differences } = await run(input);

    expect(differences.find((d) => d.id === 'AMOUNT_MISMATCH:AMT:amount')?.sides[0]).toEqual({
      source: 'SALES_SUMMARY',
      value: 100_01,
      at: { file: 'summary.xlsx', line: 4 },
    });
  });

  it('is refused, naming the line, when an amount has three decimals', async () => {
    const dir = folder();
    const input = world(dir);
    input.summaries = [file(dir, 's.csv', SUMMARY.replace('100.01', '100.011'))];

    const error = await refusal(run(input));

    expect(error.code).toBe('INPUT_LINE_INVALID');
    expect(error.message).toMatch(/^s\.csv 第 4 行 line 4: amount/);
  });

  it('is refused when it lacks a required column', async () => {
    const dir = folder();
    const input = world(dir);
    input.summaries = [file(dir, 's.csv', SUMMARY.replace('supplierPayable', 'payable'))];

    expect((await refusal(run(input))).code).toBe('INPUT_HEADER_MISSING');
  });
});

it('keeps the generated statement in real Alipay layout: GBK bytes, tab-ended ids, # header and footer', () => {
  const dir = folder();
  const written = writeGbk(
    path.join(dir, 'x.csv'),
    accountLogText({ from: FROM, to: TO, rows: [credit('OK-1', 1)] }),
  );
  const text = new TextDecoder('gb18030').decode(readFileSync(written));

  expect(readFileSync(written).includes(Buffer.from('账务', 'utf8'))).toBe(false);
  expect(text.split('\r\n').slice(0, 3)).toEqual([
    '#支付宝账务明细查询',
    '#账号：[20881234567890120156]',
    '#起始日期：[2026年09月28日 00:00:00]   终止日期：[2026年10月05日 00:00:00]',
  ]);
  expect(text).toContain('OK-1\t,');
  expect(text).toContain('#收入合计：1笔，共0.01元');
});

describe('on one machine with threads', () => {
  it('partitions and matches the week in one or two threads with the same result as in this thread', async () => {
    const dir = folder();

    const inOne = await run(world(dir), 3, 0);
    const inThreads = [await run(world(dir), 3, 2), await run(world(dir), 3, 1)];

    for (const threaded of inThreads) {
      expect(threaded.result.counts).toEqual(inOne.result.counts);
      expect(threaded.result.totals).toEqual(inOne.result.totals);
      expect(threaded.result.supplierChanges).toEqual(inOne.result.supplierChanges);
      expect(threaded.differences).toEqual(inOne.differences);
      expect(threaded.matched).toEqual(inOne.matched);
    }
    expect(inOne.matched.length).toBeGreaterThan(0);
  });

  it('refuses a week in a thread as in one thread: the same code, file and line', async () => {
    const dir = folder();
    const input = world(dir);
    input.summaries = [file(dir, 's.csv', SUMMARY.replace('100.01', '100.011'))];

    const error = await refusal(run(input, 3, 2));

    expect(error.code).toBe('INPUT_LINE_INVALID');
    expect(error.at).toEqual({ file: 's.csv', line: 4 });
    expect(error.message).toMatch(/^s\.csv 第 4 行 line 4: amount/);
  });
});

describe('the report', () => {
  it('has a summary with totals and counts, the differences and the matched lines; amounts as numbers, ids as text', async () => {
    const dir = folder();
    const store = new TempDirPartitions();
    stores.push(store);
    const result = await reconcile(world(dir), { store, partitions: 2 });
    const out = path.join(dir, 'report.xlsx');

    await writeReconciliationReport(out, WEEK, result);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '汇总 Summary',
      '差异 Differences',
      '一致 Matched',
    ]);
    const [summary, differences, matched] = workbook.worksheets;
    const summaryRows = summary
      ?.getSheetValues()
      .slice(2)
      .map((row) => (row as unknown[]).slice(1));
    expect(summaryRows).toContainEqual(['截止日 Due on', '2026-10-08']);
    expect(summaryRows).toContainEqual(['支付宝服务费 Alipay fees', 1, 3.21]);
    expect(summaryRows).toContainEqual([CATEGORY_TITLES.AMOUNT_MISMATCH, 2]);
    const amountRow = differences
      ?.getSheetValues()
      .find((row) => Array.isArray(row) && row[1] === 'AMOUNT_MISMATCH:AMT:amount') as unknown[];
    expect(amountRow.slice(6, 12)).toEqual([
      'SALES_SUMMARY',
      100.01,
      '销售情况汇总表.csv:4',
      'PLATFORM',
      100,
      'orders.csv:5',
    ]);
    const matchedRows = matched?.getSheetValues().slice(2) as unknown[][];
    expect(matchedRows).toContainEqual([
      undefined,
      'OK-2',
      'SUP-1',
      1234.56,
      1000,
      1234.56,
      '销售情况汇总表.csv:3',
      'orders.csv:3',
    ]);
    expect(matchedRows.at(-1)?.[1]).toBe('合计 Total (8)');
  });
});

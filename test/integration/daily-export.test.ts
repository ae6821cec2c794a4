/**
 * The daily back-office export (POLICY 3.1, D10) on DynamoDB Local: windows that follow each other over
 * National Day 2026, a late-recorded order in the next export, a rerun that changes and mails nothing,
 * and the files as Excel opens them.
 */
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Person } from '../../lib/domain/model.ts';
import { runDailyExport } from '../../lib/exports/daily-export.ts';
import { importOrders } from '../../lib/orders/import-orders.ts';
import { type TestApp, testApp } from '../support/app.ts';

const HEADER = 'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus';

let app: TestApp;
let tech: Person;

/** Imports one settled order of the textile supplier at the clock's time `at`. */
async function recordOrder(orderId: string, fundsCreditedAt: string, at: string, amount = '1000.00') {
  app.clock.set(at);
  const result = await importOrders(
    app.deps,
    tech,
    `${HEADER}\n${orderId},SUP-HZ-TEXTILE,${amount},900.50,${fundsCreditedAt},${fundsCreditedAt},NONE\n`,
  );
  expect(result.rejected).toEqual([]);
}

async function exportOf(date: string, now: string) {
  app.clock.set(now);
  return runDailyExport(app.deps, { date, now: new Date(now) });
}

const entityId = () => tech.entityId;
/** The Shanghai entity's export mails (the demo's Guangzhou entity makes and mails its own). */
const exportMails = () =>
  app.outbox
    .list()
    .filter(
      (message) => message.subject.includes('Daily export') && message.to.includes('li.na@lianshang.example'),
    );

async function orderIdsIn(date: string): Promise<string[]> {
  const record = await app.deps.store.dailyExports.get(entityId(), date);
  if (!record) throw new Error(`no export of ${date}`);
  const csv = Buffer.from((await app.deps.evidence.get(record.files.csv)) ?? []).toString('utf8');
  return csv
    .split('\n')
    .slice(1)
    .map((line) => line.split(',')[0] ?? '')
    .filter((id) => id.startsWith('DE-'));
}

beforeEach(async () => {
  app = await testApp('2026-09-29T09:00:00+08:00');
  tech = app.person('tech');
});

describe('the daily export window', () => {
  it('puts every order in exactly one export over National Day 2026, a late-recorded one into the next export marked late', async () => {
    await recordOrder('DE-0929-A', '2026-09-29T09:00:00+08:00', '2026-09-29T10:00:00+08:00');
    await exportOf('2026-09-29', '2026-09-29T18:00:00+08:00');
    await recordOrder('DE-0930-B', '2026-09-30T11:00:00+08:00', '2026-09-30T12:00:00+08:00');
    // Credited before the 17:30 export of its day but recorded after it: the next one, late.
    await recordOrder('DE-0930-C', '2026-09-30T16:00:00+08:00', '2026-09-30T17:45:00+08:00');
    await exportOf('2026-09-30', '2026-09-30T18:00:00+08:00');
    for (const day of ['01', '02', '03', '04', '05', '06', '07']) {
      // National Day: no export, and nothing is lost — the days go into 10-08's window.
      expect((await exportOf(`2026-10-${day}`, `2026-10-${day}T18:00:00+08:00`)).entities).toEqual({});
    }
    await recordOrder('DE-1003-D', '2026-10-03T10:00:00+08:00', '2026-10-03T10:05:00+08:00');
    // Credited on 09-30 at 15:00 (inside 09-30's window) but recorded only on 10-05: late.
    await recordOrder('DE-0930-L', '2026-09-30T15:00:00+08:00', '2026-10-05T09:00:00+08:00');
    await exportOf('2026-10-08', '2026-10-08T18:00:00+08:00');

    const records = await app.deps.store.dailyExports.list(entityId(), '2026-09-01', '2026-10-31');
    expect(records.map((record) => [record.date, record.windowStart, record.windowEnd])).toEqual([
      ['2026-09-29', '1970-01-01T08:00:00.000+08:00', '2026-09-29T17:30:00.000+08:00'],
      ['2026-09-30', '2026-09-29T17:30:00.000+08:00', '2026-09-30T17:30:00.000+08:00'],
      ['2026-10-08', '2026-09-30T17:30:00.000+08:00', '2026-10-08T17:30:00.000+08:00'],
    ]);
    expect(await orderIdsIn('2026-09-29')).toEqual(['DE-0929-A']);
    expect(await orderIdsIn('2026-09-30')).toEqual(['DE-0930-B']);
    expect(await orderIdsIn('2026-10-08')).toEqual(['DE-0930-C', 'DE-1003-D', 'DE-0930-L']);
    expect(records.map((record) => record.late)).toEqual([0, 0, 2]);
    const october = await app.deps.store.dailyExports.get(entityId(), '2026-10-08');
    const csv = Buffer.from((await app.deps.evidence.get(october?.files.csv ?? '')) ?? []).toString('utf8');
    expect(csv.split('\n').find((line) => line.startsWith('DE-0930-L'))).toMatch(/是 yes$/);
    expect(csv.split('\n').find((line) => line.startsWith('DE-0930-C'))).toMatch(/是 yes$/);
    expect(csv.split('\n').find((line) => line.startsWith('DE-1003-D'))).toMatch(/否 no$/);
  });

  it('runs on the make-up working Saturday 2026-10-10 and takes up where 10-09 ended', async () => {
    await exportOf('2026-10-09', '2026-10-09T18:00:00+08:00');
    await recordOrder('DE-1010-S', '2026-10-10T09:00:00+08:00', '2026-10-10T09:30:00+08:00');
    const result = await exportOf('2026-10-10', '2026-10-10T18:00:00+08:00');

    expect(result.entities[entityId()]).toBe('EXPORTED');
    const record = await app.deps.store.dailyExports.get(entityId(), '2026-10-10');
    expect(record?.windowStart).toBe('2026-10-09T17:30:00.000+08:00');
    expect(await orderIdsIn('2026-10-10')).toEqual(['DE-1010-S']);
  });

  it('keeps an order in the export it went into when a later import changes its credit time', async () => {
    await recordOrder('DE-0929-A', '2026-09-29T09:00:00+08:00', '2026-09-29T10:00:00+08:00');
    await exportOf('2026-09-29', '2026-09-29T18:00:00+08:00');
    await recordOrder('DE-0929-A', '2026-09-29T16:00:00+08:00', '2026-09-30T10:00:00+08:00', '1200.00');
    await exportOf('2026-09-30', '2026-09-30T18:00:00+08:00');

    expect(await orderIdsIn('2026-09-29')).toEqual(['DE-0929-A']);
    expect(await orderIdsIn('2026-09-30')).toEqual([]);
  });

  it('ends a run made by hand before 17:30 where it ran, so an order recorded after it goes into the next export', async () => {
    await recordOrder('DE-0929-A', '2026-09-29T09:00:00+08:00', '2026-09-29T10:00:00+08:00');
    await exportOf('2026-09-29', '2026-09-29T11:00:00+08:00');
    await recordOrder('DE-0929-B', '2026-09-29T12:00:00+08:00', '2026-09-29T12:00:00+08:00');
    // The scheduled run of the day finds the day done.
    expect((await exportOf('2026-09-29', '2026-09-29T17:30:00+08:00')).entities[entityId()]).toBe(
      'ALREADY_DONE',
    );
    await exportOf('2026-09-30', '2026-09-30T18:00:00+08:00');

    expect(await orderIdsIn('2026-09-29')).toEqual(['DE-0929-A']);
    expect(await orderIdsIn('2026-09-30')).toEqual(['DE-0929-B']);
  });
});

describe('a rerun of the daily export', () => {
  it('changes nothing and mails nothing when the day is run again', async () => {
    await recordOrder('DE-0929-A', '2026-09-29T09:00:00+08:00', '2026-09-29T10:00:00+08:00');
    await exportOf('2026-09-29', '2026-09-29T18:00:00+08:00');
    const first = await app.deps.store.dailyExports.get(entityId(), '2026-09-29');
    const csv = await app.deps.evidence.get(first?.files.csv ?? '');
    expect(exportMails()).toHaveLength(1);
    await recordOrder('DE-0929-B', '2026-09-29T12:00:00+08:00', '2026-09-29T12:00:00+08:00');

    const again = await exportOf('2026-09-29', '2026-09-29T19:00:00+08:00');

    expect(again.entities[entityId()]).toBe('ALREADY_DONE');
    expect(await app.deps.store.dailyExports.get(entityId(), '2026-09-29')).toEqual(first);
    expect(await app.deps.evidence.get(first?.files.csv ?? '')).toEqual(csv);
    expect(exportMails()).toHaveLength(1);
  });

  it('mails merchandising and finance of the entity with the links and the totals', async () => {
    await recordOrder('DE-0929-A', '2026-09-29T09:00:00+08:00', '2026-09-29T10:00:00+08:00', '1234.56');
    await exportOf('2026-09-29', '2026-09-29T18:00:00+08:00');

    const [mail] = exportMails();
    expect(mail?.to).toEqual(
      expect.arrayContaining([
        'li.na@lianshang.example',
        'wang.qiang@lianshang.example',
        'liu.yang@lianshang.example',
        'wu.fang@lianshang.example',
      ]),
    );
    expect(mail?.to).not.toContain('zhang.wei@lianshang.example');
    expect(mail?.subject).toContain('¥1,234.56');
    expect(mail?.links).toEqual([
      'http://fundflow.test/daily-exports',
      'http://fundflow.test/daily-exports/2026-09-29/xlsx',
      'http://fundflow.test/daily-exports/2026-09-29/csv',
    ]);
  });
});

describe('the daily export files', () => {
  it('writes the CSV in UTF-8 with a BOM and the XLSX with amounts as numbers, ids as text and a total row', async () => {
    await recordOrder('DE-0929-A', '2026-09-29T09:00:00+08:00', '2026-09-29T10:00:00+08:00', '1234.56');
    await recordOrder('DE-0929-B', '2026-09-29T09:00:00+08:00', '2026-09-29T10:01:00+08:00', '1000.01');
    await exportOf('2026-09-29', '2026-09-29T18:00:00+08:00');
    const record = await app.deps.store.dailyExports.get(entityId(), '2026-09-29');

    const csv = Buffer.from((await app.deps.evidence.get(record?.files.csv ?? '')) ?? []);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain('杭州织锦服饰有限公司');

    const workbook = new ExcelJS.Workbook();
    const xlsx = Buffer.from((await app.deps.evidence.get(record?.files.xlsx ?? '')) ?? []);
    await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const first = sheet?.getRow(2);
    expect(first?.getCell(1).value).toBe('DE-0929-A');
    expect(first?.getCell(4).value).toBe(1234.56);
    expect(first?.getCell(5).value).toBe(900.5);
    const total = sheet?.getRow(4);
    expect(String(total?.getCell(1).value)).toContain('2');
    expect(total?.getCell(4).value).toBe(2234.57);
    expect(record?.amountFen).toBe(223_457);
  });
});

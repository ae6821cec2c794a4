/**
 * The reconciliation's inputs as upload kinds (POLICY 3.2, DESIGN.md decision 15): a CSV in UTF-8 or
 * GBK, an XLSX workbook and Alipay's `.csv.zip` are told from their bytes, never from their name or
 * declared type, and served as downloads.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { declaredAs, servingHeaders, sniffFile, sniffWholeFile } from '../../lib/uploads/file-kinds.ts';
import { accountLogText, gbk, zip } from '../support/alipay-files.ts';
import { zipOf } from '../support/files.ts';

const kindOf = async (bytes: Uint8Array) => (await sniffWholeFile(bytes))?.name ?? null;

const SUMMARY =
  'orderId,supplierId,supplierName,amount,supplierPayable,completedAt\nO1,S1,杭州织造,100.00,80.00,\n';

async function workbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('汇总').addRow(['orderId', 'amount']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const statement = () =>
  gbk(
    accountLogText({
      from: '2026-09-28T00:00:00',
      to: '2026-10-05T00:00:00',
      rows: [
        {
          serial: '20260928200040011100440000000001',
          orderId: 'O1',
          time: '2026-09-28 09:00:00',
          fen: 10_000,
          type: '在线支付',
        },
      ],
    }),
  );

describe('the reconciliation’s files as upload kinds', () => {
  it('tells a sales summary CSV in UTF-8, with or without a BOM', async () => {
    expect(await kindOf(Buffer.from(SUMMARY))).toBe('csv');
    expect(await kindOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SUMMARY)]))).toBe('csv');
  });

  it('tells a CSV saved in GBK, as Excel and Alipay write it in China', async () => {
    expect(await kindOf(gbk(SUMMARY))).toBe('csv');
    expect(await kindOf(statement())).toBe('csv');
  });

  it('tells an XLSX workbook', async () => {
    expect(await kindOf(await workbook())).toBe('xlsx');
  });

  it('tells Alipay’s .csv.zip, a zip of CSV files only', async () => {
    expect(await kindOf(zip([{ name: '20880001_20260928_账务明细.csv', body: statement() }]))).toBe('zip');
  });

  it.each([
    ['a zip with a page beside the statement', zipOf({ 'a.csv': 'x,y', 'a.html': '<html></html>' })],
    ['a zip of nothing but a page', zipOf({ 'invoice.html': '<html></html>' })],
    ['markup with commas', Buffer.from('<svg onload="alert(1)">a,b</svg>')],
    ['text with a NUL', Buffer.from('orderId,amount\nO1,1\u0000\n')],
    ['text without a single comma', Buffer.from('hello world\n')],
  ])('knows no kind for %s', async (_, bytes) => {
    expect(await kindOf(bytes)).toBeNull();
  });

  it('judges a CSV and a zip only on the whole file', async () => {
    expect(await sniffFile(Buffer.from(SUMMARY).subarray(0, 20), { complete: false })).toBe('incomplete');
    expect(await sniffFile(zipOf({ 'a.csv': 'x,y' }), { complete: false })).toBe('incomplete');
  });

  it('agrees with the types Windows browsers declare for a CSV and a zip, and with no other kind', async () => {
    const csv = await sniffWholeFile(Buffer.from(SUMMARY));
    const archive = await sniffWholeFile(zipOf({ 'a.csv': 'x,y' }));
    if (!csv || !archive) throw new Error('fixtures are files of our kinds');

    expect(declaredAs('text/csv', csv)).toBe(true);
    expect(declaredAs('application/vnd.ms-excel', csv)).toBe(true);
    expect(declaredAs('text/html', csv)).toBe(false);
    expect(declaredAs('application/x-zip-compressed', archive)).toBe(true);
    expect(declaredAs('application/ofd', archive)).toBe(false);
  });

  it('hands a CSV, a workbook and a zip out as downloads ending in their own extension', async () => {
    const csv = servingHeaders(await sniffWholeFile(Buffer.from(SUMMARY)), 'summary');
    const xlsx = servingHeaders(await sniffWholeFile(await workbook()), 'summary');
    const archive = servingHeaders(await sniffWholeFile(zipOf({ 'a.csv': 'x,y' })), 'bill');

    expect(csv).toMatchObject({
      contentType: 'text/csv',
      contentDisposition: `attachment; filename="summary.csv"; filename*=UTF-8''summary.csv`,
    });
    expect(xlsx.contentDisposition).toMatch(/^attachment; filename="summary\.xlsx"/);
    expect(archive).toMatchObject({ contentType: 'application/zip' });
    expect(archive.contentDisposition).toMatch(/^attachment; filename="bill\.zip"/);
  });
});

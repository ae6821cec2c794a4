/**
 * The pre-filled 销售情况汇总表 (POLICY 3.2, D11): fundflow's own orders complete that week (funds
 * credited, POLICY 2.1(1)), for merchandising to correct and upload back. Columns are the summary's
 * (sheets.ts SUMMARY_COLUMNS), so the file reads back as it was downloaded: amounts in yuan with two
 * decimals, completedAt ISO-8601 with its offset. CSV in UTF-8 with a BOM (Excel shows the Chinese
 * names); XLSX with amounts as numbers and ids as text. Written a page of orders at a time to a file,
 * stored in the object store and handed out by a short-lived link (a week is too big for a response).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AppDeps } from '../app.ts';
import type { Person } from '../domain/model.ts';
import { fenToYuanString } from '../domain/money.ts';
import { newId } from '../ids.ts';
import { workingDayCalendar } from '../working-days.ts';
import { templateKeyOf } from './files.ts';
import { PLATFORM_SOURCE, tablePlatformOrders } from './platform-orders.ts';
import { reconciliationWeek } from './week.ts';
import { getReconciliation } from './weeks.ts';

export type TemplateFormat = 'csv' | 'xlsx';

const CONTENT_TYPES: Record<TemplateFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

interface TemplateRow {
  orderId: string;
  supplierId: string;
  supplierName: string;
  amountFen: number;
  supplierPayableFen: number;
  completedAt: string;
}

const shanghaiIso = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

/** The week's complete orders with their supplier's name, a page at a time. */
async function* templateRows(
  deps: AppDeps,
  entityId: string,
  weekName: string,
): AsyncGenerator<TemplateRow[]> {
  const policy = await deps.store.settings.currentPolicy(entityId, deps.clock.now());
  const week = reconciliationWeek(weekName, await workingDayCalendar(deps), policy);
  const names = new Map<string, string>();
  // The summary's own orders are not asked for: only the week's, from the index.
  for await (const batch of tablePlatformOrders(deps, entityId, week, [])()) {
    const rows: TemplateRow[] = [];
    for (const order of batch) {
      if (order.at.file !== PLATFORM_SOURCE || order.completedAtMs === null) continue;
      if (!names.has(order.supplierId))
        names.set(order.supplierId, (await deps.store.suppliers.get(order.supplierId))?.name ?? '');
      rows.push({
        orderId: order.orderId,
        supplierId: order.supplierId,
        supplierName: names.get(order.supplierId) ?? '',
        amountFen: order.amountFen,
        supplierPayableFen: order.supplierPayableFen,
        completedAt: shanghaiIso(order.completedAtMs),
      });
    }
    yield rows;
  }
}

/** The summary's own columns, so the file reads back as it was downloaded (sheets.ts SUMMARY_COLUMNS). */
async function summaryColumns() {
  // The readers' module brings exceljs: loaded when a template is made, not at cold start.
  return [...(await import('./sheets.ts')).SUMMARY_COLUMNS];
}

async function writeCsv(file: string, rows: AsyncIterable<TemplateRow[]>): Promise<void> {
  const SUMMARY_COLUMNS = await summaryColumns();
  // csv-stringify loads with the first template asked for as CSV, not at every cold start.
  const { Stringifier } = await import('csv-stringify');
  const stringifier = new Stringifier({ bom: true, header: true, columns: SUMMARY_COLUMNS });
  const source = Readable.from(
    (async function* () {
      for await (const batch of rows)
        for (const row of batch)
          yield {
            orderId: row.orderId,
            supplierId: row.supplierId,
            supplierName: row.supplierName,
            amount: fenToYuanString(row.amountFen),
            supplierPayable: fenToYuanString(row.supplierPayableFen),
            completedAt: row.completedAt,
          };
    })(),
  );
  await pipeline(source, stringifier, createWriteStream(file));
}

async function writeXlsx(file: string, rows: AsyncIterable<TemplateRow[]>, week: string): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const SUMMARY_COLUMNS = await summaryColumns();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
  const sheet = workbook.addWorksheet(`销售情况汇总表 ${week}`);
  sheet.columns = SUMMARY_COLUMNS.map((key) => ({
    key,
    header: key,
    width: key === 'supplierName' ? 32 : 24,
    // Ids as text (a long order number must not turn into 1.2E+17); amounts as numbers in yuan.
    style: key === 'amount' || key === 'supplierPayable' ? { numFmt: '0.00' } : { numFmt: '@' },
  }));
  for await (const batch of rows)
    for (const row of batch)
      sheet
        .addRow({
          orderId: row.orderId,
          supplierId: row.supplierId,
          supplierName: row.supplierName,
          amount: row.amountFen / 100,
          supplierPayable: row.supplierPayableFen / 100,
          completedAt: row.completedAt,
        })
        .commit();
  sheet.commit();
  await workbook.commit();
}

/** Writes the template, stores it, and returns a short-lived link to it. */
export async function salesSummaryTemplate(
  deps: AppDeps,
  caller: Person,
  name: string,
  format: TemplateFormat,
): Promise<string> {
  const week = await getReconciliation(deps, caller, name);
  const dir = await mkdtemp(path.join(tmpdir(), 'fundflow-template-'));
  try {
    const file = path.join(dir, `template.${format}`);
    const rows = templateRows(deps, week.entityId, week.week);
    if (format === 'csv') await writeCsv(file, rows);
    else await writeXlsx(file, rows, week.week);
    const fileName = `sales-summary-${week.entityId}-${week.week}.${format}`;
    const key = templateKeyOf(week.entityId, week.week, newId(deps.clock.now().getTime()), fileName);
    await deps.evidence.put({ key, contentType: CONTENT_TYPES[format], body: await readFile(file) });
    return deps.evidence.presignDownload(key, {
      contentType: CONTENT_TYPES[format],
      contentDisposition: `attachment; filename="${fileName}"`,
      cacheControl: 'private, no-store',
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The daily exports against the real local runtime (POLICY 3.1, D10): the API by day range and by
 * day, its refusals, the files as they download, the page in Chromium at 390 and 1366 px, and orders
 * dropped into the inbox folder imported with their result beside them.
 */
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PNG } from '../support/app.ts';
import { launchBrowser, signIn } from '../support/browser.ts';
import { jsonPost, type RunningRuntime, startRuntime } from '../support/runtime.ts';

const FINANCE = 'liu.yang@lianshang.example';
const HEADER = 'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus';

let server: RunningRuntime;
let browser: Browser;
let finance: string;
let tech: string;
let entityId: string;

beforeAll(async () => {
  server = await startRuntime();
  browser = await launchBrowser();
  finance = await server.login(FINANCE);
  tech = await server.login('tech@lianshang.example');
  entityId = (await server.runtime.deps.store.people.get(FINANCE))?.entityId ?? '';
  await server.setClock('2026-11-18T10:00:00+08:00');
  const imported = await server.api('/api/orders/import', {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: `${HEADER}\nE2E-EXPORT-1,SUP-HZ-TEXTILE,321.09,300.00,2026-11-18T09:00:00+08:00,2026-11-18T09:30:00+08:00,NONE\n`,
    token: tech,
  });
  expect(imported.status).toBe(200);
  // By hand before 17:30, so the scheduler has nothing of its own to run for the day.
  await server.setClock('2026-11-18T16:00:00+08:00');
  const ran = await server.api('/api/dev/jobs/daily-export', jsonPost({ date: '2026-11-18' }));
  expect(ran.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

describe('the daily exports API', () => {
  it('lists the caller’s entity’s exports of a day range with their window, totals and file links', async () => {
    const response = await server.api('/api/daily-exports?from=2026-11-01&to=2026-11-30', { token: finance });

    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Record<string, unknown>[] };
    expect(items).toEqual([
      {
        date: '2026-11-18',
        entityId,
        windowStart: '1970-01-01T08:00:00.000+08:00',
        // Run by hand at 16:00 on the dev clock (which then runs on): it ends a minute before the run.
        windowEnd: expect.stringMatching(/^2026-11-18T15:59:\d\d\.\d{3}\+08:00$/),
        orders: expect.any(Number),
        amount: expect.any(Number),
        late: 0,
        files: { csv: '/api/daily-exports/2026-11-18/csv', xlsx: '/api/daily-exports/2026-11-18/xlsx' },
      },
    ]);
    expect(items[0]?.orders).toBeGreaterThan(1);
  });

  it('answers one day’s export, and 404 for a day it has not run', async () => {
    const found = await server.api('/api/daily-exports/2026-11-18', { token: finance });
    const missing = await server.api('/api/daily-exports/2026-11-19', { token: finance });

    expect(found.status).toBe(200);
    expect(((await found.json()) as { date: string }).date).toBe('2026-11-18');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it.each([
    ['/api/daily-exports?from=2026-13-01&to=2026-11-30', 'a month that does not exist'],
    ['/api/daily-exports?from=2026-11-01', 'no end of the range'],
    ['/api/daily-exports?from=2026-11-30&to=2026-11-01', 'a range that ends before it starts'],
    ['/api/daily-exports?from=2025-01-01&to=2026-11-30', 'a range of more than a year'],
    ['/api/daily-exports/18-11-2026', 'a day not in YYYY-MM-DD'],
    ['/api/daily-exports/2026-02-30', 'a day that does not exist'],
    ['/api/daily-exports/2026-11-18/pdf', 'a file format it does not make'],
  ])('refuses %s (%s) with a 400 in the error shape', async (pathname) => {
    const response = await server.api(pathname, { token: finance });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; issues: unknown[] } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.issues.length).toBeGreaterThan(0);
  });

  it('is for merchandising and finance only: the cashier gets a 403', async () => {
    const cashier = await server.login('chen.jing@lianshang.example');

    const response = await server.api('/api/daily-exports/2026-11-18', { token: cashier });

    expect(response.status).toBe(403);
  });

  it('downloads the XLSX with its type and file name, amounts as numbers', async () => {
    const response = await server.api('/api/daily-exports/2026-11-18/xlsx', { token: finance });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="daily-export-${entityId}-2026-11-18.xlsx"`,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0];
    const row = sheet?.getRows(2, sheet.rowCount - 1)?.find((r) => r.getCell(1).value === 'E2E-EXPORT-1');
    expect(row?.getCell(4).value).toBe(321.09);
  });

  it('downloads the CSV as UTF-8 with a BOM under its file name', async () => {
    const response = await server.api('/api/daily-exports/2026-11-18/csv', { token: finance });

    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain(`daily-export-${entityId}-2026-11-18.csv`);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});

async function withPage<T>(width: number, act: (page: Page) => Promise<T>): Promise<T> {
  const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    return await act(await context.newPage());
  } finally {
    await context.close();
  }
}

describe('the daily exports page', () => {
  it.each([390, 1366])(
    'lists the exports at %i px in both languages, without sideways scrolling or style attributes',
    async (width) => {
      const seen = await withPage(width, async (page) => {
        await signIn(page, server.runtime.url, FINANCE);
        await page.goto(`${server.runtime.url}/daily-exports?from=2026-11-01&to=2026-11-30`);
        return page.evaluate(() => ({
          heading: document.querySelector('h1')?.textContent,
          row: document.querySelector('[data-export="2026-11-18"]')?.textContent ?? '',
          links: Array.from(document.querySelectorAll('[data-export="2026-11-18"] a')).map((a) =>
            a.getAttribute('href'),
          ),
          scrollWidth: document.documentElement.scrollWidth,
          styled: document.querySelectorAll('[style]').length,
          text: document.body.innerText,
        }));
      });

      expect(seen.heading).toBe('每日订单导出 Daily exports');
      expect(seen.row).toContain('2026-11-18');
      expect(seen.links).toEqual(['/daily-exports/2026-11-18/xlsx', '/daily-exports/2026-11-18/csv']);
      expect(seen.scrollWidth).toBeLessThanOrEqual(width);
      expect(seen.styled).toBe(0);
      expect(seen.text).not.toMatch(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/);
    },
  );

  it('states the entity’s own export time, as its current policy version sets it (D17)', async () => {
    const current = await server.runtime.deps.store.settings.currentPolicy(
      entityId,
      server.runtime.deps.clock.now(),
    );
    await server.runtime.deps.store.settings.addPolicyVersion(entityId, {
      ...current,
      version: current.version + 1,
      dailyExportTime: '18:15',
    });

    const text = await withPage(1366, async (page) => {
      await signIn(page, server.runtime.url, FINANCE);
      await page.goto(`${server.runtime.url}/daily-exports?from=2026-11-01&to=2026-11-30`);
      return page.evaluate(() => document.body.innerText);
    });

    expect(text).toContain('每个工作日 18:15 导出');
    expect(text).toContain('Every working day at 18:15');
    expect(text).not.toContain('17:30');
  });

  it('downloads the file from the page’s link', async () => {
    const download = await withPage(1366, async (page) => {
      await signIn(page, server.runtime.url, FINANCE);
      const response = await page.request.get(`${server.runtime.url}/daily-exports/2026-11-18/csv`);
      return { status: response.status(), disposition: response.headers()['content-disposition'] };
    });

    expect(download.status).toBe(200);
    expect(download.disposition).toContain('.csv');
  });
});

describe('orders by file drop', () => {
  const inbox = () => path.join(server.dataDir, 'orders-inbox', entityId);
  const drop = (name: string, body: Buffer | string) => {
    mkdirSync(inbox(), { recursive: true });
    const file = path.join(inbox(), name);
    writeFileSync(file, body);
    // Settled: written a while ago, so the inbox does not wait for more bytes.
    utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    return file;
  };

  it('imports a CSV dropped into the inbox folder as the import endpoint does, its result beside it', async () => {
    const file = drop(
      'orders-1118.csv',
      `\uFEFF${HEADER}\nE2E-DROP-1,SUP-HZ-TEXTILE,88.00,80.00,,2026-11-18T11:00:00+08:00,NONE\nE2E-DROP-2,SUP-NOBODY,1.00,1.00,,,NONE\n`,
    );

    await server.runtime.ordersInbox.scan();

    const result = JSON.parse(readFileSync(`${file}.result.json`, 'utf8')) as {
      status: string;
      imported: number;
      updated: number;
      rejected: { line: number }[];
    };
    expect(result).toMatchObject({ status: 'IMPORTED', imported: 1, updated: 0 });
    expect(result.rejected.map((line) => line.line)).toEqual([3]);
    const order = await server.api('/api/orders/E2E-DROP-1', { token: tech });
    expect(order.status).toBe(200);
  });

  it('refuses a file that is not CSV by its bytes, whatever its name, and imports nothing', async () => {
    const file = drop('orders.csv.csv', TINY_PNG);

    await server.runtime.ordersInbox.scan();

    const result = JSON.parse(readFileSync(`${file}.result.json`, 'utf8')) as {
      status: string;
      error: { code: string };
    };
    expect(result).toMatchObject({ status: 'REFUSED', error: { code: 'NOT_CSV' } });
  });

  it('imports a dropped file once, even when the inbox looks again', async () => {
    const file = drop('orders-again.csv', `${HEADER}\nE2E-DROP-3,SUP-HZ-TEXTILE,9.00,9.00,,,NONE\n`);
    await server.runtime.ordersInbox.scan();
    const first = readFileSync(`${file}.result.json`, 'utf8');

    await server.setClock('2026-11-18T16:30:00+08:00');
    await server.runtime.ordersInbox.scan();

    expect(readFileSync(`${file}.result.json`, 'utf8')).toBe(first);
    const history = await server.runtime.deps.store.orders.history('E2E-DROP-3');
    expect(history.map((event) => event.type)).toEqual(['ORDER_IMPORTED']);
  });
});

/**
 * The list of payments missing their supplier's invoice (POLICY 2.1(3), D9), in real headless Chromium
 * at a phone's width (390 px) and a laptop's (1366 px): filtered by the days paid, sorted, with its
 * total, and exported to an XLSX file whose amounts are numbers, whose ids and accounts are text, with
 * the day paid and a total row.
 */
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../support/browser.ts';
import { jsonPost, type RunningRuntime, startRuntime } from '../support/runtime.ts';

const LI_NA = 'li.na@lianshang.example';
const HEAD = 'wang.qiang@lianshang.example';
const FINANCE = 'liu.yang@lianshang.example';
const CASHIER = 'chen.jing@lianshang.example';
const WIDTHS = [390, 1366] as const;

let server: RunningRuntime;
let browser: Browser;
const ids: Record<string, string> = {};

async function submitApprovePay(key: string, amount: string, paidOn: string): Promise<string> {
  const id = await server.submitTextileVoucher(await server.login(LI_NA), key, 'LS-20261116-0001', amount);
  await server.approveAs(HEAD, id);
  await server.approveAs(FINANCE, id);
  const payment = await server.api(`/api/vouchers/${id}/payment`, {
    ...jsonPost({ status: 'PAID', bankReference: `ICBC-${key}`, paidOn }),
    token: await server.login(CASHIER),
  });
  expect(payment.status).toBe(200);
  return id;
}

beforeAll(async () => {
  server = await startRuntime();
  browser = await launchBrowser();
  await server.setClock('2026-11-17T09:00:00+08:00');
  ids.older = await submitApprovePay('e2e-missing-older', '10.00', '2026-11-17');
  await server.setClock('2026-11-18T09:00:00+08:00');
  ids.small = await submitApprovePay('e2e-missing-small', '20.00', '2026-11-18');
  ids.large = await submitApprovePay('e2e-missing-large', '30.00', '2026-11-18');
  await server.setClock('2026-11-19T09:00:00+08:00');
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

async function withPage<T>(width: number, act: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    return await act(await context.newPage());
  } finally {
    await context.close();
  }
}

async function looksRight(page: Page, width: number): Promise<string[]> {
  const seen = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    styled: document.querySelectorAll('[style]').length,
    text: document.body.innerText,
  }));
  return [
    ...(seen.scrollWidth > width ? [`${seen.scrollWidth} px wide`] : []),
    ...(seen.styled > 0 ? ['a style attribute'] : []),
    ...(seen.text.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []),
    ...(seen.text.includes('POLICY') ? ['a clause number'] : []),
  ];
}

const rowIds = (page: Page) =>
  page
    .locator('main table tbody tr[data-voucher]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-voucher')));

const totals = async (page: Page) => ({
  count: await page.getAttribute('.list-totals', 'data-count'),
  amountFen: await page.getAttribute('.list-totals', 'data-amount-fen'),
});

describe.each(WIDTHS)('the missing-invoices list at %i px', (width) => {
  it('lists every payment missing its invoice, the longest waiting first, with their total', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, FINANCE);
      await page.goto(`${server.runtime.url}/supplier-invoices/missing`);
      return {
        rows: await rowIds(page),
        totals: await totals(page),
        problems: await looksRight(page, width),
      };
    });

    expect(found.rows).toEqual([ids.older, ids.small, ids.large]);
    expect(found.totals).toEqual({ count: '3', amountFen: '6000' });
    expect(found.problems).toEqual([]);
  });

  it('filters by the days paid and sorts by amount, as a person sets the form', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, FINANCE);
      await page.goto(`${server.runtime.url}/supplier-invoices/missing`);
      await page.fill('input[name=from]', '2026-11-18');
      await page.fill('input[name=to]', '2026-11-18');
      await page.selectOption('select[name=sort]', 'amount-desc');
      await Promise.all([page.waitForURL(/sort=amount-desc/), page.click('main form.filters button')]);
      return {
        rows: await rowIds(page),
        totals: await totals(page),
        text: await page.textContent('.list-totals'),
        problems: await looksRight(page, width),
      };
    });

    expect(found.rows).toEqual([ids.large, ids.small]);
    expect(found.totals).toEqual({ count: '2', amountFen: '5000' });
    expect(found.text).toContain('¥50.00');
    expect(found.problems).toEqual([]);
  });

  it('refuses a first day after the last, saying why in both languages', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, FINANCE);
      const response = await page.goto(
        `${server.runtime.url}/supplier-invoices/missing?from=2026-11-19&to=2026-11-17`,
      );
      return {
        status: response?.status(),
        summary: await page.textContent('main [role=alert]'),
        problems: await looksRight(page, width),
      };
    });

    expect(found.status).toBe(400);
    expect(found.summary).toContain('开始日期不能晚于结束日期');
    expect(found.summary).toContain('The first day comes after the last');
    expect(found.problems).toEqual([]);
  });
});

describe('the missing-invoices XLSX export', () => {
  it('writes the list as filtered: the day paid and ids as text, amounts as numbers, a total row', async () => {
    const { response, sheet } = await withPage(1366, async (page) => {
      await signIn(page, server.runtime.url, FINANCE);
      await page.goto(
        `${server.runtime.url}/supplier-invoices/missing?from=2026-11-18&to=2026-11-18&sort=amount-desc`,
      );
      const href = (await page.getAttribute('a[href^="/supplier-invoices/missing/export"]', 'href')) ?? '';
      const file = await page.request.get(`${server.runtime.url}${href}`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await file.body()) as unknown as ArrayBuffer);
      return { response: file, sheet: workbook.worksheets[0] };
    });

    expect(response.headers()['content-disposition']).toContain(
      'attachment; filename="missing-invoices-2026-11-19.xlsx"',
    );
    const header = ((sheet?.getRow(1).values ?? []) as unknown[]).slice(1);
    const column = (name: string) => header.indexOf(name) + 1;
    const first = sheet?.getRow(2);
    expect(first?.getCell(column('付款日 Paid on')).value).toBe('2026-11-18');
    expect(first?.getCell(column('凭单 ID')).value).toBe(ids.large);
    expect(first?.getCell(column('凭单 ID')).type).toBe(ExcelJS.ValueType.String);
    // Finance sees the full account, as text (a bare 19-digit number would become 3.3E+18).
    expect(first?.getCell(column('收款账号 Account')).value).toBe('3301 0400 0001 2345 678');
    expect(first?.getCell(column('金额（元）Amount (yuan)')).value).toBe(30);
    expect(first?.getCell(column('金额（元）Amount (yuan)')).type).toBe(ExcelJS.ValueType.Number);
    const total = sheet?.getRow(4);
    expect(total?.getCell(1).value).toBe('合计 Total: 2');
    expect(total?.getCell(column('金额（元）Amount (yuan)')).value).toMatchObject({
      formula: 'SUM(M2:M3)',
      result: 50,
    });
  });
});

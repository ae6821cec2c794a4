/**
 * The lists of vouchers and the printable 《付款凭单》, in real headless Chromium at a phone's width
 * (390 px) and a laptop's (1366 px): my vouchers — and, for finance, the entity's by status — filter
 * by status and by the days submitted, sort, show their total and export to an XLSX file whose
 * amounts are numbers and whose ids and accounts are text, with a total row; a short number finds its
 * voucher; the printed voucher carries the policy's fields, the amount in capitals, the approval trail
 * by name and a place for each signature.
 */
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../support/browser.ts';
import { decideByForm, type RunningRuntime, startRuntime, voucherOfLink } from '../support/runtime.ts';

const LI_NA = 'li.na@lianshang.example';
const HEAD = 'wang.qiang@lianshang.example';
const FINANCE = 'liu.yang@lianshang.example';
const WIDTHS = [390, 1366] as const;

let server: RunningRuntime;
let browser: Browser;
let liNaToken: string;
const ids: Record<string, string> = {};

async function withPage<T>(width: number, act: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    return await act(await context.newPage());
  } finally {
    await context.close();
  }
}

async function decideAs(email: string, voucherId: string, decision: 'APPROVE' | 'REJECT', reason = '') {
  await server.runtime.engine.settled();
  const link = (await server.outbox())
    .filter((message) => message.to.includes(email))
    .flatMap((message) => message.links)
    .findLast((candidate) => candidate.includes('/approvals/') && voucherOfLink(candidate) === voucherId);
  if (!link) throw new Error(`no link for ${email}`);
  expect((await decideByForm(link, decision, reason)).status).toBe(200);
  await server.runtime.engine.settled();
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

beforeAll(async () => {
  server = await startRuntime();
  browser = await launchBrowser();
  liNaToken = await server.login(LI_NA);
  await server.setClock('2026-11-17T09:00:00+08:00');
  ids.older = await server.submitTextileVoucher(liNaToken, 'e2e-list-older', 'LS-20261116-0001', '10.00');
  await decideAs(HEAD, ids.older, 'APPROVE');
  await decideAs(FINANCE, ids.older, 'APPROVE');
  await server.setClock('2026-11-18T09:00:00+08:00');
  ids.large = await server.submitTextileVoucher(liNaToken, 'e2e-list-large', 'LS-20261116-0001', '30.00');
  ids.small = await server.submitTextileVoucher(liNaToken, 'e2e-list-small', 'LS-20261116-0001', '20.00');
  ids.rejected = await server.submitTextileVoucher(
    liNaToken,
    'e2e-list-rejected',
    'LS-20261116-0001',
    '5.00',
  );
  await decideAs(HEAD, ids.rejected, 'REJECT', '重复 duplicate');
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

describe.each(WIDTHS)('my vouchers at %i px', (width) => {
  it('filters by the days submitted and sorts by amount, with the total of what it shows', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await page.goto(`${server.runtime.url}/vouchers`);
      await page.fill('input[name=from]', '2026-11-18');
      await page.fill('input[name=to]', '2026-11-18');
      await page.selectOption('select[name=sort]', 'amount-desc');
      await Promise.all([
        page.waitForURL(/sort=amount-desc/),
        page.click('form.filters button[type=submit]'),
      ]);
      return {
        rows: await rowIds(page),
        count: await page.getAttribute('.list-totals', 'data-count'),
        amount: await page.getAttribute('.list-totals', 'data-amount-fen'),
        footer: await page.textContent('main table tfoot'),
        problems: await looksRight(page, width),
      };
    });

    expect(found.rows).toEqual([ids.large, ids.small, ids.rejected]);
    expect([found.count, found.amount]).toEqual(['3', '5500']);
    expect(found.footer).toContain('¥55.00');
    expect(found.problems).toEqual([]);
  });

  it('filters by status', async () => {
    const rows = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await page.goto(`${server.runtime.url}/vouchers`);
      await page.selectOption('select[name=status]', 'REJECTED');
      await Promise.all([page.waitForURL(/status=REJECTED/), page.click('form.filters button[type=submit]')]);
      return rowIds(page);
    });

    expect(rows).toEqual([ids.rejected]);
  });

  it('opens the voucher a short number names, as typed', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await page.goto(`${server.runtime.url}/vouchers`);
      await page.fill('input[name=number]', 'fk-20261117-1');
      await Promise.all([page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/), page.click('form.search button')]);
      const opened = new URL(page.url()).pathname;
      await page.goto(`${server.runtime.url}/vouchers?number=FK-20261117-0009`);
      return { opened, missing: await page.textContent('[role=status].not-found') };
    });

    expect(found.opened).toBe(`/vouchers/${ids.older}`);
    expect(found.missing).toContain('No voucher FK-20261117-0009 that you may see');
  });
});

/** The export's columns (a loaded workbook knows them by position only). */
const COLUMN = { number: 1, id: 2, account: 8, amount: 12 } as const;

/** The XLSX a signed-in person downloads from the list page's export link. */
async function exported(email: string, query: string) {
  return withPage(1366, async (page) => {
    await signIn(page, server.runtime.url, email);
    await page.goto(`${server.runtime.url}/vouchers?${query}`);
    const href = (await page.getAttribute('a[href^="/vouchers/export"]', 'href')) ?? '';
    const response = await page.request.get(`${server.runtime.url}${href}`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.body()) as unknown as ArrayBuffer);
    return { response, sheet: workbook.worksheets[0] };
  });
}

describe('the XLSX export', () => {
  it('writes amounts as numbers, ids and accounts as text, and a total row, for the list as filtered', async () => {
    const { response, sheet } = await exported(LI_NA, 'from=2026-11-18&to=2026-11-18&sort=amount-desc');

    expect(response.headers()['content-type']).toContain('spreadsheetml');
    expect(response.headers()['content-disposition']).toContain(
      'attachment; filename="vouchers-2026-11-18.xlsx"',
    );
    const header = sheet?.getRow(1).values as unknown[];
    expect(header).toContain('金额（元）Amount (yuan)');
    const first = sheet?.getRow(2);
    expect(first?.getCell(COLUMN.id).value).toBe(ids.large);
    expect(first?.getCell(COLUMN.id).type).toBe(ExcelJS.ValueType.String);
    expect(first?.getCell(COLUMN.number).value).toMatch(/^FK-20261118-\d{4}$/);
    expect(first?.getCell(COLUMN.amount).value).toBe(30);
    expect(first?.getCell(COLUMN.amount).type).toBe(ExcelJS.ValueType.Number);
    expect(first?.getCell(COLUMN.amount).numFmt).toBe('#,##0.00');
    // The merchandiser's own file shows the account as her pages do: masked, as text.
    expect(first?.getCell(COLUMN.account).value).toBe('**** **** 5678');
    const total = sheet?.getRow(5);
    expect(total?.getCell(COLUMN.number).value).toBe('合计 Total: 3');
    expect(total?.getCell(COLUMN.amount).value).toMatchObject({ formula: 'SUM(L2:L4)', result: 55 });
  });

  it('gives finance the entity’s vouchers of one status with the full account, as text', async () => {
    const { sheet } = await exported(FINANCE, 'scope=entity&status=READY_FOR_PAYMENT');

    const row = sheet?.getRow(2);
    expect(row?.getCell(COLUMN.id).value).toBe(ids.older);
    expect(row?.getCell(COLUMN.account).value).toBe('3301 0400 0001 2345 678');
    expect(row?.getCell(COLUMN.account).type).toBe(ExcelJS.ValueType.String);
    expect(sheet?.getColumn(COLUMN.account).numFmt).toBe('@');
    expect(sheet?.getRow(3).getCell(COLUMN.number).value).toBe('合计 Total: 1');
  });
});

describe.each(WIDTHS)('finance’s list of the entity at %i px', (width) => {
  it('lists everyone’s vouchers of one status', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, FINANCE);
      await page.goto(`${server.runtime.url}/vouchers?scope=entity&status=IN_APPROVAL`);
      return { rows: await rowIds(page), problems: await looksRight(page, width) };
    });

    expect(found.rows.sort()).toEqual([ids.large, ids.small].sort());
    expect(found.problems).toEqual([]);
  });
});

describe.each(WIDTHS)('the printable voucher at %i px', (width) => {
  it('carries the policy’s fields, the amount in capitals, the trail by name and a place for each signature', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, FINANCE);
      await page.goto(`${server.runtime.url}/vouchers/${ids.older}`);
      await Promise.all([page.waitForURL(/\/print$/), page.click('a[href$="/print"]')]);
      const screen = {
        title: await page.textContent('h1'),
        grid: await page.textContent('table.print-grid'),
        capitals: await page.textContent('[data-testid=capitals]'),
        trail: await page.textContent('table.trail'),
        signatures: await page.locator('.signature').count(),
        problems: await looksRight(page, width),
      };
      await page.emulateMedia({ media: 'print' });
      return {
        ...screen,
        headerWhenPrinted: await page
          .locator('body > header')
          .evaluate((header) => getComputedStyle(header).display),
      };
    });

    expect(found.title).toContain('《付款凭单》');
    expect(found.grid).toContain('杭州织锦服饰有限公司');
    expect(found.grid).toContain('3301 0400 0001 2345 678');
    expect(found.grid).toContain('中国工商银行杭州西湖支行');
    expect(found.grid).toContain('秋冬女装');
    expect(found.grid).toContain('LS-20261116-0001');
    expect(found.grid).toContain('¥10.00');
    expect(found.capitals).toBe('人民币壹拾元整');
    expect(found.trail).toContain('王强 Wang Qiang');
    expect(found.trail).toContain('刘洋 Liu Yang');
    expect(found.trail).toMatch(/2026-11-17 \d{2}:\d{2}/);
    // The applicant, the head of merchandising, finance review and the cashier.
    expect(found.signatures).toBe(4);
    expect(found.headerWhenPrinted).toBe('none');
    expect(found.problems).toEqual([]);
  });
});

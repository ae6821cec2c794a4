/**
 * The pages as a person uses them: the real local runtime and real headless Chromium.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TINY_PNG } from '../support/app.ts';
import { launchBrowser } from '../support/browser.ts';
import { type RunningRuntime, startRuntime } from '../support/runtime.ts';

let server: RunningRuntime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const screenshot = path.join(mkdtempSync(path.join(tmpdir(), 'fundflow-png-')), 'order.png');

const TEXTILE = {
  supplierId: 'SUP-HZ-TEXTILE',
  payeeName: '杭州织锦服饰有限公司',
  payeeAccount: '3301 0400 0001 2345 678',
  payeeBank: '中国工商银行杭州西湖支行',
  goods: '秋冬女装 200 件',
};

beforeAll(async () => {
  writeFileSync(screenshot, TINY_PNG);
  server = await startRuntime();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  page = await context.newPage();
});

afterEach(async () => {
  await context.close();
});

async function signIn(email: string) {
  await page.goto(`${server.runtime.url}/login`);
  await page.selectOption('select[name=email]', email);
  await Promise.all([page.waitForURL(`${server.runtime.url}/`), page.click('main button[type=submit]')]);
}

async function fillVoucher(fields: Partial<typeof TEXTILE> & { amount: string; orderIds: string }) {
  const values = { ...TEXTILE, ...fields };
  await page.goto(`${server.runtime.url}/vouchers/new`);
  for (const [name, value] of Object.entries(values)) {
    await page.fill(`[name=${name}]`, value);
  }
  await page.setInputFiles('input[name=evidence]', screenshot);
}

describe('signing in', () => {
  it('sends someone without a session to the sign-in page', async () => {
    await page.goto(`${server.runtime.url}/vouchers`);

    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('greets the person picked on the sign-in page by name', async () => {
    await signIn('li.na@lianshang.example');

    expect(await page.textContent('h1')).toContain('李娜');
  });
});

describe('submitting a voucher in the browser', () => {
  beforeEach(async () => {
    await signIn('li.na@lianshang.example');
  });

  it('lands on the voucher with its amount, status, route and history', async () => {
    await fillVoucher({ amount: '10,000.00', orderIds: 'LS-20261116-0001' });
    await Promise.all([page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/), page.click('main button[type=submit]')]);

    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('¥10,000.00');
    expect(text).toMatch(/Submitted|In approval/);
    expect(text).toMatch(
      /wang\.qiang@lianshang\.example[\s\S]*liu\.yang@lianshang\.example[\s\S]*chen\.jing@lianshang\.example/,
    );
    expect(text).toContain('VOUCHER_SUBMITTED');
  });

  it('keeps what was typed and names the order when the order is not settled, saving nothing', async () => {
    await fillVoucher({ amount: '500.00', orderIds: 'LS-20261117-0006' });
    const [response] = await Promise.all([
      page.waitForResponse(/\/vouchers\/new$/),
      page.click('main button[type=submit]'),
    ]);

    expect(response.status()).toBe(422);
    expect(await page.textContent('[role=alert]')).toContain('LS-20261117-0006');
    expect(await page.inputValue('[name=amount]')).toBe('500.00');
    expect(await page.inputValue('[name=payeeName]')).toBe(TEXTILE.payeeName);
    await page.goto(`${server.runtime.url}/vouchers`);
    expect(await page.textContent('main')).not.toContain('¥500.00');
  });

  it('shows the bank-details flag when the payee account differs from the master data', async () => {
    await fillVoucher({
      amount: '100.00',
      orderIds: 'LS-20261116-0002',
      payeeAccount: '6222 0000 1111 2222',
    });
    await Promise.all([page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/), page.click('main button[type=submit]')]);

    expect(await page.textContent('main')).toContain('BANK_DETAILS_MISMATCH');
  });

  it('lists the submitted voucher under my vouchers', async () => {
    await fillVoucher({ amount: '321.00', orderIds: 'LS-20261116-0002' });
    await Promise.all([page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/), page.click('main button[type=submit]')]);
    await page.goto(`${server.runtime.url}/vouchers`);

    expect(await page.textContent('main')).toContain('¥321.00');
  });

  it('opens the uploaded evidence from the voucher page', async () => {
    await fillVoucher({ amount: '12.00', orderIds: 'LS-20261116-0002' });
    await Promise.all([page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/), page.click('main button[type=submit]')]);
    const href = await page.getAttribute('a[href^="/evidence/"]', 'href');

    const response = await page.goto(`${server.runtime.url}${href}`);

    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('image/png');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    await fillVoucher({ amount: '13.00', orderIds: 'LS-20261116-0002' });
    await Promise.all([page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/), page.click('main button[type=submit]')]);

    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path: path.join(tmpdir(), 'fundflow-voucher.png'), fullPage: true });
    expect(scrollWidth).toBeLessThanOrEqual(390);
  });
});

describe('page safety', () => {
  it('escapes what people type instead of running it', async () => {
    await signIn('li.na@lianshang.example');
    await fillVoucher({
      amount: '14.00',
      orderIds: 'LS-20261116-0002',
      goods: '<img src=x onerror=alert(1)>',
    });
    await Promise.all([page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/), page.click('main button[type=submit]')]);

    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.textContent('main')).toContain('<img src=x onerror=alert(1)>');
  });

  it('forbids scripts and framing on every page', async () => {
    const response = await page.goto(`${server.runtime.url}/login`);
    const headers = response?.headers() ?? {};

    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).not.toContain('script-src');
    expect(headers['x-frame-options']).toBe('DENY');
  });
});

/**
 * The pages as a person uses them: the real local runtime and real headless Chromium.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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
const screenshot = path.join(mkdtempSync(path.join(tmpdir(), 'fundflow-png-')), '订单截图.png');

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

/** Every file in the runtime's evidence "bucket". */
const evidenceFiles = () => {
  const folder = path.join(server.dataDir, 'evidence');
  return existsSync(folder) ? readdirSync(folder, { recursive: true }).sort() : [];
};

async function signIn(email: string) {
  await page.goto(`${server.runtime.url}/login`);
  await page.selectOption('select[name=email]', email);
  await Promise.all([page.waitForURL(`${server.runtime.url}/`), page.click('main button[type=submit]')]);
}

/** The form of the supplier (its second step), filled as typed: orders typed, not ticked. */
async function fillVoucher(fields: Partial<typeof TEXTILE> & { amount: string; orderIds: string }) {
  const { supplierId, ...values } = { ...TEXTILE, ...fields };
  await page.goto(`${server.runtime.url}/vouchers/new?supplier=${supplierId}`);
  for (const [name, value] of Object.entries(values)) {
    await page.fill(`[name=${name}]`, value);
  }
  await page.setInputFiles('input[name=evidence]', screenshot);
}

async function submitVoucher(fields: Parameters<typeof fillVoucher>[0]) {
  await fillVoucher(fields);
  await Promise.all([
    page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/),
    page.click('main form[method=post] button[type=submit]'),
  ]);
}

describe('signing in', () => {
  it('sends someone without a session to the sign-in page', async () => {
    await page.goto(`${server.runtime.url}/vouchers`);

    expect(new URL(page.url()).pathname).toBe('/login');
  });

  it('greets the person picked on the sign-in page by name', async () => {
    await signIn('li.na@lianshang.example');

    // The home page is what waits for her, under her name.
    expect(await page.textContent('h1')).toContain('Waiting for me');
    expect(await page.textContent('main')).toContain('李娜 Li Na');
  });

  it('ends the session on sign-out, so the pages ask to sign in again', async () => {
    await signIn('li.na@lianshang.example');
    await Promise.all([page.waitForURL(`${server.runtime.url}/login`), page.click('header button')]);

    await page.goto(`${server.runtime.url}/vouchers`);

    expect(new URL(page.url()).pathname).toBe('/login');
  });
});

describe('submitting a voucher in the browser', () => {
  beforeEach(async () => {
    await signIn('li.na@lianshang.example');
  });

  it('lands on the voucher with its amount, status, route and history', async () => {
    await submitVoucher({ amount: '10,000.00', orderIds: 'LS-20261116-0001' });

    expect(await page.textContent('main dd.amount')).toBe('¥10,000.00');
    // The approval chain starts at once, so the voucher may already have moved on.
    expect(await page.textContent('main > p .status')).toMatch(/Submitted|In approval/);
    expect(await page.textContent('ol.steps')).toMatch(
      /wang\.qiang@lianshang\.example[\s\S]*liu\.yang@lianshang\.example[\s\S]*chen\.jing@lianshang\.example/,
    );
    expect(await page.textContent('table.history tbody tr:first-child')).toMatch(/李娜[\s\S]*提交 Submitted/);
  });

  it('makes one voucher when the same form is sent a second time', async () => {
    const fields = { ...TEXTILE, amount: '15.00', orderIds: 'LS-20261116-0002' };
    await fillVoucher(fields);
    const idempotencyKey = await page.inputValue('[name=idempotencyKey]');
    await Promise.all([page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/), page.click('main button[type=submit]')]);

    // Chromium does not hand out an upload's bytes to replay, so the second sending is rebuilt as sent.
    const again = await context.request.post(`${server.runtime.url}/vouchers/new`, {
      multipart: {
        ...fields,
        idempotencyKey,
        evidence: { name: path.basename(screenshot), mimeType: 'image/png', buffer: TINY_PNG },
      },
      maxRedirects: 0,
    });

    expect(again.status()).toBe(303);
    expect(again.headers().location).toBe(new URL(page.url()).pathname);
    await page.goto(`${server.runtime.url}/vouchers`);
    expect(await page.locator('td.amount', { hasText: '¥15.00' }).count()).toBe(1);
  });

  it('makes one voucher from two copies of one form sent at the same moment', async () => {
    const fields = { ...TEXTILE, amount: '16.00', orderIds: 'LS-20261116-0002' };
    await fillVoucher(fields);
    const idempotencyKey = await page.inputValue('[name=idempotencyKey]');
    const send = () =>
      context.request.post(`${server.runtime.url}/vouchers/new`, {
        multipart: {
          ...fields,
          idempotencyKey,
          evidence: { name: 'order.png', mimeType: 'image/png', buffer: TINY_PNG },
        },
        maxRedirects: 0,
      });

    const [first, second] = await Promise.all([send(), send()]);

    expect([first.status(), second.status()]).toEqual([303, 303]);
    expect(first.headers().location).toBe(second.headers().location);
    await page.goto(`${server.runtime.url}/vouchers`);
    expect(await page.locator('td.amount', { hasText: '¥16.00' }).count()).toBe(1);
  });

  it('keeps what was typed and the chosen screenshot, and names the order, when the order is not settled, saving no voucher', async () => {
    await fillVoucher({ amount: '500.00', orderIds: 'LS-20261117-0006' });
    const filesBefore = evidenceFiles();
    const [response] = await Promise.all([
      page.waitForResponse(/\/vouchers\/new$/),
      page.click('main button[type=submit]'),
    ]);

    expect(response.status()).toBe(422);
    expect(await page.textContent('[role=alert]')).toContain('LS-20261117-0006');
    expect(await page.inputValue('[name=amount]')).toBe('500.00');
    expect(await page.inputValue('[name=payeeName]')).toBe(TEXTILE.payeeName);
    // The screenshot is kept for the form (held, once), nothing else.
    const pngs = (names: (string | Buffer)[]) => names.filter((name) => String(name).endsWith('.png'));
    expect(pngs(evidenceFiles())).toHaveLength(pngs(filesBefore).length + 1);
    expect(await page.textContent('fieldset.kept')).toContain('订单截图.png');
    await page.goto(`${server.runtime.url}/vouchers`);
    expect(await page.textContent('main')).not.toContain('¥500.00');
  });

  it('shows the bank-details flag when the payee account differs from the master data', async () => {
    await submitVoucher({
      amount: '100.00',
      orderIds: 'LS-20261116-0002',
      payeeAccount: '6222 0000 1111 2222',
    });

    const note = (await page.textContent('[role=note]')) ?? '';
    expect(note).toContain('收款信息与供应商档案不符 Payee differs from the supplier records');
    expect(note).toContain('**** **** 2222');
    // Plain words only: neither the flag's code nor a clause reference is on screen.
    expect(note).not.toContain('BANK_DETAILS_MISMATCH');
    expect(note).not.toContain('POLICY');
  });

  it('lists the submitted voucher under my vouchers', async () => {
    await submitVoucher({ amount: '321.00', orderIds: 'LS-20261116-0002' });
    await page.goto(`${server.runtime.url}/vouchers`);

    expect(await page.textContent('main')).toContain('¥321.00');
  });

  it('opens the uploaded evidence from the voucher page', async () => {
    await submitVoucher({ amount: '12.00', orderIds: 'LS-20261116-0002' });
    const href = await page.getAttribute('a[href^="/evidence/"]', 'href');

    const response = await page.goto(`${server.runtime.url}${href}`);

    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('image/png');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    await submitVoucher({ amount: '13.00', orderIds: 'LS-20261116-0002' });

    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    // For a person to look at: how the voucher reads on a phone.
    await page.screenshot({ path: '/tmp/fundflow-voucher.png', fullPage: true });
    expect(scrollWidth).toBeLessThanOrEqual(390);
  });
});

describe('what a page refuses', () => {
  it('answers 404 with a not-found page for a voucher that does not exist', async () => {
    await signIn('li.na@lianshang.example');

    const response = await page.goto(`${server.runtime.url}/vouchers/01KAAAAAAAAAAAAAAAAAAAAAAA`);

    expect(response?.status()).toBe(404);
    expect(await page.textContent('h1')).toContain('Not found');
  });

  it('answers 403 when someone who is not a merchandiser opens the voucher form', async () => {
    await signIn('zhang.wei@lianshang.example');

    const response = await page.goto(`${server.runtime.url}/vouchers/new`);

    expect(response?.status()).toBe(403);
    expect(await page.locator('form[action="/vouchers/new"]').count()).toBe(0);
  });

  it("does not show one merchandiser's evidence to another", async () => {
    await signIn('li.na@lianshang.example');
    await submitVoucher({ amount: '16.00', orderIds: 'LS-20261116-0002' });
    const href = await page.getAttribute('a[href^="/evidence/"]', 'href');
    await context.clearCookies();
    await signIn('sun.hao@lianshang.example');

    const response = await page.goto(`${server.runtime.url}${href}`);

    expect(response?.status()).toBe(404);
    expect(response?.headers()['content-type']).toContain('text/html');
  });
});

describe('page safety', () => {
  it('escapes what people type instead of running it', async () => {
    await signIn('li.na@lianshang.example');
    await submitVoucher({
      amount: '14.00',
      orderIds: 'LS-20261116-0002',
      goods: '<img src=x onerror=alert(1)>',
    });

    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.textContent('main')).toContain('<img src=x onerror=alert(1)>');
  });

  it('answers a hand-made form that sends a field again as name[0] with a 400 page, and serves on', async () => {
    const token = await server.login('li.na@lianshang.example');
    const boundary = 'handMadeForm0123';
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const send = () =>
      fetch(`${server.runtime.url}/vouchers/new`, {
        method: 'POST',
        headers: {
          cookie: `fundflow_session=${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body: `${part('goods', '秋冬女装')}${part('goods[0]', 'x')}--${boundary}--\r\n`,
        redirect: 'manual',
        signal: AbortSignal.timeout(5_000),
      });

    const responses = [await send(), await send()];

    expect(responses.map((response) => response.status)).toEqual([400, 400]);
    expect((await server.api('/health')).status).toBe(200);
  });

  it('forbids scripts and framing on every page', async () => {
    const response = await page.goto(`${server.runtime.url}/login`);
    const headers = response?.headers() ?? {};

    expect(headers['content-security-policy']).toContain("default-src 'none'");
    expect(headers['content-security-policy']).not.toContain('script-src');
    expect(headers['x-frame-options']).toBe('DENY');
  });
});

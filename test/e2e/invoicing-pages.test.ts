/**
 * The invoicing pages in headless Chromium at a phone's width (390 px) and a laptop's (1366 px):
 * customer service records a request with the form, finance issues it from the request's page,
 * customer service records the mailing; finance works a batch line by line on its own page — and
 * every page fits the screen, carries no `style` attribute and shows no raw code.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toShanghaiIso } from '../../lib/domain/time.ts';
import { closeBatch } from '../../lib/invoicing/batches.ts';
import { invoiceRequestHistory, issueInvoice, recordInvoiceRequest } from '../../lib/invoicing/requests.ts';
import { DEMO_ENTITY } from '../../lib/local/seed.ts';
import { importOrders } from '../../lib/orders/import-orders.ts';
import { changeInvoiceRequest } from '../../lib/platform/change.ts';
import { launchBrowser, signIn } from '../support/browser.ts';
import { type RunningRuntime, startRuntime } from '../support/runtime.ts';

const ZHAO_MIN = 'zhao.min@lianshang.example';
const WU_FANG = 'wu.fang@lianshang.example';
const WIDTHS = [390, 1366] as const;
/** Each width records into a batch of its own, closes it and issues the day after. */
const RUN = {
  390: { order: 'LS-20261116-0001', batch: '2026-11-25', invoice: '26352000000012340390' },
  1366: { order: 'LS-20261116-0002', batch: '2026-12-10', invoice: '26352000000012341366' },
} as const;
const nextDay = { '2026-11-25': '2026-11-26', '2026-12-10': '2026-12-11' } as const;

let server: RunningRuntime;
let browser: Browser;

async function withPage<T>(width: number, act: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    return await act(await context.newPage());
  } finally {
    await context.close();
  }
}

async function problemsOf(page: Page, width: number): Promise<string[]> {
  const seen = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    styled: document.querySelectorAll('[style]').length,
    text: document.body.innerText,
  }));
  const path = new URL(page.url()).pathname;
  return [
    ...(seen.scrollWidth > width ? [`${path}: ${seen.scrollWidth} px wide`] : []),
    ...(seen.styled > 0 ? [`${path}: a style attribute`] : []),
    ...(seen.text.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []).map((code) => `${path}: ${code}`),
  ];
}

beforeAll(async () => {
  server = await startRuntime();
  await server.setClock('2026-11-25T10:00:00+08:00');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

describe('the invoice request pages', () => {
  it.each(WIDTHS)(
    'take a request from the form to its mailing at %i px, every page fitting the screen',
    async (width) => {
      const problems = await withPage(width, async (page) => {
        const found: string[] = [];
        const base = server.runtime.url;
        const run = RUN[width];
        await server.setClock(`${run.batch}T10:00:00+08:00`);
        await signIn(page, base, ZHAO_MIN);
        await page.goto(`${base}/invoice-requests/new`);
        found.push(...(await problemsOf(page, width)));
        await page.fill('input[name=orderIds]', run.order);
        await page.selectOption('select[name=kind]', 'VAT_ORDINARY');
        await page.fill('input[name=buyerName]', '福州某某贸易有限公司');
        await page.fill('input[name=buyerTaxId]', '９１３５０１００Ｍ０００１ＴＧＱＸＭ');
        await page.fill('input[name=deliveryEmail]', 'buyer@example.com');
        await Promise.all([
          page.waitForURL(/\/invoice-requests\/[0-9A-Z]+$/),
          page.click('main form button[type=submit]'),
        ]);
        const requestPath = new URL(page.url()).pathname;
        expect(await page.textContent('main')).toContain('税号校验位不符');
        found.push(...(await problemsOf(page, width)));
        await page.goto(`${base}/invoice-requests?status=QUEUED`);
        found.push(...(await problemsOf(page, width)));

        await server.setClock(`${run.batch}T17:00:00+08:00`);
        await closeBatch(server.runtime.deps, { entityId: DEMO_ENTITY.id, batchDate: run.batch });
        await server.setClock(`${nextDay[run.batch]}T10:00:00+08:00`);
        await page.context().clearCookies();
        await signIn(page, base, WU_FANG);
        // Finance's email links the batch page: its line, its deadline, the 《开票申请表》 to download.
        await page.goto(`${base}/invoice-batches/${run.batch}`);
        found.push(...(await problemsOf(page, width)));
        const batchText = (await page.textContent('main')) ?? '';
        expect(batchText).toContain('财务开票中 With finance');
        expect(batchText).toContain('开票期限 Issue by');
        const download = await page.request.get(
          `${base}${await page.getAttribute('a[href$="application.xlsx"]', 'href')}`,
        );
        expect(download.status()).toBe(200);
        expect(download.headers()['content-type']).toBe(
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        );
        await Promise.all([
          page.waitForURL(`${base}${requestPath}`),
          page.click(`main a[href="${requestPath}"]`),
        ]);
        found.push(...(await problemsOf(page, width)));
        await page.fill('input[name=invoiceNumber]', run.invoice);
        await Promise.all([
          page.waitForURL(`${base}${requestPath}`),
          page.click('form:has(input[value=issue]) button'),
        ]);
        expect(await page.textContent('main')).toContain('已开票，待寄送');

        await page.context().clearCookies();
        await signIn(page, base, ZHAO_MIN);
        await page.goto(`${base}${requestPath}`);
        found.push(...(await problemsOf(page, width)));
        await Promise.all([
          page.waitForURL(`${base}${requestPath}`),
          page.click('form:has(input[value=delivery]) button'),
        ]);
        expect(await page.textContent('main')).toContain('已寄送 Mailed');
        found.push(...(await problemsOf(page, width)));
        await page.goto(`${base}/invoice-batches/${run.batch}`);
        expect(await page.textContent('main')).toContain('已完成 Done');
        found.push(...(await problemsOf(page, width)));
        return found;
      });

      expect(problems).toEqual([]);
    },
  );

  it('shows a refused form again with what was typed and the field’s own error', async () => {
    await withPage(390, async (page) => {
      await signIn(page, server.runtime.url, ZHAO_MIN);
      await page.goto(`${server.runtime.url}/invoice-requests/new`);
      await page.fill('input[name=orderIds]', 'LS-20261116-0003');
      await page.selectOption('select[name=kind]', 'VAT_SPECIAL');
      await page.fill('input[name=buyerName]', '某某公司');
      await page.fill('input[name=buyerTaxId]', '91350100M000100Y43');
      await page.fill('input[name=deliveryEmail]', 'buyer@example.com');
      await Promise.all([page.waitForNavigation(), page.click('main form button[type=submit]')]);

      expect(new URL(page.url()).pathname).toBe('/invoice-requests/new');
      expect(await page.inputValue('input[name=buyerName]')).toBe('某某公司');
      expect(await page.getAttribute('input[name=buyerBank]', 'aria-invalid')).toBe('true');
    });
  });
});

/** An issued request for a fresh order, then an order import refunding part of it (issue 13 §4). */
async function flaggedRequest(orderId: string, invoiceNumber: string): Promise<string> {
  const deps = server.runtime.deps;
  const [tech, customerService, finance] = await Promise.all(
    ['tech@lianshang.example', ZHAO_MIN, WU_FANG].map((email) => deps.store.people.get(email)),
  );
  if (!tech || !customerService || !finance) throw new Error('demo directory incomplete');
  const csv = (amount: string) =>
    [
      'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
      `${orderId},SUP-YW-SMALL,${amount},100.00,2026-12-14T09:00:00+08:00,2026-12-14T09:30:00+08:00,NONE`,
    ].join('\n');
  await importOrders(deps, tech, csv('1000.00'));
  const { request } = await recordInvoiceRequest(deps, customerService, {
    idempotencyKey: `pages-red-${orderId}`,
    orderIds: [orderId],
    kind: 'VAT_ORDINARY',
    buyer: { type: 'INDIVIDUAL', name: '张三' },
    delivery: { method: 'EMAIL', email: 'buyer@example.com' },
  });
  await changeInvoiceRequest(deps, request.id, (read) => ({
    action: 'SEND_TO_FINANCE',
    actor: 'WORKFLOW',
    // As if it had reached finance this morning.
    next: { ...read, status: 'WITH_FINANCE', batchDate: '2026-12-14' },
    event: {
      at: toShanghaiIso(deps.clock.now()),
      actor: 'fundflow',
      type: 'INVOICE_REQUEST_SENT_TO_FINANCE',
      version: read.revision + 1,
    },
  }));
  await issueInvoice(deps, finance, request.id, { invoiceNumber, issuedOn: '2026-12-14' });
  await importOrders(deps, tech, csv('400.00'));
  return request.id;
}

describe('the red-letter reversal on the pages (issue 13 §4)', () => {
  it.each(WIDTHS)(
    'shows finance the flagged request in its list and on its page with both forms at %i px, and takes the decision',
    async (width) => {
      await server.setClock('2026-12-14T10:00:00+08:00');
      const id = await flaggedRequest(
        `LS-RED-PG-${width}`,
        `263520000000777${String(width).padStart(5, '0')}`,
      );
      const problems = await withPage(width, async (page) => {
        const found: string[] = [];
        const base = server.runtime.url;
        await signIn(page, base, WU_FANG);
        await page.goto(`${base}/invoice-requests?flag=RED_LETTER`);
        found.push(...(await problemsOf(page, width)));
        await Promise.all([
          page.waitForURL(`${base}/invoice-requests/${id}`),
          page.click(`main [data-request="${id}"] a`),
        ]);
        found.push(...(await problemsOf(page, width)));
        const flagText = (await page.textContent('[data-red-letter]')) ?? '';
        expect(flagText).toContain('订单退款 Order refunded');
        expect(flagText).toContain(`LS-RED-PG-${width}`);
        if (width === 390) {
          await page.fill('input[name=confirmationNumber]', '35010026120000000390');
          await page.selectOption('select[name=reasonCode]', '04');
          await page.fill('input[name=redInvoiceNumber]', '1234');
          await Promise.all([
            page.waitForNavigation(),
            page.click('form:has(input[value=red-letter]) button'),
          ]);
          expect(await page.textContent('main')).toContain('20 位数字');
          found.push(...(await problemsOf(page, width)));
          await page.fill('input[name=confirmationNumber]', '35010026120000000390');
          await page.selectOption('select[name=reasonCode]', '04');
          await page.fill('input[name=redInvoiceNumber]', '26352000000088880390');
          await Promise.all([
            page.waitForURL(`${base}/invoice-requests/${id}`),
            page.click('form:has(input[value=red-letter]) button'),
          ]);
          const main = (await page.textContent('main')) ?? '';
          expect(main).toContain('已红冲 Reversed by a red invoice');
          expect(main).toContain('销售折让 Sales allowance');
        } else {
          await page.fill('textarea[name=reason]', '客户撤回退款 The customer withdrew the refund');
          await Promise.all([
            page.waitForURL(`${base}/invoice-requests/${id}`),
            page.click('form:has(input[value=dismiss-red-letter]) button'),
          ]);
          expect(await page.textContent('[data-red-letter]')).toContain('财务决定不红冲 Flag dismissed');
        }
        expect(await page.locator('form:has(input[value=red-letter])').count()).toBe(0);
        found.push(...(await problemsOf(page, width)));
        await page.goto(`${base}/invoice-requests?flag=RED_LETTER`);
        expect(await page.locator(`main [data-request="${id}"]`).count()).toBe(0);
        return found;
      });

      expect(problems).toEqual([]);
    },
  );
});

/** Six requests of fresh, complete orders in the batch of 2026-12-25, closed: three lines per width. */
async function batchWithFinance(): Promise<{ id: string; number: string }[]> {
  const deps = server.runtime.deps;
  const [tech, customerService] = await Promise.all(
    ['tech@lianshang.example', ZHAO_MIN].map((email) => deps.store.people.get(email)),
  );
  if (!tech || !customerService) throw new Error('demo directory incomplete');
  await server.setClock('2026-12-25T10:00:00+08:00');
  const orders = [1, 2, 3, 4, 5, 6].map((n) => `LS-BATCH-PG-${n}`);
  await importOrders(
    deps,
    tech,
    [
      'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
      ...orders.map(
        (order) =>
          `${order},SUP-YW-SMALL,300.00,100.00,2026-12-24T09:00:00+08:00,2026-12-24T09:30:00+08:00,NONE`,
      ),
    ].join('\n'),
  );
  const lines: { id: string; number: string }[] = [];
  for (const order of orders) {
    const { request } = await recordInvoiceRequest(deps, customerService, {
      idempotencyKey: `pages-batch-${order}`,
      orderIds: [order],
      kind: 'VAT_ORDINARY',
      buyer: { type: 'INDIVIDUAL', name: '李四' },
      delivery: { method: 'EMAIL', email: 'buyer@example.com' },
    });
    lines.push({ id: request.id, number: request.number });
  }
  await server.setClock('2026-12-25T17:00:00+08:00');
  await closeBatch(deps, { entityId: DEMO_ENTITY.id, batchDate: '2026-12-25' });
  await server.setClock('2026-12-28T10:00:00+08:00');
  return lines;
}

describe('the batch page’s inline forms (issue 13 §2)', () => {
  it('lets finance issue a line, return one with a reason and upload the bureau’s result in place, at 390 px as cards and at 1366 px as a table', async () => {
    const lines = await batchWithFinance();
    const deps = server.runtime.deps;
    const finance = await deps.store.people.get(WU_FANG);
    if (!finance) throw new Error('demo directory incomplete');
    const base = server.runtime.url;
    const batchPath = '/invoice-batches/2026-12-25';
    for (const [index, width] of WIDTHS.entries()) {
      const [issued, returned, uploaded] = lines.slice(index * 3, index * 3 + 3) as [
        (typeof lines)[number],
        (typeof lines)[number],
        (typeof lines)[number],
      ];
      const invoice = `263520000000555${String(width).padStart(5, '0')}`;
      const problems = await withPage(width, async (page) => {
        const found: string[] = [];
        await signIn(page, base, WU_FANG);
        await page.goto(`${base}${batchPath}`);
        found.push(...(await problemsOf(page, width)));
        expect(
          await page.evaluate(
            () => getComputedStyle(document.querySelector('table.batch tbody tr') as Element).display,
          ),
        ).toBe(width === 390 ? 'block' : 'table-row');
        const row = (line: { id: string }) => `main [data-request="${line.id}"]`;

        // A wrong number: the page again, the error in that line's form, the line still with finance.
        await page.fill(`${row(issued)} input[name=invoiceNumber]`, '1234');
        await Promise.all([
          page.waitForNavigation(),
          page.click(`${row(issued)} form:has(input[value=issue]) button`),
        ]);
        expect(await page.textContent('main .errors')).toContain('20 位');
        expect(await page.inputValue(`${row(issued)} input[name=invoiceNumber]`)).toBe('1234');
        expect(await page.getAttribute(`${row(issued)} input[name=invoiceNumber]`, 'aria-invalid')).toBe(
          'true',
        );
        found.push(...(await problemsOf(page, width)));

        await page.fill(`${row(issued)} input[name=invoiceNumber]`, invoice);
        await Promise.all([
          page.waitForURL(/done=issued/),
          page.click(`${row(issued)} form:has(input[value=issue]) button`),
        ]);
        expect(await page.textContent('main .confirmation')).toContain(`发票 ${invoice}`);
        expect(await page.textContent(row(issued))).toContain('已开票，待寄送');
        found.push(...(await problemsOf(page, width)));
        // The same form arriving a second time (a double click) changes nothing.
        const again = await page.request.post(`${base}${batchPath}`, {
          headers: { origin: base },
          multipart: {
            action: 'issue',
            requestId: issued.id,
            invoiceNumber: invoice,
            issuedOn: '2026-12-28',
          },
          maxRedirects: 0,
        });
        expect(again.status()).toBe(303);
        const history = await invoiceRequestHistory(deps, finance, issued.id);
        expect(history.filter((event) => event.type === 'INVOICE_ISSUED')).toHaveLength(1);

        await page.click(`${row(returned)} details summary`);
        await page.fill(`${row(returned)} textarea[name=reason]`, '买方名称有误 The buyer’s name is wrong');
        await Promise.all([
          page.waitForURL(/done=returned/),
          page.click(`${row(returned)} form:has(input[value=return]) button`),
        ]);
        const returnedText = (await page.textContent('main .confirmation')) ?? '';
        expect(returnedText).toContain('已退回客服 Returned to customer service');
        expect(returnedText).toContain('买方名称有误');
        found.push(...(await problemsOf(page, width)));

        if (width === 390) {
          // A file without the bureau's columns: the page again with why, in both languages.
          await page.setInputFiles('input[name=file]', {
            name: 'result.csv',
            mimeType: 'text/csv',
            buffer: Buffer.from(`流水号,号码\n${uploaded.number},26352000000066660000\n`),
          });
          await Promise.all([page.waitForNavigation(), page.click('form:has(input[value=result]) button')]);
          const refusal = (await page.textContent('main .errors')) ?? '';
          expect(refusal).toContain('开具结果文件需要 发票流水号、发票号码、开票日期 三列');
          expect(refusal).toContain('The result file needs the columns');
          expect(await page.textContent(row(uploaded))).toContain('财务开票中');
          found.push(...(await problemsOf(page, width)));
        }
        await page.setInputFiles('input[name=file]', {
          name: 'result.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(
            `发票流水号,发票号码,开票日期\n${uploaded.number},263520000000666${String(width).padStart(5, '0')},2026-12-28\nNOPE-0001,26352000000066669999,2026-12-28\n`,
          ),
        });
        await Promise.all([
          page.waitForURL(/done=result/),
          page.click('form:has(input[value=result]) button'),
        ]);
        const resultText = (await page.textContent('main .confirmation')) ?? '';
        expect(resultText).toContain('已登记 1 张发票。1 invoice(s) recorded.');
        expect(resultText).toContain('第 3 行 NOPE-0001：不在该批次中。Row 3 NOPE-0001: Not in this batch.');
        expect(await page.textContent(row(uploaded))).toContain('已开票，待寄送');
        found.push(...(await problemsOf(page, width)));
        return found;
      });

      expect(problems).toEqual([]);
    }
  });
});

/**
 * The cashier's pages as people use them, in headless Chromium at a phone's width (390 px) and a
 * laptop's (1366 px), against the local runtime on the dev clock: the run page (a card per voucher with
 * its actions on screen; a wide table whose amounts and accounts stay on one line; lines for due,
 * overdue, paid and failed), the banner that confirms each action, a bank file's payments recorded at
 * once (row by row, partly, and again without doing anything twice), and the supplier invoice whose
 * amount differs from the payment — a warning the applicant confirms, which finance then sees.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../support/browser.ts';
import { jsonPost, type RunningRuntime, startRuntime } from '../support/runtime.ts';

const LI_NA = 'li.na@lianshang.example';
const HEAD = 'wang.qiang@lianshang.example';
const FINANCE = 'liu.yang@lianshang.example';
const CASHIER = 'chen.jing@lianshang.example';
const TODAY = '2026-11-18';
const RUN = `/payment-runs/${TODAY}`;

let server: RunningRuntime;
let browser: Browser;
let liNa: string;
let cashier: string;
/** Due in the run of the 17th, still unpaid on the 18th. */
let overdue: string;
let toPay: string;
let toFail: string;
/** Go into a bank file; `second` cites the order that gets a dispute (POLICY D7). */
let first: string;
let second: string;
let third: string;
/** Reviewed on the afternoon of the 18th: due on the 19th, pullable into today's run (D5). */
let afternoon: string;
/** The bank file exported from the page (its record's path). */
let bankFilePath: string;

async function withPage<T>(width: number, who: string, act: (page: Page) => Promise<T>): Promise<T> {
  const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    const page = await context.newPage();
    await signIn(page, server.runtime.url, who);
    return await act(page);
  } finally {
    await context.close();
  }
}

/** Sends the form of the button clicked and waits for the page that answers it. */
async function press(page: Page, button: ReturnType<Page['locator']>) {
  await Promise.all([page.waitForLoadState('load'), button.click()]);
  await server.runtime.engine.settled();
}

async function voucher(id: string) {
  return (await (await server.api(`/api/vouchers/${id}`, { token: liNa })).json()) as {
    status: string;
    number: string | null;
    flags: { code: string }[];
    payment: { status: string; bankReference: string | null };
    history: { type: string }[];
  };
}

/** Whether the element's text is laid out on one line (a Range gives one box per line). */
const oneLine = (page: Page, selector: string) =>
  page.$$eval(selector, (elements) =>
    elements.map((element) => {
      const range = document.createRange();
      range.selectNodeContents(element);
      return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
    }),
  );

beforeAll(async () => {
  server = await startRuntime();
  liNa = await server.login(LI_NA);
  cashier = await server.login(CASHIER);
  browser = await launchBrowser();

  await server.setClock('2026-11-17T09:00:00+08:00');
  overdue = await server.submitTextileVoucher(liNa, 'e2e-cashier-overdue', 'LS-20261116-0001', '100.00');
  await server.approveAs(HEAD, overdue);
  await server.approveAs(FINANCE, overdue);

  await server.setClock('2026-11-18T09:00:00+08:00');
  toPay = await server.submitTextileVoucher(liNa, 'e2e-cashier-pay', 'LS-20261116-0001', '1,000.00');
  toFail = await server.submitTextileVoucher(liNa, 'e2e-cashier-fail', 'LS-20261116-0001', '200.00');
  first = await server.submitTextileVoucher(liNa, 'e2e-cashier-file-1', 'LS-20261116-0001', '300.00');
  second = await server.submitTextileVoucher(liNa, 'e2e-cashier-file-2', 'LS-20261116-0002', '400.00');
  third = await server.submitTextileVoucher(liNa, 'e2e-cashier-file-3', 'LS-20261116-0001', '500.00');
  afternoon = await server.submitTextileVoucher(liNa, 'e2e-cashier-noon', 'LS-20261116-0001', '600.00');
  for (const id of [toPay, toFail, first, second, third, afternoon]) await server.approveAs(HEAD, id);
  for (const id of [toPay, toFail, first, second, third]) await server.approveAs(FINANCE, id);
  await server.setClock('2026-11-18T14:00:00+08:00');
  await server.approveAs(FINANCE, afternoon);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

describe('the run page', () => {
  it('shows each voucher as a card at 390 px, its actions on screen, and the run’s lines', async () => {
    const seen = await withPage(390, CASHIER, async (page) => {
      await page.goto(`${server.runtime.url}${RUN}`);
      const rows = page.locator('main > table tr[data-voucher]');
      return {
        displays: await rows.evaluateAll((all) => all.map((row) => getComputedStyle(row).display)),
        buttons: await page
          .locator('main > table tr[data-voucher] button', { hasText: 'Mark paid' })
          .evaluateAll((all) =>
            all.map((button) => {
              const box = button.getBoundingClientRect();
              return box.left >= 0 && box.right <= 390 && box.width > 0;
            }),
          ),
        voucherLinks: await rows
          .locator('td.voucher a')
          .evaluateAll((all) => all.map((link) => link.getBoundingClientRect().width)),
        due: await page.textContent('[data-testid=due-total]'),
        overdue: await page.textContent('[data-testid=overdue-total]'),
        paid: await page.textContent('[data-testid=paid-total]'),
        failed: await page.textContent('[data-testid=failed-total]'),
        scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth),
      };
    });

    expect(seen.displays).toHaveLength(6);
    expect(new Set(seen.displays)).toEqual(new Set(['block']));
    expect(seen.buttons).toEqual([true, true, true, true, true, true]);
    expect(Math.min(...seen.voucherLinks)).toBeGreaterThan(150);
    expect(seen.due).toBe('6 笔 · ¥2,500.00');
    expect(seen.overdue).toBe('1 笔 · ¥100.00');
    expect(seen.paid).toBe('0 笔 · ¥0.00');
    expect(seen.failed).toBe('0 笔 · ¥0.00');
    expect(seen.scrollWidth).toBeLessThanOrEqual(390);
  });

  it('is a wide table at 1366 px whose amounts and accounts never wrap', async () => {
    const seen = await withPage(1366, CASHIER, async (page) => {
      await page.goto(`${server.runtime.url}${RUN}`);
      return {
        display: await page
          .locator(`tr[data-voucher="${toPay}"]`)
          .evaluate((row) => getComputedStyle(row).display),
        amounts: await oneLine(page, 'main > table td.amount > div'),
        accounts: await oneLine(page, 'main > table .account'),
        overdueBadge: await page.locator(`tr[data-voucher="${overdue}"]`).textContent(),
        scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth),
      };
    });

    expect(seen.display).toBe('table-row');
    expect(seen.amounts).toEqual([1, 1, 1, 1, 1, 1]);
    expect(seen.accounts).toEqual([1, 1, 1, 1, 1, 1]);
    expect(seen.overdueBadge).toContain('逾期 Overdue since 2026-11-17');
    expect(seen.scrollWidth).toBeLessThanOrEqual(1366);
  });
});

describe('the banner after each action', () => {
  it('confirms a payment at 390 px with the facts read again, on the run page it returns to', async () => {
    const { url, banner, width } = await withPage(390, CASHIER, async (page) => {
      await page.goto(`${server.runtime.url}${RUN}`);
      const row = page.locator(`tr[data-voucher="${toPay}"]`);
      await row.locator('input[name=bankReference]').fill('ICBC-20261118-0101');
      await press(page, row.locator('button', { hasText: 'Mark paid' }));
      return {
        url: page.url(),
        banner: await page.textContent('.confirmation'),
        width: await page
          .locator('.confirmation')
          .evaluate((element) => element.getBoundingClientRect().right),
      };
    });

    expect(new URL(url).search).toBe(`?done=paid&voucher=${toPay}`);
    expect(banner).toContain('已记录付款 Payment recorded');
    expect(banner).toContain('ICBC-20261118-0101');
    expect(banner).toContain('¥1,000.00');
    expect(width).toBeLessThanOrEqual(390);
    expect((await voucher(toPay)).payment.status).toBe('PAID');
  });

  it('confirms a failed payment at 1366 px, and the run’s failed line counts it', async () => {
    const { banner, failed } = await withPage(1366, CASHIER, async (page) => {
      await page.goto(`${server.runtime.url}${RUN}`);
      const row = page.locator(`tr[data-voucher="${toFail}"]`);
      await row.locator('summary', { hasText: 'Payment failed?' }).click();
      await row.locator('input[name=reason]').fill('收款账户已冻结 account frozen');
      await press(page, row.locator('button', { hasText: 'Payment failed' }));
      return {
        banner: await page.textContent('.confirmation'),
        failed: await page.textContent('[data-testid=failed-total]'),
      };
    });

    expect(banner).toContain('已记录付款失败 Recorded as failed');
    expect(banner).toContain('收款账户已冻结 account frozen');
    expect(failed).toBe('1 笔 · ¥200.00');
  });

  it('shows no banner for an outcome the voucher does not have, nor words from the address', async () => {
    const seen = await withPage(1366, CASHIER, async (page) => {
      const look = async (query: string) => {
        const response = await page.goto(`${server.runtime.url}${RUN}?${query}`);
        return {
          status: response?.status(),
          banner: (await page.locator('.confirmation').count())
            ? await page.textContent('.confirmation')
            : null,
        };
      };
      return [
        await look(`done=paid&voucher=${first}`),
        await look(`done=${encodeURIComponent('<b>paid</b>')}&voucher=${toPay}`),
        await look(`done=paid&voucher=${toPay}&bankReference=FORGED-BY-A-LINK`),
        await look('done=exported&batch=01KZZZZZZZZZZZZZZZZZZZZZZZ'),
      ];
    });

    expect(seen.slice(0, 2)).toEqual([
      { status: 200, banner: null },
      { status: 200, banner: null },
    ]);
    expect(seen[2]?.banner).toContain('ICBC-20261118-0101');
    expect(seen[2]?.banner).not.toContain('FORGED');
    expect(seen[3]).toEqual({ status: 200, banner: null });
  });

  it('confirms the bank file with a link to download it, and it downloads', async () => {
    const { banner, fileName, recordLink } = await withPage(390, CASHIER, async (page) => {
      await page.goto(`${server.runtime.url}${RUN}`);
      await Promise.all([page.waitForURL(/\?done=exported&batch=/), page.click('button[value=xlsx]')]);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('.confirmation a:has-text("Download the file")'),
      ]);
      return {
        banner: await page.textContent('.confirmation'),
        fileName: download.suggestedFilename(),
        recordLink: await page.getAttribute('.confirmation a:has-text("Record the bank references")', 'href'),
      };
    });

    expect(banner).toContain('银行文件已生成 The bank file is ready');
    // The overdue voucher and the three due today; paid and failed ones are in no file.
    expect(banner).toContain('4 笔 transfers · ¥1,300.00');
    expect(fileName).toMatch(/^fundflow-payment-run-2026-11-18-\d{6}\.xlsx$/);
    expect(recordLink).toMatch(new RegExp(`^${RUN}/bank-batch/[0-9A-Z]{26}$`));
    bankFilePath = recordLink ?? '';
  });

  it('confirms a pull into today’s run (D5)', async () => {
    const banner = await withPage(1366, CASHIER, async (page) => {
      await page.goto(`${server.runtime.url}${RUN}`);
      const row = page.locator(`[data-testid=pullable] tr[data-voucher="${afternoon}"]`);
      await row.locator('input[name=reason]').fill('供应商今天急需 the supplier needs it today');
      await press(page, row.locator('button', { hasText: 'Pull into today’s run' }));
      return page.textContent('.confirmation');
    });

    expect(banner).toContain('已拉入今日批次 Pulled into today’s run');
    expect(banner).toContain('2026-11-19');
  });

  it('confirms finance’s new schedule for the failed payment', async () => {
    const banner = await withPage(390, FINANCE, async (page) => {
      await page.goto(`${server.runtime.url}${RUN}`);
      const row = page.locator(`tr[data-voucher="${toFail}"]`);
      await row.locator(`#retry-${toFail}`).fill('账户已解冻 the account is open again');
      await press(page, row.locator('button', { hasText: 'Schedule again' }));
      return page.textContent('.confirmation');
    });

    expect(banner).toContain('已重新安排付款 Scheduled again');
    // Decided after the noon cutoff: the next working day's run.
    expect(banner).toContain('2026-11-19');
  });
});

describe('a bank file’s payments, recorded at once', () => {
  it('lists exactly the file’s vouchers and records them row by row at 390 px — a refused one says why, the rest are paid', async () => {
    // The platform reports a dispute on the second voucher's order since it was exported (POLICY D7).
    const imported = await server.api('/api/orders/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: [
        'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
        'LS-20261116-0002,SUP-HZ-TEXTILE,86000.00,78000.00,2026-11-16T10:12:00+08:00,2026-11-17T09:30:00+08:00,OPEN',
      ].join('\n'),
      token: await server.login('tech@lianshang.example'),
    });
    expect(imported.status).toBe(200);

    const seen = await withPage(390, CASHIER, async (page) => {
      await page.goto(`${server.runtime.url}${bankFilePath}`);
      const listed = await page
        .locator('tr[data-voucher]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-voucher')));
      for (const [index, id] of [overdue, first, second, third].entries()) {
        await page.fill(`#ref-${id}`, `ICBC-BULK-000${index + 1}`);
      }
      const inputsOnScreen = await page
        .locator('tr[data-voucher] input')
        .evaluateAll((inputs) => inputs.every((input) => input.getBoundingClientRect().right <= 390));
      await press(page, page.locator('button', { hasText: 'Record these payments' }));
      const afterOnce = {
        status: await page.textContent('.partial'),
        refused: await page.locator(`tr[data-voucher="${second}"]`).textContent(),
        kept: await page.inputValue(`#ref-${second}`),
        recorded: await page.locator(`tr[data-voucher="${first}"]`).textContent(),
        inputs: await page.locator('tr[data-voucher] input[name^="ref-"]').count(),
      };
      // The very same form sent again (a reload, a second click): nothing is done twice.
      const again = await page.request.post(`${server.runtime.url}${bankFilePath}`, {
        multipart: Object.fromEntries(
          [overdue, first, second, third].flatMap((id, index) => [
            [`ref-${id}`, `ICBC-BULK-000${index + 1}`],
            [`on-${id}`, TODAY],
          ]),
        ),
      });
      return {
        listed,
        inputsOnScreen,
        afterOnce,
        again: { status: again.status(), page: await again.text() },
      };
    });

    expect(new Set(seen.listed)).toEqual(new Set([overdue, first, second, third]));
    expect(seen.inputsOnScreen).toBe(true);
    expect(seen.afterOnce.status).toContain('3 recorded now, 0 recorded before, 1 not');
    expect(seen.afterOnce.refused).toContain('未登记 Not recorded');
    expect(seen.afterOnce.refused).toContain('订单有未结纠纷 The order has an open dispute');
    expect(seen.afterOnce.kept).toBe('ICBC-BULK-0003');
    expect(seen.afterOnce.recorded).toContain('已登记 Recorded now');
    expect(seen.afterOnce.inputs).toBe(1);
    expect(seen.again.status).toBe(200);
    expect(seen.again.page).toContain('0 recorded now, 3 recorded before, 1 not');
    for (const [index, id] of [overdue, first, third].entries()) {
      const after = await voucher(id);
      expect(after.payment).toMatchObject({
        status: 'PAID',
        bankReference: `ICBC-BULK-000${[1, 2, 4][index]}`,
      });
      expect(after.history.filter((event) => event.type === 'PAID')).toHaveLength(1);
    }
    expect((await voucher(second)).status).toBe('READY_FOR_PAYMENT');
  });

  it('is a table at 1366 px whose amounts and accounts stay on one line, with the file’s lines', async () => {
    const seen = await withPage(1366, CASHIER, async (page) => {
      await page.goto(`${server.runtime.url}${bankFilePath}`);
      return {
        display: await page
          .locator('tr[data-voucher]')
          .first()
          .evaluate((row) => getComputedStyle(row).display),
        amounts: await oneLine(page, 'table td.amount > div'),
        accounts: await oneLine(page, 'table .account'),
        paid: await page.textContent('[data-testid=file-paid]'),
        due: await page.textContent('[data-testid=file-due]'),
      };
    });

    expect(seen.display).toBe('table-row');
    expect(seen.amounts).toEqual([1, 1, 1, 1]);
    expect(seen.accounts).toEqual([1, 1, 1, 1]);
    expect(seen.paid).toBe('3 笔 · ¥900.00');
    expect(seen.due).toBe('1 笔 · ¥400.00');
  });

  it('shows a reference that does not parse at its row and in the summary, keeping it, nothing recorded', async () => {
    const seen = await withPage(1366, CASHIER, async (page) => {
      await page.goto(`${server.runtime.url}${bankFilePath}`);
      await page.fill(`#ref-${second}`, 'ICBC 0003 #');
      await press(page, page.locator('button', { hasText: 'Record these payments' }));
      return {
        summary: await page.textContent('.errors'),
        field: await page.locator(`tr[data-voucher="${second}"] .field-error`).textContent(),
        kept: await page.inputValue(`#ref-${second}`),
      };
    });

    // The summary names the row by the voucher's short number, as the row itself does.
    const { number } = await voucher(second);
    expect(number).toMatch(/^FK-\d{8}-\d{4}$/);
    expect(seen.summary).toContain(`${number} 银行流水号 Bank reference`);
    expect(seen.field).toContain('letters, digits and - / . only');
    expect(seen.kept).toBe('ICBC 0003 #');
    expect((await voucher(second)).status).toBe('READY_FOR_PAYMENT');
  });

  it('refuses over the API a row whose voucher is not in that file, recording nothing', async () => {
    const response = await server.api(`/api${bankFilePath}/payments`, {
      ...jsonPost({
        rows: [
          { voucherId: afternoon, bankReference: 'ICBC-API-0001', paidOn: TODAY },
          { voucherId: second, bankReference: 'ICBC-API-0002', paidOn: TODAY },
        ],
      }),
      token: cashier,
    });

    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_IN_BANK_FILE');
    expect((await voucher(afternoon)).status).toBe('READY_FOR_PAYMENT');
  });
});

describe('an invoice for another amount than was paid (D9)', () => {
  const open = async (page: Page) => page.goto(`${server.runtime.url}/vouchers/${toPay}`);
  const fill = async (page: Page, values: { number: string; amount: string; taxAmount: string }) => {
    await page.selectOption('select[name=type]', 'VAT_SPECIAL');
    await page.fill('input[name=number]', values.number);
    await page.fill('input[name=issuedOn]', TODAY);
    await page.fill('input[name=amount]', values.amount);
    await page.fill('input[name=taxAmount]', values.taxAmount);
    await press(page, page.locator('button', { hasText: 'Record and close' }));
  };

  it('shows every error at once at 390 px, keeps what was typed, and warns of the difference with a box to tick', async () => {
    const seen = await withPage(390, LI_NA, async (page) => {
      await open(page);
      await fill(page, { number: '123', amount: '900.00', taxAmount: '900.00' });
      return {
        errors: await page.textContent('.errors'),
        warning: await page.textContent('.amount-differs'),
        box: await page.locator('input[name=confirmAmountDifference]').boundingBox(),
        number: await page.inputValue('input[name=number]'),
        amount: await page.inputValue('input[name=amount]'),
        type: await page.inputValue('select[name=type]'),
      };
    });

    expect(seen.errors).toContain('发票号码 Number');
    expect(seen.errors).toContain('税额 Tax');
    expect(seen.warning).toContain('¥900.00');
    expect(seen.warning).toContain('¥1,000.00');
    expect(seen.warning).toContain('I confirm the invoice amount differs');
    expect((seen.box?.x ?? -1) >= 0 && (seen.box?.x ?? 0) + (seen.box?.width ?? 0) <= 390).toBe(true);
    expect([seen.number, seen.amount, seen.type]).toEqual(['123', '900.00', 'VAT_SPECIAL']);
    expect((await voucher(toPay)).status).toBe('PAID');
  });

  it('at 1366 px records the invoice only once the difference is confirmed, and flags it for finance', async () => {
    const seen = await withPage(1366, LI_NA, async (page) => {
      await open(page);
      await fill(page, { number: '26332000000012340001', amount: '900.00', taxAmount: '103.54' });
      const warnedOnly = {
        errors: await page.locator('.errors').count(),
        warning: await page.locator('.amount-differs').count(),
      };
      await page.check('input[name=confirmAmountDifference]');
      await press(page, page.locator('button', { hasText: 'Record and close' }));
      return {
        warnedOnly,
        url: page.url(),
        banner: await page.textContent('.confirmation'),
        flags: await page.textContent('.flags'),
      };
    });

    expect(seen.warnedOnly).toEqual({ errors: 0, warning: 1 });
    expect(new URL(seen.url).search).toBe('?done=invoice-recorded');
    expect(seen.banner).toContain('Invoice recorded, voucher closed');
    expect(seen.flags).toContain('发票金额与付款金额不同');
    expect(seen.flags).toContain('¥100.00 less');
    const after = await voucher(toPay);
    expect(after.status).toBe('CLOSED');
    expect(after.flags.map((flag) => flag.code)).toContain('INVOICE_AMOUNT_DIFFERS');
    // Finance sees it in the run it was paid in.
    const runRow = await withPage(1366, FINANCE, async (page) => {
      await page.goto(`${server.runtime.url}${RUN}`);
      return page.locator(`tr[data-voucher="${toPay}"]`).textContent();
    });
    expect(runRow).toContain('发票金额与付款金额不同 Invoice amount differs from the payment');
  });

  it('refuses over the API an invoice of another amount without the confirmation: 422 INVOICE_AMOUNT_DIFFERS', async () => {
    const response = await server.api(`/api/vouchers/${first}/supplier-invoice`, {
      ...jsonPost({
        type: 'VAT_SPECIAL',
        number: '26332000000012340002',
        issuedOn: TODAY,
        amount: '299.00',
        taxAmount: '34.40',
      }),
      token: liNa,
    });

    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('INVOICE_AMOUNT_DIFFERS');
    expect(body.error.issues.map((issue) => issue.path)).toEqual(['confirmAmountDifference']);
    const confirmed = await server.api(`/api/vouchers/${first}/supplier-invoice`, {
      ...jsonPost({
        type: 'VAT_SPECIAL',
        number: '26332000000012340002',
        issuedOn: TODAY,
        amount: '299.00',
        taxAmount: '34.40',
        confirmAmountDifference: true,
      }),
      token: liNa,
    });
    expect(confirmed.status).toBe(200);
    expect((await voucher(first)).flags.map((flag) => flag.code)).toEqual(['INVOICE_AMOUNT_DIFFERS']);
  });
});

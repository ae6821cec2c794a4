/**
 * Finance's actions on the pages people land on, against the local runtime in headless Chromium: the
 * answer to a failed payment on the voucher page its email links to, the waiver of the VAT special
 * invoice (POLICY 2.1(3), D9), and the missing-invoices list. Its own runtime, since
 * the vouchers it builds on the dev clock would change what payments.test.ts expects of its runs.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../support/browser.ts';
import { jsonPost, type RunningRuntime, startRuntime } from '../support/runtime.ts';

const LI_NA = 'li.na@lianshang.example';
const FINANCE = 'liu.yang@lianshang.example';

let server: RunningRuntime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let liNa: string;
let cashier: string;
/** Failed on the 18th: one finance returns, one finance schedules again. */
let toReturn: string;
let toRetry: string;
/** Paid and waiting for their invoice: submitted first but paid on the 19th; paid on the 18th. */
let paidLater: string;
let paidEarlier: string;

async function pay(voucherId: string, body: Record<string, string>) {
  const response = await server.api(`/api/vouchers/${voucherId}/payment`, {
    ...jsonPost(body),
    token: cashier,
  });
  expect(response.status).toBe(200);
  await server.runtime.engine.settled();
}

async function voucher(id: string) {
  return (await (await server.api(`/api/vouchers/${id}`, { token: liNa })).json()) as {
    status: string;
    payment: { dueDate: string; status: string };
    invoiceWaiver?: { by: string; reason: string };
  };
}

/** Sends the voucher page's form that has this button, and waits for the page that answers it. */
async function press(button: string) {
  await Promise.all([page.waitForLoadState('load'), page.click(`button:has-text("${button}")`)]);
  await server.runtime.engine.settled();
}

beforeAll(async () => {
  server = await startRuntime();
  liNa = await server.login(LI_NA);
  cashier = await server.login('chen.jing@lianshang.example');
  browser = await launchBrowser();

  await server.setClock('2026-11-18T09:00:00+08:00');
  toReturn = await server.submitTextileVoucher(liNa, 'e2e-finance-return', 'LS-20261116-0001', '1,000.00');
  toRetry = await server.submitTextileVoucher(liNa, 'e2e-finance-retry', 'LS-20261116-0001', '1,200.00');
  paidLater = await server.submitTextileVoucher(liNa, 'e2e-finance-paid-later', 'LS-20261116-0002', '800.00');
  paidEarlier = await server.submitTextileVoucher(
    liNa,
    'e2e-finance-paid-earlier',
    'LS-20261116-0002',
    '900.00',
  );
  for (const id of [toReturn, toRetry, paidLater, paidEarlier]) {
    await server.approveAs('wang.qiang@lianshang.example', id);
    await server.approveAs(FINANCE, id);
  }
  await pay(toReturn, { status: 'PAYMENT_FAILED', reason: '收款账户已冻结' });
  await pay(toRetry, { status: 'PAYMENT_FAILED', reason: '银行系统维护' });
  await pay(paidEarlier, { status: 'PAID', bankReference: 'ICBC-20261118-0001', paidOn: '2026-11-18' });
  await server.setClock('2026-11-19T09:00:00+08:00');
  await pay(paidLater, { status: 'PAID', bankReference: 'ICBC-20261119-0002', paidOn: '2026-11-19' });
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
});

afterEach(async () => {
  await context.close();
});

describe('finance’s answer to a failed payment, on the voucher page', () => {
  it('offers the applicant none of finance’s forms on their failed voucher', async () => {
    await signIn(page, server.runtime.url, LI_NA);
    await page.goto(`${server.runtime.url}/vouchers/${toReturn}`);

    expect(await page.textContent('main')).toContain('收款账户已冻结');
    expect(await page.locator('button:has-text("Schedule again")').count()).toBe(0);
    expect(await page.locator('button:has-text("Return to applicant")').count()).toBe(0);
  });

  it('returns a failed payment to the applicant from the page the failure email links to', async () => {
    const link = (await server.outbox())
      .filter((message) => message.to.includes(FINANCE))
      .flatMap((message) => message.links)
      .find((candidate) => new URL(candidate).pathname === `/vouchers/${toReturn}`);
    if (!link) throw new Error('no failure email to finance');
    await signIn(page, server.runtime.url, FINANCE);
    await page.goto(link);

    await page.fill(`#return-${toReturn}`, '收款账户冻结，请核对收款信息');
    await press('Return to applicant');

    expect(new URL(page.url()).pathname).toBe(`/vouchers/${toReturn}`);
    expect(await page.textContent('.confirmation')).toContain('已退回申请人 Returned to the applicant');
    expect(await page.textContent('main')).toContain('已退回 Rejected');
    expect(await page.locator('button:has-text("Return to applicant")').count()).toBe(0);
    expect((await voucher(toReturn)).status).toBe('REJECTED');
    expect(server.runtime.engine.execution('voucher', `${toReturn}-v1`)).toMatchObject({
      status: 'SUCCEEDED',
      endState: 'Rejected',
    });
  });

  it('shows a refused answer again on the voucher page, with the reason’s issue, nothing saved', async () => {
    await signIn(page, server.runtime.url, FINANCE);
    await page.goto(`${server.runtime.url}/vouchers/${toRetry}`);

    // Three spaces pass the browser's own checks; the server trims them away.
    await page.fill(`#retry-${toRetry}`, '   ');
    await press('Schedule again');

    expect(await page.textContent('.errors')).toContain('原因 Reason');
    expect(await page.textContent('.errors')).toContain('give a reason');
    expect((await voucher(toRetry)).status).toBe('PAYMENT_FAILED');
  });

  it('schedules a failed payment again from the voucher page, into the run the noon cutoff gives', async () => {
    await signIn(page, server.runtime.url, FINANCE);
    await page.goto(`${server.runtime.url}/vouchers/${toRetry}`);

    await page.fill(`#retry-${toRetry}`, '银行维护已结束，重新付款');
    await press('Schedule again');

    expect(new URL(page.url()).pathname).toBe(`/vouchers/${toRetry}`);
    expect(await page.textContent('.confirmation')).toContain('已重新安排付款 Scheduled again');
    expect(await page.textContent('main')).toContain('待付款 Ready for payment');
    expect((await voucher(toRetry)).payment).toMatchObject({ dueDate: '2026-11-19', status: 'DUE' });
    const run = (await (await server.api('/api/payment-runs/2026-11-19', { token: cashier })).json()) as {
      items: { voucherId: string; status: string }[];
    };
    expect(run.items.find((item) => item.voucherId === toRetry)?.status).toBe('DUE');
  });
});

describe('the missing-invoices page', () => {
  it('lists the payments missing their invoice, oldest payment first', async () => {
    await signIn(page, server.runtime.url, FINANCE);
    await page.goto(`${server.runtime.url}/supplier-invoices/missing`);
    const listed = () =>
      page.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.dataset.voucher));

    expect(await listed()).toEqual([paidEarlier, paidLater]);
  });
});

describe('the VAT special invoice waived by finance', () => {
  it('shows finance’s waiver on the voucher page once recorded there, and offers it no more', async () => {
    await signIn(page, server.runtime.url, FINANCE);
    await page.goto(`${server.runtime.url}/vouchers/${paidEarlier}`);

    await page.fill('#waiver-reason', '供应商本次只能开具普通发票，已与税务确认');
    await press('Accept an ordinary invoice');

    expect(await page.textContent('[data-testid=invoice-waiver]')).toContain('已与税务确认');
    expect(await page.locator('button:has-text("Accept an ordinary invoice")').count()).toBe(0);
    expect((await voucher(paidEarlier)).invoiceWaiver).toMatchObject({ by: FINANCE });
  });

  it('closes the voucher with the ordinary invoice the applicant then records', async () => {
    await signIn(page, server.runtime.url, LI_NA);
    await page.goto(`${server.runtime.url}/vouchers/${paidEarlier}`);

    await page.selectOption('select[name=type]', 'VAT_ORDINARY');
    await page.fill('input[name=number]', '26332000000087654321');
    await page.fill('input[name=issuedOn]', '2026-11-19');
    await page.fill('input[name=amount]', '900.00');
    await page.fill('input[name=taxAmount]', '103.54');
    await press('Record and close');

    expect(await page.textContent('main')).toContain('已关闭 Closed');
    expect(await page.textContent('main')).toContain('普通发票 VAT ordinary 26332000000087654321');
    expect((await voucher(paidEarlier)).status).toBe('CLOSED');
    expect(server.runtime.engine.execution('voucher', `${paidEarlier}-v1`)).toMatchObject({
      status: 'SUCCEEDED',
      endState: 'Closed',
    });
  });
});

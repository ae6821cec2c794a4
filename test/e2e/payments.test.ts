/**
 * The cashier's day end to end against the local runtime: the dev clock moves the day, the synthesized
 * workflow releases what came due, the JSON API shows the runs, and the cashier pays from the run page
 * in headless Chromium; then the applicant records the supplier's invoice and the voucher closes.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../support/browser.ts';
import { jsonPost, type RunningRuntime, startRuntime, TEXTILE_ACCOUNT } from '../support/runtime.ts';

let server: RunningRuntime;
let browser: Browser;
let liNa: string;
let cashier: string;
const ACCOUNT = TEXTILE_ACCOUNT;

interface Run {
  date: string;
  items: { voucherId: string; amount: string; status: string; payee: { account: string } }[];
  total: string;
}

async function run(date: string, token = cashier): Promise<Run> {
  const response = await server.api(`/api/payment-runs/${date}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as Run;
}

async function voucher(id: string) {
  return (await (await server.api(`/api/vouchers/${id}`, { token: liNa })).json()) as {
    status: string;
    payment: { dueDate: string; status: string; bankReference: string | null; paidOn: string | null };
  };
}

let morning: string;
let afternoon: string;

beforeAll(async () => {
  server = await startRuntime();
  liNa = await server.login('li.na@lianshang.example');
  cashier = await server.login('chen.jing@lianshang.example');
  browser = await launchBrowser();

  await server.setClock('2026-11-18T09:00:00+08:00');
  morning = await server.submitTextileVoucher(liNa, 'e2e-pay-morning-1', 'LS-20261116-0001', '10,000.00');
  afternoon = await server.submitTextileVoucher(liNa, 'e2e-pay-afternoon', 'LS-20261116-0002', '2,500.50');
  await server.approveAs('wang.qiang@lianshang.example', morning);
  await server.approveAs('wang.qiang@lianshang.example', afternoon);
  await server.setClock('2026-11-18T11:30:00+08:00');
  await server.approveAs('liu.yang@lianshang.example', morning);
  await server.setClock('2026-11-18T14:00:00+08:00');
  await server.approveAs('liu.yang@lianshang.example', afternoon);
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

describe('the runs over HTTP, on the dev clock', () => {
  it('puts the morning voucher in today’s run and the afternoon one in the next working day’s', async () => {
    const today = await run('2026-11-18');
    const tomorrow = await run('2026-11-19');

    expect(today.items.map((item) => [item.voucherId, item.amount, item.status])).toEqual([
      [morning, '10000.00', 'DUE'],
    ]);
    expect(today.total).toBe('10000.00');
    expect(today.items[0]?.payee.account).toBe(ACCOUNT);
    // The unpaid morning voucher stays in every later run until paid (overdue); the afternoon one is due then.
    expect(tomorrow.items.map((item) => [item.voucherId, item.status])).toEqual([
      [morning, 'DUE'],
      [afternoon, 'DUE'],
    ]);
    expect((await voucher(afternoon)).payment).toMatchObject({ dueDate: '2026-11-19', status: 'DUE' });
    // Without a date: today's run, with this afternoon's voucher beside it, for a pull forward (D5).
    const current = (await (await server.api('/api/payment-runs', { token: cashier })).json()) as Run & {
      pullable: { voucherId: string }[];
    };
    expect(current.date).toBe('2026-11-18');
    expect(current.pullable.map((item) => item.voucherId)).toEqual([afternoon]);
  });

  it('masks the account for anyone but the cashier and finance, and refuses the run to a merchandiser', async () => {
    const ceo = await server.login('zhang.wei@lianshang.example');

    expect((await run('2026-11-18', ceo)).items[0]?.payee.account).toBe('**** **** 5678');
    const refused = await server.api('/api/payment-runs/2026-11-18', { token: liNa });
    expect(refused.status).toBe(403);
    const bad = await server.api('/api/payment-runs/2026-13-40', { token: cashier });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });

  it('downloads the run as an XLSX bank batch for the cashier, and to no one else', async () => {
    const response = await server.api('/api/payment-runs/2026-11-18/bank-batch', {
      ...jsonPost({ format: 'xlsx' }),
      token: cashier,
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const rows = workbook.worksheets[0]?.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.some((row) => row.includes('3301040000012345678') && row.includes(morning))).toBe(true);

    const merchandiser = await server.api('/api/payment-runs/2026-11-18/bank-batch', {
      ...jsonPost({ format: 'xlsx', includeExported: true }),
      token: liNa,
    });
    expect(merchandiser.status).toBe(403);
  });

  it('refuses to pay the afternoon voucher before its run, with a clear error and no change', async () => {
    const response = await server.api(`/api/vouchers/${afternoon}/payment`, {
      ...jsonPost({ status: 'PAID', bankReference: 'ICBC-EARLY-0001', paidOn: '2026-11-18' }),
      token: cashier,
    });

    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_IN_A_RUN_YET');
    expect((await voucher(afternoon)).status).toBe('READY_FOR_PAYMENT');
  });

  it('refuses a malformed payment with a 400 and the issues', async () => {
    const response = await server.api(`/api/vouchers/${morning}/payment`, {
      ...jsonPost({ status: 'PAID', bankReference: '', paidOn: '18/11/2026' }),
      token: cashier,
    });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { issues: { path: string }[] } };
    expect(new Set(body.error.issues.map((issue) => issue.path))).toEqual(
      new Set(['bankReference', 'paidOn']),
    );
    expect((await voucher(morning)).status).toBe('READY_FOR_PAYMENT');
  });

  it('runs the end-of-day reminder by hand for a given day, once', async () => {
    const job = (body: unknown) => server.api('/api/dev/jobs/cashier-reminders', jsonPost(body));
    const toCashier = async () =>
      (await server.outbox()).filter(
        (message) =>
          message.to.includes('chen.jing@lianshang.example') && message.subject.includes('2026-11-19'),
      );

    // The run of the 19th: the afternoon voucher, and the morning one while it is still unpaid.
    const first = await job({ date: '2026-11-19' });
    expect(await first.json()).toEqual({ date: '2026-11-19', reminded: 2, alreadySent: [] });
    expect((await toCashier()).map((message) => message.subject)).toHaveLength(1);

    expect(await (await job({ date: '2026-11-19' })).json()).toMatchObject({ reminded: 0 });
    expect(await toCashier()).toHaveLength(1);

    const malformed = await job({ date: '2026-02-30' });
    expect(malformed.status).toBe(400);
    expect(
      ((await malformed.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path,
    ).toBe('date');
  });
});

describe('the cashier’s page in a browser', () => {
  it('pays the morning voucher today, once, and shows it paid in the run', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.runtime.url, 'chen.jing@lianshang.example');

    await page.click('text=付款批次 Payment run');
    await page.waitForURL(/\/payment-runs\/2026-11-18$/);
    const row = page.locator(`tr[data-voucher="${morning}"]`);
    expect(await row.locator('.account').textContent()).toBe(ACCOUNT);
    // This afternoon's voucher is not in today's run, but beside it, with the pull-forward form (D5).
    const pullable = page.locator(`[data-testid=pullable] tr[data-voucher="${afternoon}"]`);
    expect(await pullable.locator('button').textContent()).toContain('Pull into today’s run');
    expect(await page.textContent('[data-testid=run-total]')).toContain('¥10,000.00');
    // The XLSX downloaded over the API put it in a bank file: the row says so, and a new file leaves
    // it out unless the cashier asks for those already in one.
    expect(await row.textContent()).toContain('In a bank file');
    await page.check('input[name=includeExported]');
    // The export answers with the run page, whose banner confirms the file and links it.
    await Promise.all([page.waitForURL(/\?done=exported&batch=/), page.click('button[value=csv]')]);
    expect(await page.textContent('.confirmation')).toContain('The bank file is ready');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('.confirmation a:has-text("Download the file")'),
    ]);
    expect(download.suggestedFilename()).toMatch(/^fundflow-payment-run-2026-11-18-\d{6}\.csv$/);
    expect(readFileSync(await download.path(), 'utf8')).toContain('3301040000012345678');

    await row.locator('input[name=bankReference]').fill('ICBC-20261118-7788');
    await Promise.all([
      page.waitForLoadState('load'),
      row.locator('button', { hasText: 'Mark paid' }).click(),
    ]);
    await server.runtime.engine.settled();

    const paidRow = page.locator(`tr[data-voucher="${morning}"]`);
    expect(await paidRow.textContent()).toContain('已付 Paid');
    expect(await paidRow.textContent()).toContain('ICBC-20261118-7788');
    expect(await paidRow.locator('button').count()).toBe(0);
    await context.close();

    expect((await voucher(morning)).payment).toMatchObject({
      status: 'PAID',
      bankReference: 'ICBC-20261118-7788',
      paidOn: '2026-11-18',
    });
    // A second POST of the same payment (a reload, a retry) changes nothing.
    const again = await server.api(`/api/vouchers/${morning}/payment`, {
      ...jsonPost({ status: 'PAID', bankReference: 'ICBC-20261118-7788', paidOn: '2026-11-18' }),
      token: cashier,
    });
    expect(again.status).toBe(200);
  });

  it('shows a refused form again with the reason, nothing saved', async () => {
    await server.setClock('2026-11-19T09:00:00+08:00');
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, server.runtime.url, 'chen.jing@lianshang.example');
    await page.goto(`${server.runtime.url}/payment-runs/2026-11-19`);
    const row = page.locator(`tr[data-voucher="${afternoon}"]`);

    await row.locator('input[name=bankReference]').fill('ICBC 7788 #');
    await Promise.all([
      page.waitForLoadState('load'),
      row.locator('button', { hasText: 'Mark paid' }).click(),
    ]);

    expect(await page.textContent('.errors')).toContain('letters, digits and - / . only');
    expect(await page.textContent('.errors')).toContain('银行流水号 Bank reference');
    await context.close();
    expect((await voucher(afternoon)).status).toBe('READY_FOR_PAYMENT');
  });
});

describe('after payment', () => {
  it('closes the voucher when the applicant records the supplier’s invoice on its page, with a copy', async () => {
    const missing = await server.api('/api/supplier-invoices/missing', {
      token: await server.login('liu.yang@lianshang.example'),
    });
    expect(((await missing.json()) as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([
      morning,
    ]);

    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, server.runtime.url, 'li.na@lianshang.example');
    await page.goto(`${server.runtime.url}/vouchers/${morning}`);
    const fill = async (type: string) => {
      await page.selectOption('select[name=type]', type);
      await page.fill('input[name=number]', '26332000000012345678');
      await page.fill('input[name=issuedOn]', '2026-11-18');
      await page.fill('input[name=amount]', '10,000.00');
      await page.fill('input[name=taxAmount]', '1,150.44');
      await page.setInputFiles('input[name=invoiceFile]', {
        name: 'invoice.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n% fundflow test invoice\n%%EOF\n'),
      });
      await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("Record and close")')]);
    };

    // The supplier is a general VAT taxpayer: an ordinary invoice is refused, and nothing is recorded.
    await fill('VAT_ORDINARY');
    expect(await page.textContent('.errors')).toContain('VAT special invoice');
    expect((await voucher(morning)).status).toBe('PAID');

    await fill('VAT_SPECIAL');
    await page.waitForURL(`${server.runtime.url}/vouchers/${morning}?done=invoice-recorded`);
    expect(await page.textContent('.confirmation')).toContain('Invoice recorded, voucher closed');
    expect(await page.textContent('main')).toContain('26332000000012345678');
    const copy = await page.request.get(
      new URL((await page.getAttribute('a:has-text("发票文件 copy")', 'href')) ?? '', server.runtime.url)
        .href,
    );
    expect(await copy.text()).toContain('fundflow test invoice');
    await context.close();

    expect((await voucher(morning)).status).toBe('CLOSED');
    await server.runtime.engine.settled();
    expect(server.runtime.engine.execution('voucher', `${morning}-v1`)).toMatchObject({
      status: 'SUCCEEDED',
      endState: 'Closed',
    });
  });
});

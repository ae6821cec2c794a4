/**
 * "待我处理 Waiting for me" and the approval page, in real headless Chromium at a phone's width (390 px)
 * and a laptop's (1366 px): each approver's home lists the approvals waiting for them with a link to
 * the confirmation page (which still needs its own click), the cashier's today's and overdue payments,
 * the merchandiser's rejected vouchers and missing invoices, counted and summed; the approval page
 * names people, shows each order's settlement facts and the evidence as thumbnails, and after a
 * decision offers the next voucher waiting for the same approver.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../support/browser.ts';
import {
  decideByForm,
  jsonPost,
  type RunningRuntime,
  startRuntime,
  voucherOfLink,
} from '../support/runtime.ts';

const LI_NA = 'li.na@lianshang.example';
const HEAD = 'wang.qiang@lianshang.example';
const FINANCE = 'liu.yang@lianshang.example';
const CASHIER = 'chen.jing@lianshang.example';
const WIDTHS = [390, 1366] as const;

let server: RunningRuntime;
let browser: Browser;
let liNa: string;
/** Waiting for the head of merchandising: 12.00 and 30.00. */
let waiting: string[] = [];
let rejected: string;
let paid: string;

async function withPage<T>(width: number, act: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    return await act(await context.newPage());
  } finally {
    await context.close();
  }
}

async function emailedLink(email: string, voucherId: string): Promise<string> {
  await server.runtime.engine.settled();
  const link = (await server.outbox())
    .filter((message) => message.to.includes(email))
    .flatMap((message) => message.links)
    .findLast((candidate) => candidate.includes('/approvals/') && voucherOfLink(candidate) === voucherId);
  if (!link) throw new Error(`no approval link for ${email} and ${voucherId}`);
  return link;
}

async function decideAs(email: string, voucherId: string, decision: 'APPROVE' | 'REJECT', reason = '') {
  expect((await decideByForm(await emailedLink(email, voucherId), decision, reason)).status).toBe(200);
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

beforeAll(async () => {
  server = await startRuntime();
  browser = await launchBrowser();
  liNa = await server.login(LI_NA);
  // Yesterday's run: one voucher left unpaid (overdue today).
  await server.setClock('2026-11-17T09:00:00+08:00');
  const overdue = await server.submitTextileVoucher(liNa, 'e2e-home-overdue', 'LS-20261116-0001', '5.00');
  await decideAs(HEAD, overdue, 'APPROVE');
  await decideAs(FINANCE, overdue, 'APPROVE');
  await server.setClock('2026-11-18T09:00:00+08:00');
  const due = await server.submitTextileVoucher(liNa, 'e2e-home-due', 'LS-20261116-0001', '7.00');
  await decideAs(HEAD, due, 'APPROVE');
  await decideAs(FINANCE, due, 'APPROVE');
  paid = await server.submitTextileVoucher(liNa, 'e2e-home-paid', 'LS-20261116-0001', '100.00');
  await decideAs(HEAD, paid, 'APPROVE');
  await decideAs(FINANCE, paid, 'APPROVE');
  const cashier = await server.login(CASHIER);
  const payment = await server.api(`/api/vouchers/${paid}/payment`, {
    ...jsonPost({ status: 'PAID', bankReference: 'ICBC-E2E-HOME', paidOn: '2026-11-18' }),
    token: cashier,
  });
  expect(payment.status).toBe(200);
  rejected = await server.submitTextileVoucher(liNa, 'e2e-home-rejected', 'LS-20261116-0001', '9.00');
  await decideAs(HEAD, rejected, 'REJECT', '缺少发货单 the delivery note is missing');
  waiting = [
    await server.submitTextileVoucher(liNa, 'e2e-home-wait-1', 'LS-20261116-0001', '12.00'),
    await server.submitTextileVoucher(liNa, 'e2e-home-wait-2', 'LS-20261116-0001', '30.00'),
  ];
  await server.runtime.engine.settled();
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

describe.each(WIDTHS)('the home page at %i px', (width) => {
  it('lists the approvals waiting for the head of merchandising, counted and summed, each linked to its confirmation page', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, HEAD);
      const heading = await page.textContent('h1');
      const section = page.locator('[data-section=approvals]');
      const count = await section.locator('.totals').first().getAttribute('data-count');
      const amount = await section.locator('.totals').first().getAttribute('data-amount-fen');
      const rows = await section
        .locator('tr[data-voucher]')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-voucher')));
      const problems = await looksRight(page, width);
      const href = (await section.locator(`tr[data-voucher="${waiting[0]}"] a`).getAttribute('href')) ?? '';
      await page.goto(`${server.runtime.url}${href}`);
      return {
        heading,
        count,
        amount,
        rows,
        problems,
        href,
        confirmation: await page.locator('form input[name=confirm]').count(),
        decided: (await (await server.api(`/api/vouchers/${waiting[0]}`, { token: liNa })).json()) as {
          approvals: unknown[];
        },
      };
    });

    expect(found.heading).toContain('待我处理 Waiting for me');
    expect([found.count, found.amount]).toEqual(['2', '4200']);
    expect(found.rows.sort()).toEqual([...waiting].sort());
    expect(found.problems).toEqual([]);
    expect(found.href).toMatch(/^\/approvals\/[\w-]+\.[\w-]+$/);
    // The page it opens asks for its own click: opening it decided nothing.
    expect(found.confirmation).toBe(1);
    expect(found.decided.approvals).toEqual([]);
  });

  it('shows the cashier today’s payments and the overdue ones, counted and summed, with the run’s link', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, CASHIER);
      return {
        due: await page.getAttribute('[data-testid=due-today] .totals', 'data-count'),
        dueAmount: await page.getAttribute('[data-testid=due-today] .totals', 'data-amount-fen'),
        overdue: await page.getAttribute('[data-testid=overdue] .totals', 'data-count'),
        overdueAmount: await page.getAttribute('[data-testid=overdue] .totals', 'data-amount-fen'),
        run: await page.getAttribute('[data-section=run] a', 'href'),
        problems: await looksRight(page, width),
      };
    });

    expect(found).toEqual({
      due: '1',
      dueAmount: '700',
      overdue: '1',
      overdueAmount: '500',
      run: '/payment-runs/2026-11-18',
      problems: [],
    });
  });

  it('shows the merchandiser the rejected voucher with its reason and the paid one missing its invoice', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      const toEdit = page.locator('[data-section=to-edit]');
      const invoices = page.locator('[data-section=invoices]');
      return {
        toEdit: await toEdit.locator('tr[data-voucher]').getAttribute('data-voucher'),
        reason: await toEdit.locator('tbody').textContent(),
        edit: await toEdit.locator('a[href$="/edit"]').getAttribute('href'),
        editCount: await toEdit.locator('.totals').getAttribute('data-count'),
        invoice: await invoices.locator('tr[data-voucher]').getAttribute('data-voucher'),
        invoiceAmount: await invoices.locator('.totals').getAttribute('data-amount-fen'),
        problems: await looksRight(page, width),
      };
    });

    expect(found).toMatchObject({
      toEdit: rejected,
      edit: `/vouchers/${rejected}/edit`,
      editCount: '1',
      invoice: paid,
      invoiceAmount: '10000',
      problems: [],
    });
    expect(found.reason).toContain('the delivery note is missing');
  });
});

describe.each(WIDTHS)('the approval page at %i px', (width) => {
  it('names people, shows each order’s settlement and the screenshot as a thumbnail the page’s policy allows', async () => {
    const found = await withPage(width, async (page) => {
      const response = await page.goto(await emailedLink(HEAD, waiting[0] ?? ''));
      const thumb = page.locator('ul.thumbs img');
      await thumb
        .first()
        .evaluate((img: HTMLImageElement) =>
          img.complete ? undefined : new Promise((resolve) => img.addEventListener('load', resolve)),
        );
      return {
        csp: response?.headers()['content-security-policy'] ?? '',
        applicant: await page.textContent('main dl'),
        settlement: await page.textContent('table.settlement tbody'),
        thumbnails: await thumb.count(),
        loaded: await thumb.first().evaluate((img: HTMLImageElement) => img.naturalWidth),
        problems: await looksRight(page, width),
      };
    });

    expect(found.applicant).toContain('李娜 Li Na');
    expect(found.settlement).toContain('LS-20261116-0001');
    expect(found.settlement).toContain('2026-11-16 10:12');
    expect(found.settlement).toContain('2026-11-17 09:30');
    expect(found.settlement).toContain('None');
    expect(found.thumbnails).toBe(1);
    expect(found.loaded).toBeGreaterThan(0);
    // The evidence's own origin, exactly (locally the runtime's, as the bucket's in AWS).
    expect(found.csp).toContain(`img-src 'self' ${new URL(server.runtime.url).origin}`);
    expect(found.problems).toEqual([]);
  });
});

// The laptop first, on the two vouchers the home pages counted; then the phone, on two more.
describe.each([1366, 390] as const)('deciding on the approval page at %i px', (width) => {
  it('names earlier deciders by name, and after the decision offers the next voucher waiting for the same approver, by a fresh link', async () => {
    const pair =
      width === 1366
        ? waiting
        : [
            await server.submitTextileVoucher(liNa, 'e2e-home-phone-1', 'LS-20261116-0001', '13.00'),
            await server.submitTextileVoucher(liNa, 'e2e-home-phone-2', 'LS-20261116-0001', '14.00'),
          ];
    const found = await withPage(width, async (page) => {
      await page.goto(await emailedLink(HEAD, pair[0] ?? ''));
      await page.check('input[name=confirm]');
      await Promise.all([page.waitForLoadState(), page.click('button[value=APPROVE]')]);
      const outcome = {
        title: await page.textContent('h1'),
        next: await page.textContent('[data-testid=next-approval]'),
        problems: await looksRight(page, width),
      };
      const nextHref = (await page.getAttribute('[data-testid=next-approval] a', 'href')) ?? '';
      await page.goto(new URL(nextHref, server.runtime.url).toString());
      const nextVoucher = voucherOfLink(page.url());
      await page.check('input[name=confirm]');
      await Promise.all([page.waitForLoadState(), page.click('button[value=APPROVE]')]);
      const last = await page.locator('[data-testid=no-next-approval]').count();
      const financePage = await emailedLink(FINANCE, pair[0] ?? '');
      await page.goto(financePage);
      return { outcome, nextVoucher, last, earlier: await page.textContent('ul.earlier') };
    });

    expect(found.outcome.title).toBe('已批准 Approved');
    expect(found.outcome.next).toContain('Next voucher waiting for you');
    expect(found.outcome.next).toMatch(/FK-20261118-\d{4}/);
    expect(found.outcome.problems).toEqual([]);
    expect(found.nextVoucher).toBe(pair[1]);
    expect(found.last).toBe(1);
    expect(found.earlier).toContain('王强 Wang Qiang');
    expect(found.earlier).not.toContain('@');
  });
});

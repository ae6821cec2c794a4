/**
 * The UI kit as people see it, in headless Chromium at a phone's width (390 px) and a laptop's
 * (1366 px): the approval page's buttons look like what they do, its checkbox sits beside its words,
 * a table becomes cards on a phone, and every page fits the screen, carries no `style` attribute (the
 * CSP would drop it) and shows no raw code or clause number.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../support/browser.ts';
import { jsonPost, type RunningRuntime, startRuntime, voucherOfLink } from '../support/runtime.ts';

const LI_NA = 'li.na@lianshang.example';
const HEAD = 'wang.qiang@lianshang.example';
const FINANCE = 'liu.yang@lianshang.example';
const CASHIER = 'chen.jing@lianshang.example';
const WIDTHS = [390, 1366] as const;

let server: RunningRuntime;
let browser: Browser;
let liNa: string;
/** Due in the run of 2026-11-18 (reviewed that morning). */
let due: string;
/** Paid into an account the master data does not know: flagged for finance, waiting for the head. */
let flagged: string;
let approvalLink: string;
/** A bank file of the run of 2026-11-18 (its page lists the due voucher). */
let bankFile: string;

async function withPage<T>(width: number, act: (page: Page) => Promise<T>): Promise<T> {
  const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    return await act(await context.newPage());
  } finally {
    await context.close();
  }
}

beforeAll(async () => {
  server = await startRuntime();
  liNa = await server.login(LI_NA);
  browser = await launchBrowser();
  await server.setClock('2026-11-18T09:00:00+08:00');
  due = await server.submitTextileVoucher(liNa, 'e2e-ui-due-0001', 'LS-20261116-0001', '1,000.00');
  await server.approveAs(HEAD, due);
  await server.approveAs(FINANCE, due);
  const evidence = await server.uploadEvidence(liNa);
  const response = await server.api('/api/vouchers', {
    ...jsonPost(
      {
        supplierId: 'SUP-HZ-TEXTILE',
        payee: {
          name: '杭州织锦服饰有限公司',
          account: '6222 0000 1111 2222',
          bank: '中国工商银行杭州西湖支行',
        },
        amount: '200.00',
        orderIds: ['LS-20261116-0002'],
        goods: '针织衫',
        evidence: [evidence],
      },
      { 'idempotency-key': 'e2e-ui-flagged-1' },
    ),
    token: liNa,
  });
  expect(response.status).toBe(201);
  flagged = ((await response.json()) as { id: string }).id;
  await server.runtime.engine.settled();
  const link = (await server.outbox())
    .filter((message) => message.to.includes(HEAD))
    .flatMap((message) => message.links)
    .find((candidate) => candidate.includes('/approvals/') && voucherOfLink(candidate) === flagged);
  if (!link) throw new Error('no approval link for the flagged voucher');
  approvalLink = link;
  const exported = await server.api('/api/payment-runs/2026-11-18/bank-batch', {
    ...jsonPost({ format: 'csv' }),
    token: await server.login(CASHIER),
  });
  await exported.arrayBuffer();
  bankFile = exported.headers.get('x-bank-file-id') ?? '';
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

/** `rgb(207, 34, 46)` → [207, 34, 46]. */
const rgb = (colour: string) => (colour.match(/\d+/g) ?? []).slice(0, 3).map(Number);

describe.each(WIDTHS)('the approval page at %i px', (width) => {
  it('gives Approve and Reject different colours — Reject red — and no element a style attribute', async () => {
    const { approve, reject, styled } = await withPage(width, async (page) => {
      await page.goto(approvalLink);
      const colourOf = (value: string) =>
        page.locator(`button[value=${value}]`).evaluate((button) => getComputedStyle(button).backgroundColor);
      return {
        approve: await colourOf('APPROVE'),
        reject: await colourOf('REJECT'),
        styled: await page.locator('[style]').count(),
      };
    });

    expect(approve).not.toBe(reject);
    const [red = 0, green = 0, blue = 0] = rgb(reject);
    expect(red).toBeGreaterThan(green + 80);
    expect(red).toBeGreaterThan(blue + 80);
    expect(styled).toBe(0);
  });

  it('puts the confirmation checkbox on the line of its words, before them', async () => {
    const { box, words } = await withPage(width, async (page) => {
      await page.goto(approvalLink);
      return {
        box: await page.locator('input[name=confirm]').boundingBox(),
        words: await page
          .locator('label.check', { hasText: 'I have checked the facts above' })
          .locator('span')
          .boundingBox(),
      };
    });

    if (!box || !words) throw new Error('the checkbox or its words are not on the page');
    expect(words.x).toBeGreaterThan(box.x + box.width - 1);
    // Side by side: their vertical extents overlap.
    expect(box.y).toBeLessThan(words.y + words.height);
    expect(words.y).toBeLessThan(box.y + box.height);
  });
});

describe('the cashier’s run table', () => {
  /** How the run page lays out the due voucher's row at this width. */
  async function layout(width: number) {
    return withPage(width, async (page) => {
      await signIn(page, server.runtime.url, CASHIER);
      await page.goto(`${server.runtime.url}/payment-runs/2026-11-18`);
      const row = page.locator(`tr[data-voucher="${due}"]`);
      const firstCell = row.locator('td').first();
      return {
        rowDisplay: await row.evaluate((element) => getComputedStyle(element).display),
        headerHeight: await page
          .locator('table.cards thead')
          .first()
          .evaluate((element) => element.getBoundingClientRect().height),
        cellLabel: await firstCell.evaluate((element) => getComputedStyle(element, '::before').content),
        voucherLink: await row.locator(`a[href="/vouchers/${due}"]`).boundingBox(),
        markPaid: await row.locator('button', { hasText: 'Mark paid' }).boundingBox(),
        scrollWidth: await page.evaluate(() => document.documentElement.scrollWidth),
      };
    });
  }

  it('becomes a card per voucher at 390 px: each value under its column’s label, the actions on screen', async () => {
    const phone = await layout(390);

    expect(phone.rowDisplay).toBe('block');
    expect(phone.headerHeight).toBeLessThanOrEqual(1);
    expect(phone.cellLabel).toBe('"凭单 Voucher"');
    // The voucher id is readable, not a column one character wide.
    expect(phone.voucherLink?.width ?? 0).toBeGreaterThan(150);
    expect(
      (phone.markPaid?.x ?? -1) >= 0 && (phone.markPaid?.x ?? 0) + (phone.markPaid?.width ?? 0) <= 390,
    ).toBe(true);
    expect(phone.scrollWidth).toBeLessThanOrEqual(390);
  });

  it('stays a table with its header row at 1366 px', async () => {
    const desktop = await layout(1366);

    expect(desktop.rowDisplay).toBe('table-row');
    expect(desktop.headerHeight).toBeGreaterThan(10);
    expect(desktop.cellLabel).toBe('none');
  });
});

describe('every page', () => {
  /** The pages to look at, each as the person who would open it (none: no session). */
  const pages = (): { who: string | null; path: string }[] => [
    { who: null, path: '/login' },
    { who: null, path: new URL(approvalLink).pathname },
    { who: LI_NA, path: '/' },
    { who: LI_NA, path: '/vouchers' },
    { who: LI_NA, path: '/vouchers/new' },
    { who: LI_NA, path: `/vouchers/${flagged}` },
    { who: LI_NA, path: '/vouchers/01KAAAAAAAAAAAAAAAAAAAAAAA' },
    { who: FINANCE, path: `/vouchers/${due}` },
    { who: FINANCE, path: '/supplier-invoices/missing' },
    { who: CASHIER, path: '/payment-runs/2026-11-18' },
    { who: CASHIER, path: `/payment-runs/2026-11-18/bank-batch/${bankFile}` },
  ];

  it.each(WIDTHS)(
    'fits %i px without sideways scrolling, with no style attribute, no raw code and no clause number',
    async (width) => {
      const problems = await withPage(width, async (page) => {
        const found: string[] = [];
        let signedInAs: string | null = null;
        for (const { who, path } of pages()) {
          if (who !== signedInAs) {
            await page.context().clearCookies();
            if (who) await signIn(page, server.runtime.url, who);
            signedInAs = who;
          }
          await page.goto(`${server.runtime.url}${path}`);
          if (new URL(page.url()).pathname !== path) found.push(`${path}: landed on ${page.url()}`);
          const seen = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            styled: document.querySelectorAll('[style]').length,
            text: document.body.innerText,
          }));
          if (seen.scrollWidth > width) found.push(`${path}: ${seen.scrollWidth} px wide`);
          if (seen.styled > 0) found.push(`${path}: ${seen.styled} element(s) with a style attribute`);
          for (const code of seen.text.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? [])
            found.push(`${path}: ${code}`);
          if (seen.text.includes('POLICY')) found.push(`${path}: a clause number`);
        }
        return found;
      });

      expect(problems).toEqual([]);
    },
  );
});

/**
 * A newcomer's first hour, as README's quick start tells it, in real headless Chromium at 390 px and
 * 1366 px: the sign-in picker starts on the merchandiser, the demo voucher the README names (its
 * supplier, its payee as filled in, its order and amount) passes every check, its approval emails are
 * in the dev outbox and the outcome page after a decision is in both languages; the pages a person is
 * refused (403) or sent to by a wrong address (404) say why in Chinese and English. And the README
 * itself: two commands, the install's size and time, the EBADENGINE warnings, the outbox and the dev
 * clock, no link outside the clone; the start banner says the same.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBanner } from '../../lib/local/banner.ts';
import { DEMO_PEOPLE } from '../../lib/local/seed.ts';
import { TINY_PNG } from '../support/app.ts';
import { launchBrowser, signIn } from '../support/browser.ts';
import { type RunningRuntime, startRuntime, voucherOfLink } from '../support/runtime.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const QUICK_START = README.slice(
  README.indexOf('## Quick start'),
  README.indexOf('\n## ', README.indexOf('## Quick start') + 1),
);
const WIDTHS = [390, 1366] as const;
const HEAD = 'wang.qiang@lianshang.example';
const LI_NA = 'li.na@lianshang.example';

/** The demo voucher as README's step 2 names it (read from the README, so the two cannot drift). */
const demo = {
  supplier: /`(SUP-[A-Z-]+)`/.exec(QUICK_START)?.[1] ?? '',
  order: /tick order\s+`(LS-\d{8}-\d{4})`/.exec(QUICK_START)?.[1] ?? '',
  amount: /the amount \*\*([\d,.]+)\*\*/.exec(QUICK_START)?.[1] ?? '',
  goods: /the goods \(([^)]+)\)/.exec(QUICK_START)?.[1] ?? '',
};

let server: RunningRuntime;
let browser: Browser;
const screenshot = path.join(mkdtempSync(path.join(tmpdir(), 'fundflow-newcomer-')), 'order.png');

beforeAll(async () => {
  writeFileSync(screenshot, TINY_PNG);
  server = await startRuntime();
  browser = await launchBrowser();
  // A working morning: the quick start's voucher is paid the same day once finance approves.
  await server.setClock('2026-11-18T09:00:00+08:00');
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

/** The page fits the screen, has no style attribute, no raw code or clause number, and both languages. */
async function looksRight(page: Page, width: number): Promise<string[]> {
  const seen = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    styled: document.querySelectorAll('[style]').length,
    text: document.querySelector('main')?.innerText ?? document.body.innerText,
  }));
  return [
    ...(seen.scrollWidth > width ? [`${seen.scrollWidth} px wide`] : []),
    ...(seen.styled > 0 ? ['a style attribute'] : []),
    ...(seen.text.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/g) ?? []),
    ...(seen.text.includes('POLICY') ? ['a clause number'] : []),
    ...(/[\u4e00-\u9fff]/.test(seen.text) ? [] : ['no Chinese']),
    ...(/[A-Za-z]{3,} [a-z]{2,}/.test(seen.text) ? [] : ['no English']),
  ];
}

describe('README for a newcomer', () => {
  it('keeps the quick start to two commands: one runs the product, one runs the whole suite', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(QUICK_START)?.[1] ?? '';
    const commands = block
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);

    expect(commands).toEqual(['npm start', 'npm test']);
  });

  it('says what the first run installs and how long it takes, and that Node 20’s EBADENGINE warnings are expected', () => {
    expect(QUICK_START).toMatch(/about 1 GB/);
    expect(QUICK_START).toMatch(/about two minutes/);
    expect(QUICK_START).toMatch(/Node 20[\s\S]{0,80}EBADENGINE[\s\S]{0,40}expected/);
  });

  it('points to the dev outbox and to the dev clock, and says approvals after 12:00 are paid the next working day', () => {
    expect(QUICK_START).toContain('/dev/outbox');
    expect(QUICK_START).toContain('/api/dev/clock');
    expect(QUICK_START).toMatch(/12:00[\s\S]{0,120}next working day/);
  });

  it('names a demo voucher of the seed data: the supplier, its order and what that order still owes', () => {
    expect(demo).toEqual({
      supplier: 'SUP-HZ-TEXTILE',
      order: 'LS-20261116-0001',
      amount: '10,000.00',
      goods: '秋冬女装',
    });
    expect(QUICK_START).toContain('¥115,000.00');
  });

  it('links only to files in the clone', () => {
    const docs = ['README.md', 'docs/api.md', 'docs/data-model.md', 'docs/runbook.md', 'docs/ui.md'];
    const outside: string[] = [];
    for (const doc of docs.filter((file) => existsSync(path.join(ROOT, file)))) {
      const text = readFileSync(path.join(ROOT, doc), 'utf8');
      for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(https?:|mailto:|#)/.test(target)) continue;
        const file = path.resolve(ROOT, path.dirname(doc), target.split('#')[0] ?? '');
        if (!file.startsWith(`${ROOT}${path.sep}`) || !existsSync(file)) outside.push(`${doc}: ${target}`);
      }
      if (/\.\.\/shared\//.test(text)) outside.push(`${doc}: ../shared/…`);
    }

    expect(outside).toEqual([]);
  });
});

describe('the start banner', () => {
  const banner = startBanner({ url: 'http://localhost:3000', dataDir: '/tmp/data', people: DEMO_PEOPLE });

  it('points to the dev outbox and to the dev clock, with what noon decides', () => {
    expect(banner).toContain('http://localhost:3000/dev/outbox');
    expect(banner).toContain('http://localhost:3000/api/dev/clock');
    expect(banner).toMatch(/after 12:00[^\n]*next working day/);
  });

  it('says the picker starts on the merchandiser, and names the same demo voucher as the README', () => {
    expect(banner).toContain('starts on the merchandiser 李娜 Li Na');
    for (const fact of Object.values(demo)) expect(banner).toContain(fact);
  });
});

describe.each(WIDTHS)('the quick start in Chromium at %i px', (width) => {
  it('starts the sign-in picker on the merchandiser', async () => {
    const found = await withPage(width, async (page) => {
      await page.goto(`${server.runtime.url}/login`);
      const chosen = await page.inputValue('select[name=email]');
      const problems = await looksRight(page, width);
      await Promise.all([page.waitForURL(`${server.runtime.url}/`), page.click('main button[type=submit]')]);
      return { chosen, problems, header: await page.textContent('header') };
    });

    expect(found.chosen).toBe(LI_NA);
    expect(found.problems).toEqual([]);
    expect(found.header).toContain('李娜 Li Na');
  });

  it('submits the README’s demo voucher with no flag and no CEO step, and its approval ends on a bilingual outcome page', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await page.goto(`${server.runtime.url}/vouchers/new`);
      await page.selectOption('select[name=supplier]', demo.supplier);
      await Promise.all([page.waitForURL(/supplier=/), page.click('main button[type=submit]')]);
      // The payee is left as the master data filled it in.
      await page.check(`input[name="order.${demo.order}"]`);
      await page.fill('[name=amount]', demo.amount);
      await page.fill('[name=goods]', demo.goods);
      await page.setInputFiles('input[name=evidence]', screenshot);
      await Promise.all([
        page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/),
        page.click('main form[method=post] button[type=submit]'),
      ]);
      const voucherId = /\/vouchers\/([0-9A-Z]{26})$/.exec(page.url())?.[1] ?? '';
      const submitted = {
        heading: await page.textContent('h1'),
        flags: await page.locator('[role=note].flags').count(),
        problems: await looksRight(page, width),
      };
      await server.runtime.engine.settled();
      await page.goto(`${server.runtime.url}/dev/outbox`);
      const links = await page
        .locator('a[href*="/approvals/"]')
        .evaluateAll((anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).href));
      const headLink = (await server.outbox())
        .filter((message) => message.to.includes(HEAD))
        .flatMap((message) => message.links)
        .find((link) => link.includes('/approvals/') && voucherOfLink(link) === voucherId);
      await page.goto(headLink ?? '');
      await page.check('input[name=confirm]');
      await Promise.all([page.waitForLoadState(), page.click('button[value=APPROVE]')]);
      return {
        voucherId,
        submitted,
        inOutbox: links.some((link) => link === headLink),
        outcome: { title: await page.textContent('h1'), problems: await looksRight(page, width) },
      };
    });

    expect(found.submitted.heading).toMatch(/FK-20261118-\d{4}/);
    expect(found.submitted.flags).toBe(0);
    expect(found.submitted.problems).toEqual([]);
    expect(found.inOutbox).toBe(true);
    expect(found.outcome.title).toBe('已批准 Approved');
    expect(found.outcome.problems).toEqual([]);
    const voucher = (await (
      await server.api(`/api/vouchers/${found.voucherId}`, { token: await server.login(LI_NA) })
    ).json()) as { flags: unknown[]; route: { requiresCeo: boolean }; number: string };
    expect(voucher.flags).toEqual([]);
    expect(voucher.route.requiresCeo).toBe(false);
  });

  it('says in Chinese and English why a page is refused (403) or not found (404)', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      const refused = await page.goto(`${server.runtime.url}/payment-runs/2026-11-18`);
      const refusal = { status: refused?.status(), problems: await looksRight(page, width) };
      const missing = await page.goto(`${server.runtime.url}/no-such-page`);
      return {
        refusal,
        missing: { status: missing?.status(), problems: await looksRight(page, width) },
        roles: await (async () => {
          await page.goto(`${server.runtime.url}/payment-runs/2026-11-18`);
          return page.textContent('[data-testid=roles-that-may]');
        })(),
      };
    });

    expect(found.refusal).toEqual({ status: 403, problems: [] });
    expect(found.missing).toEqual({ status: 404, problems: [] });
    expect(found.roles).toContain('出纳 Cashier');
  });
});

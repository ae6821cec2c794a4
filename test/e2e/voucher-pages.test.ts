/**
 * The voucher pages a merchandiser works in, in real headless Chromium at a phone's width (390 px)
 * and a laptop's (1366 px): the new-voucher form (the supplier picked from the master data, the payee
 * filled from it, each order with what it still owes, the file kept through a refusal, a form sent
 * again after Back named as the voucher it already made), and the edit of a rejected voucher (the
 * reason as a banner, the account masked and kept).
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_PNG } from '../support/app.ts';
import { launchBrowser, signIn } from '../support/browser.ts';
import { decideByForm, type RunningRuntime, startRuntime, voucherOfLink } from '../support/runtime.ts';

const LI_NA = 'li.na@lianshang.example';
const HEAD = 'wang.qiang@lianshang.example';
const FINANCE = 'liu.yang@lianshang.example';
const WIDTHS = [390, 1366] as const;

let server: RunningRuntime;
let browser: Browser;
const folder = mkdtempSync(path.join(tmpdir(), 'fundflow-form-'));
const screenshot = path.join(folder, '订单截图.png');
const notAnImage = path.join(folder, 'order.png');

beforeAll(async () => {
  writeFileSync(screenshot, TINY_PNG);
  writeFileSync(notAnImage, '<html><script>alert(1)</script></html>');
  server = await startRuntime();
  browser = await launchBrowser();
  await server.setClock('2026-11-18T09:00:00+08:00');
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

async function withPage<T>(
  width: number,
  act: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    return await act(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** Every file in the runtime's evidence "bucket". */
const evidenceFiles = () => {
  const dir = path.join(server.dataDir, 'evidence');
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true }).filter((name) => String(name).endsWith('.png'))
    : [];
};

/** The page fits the screen, carries no style attribute (the CSP drops it) and shows no raw code. */
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

/** Step one as a person does it: the supplier from the list, then Next. */
async function pickSupplier(page: Page, supplier: string) {
  await page.goto(`${server.runtime.url}/vouchers/new`);
  await page.selectOption('select[name=supplier]', supplier);
  await Promise.all([page.waitForURL(/supplier=/), page.click('main button[type=submit]')]);
}

const submit = (page: Page) =>
  Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    page.click('main form[method=post] button[type=submit]'),
  ]);

describe.each(WIDTHS)('the new-voucher form at %i px', (width) => {
  it('fills the payee from the supplier records, lists its orders with what each still owes, and keeps the master account', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await pickSupplier(page, 'SUP-HZ-TEXTILE');
      const form = {
        payeeName: await page.inputValue('[name=payeeName]'),
        payeeAccount: await page.inputValue('[name=payeeAccount]'),
        payeeBank: await page.inputValue('[name=payeeBank]'),
        owes: await page.textContent('tr[data-order="LS-20261116-0002"]'),
        unsettled: await page.textContent('tr[data-order="LS-20261117-0006"]'),
        unsettledBox: await page.locator('tr[data-order="LS-20261117-0006"] input[type=checkbox]').count(),
        problems: await looksRight(page, width),
      };
      await page.check('input[name="order.LS-20261116-0002"]');
      await page.fill('[name=amount]', width === 390 ? '101.00' : '102.00');
      await page.fill('[name=goods]', '针织衫');
      await page.setInputFiles('input[name=evidence]', screenshot);
      const [response] = await Promise.all([
        page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/),
        page.click('main form[method=post] button[type=submit]'),
      ]);
      void response;
      return {
        form,
        heading: await page.textContent('h1'),
        flags: await page.locator('[role=note].flags').count(),
        account: await page.textContent('main dd.account'),
      };
    });

    expect(found.form).toMatchObject({
      payeeName: '杭州织锦服饰有限公司',
      payeeAccount: '**** **** 5678',
      payeeBank: '中国工商银行杭州西湖支行',
    });
    expect(found.form.owes).toContain('¥78,000.00');
    expect(found.form.unsettled).toContain('Funds not credited yet');
    expect(found.form.unsettledBox).toBe(0);
    expect(found.form.problems).toEqual([]);
    expect(found.heading).toMatch(/FK-20261118-\d{4}/);
    // The masked master-data account sent back is the master data's: nothing for finance to flag.
    expect(found.flags).toBe(0);
    expect(found.account).toBe('**** **** 5678');
  });

  it('still flags a payee that was changed from the master data', async () => {
    const note = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await pickSupplier(page, 'SUP-HZ-TEXTILE');
      await page.fill('[name=payeeAccount]', '6222 0000 1111 2222');
      await page.check('input[name="order.LS-20261116-0002"]');
      await page.fill('[name=amount]', '5.00');
      await page.fill('[name=goods]', '针织衫');
      await page.setInputFiles('input[name=evidence]', screenshot);
      await Promise.all([
        page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/),
        page.click('main form[method=post] button[type=submit]'),
      ]);
      return page.textContent('[role=note].flags');
    });

    expect(note).toContain('收款信息与供应商档案不符 Payee differs from the supplier records');
  });

  it('keeps the chosen file through a refusal, and cites it — stored once — when the form is sent again', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await pickSupplier(page, 'SUP-HZ-TEXTILE');
      await page.check('input[name="order.LS-20261116-0002"]');
      await page.fill('[name=amount]', '999,999.00');
      await page.fill('[name=goods]', '针织衫');
      await page.setInputFiles('input[name=evidence]', screenshot);
      const before = evidenceFiles().length;
      const [refused] = await submit(page);
      const afterRefusal = evidenceFiles().length;
      const kept = await page.locator('fieldset.kept input[type=checkbox]:checked').count();
      const keptName = await page.textContent('fieldset.kept');
      const problems = await looksRight(page, width);
      await page.fill('[name=amount]', '7.00');
      await Promise.all([
        page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/),
        page.click('main form[method=post] button[type=submit]'),
      ]);
      return {
        status: refused.status(),
        stored: [afterRefusal - before, evidenceFiles().length - before],
        kept,
        keptName,
        problems,
        evidenceLinks: await page.locator('main a[href^="/evidence/"]').count(),
      };
    });

    expect(found.status).toBe(422);
    expect(found.kept).toBe(1);
    expect(found.keptName).toContain('订单截图.png');
    expect(found.problems).toEqual([]);
    // Stored when it was kept, never again when cited.
    expect(found.stored).toEqual([1, 1]);
    expect(found.evidenceLinks).toBe(1);
  });

  it('keeps nothing of a refused file', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await pickSupplier(page, 'SUP-HZ-TEXTILE');
      await page.check('input[name="order.LS-20261116-0002"]');
      await page.fill('[name=amount]', '8.00');
      await page.fill('[name=goods]', '针织衫');
      await page.setInputFiles('input[name=evidence]', notAnImage);
      const before = evidenceFiles().length;
      const [refused] = await submit(page);
      return {
        status: refused.status(),
        stored: evidenceFiles().length - before,
        kept: await page.locator('fieldset.kept').count(),
        alert: await page.textContent('[role=alert]'),
      };
    });

    expect(found.status).toBe(422);
    expect(found.stored).toBe(0);
    expect(found.kept).toBe(0);
    expect(found.alert).toContain('order.png');
  });

  it('says “you already submitted voucher X”, with its link, on the form Back returns to', async () => {
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await pickSupplier(page, 'SUP-HZ-TEXTILE');
      await page.check('input[name="order.LS-20261116-0002"]');
      await page.fill('[name=amount]', '9.00');
      await page.fill('[name=goods]', '针织衫');
      await page.setInputFiles('input[name=evidence]', screenshot);
      await Promise.all([
        page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/),
        page.click('main form[method=post] button[type=submit]'),
      ]);
      const made = new URL(page.url()).pathname;
      // Back fetches the form again (pages are never cached): its key is in its address.
      const back = await page.goBack();
      return {
        made,
        status: back?.status(),
        banner: await page.textContent('[role=status].already'),
        link: await page.getAttribute('[role=status].already a', 'href'),
        forms: await page.locator('main form[method=post]').count(),
        problems: await looksRight(page, width),
      };
    });

    expect(found.status).toBe(200);
    expect(found.banner).toContain('You already submitted this voucher');
    expect(found.banner).toMatch(/FK-20261118-\d{4}/);
    expect(found.link).toBe(found.made);
    expect(found.forms).toBe(0);
    expect(found.problems).toEqual([]);
  });

  it('names the voucher already made, not “the orders owe 0.00”, when the same voucher is sent again in a new form', async () => {
    const found = await withPage(width, async (page) => {
      // All that the order still owes, so the second sending finds nothing left.
      const [supplier, order, amount] =
        width === 390
          ? ['SUP-YW-SMALL', 'LS-20261116-0005', '8,800.00']
          : ['SUP-GZ-BEAUTY', 'LS-20261116-0004', '500,000.00'];
      const fill = async () => {
        await pickSupplier(page, supplier);
        await page.fill('[name=orderIds]', order);
        await page.fill('[name=amount]', amount);
        await page.fill('[name=goods]', '日用品');
        await page.setInputFiles('input[name=evidence]', screenshot);
      };
      await signIn(page, server.runtime.url, LI_NA);
      await fill();
      await Promise.all([
        page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/),
        page.click('main form[method=post] button[type=submit]'),
      ]);
      const made = new URL(page.url()).pathname;
      await fill();
      const [again] = await submit(page);
      return {
        made,
        status: again.status(),
        banner: await page.textContent('[role=status].already'),
        link: await page.getAttribute('[role=status].already a', 'href'),
        text: await page.textContent('main'),
        problems: await looksRight(page, width),
      };
    });

    expect(found.status).toBe(409);
    expect(found.banner).toContain('You already submitted this voucher');
    expect(found.link).toBe(found.made);
    expect(found.text).not.toContain('0.00 after earlier vouchers');
    expect(found.problems).toEqual([]);
  });
});

describe.each(WIDTHS)('editing a rejected voucher at %i px', (width) => {
  /** A voucher of li.na's the head of merchandising rejected, with his reason. */
  async function rejected(reason: string): Promise<string> {
    const token = await server.login(LI_NA);
    const id = await server.submitTextileVoucher(
      token,
      `e2e-edit-${width}-${Date.now()}`,
      'LS-20261116-0001',
      '300.00',
    );
    await server.runtime.engine.settled();
    const link = (await server.outbox())
      .filter((message) => message.to.includes(HEAD))
      .flatMap((message) => message.links)
      .find((candidate) => candidate.includes('/approvals/') && voucherOfLink(candidate) === id);
    if (!link) throw new Error('no approval link');
    expect((await decideByForm(link, 'REJECT', reason)).status).toBe(200);
    await server.runtime.engine.settled();
    return id;
  }

  it('shows the reason as a banner, the account masked, and sends the edit as a new version that keeps its number and account', async () => {
    const id = await rejected('金额应为 250.00 the amount should be 250.00');
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await page.goto(`${server.runtime.url}/vouchers/${id}`);
      const banner = await page.textContent('[role=note].rejection');
      const number = await page.textContent('h1 .number');
      const pageProblems = await looksRight(page, width);
      await Promise.all([page.waitForURL(/\/edit\?form=/), page.click('a[href$="/edit"]')]);
      const formBanner = await page.textContent('[role=note].rejection');
      const account = await page.inputValue('[name=payeeAccount]');
      const amount = await page.inputValue('[name=amount]');
      const kept = await page.locator('fieldset.kept input:checked').count();
      const formProblems = await looksRight(page, width);
      await page.fill('[name=amount]', '250.00');
      await Promise.all([
        page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/),
        page.click('main form[method=post] button[type=submit]'),
      ]);
      return {
        banner,
        number,
        formBanner,
        account,
        amount,
        kept,
        problems: [...pageProblems, ...formProblems],
        after: {
          number: await page.textContent('h1 .number'),
          amount: await page.textContent('main dd.amount'),
        },
      };
    });

    expect(found.banner).toContain('the amount should be 250.00');
    expect(found.banner).toContain('王强');
    expect(found.formBanner).toContain('the amount should be 250.00');
    expect(found.account).toBe('**** **** 5678');
    expect(found.amount).toBe('300.00');
    expect(found.kept).toBe(1);
    expect(found.problems).toEqual([]);
    expect(found.after).toEqual({ number: found.number, amount: '¥250.00' });
    const finance = await server.login(FINANCE);
    const stored = (await (await server.api(`/api/vouchers/${id}`, { token: finance })).json()) as {
      version: number;
      payee: { account: string };
      flags: unknown[];
      evidence: string[];
    };
    expect(stored).toMatchObject({ version: 2, payee: { account: '3301 0400 0001 2345 678' }, flags: [] });
    expect(stored.evidence).toHaveLength(1);
  });

  it('says the voucher was resubmitted already on the edit form Back returns to', async () => {
    const id = await rejected('请补充订单 add the order');
    const found = await withPage(width, async (page) => {
      await signIn(page, server.runtime.url, LI_NA);
      await page.goto(`${server.runtime.url}/vouchers/${id}/edit`);
      await Promise.all([
        page.waitForURL(/\/vouchers\/[0-9A-Z]{26}$/),
        page.click('main form[method=post] button[type=submit]'),
      ]);
      const back = await page.goBack();
      return {
        status: back?.status(),
        forms: await page.locator('main form[method=post]').count(),
        banner: await page.textContent('[role=status].already'),
        link: await page.getAttribute('[role=status].already a', 'href'),
      };
    });

    expect(found.status).toBe(200);
    expect(found.forms).toBe(0);
    expect(found.banner).toContain('You already resubmitted this voucher');
    expect(found.link).toBe(`/vouchers/${id}`);
  });
});

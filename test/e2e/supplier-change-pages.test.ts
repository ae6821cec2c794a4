/**
 * The supplier-change review page (POLICY D8, second sentence; issue 14 §5) in headless Chromium
 * against the real local runtime: one finance person asks for a supplier's new bank details from the
 * page, another approves them there and the supplier then has them; the one who asked sees no buttons
 * on their own change; a rejection without a reason is refused in plain words and changes nothing.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../../lib/domain/model.ts';
import { requestSupplierChange } from '../../lib/suppliers/changes.ts';
import { saveSupplier } from '../../lib/suppliers/save-supplier.ts';
import { launchBrowser, looks, signedInPage } from '../support/browser.ts';
import { type RunningRuntime, startRuntime } from '../support/runtime.ts';

const ADMIN = 'admin@lianshang.example';
const FINANCE_A = 'liu.yang@lianshang.example';
const FINANCE_B = 'wu.fang@lianshang.example';
const CODE = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;

let server: RunningRuntime;
let browser: Browser;

beforeAll(async () => {
  server = await startRuntime();
  await server.setClock('2026-11-18T09:00:00+08:00');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

const signedIn = (email: string, width: number) => signedInPage(browser, server.runtime.url, email, width);

const person = async (email: string): Promise<Person> => {
  const found = await server.runtime.deps.store.people.get(email);
  if (!found) throw new Error(`no seeded ${email}`);
  return found;
};

/** A supplier of its own, so each test's change is the only one on it. */
async function supplier(id: string) {
  await saveSupplier(server.runtime.deps, await person(ADMIN), {
    id,
    name: '苏州页面供应商有限公司',
    bankAccount: '6222 1111 2222 3333',
    bankName: '中国银行苏州分行',
    accountType: 'CORPORATE',
  });
}

describe('the supplier-change review page', () => {
  it.each([390, 1366])(
    'lets finance A ask for new bank details and finance B approve them from the page at %i px, after which the supplier has them',
    async (width) => {
      const supplierId = `SUP-PAGE-OK-${width}`;
      const account = `6222 9999 0000 ${width}`.slice(0, 24);
      await supplier(supplierId);

      const asker = await signedIn(FINANCE_A, width);
      try {
        await asker.page.goto(`${server.runtime.url}/`);
        await asker.page.click('a[href="/supplier-changes"]');
        await asker.page.selectOption('#supplierId', supplierId);
        await asker.page.fill('#name', '苏州页面供应商有限公司');
        await asker.page.fill('#bankAccount', account);
        await asker.page.fill('#bankName', '中国建设银行苏州分行');
        const [response] = await Promise.all([
          asker.page.waitForNavigation(),
          asker.page.click('form.supplier-change-request button[type=submit]'),
        ]);
        expect(response?.status()).toBe(200);
        const asked = await looks(asker.page);
        expect(asked.text).toContain('变更已提交，等待另一位财务人员审核');
        expect(asked.scrollWidth).toBeLessThanOrEqual(width);
        expect(asked.styled).toBe(0);
        expect(asked.text).not.toMatch(CODE);
      } finally {
        await asker.context.close();
      }
      // Not yet: the master keeps its details until the review (D8).
      expect((await server.runtime.deps.store.suppliers.get(supplierId))?.bankName).toBe('中国银行苏州分行');

      const reviewer = await signedIn(FINANCE_B, width);
      try {
        await reviewer.page.goto(`${server.runtime.url}/supplier-changes`);
        const card = reviewer.page.locator(`[data-supplier="${supplierId}"]`);
        expect(await card.count()).toBe(1);
        const seen = await looks(reviewer.page);
        expect(seen.text).toContain('中国银行苏州分行 → 中国建设银行苏州分行');
        expect(seen.text).toContain(FINANCE_A);
        expect(seen.scrollWidth).toBeLessThanOrEqual(width);
        expect(seen.styled).toBe(0);
        expect(seen.text).not.toMatch(CODE);
        const [response] = await Promise.all([
          reviewer.page.waitForNavigation(),
          card.locator('button:has-text("批准 Approve")').click(),
        ]);
        expect(response?.status()).toBe(200);
        expect((await looks(reviewer.page)).text).toContain('变更已批准，供应商资料已更新');
        expect(await reviewer.page.locator(`[data-supplier="${supplierId}"]`).count()).toBe(0);
      } finally {
        await reviewer.context.close();
      }
      expect(await server.runtime.deps.store.suppliers.get(supplierId)).toMatchObject({
        bankAccount: account,
        bankName: '中国建设银行苏州分行',
      });
    },
  );

  it('shows the one who asked their own change without buttons, saying another finance person must review it', async () => {
    const supplierId = 'SUP-PAGE-OWN';
    await supplier(supplierId);
    await requestSupplierChange(server.runtime.deps, await person(FINANCE_A), supplierId, {
      name: '苏州页面供应商有限公司',
      bankAccount: '6222 1111 2222 5555',
      bankName: '中国银行苏州分行',
      accountType: 'CORPORATE',
    });
    const { context, page } = await signedIn(FINANCE_A, 390);
    try {
      await page.goto(`${server.runtime.url}/supplier-changes`);
      const card = page.locator(`[data-supplier="${supplierId}"]`);
      expect(await card.count()).toBe(1);
      expect(await card.locator('button').count()).toBe(0);
      expect(await card.innerText()).toContain('another finance person must review it');
      expect(await card.innerText()).toContain('须由另一位财务人员审核');
    } finally {
      await context.close();
    }
  });

  it('refuses a rejection without a reason in plain words, the reason marked, and changes nothing', async () => {
    const supplierId = 'SUP-PAGE-NOREASON';
    await supplier(supplierId);
    const change = await requestSupplierChange(server.runtime.deps, await person(FINANCE_A), supplierId, {
      name: '苏州页面供应商有限公司',
      bankAccount: '6222 1111 2222 6666',
      bankName: '中国银行苏州分行',
      accountType: 'CORPORATE',
    });
    const { context, page } = await signedIn(FINANCE_B, 1366);
    try {
      await page.goto(`${server.runtime.url}/supplier-changes`);
      const card = page.locator(`[data-supplier="${supplierId}"]`);
      const [response] = await Promise.all([
        page.waitForNavigation(),
        card.locator('button:has-text("驳回 Reject")').click(),
      ]);
      expect(response?.status()).toBe(400);
      const seen = await looks(page);
      expect(seen.text).toMatch(/why the change is rejected/i);
      expect(seen.text).not.toMatch(CODE);
      expect(seen.text).not.toContain('POLICY');
      expect(seen.styled).toBe(0);
      expect(await page.getAttribute(`#reason-${change.id}`, 'aria-invalid')).toBe('true');
      // Still pending, and the master as it was.
      expect(await server.runtime.deps.store.supplierChanges.get(supplierId, change.id)).toMatchObject({
        status: 'PENDING',
        version: change.version,
      });
      expect((await server.runtime.deps.store.suppliers.get(supplierId))?.bankAccount).toBe(
        '6222 1111 2222 3333',
      );
    } finally {
      await context.close();
    }
  });
});

describe('the delegations page', () => {
  it.each([390, 1366])(
    'lets an administrator add a delegation from the page at %i px, which is then listed, with a confirmation',
    async (width) => {
      const from = width === 390 ? 'wu.fang@lianshang.example' : 'chen.jing@lianshang.example';
      const { context, page } = await signedIn(ADMIN, width);
      try {
        await page.goto(`${server.runtime.url}/`);
        await page.click('a[href="/admin/delegations"]');
        await page.selectOption('#from', from);
        await page.selectOption('#to', 'tech@lianshang.example');
        await page.fill('#validFrom', '2026-11-18');
        await page.fill('#validTo', '2026-11-25');
        await page.fill('#reason', '出差 away on business');
        const [response] = await Promise.all([
          page.waitForNavigation(),
          page.click('form.delegation-form button[type=submit]'),
        ]);
        expect(response?.status()).toBe(200);
        const seen = await looks(page);
        expect(seen.text).toContain('已授权 Delegation added');
        expect(seen.text).toContain('2026-11-18 – 2026-11-25');
        expect(seen.text).toContain('生效中 In effect');
        expect(seen.scrollWidth).toBeLessThanOrEqual(width);
        expect(seen.styled).toBe(0);
        expect(seen.text).not.toMatch(CODE);
        const stored = await server.runtime.deps.store.approvals.delegationsFrom(from);
        expect(stored).toEqual([
          expect.objectContaining({ to: 'tech@lianshang.example', validTo: '2026-11-25', createdBy: ADMIN }),
        ]);
        expect(await page.locator(`[data-delegation="${stored[0]?.id}"]`).count()).toBe(1);
      } finally {
        await context.close();
      }
    },
  );

  it('refuses a delegation to oneself in plain words, the delegate marked, the form filled again, nothing written', async () => {
    const from = 'zhao.min@lianshang.example';
    const { context, page } = await signedIn(ADMIN, 390);
    try {
      await page.goto(`${server.runtime.url}/admin/delegations`);
      await page.selectOption('#from', from);
      await page.selectOption('#to', from);
      await page.fill('#reason', '出差 away on business');
      const [response] = await Promise.all([
        page.waitForNavigation(),
        page.click('form.delegation-form button[type=submit]'),
      ]);
      expect(response?.status()).toBe(400);
      const seen = await looks(page);
      expect(seen.text).toContain('A person cannot delegate to themselves');
      expect(seen.text).not.toMatch(CODE);
      expect(await page.getAttribute('#to', 'aria-invalid')).toBe('true');
      expect(await page.inputValue('#reason')).toBe('出差 away on business');
      expect(await server.runtime.deps.store.approvals.delegationsFrom(from)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

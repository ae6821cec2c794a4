/**
 * The administration's forms (issue 14 §1, §2, §8) in headless Chromium against the real local
 * runtime: an administrator adds and changes people, names a travelling approver's proxy and ends it
 * early, revokes a delegation, edits their own entity's invoicing settings and filters the audit trail
 * from the pages — through the same use cases as the JSON API, a refusal in
 * plain words with the form filled again and nothing written, a confirmation after each save.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_PAGE_SIZE } from '../../lib/admin/audit.ts';
import { addDelegation } from '../../lib/approvals/delegations.ts';
import { whoVoucherAwaits } from '../../lib/domain/awaiting.ts';
import { launchBrowser, looks, signedInPage } from '../support/browser.ts';
import { jsonPost, type RunningRuntime, startRuntime } from '../support/runtime.ts';

const ADMIN = 'admin@lianshang.example';
const SH = 'lianshang-sh';
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

const adminPage = (width: number) => signedInPage(browser, server.runtime.url, ADMIN, width);

describe('the people forms', () => {
  it.each([390, 1366])(
    'lets an administrator add a person from the page at %i px, who is then listed, with a confirmation',
    async (width) => {
      const email = `page.person.${width}@lianshang.example`;
      const { context, page } = await adminPage(width);
      try {
        await page.goto(`${server.runtime.url}/admin/people`);
        await Promise.all([
          page.waitForURL('**/admin/people/new'),
          page.click('a[href="/admin/people/new"]'),
        ]);
        const form = await looks(page);
        expect(form.scrollWidth).toBeLessThanOrEqual(width);
        expect(form.styled).toBe(0);
        expect(form.text).not.toMatch(CODE);
        await page.fill('#email', email);
        await page.fill('#name', '页面新人 Page Person');
        await page.check('#role-MERCHANDISER');
        await page.selectOption('#managerEmail', 'wang.qiang@lianshang.example');
        const [response] = await Promise.all([
          page.waitForNavigation(),
          page.click('form.card button[type=submit]'),
        ]);

        expect(new URL(page.url()).pathname).toBe('/admin/people');
        expect(response?.status()).toBe(200);
        const listed = await looks(page);
        expect(listed.text).toContain('已新增人员：页面新人 Page Person');
        expect(await page.locator(`[data-person="${email}"]`).count()).toBe(1);
        expect(listed.scrollWidth).toBeLessThanOrEqual(width);
        expect(listed.styled).toBe(0);
        const stored = await server.runtime.deps.store.people.get(email);
        expect(stored).toMatchObject({
          entityId: SH,
          roles: ['MERCHANDISER'],
          manager: 'wang.qiang@lianshang.example',
        });
        expect((await server.runtime.deps.store.people.history(email)).map((event) => event.actor)).toEqual([
          ADMIN,
        ]);
      } finally {
        await context.close();
      }
    },
  );

  it.each([390, 1366])(
    'refuses a head of merchandising without a deputy at %i px in plain words, the deputy marked, the form filled again, nothing written',
    async (width) => {
      const email = `deputyless.${width}@lianshang.example`;
      const { context, page } = await adminPage(width);
      try {
        await page.goto(`${server.runtime.url}/admin/people/new`);
        await page.fill('#email', email);
        await page.fill('#name', '无代理 No Deputy');
        await page.check('#role-HEAD_OF_MERCHANDISING');
        const [response] = await Promise.all([
          page.waitForNavigation(),
          page.click('form.card button[type=submit]'),
        ]);

        expect(response?.status()).toBe(422);
        const seen = await looks(page);
        expect(seen.text).toContain('不符合职责分离 The duties are not kept apart');
        expect(seen.text).not.toMatch(CODE);
        expect(seen.text).not.toContain('POLICY');
        expect(seen.scrollWidth).toBeLessThanOrEqual(width);
        expect(seen.styled).toBe(0);
        expect(await page.getAttribute('#deputyEmail', 'aria-invalid')).toBe('true');
        expect(await page.inputValue('#email')).toBe(email);
        expect(await page.inputValue('#name')).toBe('无代理 No Deputy');
        expect(await page.isChecked('#role-HEAD_OF_MERCHANDISING')).toBe(true);
        expect(await server.runtime.deps.store.people.get(email)).toBeNull();
      } finally {
        await context.close();
      }
    },
  );

  it('changes a person from their edit page and deactivates them by unticking Active', async () => {
    const email = 'page.person.1366@lianshang.example';
    const { context, page } = await adminPage(1366);
    try {
      await page.goto(`${server.runtime.url}/admin/people/${encodeURIComponent(email)}/edit`);
      expect(await page.inputValue('#name')).toBe('页面新人 Page Person');
      expect(await page.isChecked('#role-MERCHANDISER')).toBe(true);
      await page.fill('#name', '页面旧人 Page Person');
      await page.uncheck('#active');
      await Promise.all([page.waitForNavigation(), page.click('form.card button[type=submit]')]);

      expect((await looks(page)).text).toContain('已停用人员：页面旧人 Page Person');
      expect(await server.runtime.deps.store.people.get(email)).toMatchObject({
        name: '页面旧人 Page Person',
        active: false,
      });
      expect((await server.runtime.deps.store.people.history(email)).map((event) => event.type)).toEqual([
        'PERSON_CREATED',
        'PERSON_DEACTIVATED',
      ]);
    } finally {
      await context.close();
    }
  });

  it('refuses to deactivate a person who holds an open step, naming the voucher, and keeps them active', async () => {
    const liNa = await server.login('li.na@lianshang.example');
    const voucherId = await server.submitTextileVoucher(
      liNa,
      'admin-forms-open-step',
      'LS-20261116-0002',
      '100.00',
    );
    await server.runtime.engine.settled();
    const voucher = await server.runtime.deps.store.vouchers.get(voucherId);
    const holder = voucher ? whoVoucherAwaits(voucher)?.email : undefined;
    if (!holder || !voucher) throw new Error('the voucher waits for nobody');
    const { context, page } = await adminPage(390);
    try {
      await page.goto(`${server.runtime.url}/admin/people/${encodeURIComponent(holder)}/edit`);
      await page.uncheck('#active');
      const [response] = await Promise.all([
        page.waitForNavigation(),
        page.click('form.card button[type=submit]'),
      ]);

      expect(response?.status()).toBe(409);
      const seen = await looks(page);
      expect(seen.text).toContain('此人还有待审批的凭单 This person still holds open approvals');
      expect(seen.text).toContain(voucher.number ?? voucher.id);
      expect(seen.text).not.toMatch(CODE);
      expect(seen.scrollWidth).toBeLessThanOrEqual(390);
      expect(await page.isChecked('#active')).toBe(false);
      expect((await server.runtime.deps.store.people.get(holder))?.active).not.toBe(false);
    } finally {
      await context.close();
    }
  });
});

describe('proxies and delegations', () => {
  it.each([
    [390, 'wang.qiang@lianshang.example', 'tech@lianshang.example', 'zhou.lei@lianshang.example'],
    [1366, 'zhang.wei@lianshang.example', 'zhou.lei@lianshang.example', 'sun.hao@lianshang.example'],
  ])(
    'lets an administrator name a proxy, end it early and revoke a delegation from the pages at %i px, with a confirmation after each',
    async (width, approver, proxy, delegating) => {
      const admin = await server.runtime.deps.store.people.get(ADMIN);
      if (!admin) throw new Error('no administrator');
      const delegation = await addDelegation(server.runtime.deps, admin, {
        from: delegating,
        to: 'tech@lianshang.example',
        validFrom: '2026-11-18',
        validTo: '2026-11-25',
        reason: '出差 away on business',
      });
      const { context, page } = await adminPage(width);
      const submit = async (selector: string) => {
        const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
        expect(response?.status()).toBe(200);
        const seen = await looks(page);
        expect(seen.scrollWidth).toBeLessThanOrEqual(width);
        expect(seen.styled).toBe(0);
        expect(seen.text).not.toMatch(CODE);
        return seen.text;
      };
      try {
        await page.goto(`${server.runtime.url}/`);
        await page.click('a[href="/admin/proxy-assignments"]');
        await page.selectOption('#approver', approver);
        await page.selectOption('#proxy', proxy);
        await page.fill('#from', '2026-11-18');
        await page.fill('#to', '2026-11-25');
        await page.fill('#reason', '出差 travelling');
        const named = await submit('form.proxy-assignment-form button[type=submit]');
        expect(named).toContain('已指定代录人 Proxy named');
        expect(named).toContain('2026-11-18 – 2026-11-25');
        expect(named).toContain('生效中 In effect');
        const assignment = (await server.runtime.deps.store.approvals.proxyAssignmentsOf(approver)).find(
          (candidate) => candidate.proxy === proxy,
        );
        expect(assignment).toMatchObject({ to: '2026-11-25', createdBy: ADMIN });

        const ended = await submit(
          `[data-proxy-assignment="${assignment?.id}"] form.end-proxy-assignment button`,
        );
        expect(ended).toContain('Ended early');
        expect(ended).toContain('已提前结束 Ended early');
        expect(
          (await server.runtime.deps.store.approvals.proxyAssignment(approver, assignment?.id ?? ''))
            ?.endedBy,
        ).toBe(ADMIN);

        await page.goto(`${server.runtime.url}/admin/delegations?from=${encodeURIComponent(delegating)}`);
        const revoked = await submit(`[data-delegation="${delegation.id}"] form.revoke-delegation button`);
        expect(revoked).toContain('已撤销授权');
        expect(revoked).toContain('Delegation revoked');
        expect(revoked).toContain('已撤销 Revoked');
        expect(
          await page.locator(`[data-delegation="${delegation.id}"] form.revoke-delegation`).count(),
        ).toBe(0);
        expect(
          (await server.runtime.deps.store.approvals.delegation(delegating, delegation.id))?.revokedBy,
        ).toBe(ADMIN);
      } finally {
        await context.close();
      }
    },
  );
});

describe('the entity form', () => {
  it.each([390, 1366])(
    'edits the own entity’s invoicing settings from the page at %i px, with a confirmation',
    async (width) => {
      const itemName = `*纺织产品*面料 ${width}`;
      const { context, page } = await adminPage(width);
      try {
        await page.goto(`${server.runtime.url}/admin/entities`);
        await Promise.all([
          page.waitForURL(`**/admin/entities/${SH}/edit`),
          page.click(`a[href="/admin/entities/${SH}/edit"]`),
        ]);
        const form = await looks(page);
        expect(form.scrollWidth).toBeLessThanOrEqual(width);
        expect(form.styled).toBe(0);
        await page.fill('#itemName', itemName);
        await page.selectOption('#taxRatePercent', '6');
        await Promise.all([page.waitForNavigation(), page.click('form.card button[type=submit]')]);

        expect(new URL(page.url()).pathname).toBe('/admin/entities');
        const seen = await looks(page);
        expect(seen.text).toContain('已保存单位信息');
        expect(seen.text).toContain(`${itemName} 6%`);
        const entity = await server.runtime.deps.store.people.getEntity(SH);
        expect(entity?.invoicing).toMatchObject({ itemName, taxRatePercent: 6 });
        expect(entity?.bankAccounts?.filter((account) => account.primary)).toHaveLength(1);
      } finally {
        await context.close();
      }
    },
  );

  it('refuses a wrong tax classification code in plain words, the field marked, nothing written', async () => {
    const before = await server.runtime.deps.store.people.getEntity(SH);
    const { context, page } = await adminPage(390);
    try {
      await page.goto(`${server.runtime.url}/admin/entities/${SH}/edit`);
      await page.fill('#taxCode', '12345');
      const [response] = await Promise.all([
        page.waitForNavigation(),
        page.click('form.card button[type=submit]'),
      ]);

      expect(response?.status()).toBe(400);
      expect((await looks(page)).text).toContain(
        '税收分类编码为 19 位数字 the tax classification code has 19 digits',
      );
      expect(await page.getAttribute('#taxCode', 'aria-invalid')).toBe('true');
      expect(await page.inputValue('#taxCode')).toBe('12345');
      expect(await server.runtime.deps.store.people.getEntity(SH)).toEqual(before);
    } finally {
      await context.close();
    }
  });

  it('offers no form for another entity (403)', async () => {
    const { context, page } = await adminPage(390);
    try {
      const response = await page.goto(`${server.runtime.url}/admin/entities/lianshang-gz/edit`);
      expect(response?.status()).toBe(403);
      expect(await page.locator('form[method=post]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

describe('the audit filter', () => {
  it.each([390, 1366])(
    'filters one person’s trail by person and days from the form at %i px',
    async (width) => {
      const { context, page } = await adminPage(width);
      try {
        await page.goto(`${server.runtime.url}/admin/audit`);
        await page.selectOption('#actor', ADMIN);
        await page.fill('#from', '2026-11-18');
        await page.fill('#to', '2026-11-18');
        await Promise.all([page.waitForNavigation(), page.click('form.card button[type=submit]')]);

        const query = new URL(page.url()).searchParams;
        expect(query.get('actor')).toBe(ADMIN);
        const events = await page
          .locator('[data-event]')
          .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-event')));
        expect(events).toContain('PERSON_CREATED');
        expect(events).toContain('ENTITY_UPDATED');
        const seen = await looks(page);
        expect(seen.text).toContain('新增人员 Person added');
        expect(seen.text).not.toMatch(CODE);
        expect(seen.scrollWidth).toBeLessThanOrEqual(width);
        expect(seen.styled).toBe(0);

        await page.fill('#from', '2026-11-10');
        await page.fill('#to', '2026-11-11');
        await Promise.all([page.waitForNavigation(), page.click('form.card button[type=submit]')]);
        expect(await page.locator('[data-event]').count()).toBe(0);
        expect((await looks(page)).text).toContain('这段时间没有记录。Nothing in these days.');
      } finally {
        await context.close();
      }
    },
  );

  it('pages through a long trail with the cursor the page gives, keeping the filter', async () => {
    // A day of its own: the trail of that day is these additions only.
    await server.setClock('2026-11-19T09:00:00+08:00');
    const token = await server.login(ADMIN);
    for (let n = 0; n < AUDIT_PAGE_SIZE + 2; n += 1) {
      const response = await server.api('/api/people', {
        ...jsonPost({
          email: `paging.${n}@lianshang.example`,
          name: `翻页 Paging ${n}`,
          entityId: SH,
          roles: ['CUSTOMER_SERVICE'],
          active: true,
        }),
        token,
      });
      expect(response.status).toBe(201);
    }
    const { context, page } = await adminPage(390);
    try {
      await page.goto(`${server.runtime.url}/admin/audit`);
      await page.selectOption('#actor', ADMIN);
      await page.fill('#from', '2026-11-19');
      await page.fill('#to', '2026-11-19');
      await Promise.all([page.waitForNavigation(), page.click('form.card button[type=submit]')]);
      expect(await page.locator('[data-event]').count()).toBe(AUDIT_PAGE_SIZE);

      await Promise.all([page.waitForNavigation(), page.click('a:has-text("更早的记录 Earlier")')]);

      const query = new URL(page.url()).searchParams;
      expect([query.get('actor'), query.get('from')]).toEqual([ADMIN, '2026-11-19']);
      expect(await page.locator('[data-event]').count()).toBe(2);
      expect(await page.locator('a:has-text("更早的记录 Earlier")').count()).toBe(0);
      expect((await looks(page)).scrollWidth).toBeLessThanOrEqual(390);
    } finally {
      await context.close();
    }
  });
});

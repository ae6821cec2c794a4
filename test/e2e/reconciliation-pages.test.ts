/**
 * The weekly reconciliation from its pages, in headless Chromium against the real local runtime
 * (POLICY 3.2, D11): merchandising opens the week from the weeks list and uploads the sales summary
 * through the week's form; finance uploads Alipay's statement, runs the week, is refused the sign-off
 * in plain words while a difference is open, resolves it, signs off and reopens the week with a reason —
 * at 390 px and at 1366 px.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../lib/domain/time.ts';
import { accountLogText, gbk } from '../support/alipay-files.ts';
import { launchBrowser, signIn } from '../support/browser.ts';
import { type RunningRuntime, startRuntime } from '../support/runtime.ts';

const MERCHANDISER = 'li.na@lianshang.example';
const FINANCE = 'liu.yang@lianshang.example';
/** A Tuesday: this week is 2026-11-16, last week (due today) 2026-11-09. */
const NOW = '2026-11-17T10:00:00+08:00';
const ORDERS_HEADER =
  'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus';
const SUMMARY_HEADER = 'orderId,supplierId,supplierName,amount,supplierPayable,completedAt';
/** One week per width, each with one order complete in it. */
const WEEKS = {
  390: { week: '2026-11-02', order: 'E2E-PG-1', day: '2026-11-03' },
  1366: { week: '2026-11-09', order: 'E2E-PG-2', day: '2026-11-10' },
} as const;

let server: RunningRuntime;
let browser: Browser;

beforeAll(async () => {
  server = await startRuntime();
  await server.setClock(NOW);
  browser = await launchBrowser();
  const tech = await server.login('tech@lianshang.example');
  const imported = await server.api('/api/orders/import', {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: [
      ORDERS_HEADER,
      ...Object.values(WEEKS).map(
        ({ order, day }) =>
          `${order},SUP-HZ-TEXTILE,100.00,90.00,${day}T10:00:00+08:00,${day}T11:00:00+08:00,NONE`,
      ),
    ].join('\n'),
    token: tech,
  });
  expect(imported.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

async function asPerson<T>(width: number, email: string, act: (page: Page) => Promise<T>): Promise<T> {
  const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    const page = await context.newPage();
    await signIn(page, server.runtime.url, email);
    return await act(page);
  } finally {
    await context.close();
  }
}

/** What a person sees of the page: the words, the banners, and whether it fits and is unstyled. */
const seen = (page: Page) =>
  page.evaluate(() => ({
    text: document.body.innerText,
    confirmation: document.querySelector('.confirmation')?.textContent ?? '',
    errors: document.querySelector('.errors')?.textContent ?? '',
    fileErrors: document.querySelector('[id^="file-"][id$="-error"]')?.textContent ?? '',
    status: document.querySelector('[data-status]')?.textContent ?? '',
    files: Array.from(document.querySelectorAll('[data-input]')).map((row) => row.getAttribute('data-input')),
    forms: Array.from(document.querySelectorAll('form[data-form]')).map((form) =>
      form.getAttribute('data-form'),
    ),
    scrollWidth: document.documentElement.scrollWidth,
    styled: document.querySelectorAll('[style]').length,
  }));

/** Submits a form of the page and waits for the page it leads to. */
async function submit(page: Page, form: string) {
  await Promise.all([page.waitForEvent('load'), page.click(`form[data-form="${form}"] button[type=submit]`)]);
}

/**
 * Chooses a file in its kind's upload form and sends it: straight to the (local) bucket, whose 303
 * brings the browser back to the page that registers it, then to the week's page.
 */
async function upload(page: Page, kind: string, name: string, mimeType: string, buffer: Buffer) {
  const form = `form[data-form="input"][data-kind="${kind}"]`;
  await page.setInputFiles(`${form} input[name=file]`, { name, mimeType, buffer });
  await Promise.all([page.waitForEvent('load'), page.click(`${form} button[type=submit]`)]);
}

const RAW_CODE = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/;

describe('the reconciliation from its pages', () => {
  it.each([390, 1366] as const)(
    'goes from the summary uploaded by merchandising to finance’s sign-off (and a reopening) at %i px',
    async (width) => {
      const { week, order, day } = WEEKS[width];
      const summary = (amount: string) =>
        Buffer.from(
          `${SUMMARY_HEADER}\n${order},SUP-HZ-TEXTILE,杭州织锦服饰有限公司,${amount},90.00,${day}T11:00:00+08:00\n`,
        );

      // 1. Merchandising: the nav entry, the weeks list, the week; a refused file changes nothing;
      //    the summary (one fen too many) is registered.
      const merchandising = await asPerson(width, MERCHANDISER, async (page) => {
        await Promise.all([
          page.waitForURL('**/reconciliations'),
          page.click('header a[href="/reconciliations"]'),
        ]);
        const list = await seen(page);
        await page.click(`[data-week="${week}"] a`);
        const template = await page.request.get(
          new URL((await page.getAttribute('[data-template="csv"]', 'href')) ?? '', page.url()).href,
        );
        const templateText = (await template.text()).replace(/^\uFEFF/, '');
        // The form posts to the bucket, not to the app (the CSP names the bucket's origin).
        const action = await page.getAttribute('form[data-kind="SALES_SUMMARY"]', 'action');
        await upload(page, 'SALES_SUMMARY', 'summary.csv', 'text/csv', summary('100.011'));
        const refused = await seen(page);
        await page.goto(`${server.runtime.url}/reconciliations/${week}`);
        const unchanged = await seen(page);
        await upload(page, 'SALES_SUMMARY', 'summary.csv', 'text/csv', summary('100.01'));
        return {
          list,
          templateText,
          action,
          refused,
          unchanged,
          registered: await seen(page),
          url: page.url(),
        };
      });

      expect(merchandising.list.text).toContain('周对账 Weekly reconciliations');
      expect(merchandising.list.text).toContain(`${week}`);
      expect(merchandising.list.scrollWidth).toBeLessThanOrEqual(width);
      expect(merchandising.templateText).toContain(`${order},SUP-HZ-TEXTILE,`);
      expect(merchandising.refused.errors).toContain('有一行无法读取 A line cannot be read');
      expect(merchandising.refused.fileErrors).toContain('超过两位小数');
      expect(merchandising.refused.fileErrors).toContain('has more than two decimals');
      expect(merchandising.action).toBe(`${server.runtime.url}/local-s3/`);
      expect(merchandising.refused.errors).toContain(`sales-summary-${week} 第 2 行 line 2`);
      expect(merchandising.refused.errors).not.toMatch(RAW_CODE);
      expect(merchandising.unchanged.files).toEqual([]);
      // One upload form per kind merchandising registers: the summary and the master data.
      expect(merchandising.unchanged.forms).toEqual(['input', 'input']);
      expect(merchandising.registered.confirmation).toContain('文件已登记 The file is registered');
      expect(merchandising.registered.confirmation).toContain(`sales-summary-${week}`);
      expect(merchandising.registered.files).toEqual(['SALES_SUMMARY']);
      // Merchandising may run the week but neither resolve nor sign off.
      expect(merchandising.registered.forms).toEqual(['input', 'input', 'run']);
      expect(merchandising.url).toBe(`${server.runtime.url}/reconciliations/${week}?done=registered`);
      for (const page of [merchandising.refused, merchandising.registered]) {
        expect(page.scrollWidth).toBeLessThanOrEqual(width);
        expect(page.styled).toBe(0);
      }

      // 2. Finance: the statement, the run, a sign-off refused while the difference is open, the
      //    difference corrected with a note, the sign-off.
      const statement = gbk(
        accountLogText({
          from: `${week}T00:00:00+08:00`,
          to: `${addDays(week, 6)}T23:59:59+08:00`,
          rows: [
            {
              serial: `${day.replaceAll('-', '')}110000001`,
              orderId: order,
              time: `${day} 11:00:00`,
              fen: 10_000,
              type: '在线支付',
            },
          ],
        }),
      );
      const finance = await asPerson(width, FINANCE, async (page) => {
        await page.goto(`${server.runtime.url}/reconciliations/${week}`);
        await upload(page, 'ALIPAY_STATEMENT', 'alipay.csv', 'text/csv', statement);
        const statementRegistered = await seen(page);
        await submit(page, 'run');
        const started = await seen(page);
        await server.runtime.engine.settled();
        await page.reload();
        const ready = await seen(page);
        await submit(page, 'sign-off');
        const refusedSignOff = await seen(page);
        await page.goto(`${server.runtime.url}/reconciliations/${week}`);
        await page.click(`[data-difference="${order}"] details summary`);
        // A note of spaces passes the browser's `required`, not ours.
        await page.fill(`[data-difference="${order}"] textarea[name=note]`, '   ');
        await submit(page, 'resolve');
        const blankNote = await seen(page);
        const noteError = (await page.textContent(`[data-difference="${order}"] .field-error`)) ?? '';
        await page.goto(`${server.runtime.url}/reconciliations/${week}`);
        await page.click(`[data-difference="${order}"] details summary`);
        await page.selectOption(`[data-difference="${order}"] select[name=resolution]`, 'CORRECTED');
        await page.fill(
          `[data-difference="${order}"] textarea[name=note]`,
          '汇总表多写了一分 one fen too many',
        );
        await submit(page, 'resolve');
        const resolved = await seen(page);
        await submit(page, 'sign-off');
        const signed = await seen(page);
        await page.fill(
          'form[data-form="reopen"] textarea[name=reason]',
          '供应商补发了更正 the supplier sent a correction',
        );
        await submit(page, 'reopen');
        return {
          pages: {
            statementRegistered,
            started,
            ready,
            refusedSignOff,
            blankNote,
            resolved,
            signed,
            reopened: await seen(page),
          },
          noteError,
        };
      });
      const { statementRegistered, started, ready, refusedSignOff, blankNote, resolved, signed, reopened } =
        finance.pages;
      expect(blankNote.errors).toContain('未提交 Not submitted');
      expect(finance.noteError).toMatch(/说明 note/);
      expect(blankNote.text).toContain('待处理 Open');

      expect(statementRegistered.confirmation).toContain(`alipay-statement-${week}`);
      expect(statementRegistered.files).toEqual(['SALES_SUMMARY', 'ALIPAY_STATEMENT']);
      expect(started.confirmation).toContain('对账已开始 The reconciliation has started');
      expect(ready.status).toBe('待处理差异与签核 Differences to resolve, then sign-off');
      expect(ready.forms).toEqual(['input', 'resolve', 'sign-off']);
      expect(refusedSignOff.errors).toContain('还有差异未处理 Differences are still open');
      expect(refusedSignOff.errors).toContain(
        '还有 1 条差异没有处理，处理完才能签核。1 differences are still open; resolve each before signing off.',
      );
      expect(refusedSignOff.errors).not.toMatch(RAW_CODE);
      expect(refusedSignOff.status).toBe('待处理差异与签核 Differences to resolve, then sign-off');
      expect(resolved.confirmation).toContain('差异已处理 The difference is resolved');
      expect(resolved.confirmation).toContain('已更正 Corrected');
      expect(resolved.confirmation).toContain('汇总表多写了一分 one fen too many');
      expect(signed.confirmation).toContain('这一周已签核 The week is signed off');
      expect(signed.status).toBe('已签核 Signed off');
      expect(signed.forms).toEqual(['input', 'reopen']);
      expect(reopened.confirmation).toContain('这一周已重新打开 The week is reopened');
      expect(reopened.status).toBe('等待对账文件 Waiting for its files');
      for (const page of Object.values(finance.pages)) {
        expect(page.scrollWidth).toBeLessThanOrEqual(width);
        expect(page.styled).toBe(0);
        expect(page.text).not.toMatch(RAW_CODE);
      }
    },
    120_000,
  );

  it('opens this week and last week from the list, and the week of a day typed in', async () => {
    const links = await asPerson(1366, FINANCE, async (page) => {
      await page.goto(`${server.runtime.url}/reconciliations`);
      const hrefs = await page.evaluate(() => ({
        current: document.querySelector('[data-week-link="current"]')?.getAttribute('href'),
        previous: document.querySelector('[data-week-link="previous"]')?.getAttribute('href'),
        weeks: Array.from(document.querySelectorAll('[data-week]')).map((row) =>
          row.getAttribute('data-week'),
        ),
      }));
      await page.fill('input[name=date]', '2026-11-05');
      await Promise.all([page.waitForEvent('load'), page.click('form[aria-label] button[type=submit]')]);
      return { ...hrefs, opened: new URL(page.url()).pathname };
    });

    expect(links.current).toBe('/reconciliations/2026-11-16');
    expect(links.previous).toBe('/reconciliations/2026-11-09');
    expect(links.weeks[0]).toBe('2026-11-16');
    expect(links.weeks).toHaveLength(8);
    expect(links.opened).toBe('/reconciliations/2026-11-02');
  });
  it('refuses a form upload tampered with, empty or expired, and a key not the person’s own or too old, registering nothing', async () => {
    const week = '2026-10-26';
    const sheet = Buffer.from(
      `${SUMMARY_HEADER}\nE2E-PG-X,SUP-HZ-TEXTILE,杭州织锦服饰有限公司,1.00,0.90,2026-10-27T11:00:00+08:00\n`,
    );
    const stored = (key: string) => existsSync(path.join(server.dataDir, 'evidence', key));
    const formOf = (page: Page, kind: string) =>
      page.evaluate((kind) => {
        const form = document.querySelector<HTMLFormElement>(`form[data-kind="${kind}"]`);
        const hidden = Array.from(form?.querySelectorAll<HTMLInputElement>('input[type=hidden]') ?? []);
        return {
          action: form?.action ?? '',
          fields: Object.fromEntries(hidden.map((i) => [i.name, i.value])),
        };
      }, kind);
    const foreign = await asPerson(1366, FINANCE, async (page) => {
      await page.goto(`${server.runtime.url}/reconciliations/${week}`);
      return (await formOf(page, 'ALIPAY_STATEMENT')).fields.key ?? '';
    });
    const result = await asPerson(1366, MERCHANDISER, async (page) => {
      const opened = await page.goto(`${server.runtime.url}/reconciliations/${week}`);
      const csp = opened?.headers()['content-security-policy'] ?? '';
      const { action, fields } = await formOf(page, 'SALES_SUMMARY');
      const key = fields.key ?? '';
      const post = (sent: Record<string, string>, buffer: Buffer) =>
        page.request.post(action, {
          multipart: { ...sent, file: { name: 'summary.csv', mimeType: 'text/csv', buffer } },
          maxRedirects: 0,
        });
      const tamperedKey = key.replace(/[^/]+$/, 'other.csv');
      const tampered = await post({ ...fields, key: tamperedKey }, sheet);
      const empty = await post(fields, Buffer.alloc(0));
      await server.setClock('2026-11-17T11:30:00+08:00'); // the form's policy held an hour
      const expired = await post(fields, sheet);
      await server.setClock(NOW);
      const refusedStored = { tampered: stored(tamperedKey), original: stored(key) };
      const uploaded = (query: Record<string, string>) =>
        `${server.runtime.url}/reconciliations/${week}/inputs/uploaded?${new URLSearchParams(query)}`;
      await page.goto(uploaded({ kind: 'SALES_SUMMARY', key: foreign, bucket: 'local', etag: '"x"' }));
      const notOwn = await seen(page);
      const accepted = await post(fields, sheet);
      await server.setClock('2026-11-18T11:00:00+08:00'); // the form's record held a day
      await signIn(page, server.runtime.url, MERCHANDISER); // a session lasts 12 hours
      await page.goto(accepted.headers().location ?? '');
      const tooOld = await seen(page);
      await server.setClock(NOW);
      await page.goto(`${server.runtime.url}/reconciliations/${week}`);
      const after = await seen(page);
      // A fresh form, sent and registered: its record is kept for good (its hold removed with it).
      const fresh = await formOf(page, 'SALES_SUMMARY');
      const sent = await post(fresh.fields, sheet);
      await page.goto(sent.headers().location ?? '');
      const kept = await server.runtime.deps.store.uploads.get(fresh.fields.key ?? '');
      return {
        registered: await seen(page),
        kept: kept !== null && kept.heldUntil === undefined,
        csp,
        action,
        statuses: [tampered.status(), empty.status(), expired.status(), accepted.status()],
        refusedStored,
        acceptedStored: stored(key),
        location: accepted.headers().location ?? '',
        notOwn,
        tooOld,
        after,
      };
    });

    expect(result.csp).toContain(`form-action 'self' ${server.runtime.url}`);
    expect(result.statuses).toEqual([403, 400, 403, 303]);
    expect(result.refusedStored).toEqual({ tampered: false, original: false });
    expect(result.acceptedStored).toBe(true);
    expect(result.location).toMatch(
      new RegExp(
        `^${server.runtime.url}/reconciliations/${week}/inputs/uploaded\\?kind=SALES_SUMMARY&bucket=local&key=evidence%2F`,
      ),
    );
    expect(result.notOwn.errors).toContain('不是你上传的文件');
    expect(result.notOwn.errors).toContain('not a file you uploaded');
    expect(result.tooOld.errors).toContain('这个上传表单已过期');
    expect(result.tooOld.errors).toContain('This upload form has expired');
    for (const page of [result.notOwn, result.tooOld]) expect(page.text).not.toMatch(RAW_CODE);
    expect(result.after.files).toEqual([]);
    expect(result.registered.confirmation).toContain(`sales-summary-${week}`);
    expect(result.registered.files).toEqual(['SALES_SUMMARY']);
    expect(result.kept).toBe(true);
  }, 60_000);
});

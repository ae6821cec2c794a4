/**
 * The weekly reconciliation end to end against the real local runtime (POLICY 3.2, D11): merchandising
 * downloads the pre-filled sales summary, corrects it and uploads it back, finance uploads Alipay's
 * statement (both through POST /api/uploads and a presigned PUT), the week runs as its workflow,
 * finance resolves each difference, signs off and downloads the report.
 */
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountLogText, gbk } from '../support/alipay-files.ts';
import { launchBrowser, signIn } from '../support/browser.ts';
import { jsonPost, type RunningRuntime, startRuntime } from '../support/runtime.ts';

const WEEK = '2026-11-02';
const MERCHANDISER = 'li.na@lianshang.example';
const FINANCE = 'liu.yang@lianshang.example';
const ORDERS_HEADER =
  'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus';

let server: RunningRuntime;
let browser: Browser;
let merchandiser: string;
let finance: string;

beforeAll(async () => {
  server = await startRuntime();
  browser = await launchBrowser();
  merchandiser = await server.login(MERCHANDISER);
  finance = await server.login(FINANCE);
  const tech = await server.login('tech@lianshang.example');
  const imported = await server.api('/api/orders/import', {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: [
      ORDERS_HEADER,
      'E2E-REC-1,SUP-HZ-TEXTILE,100.00,90.00,2026-11-03T10:00:00+08:00,2026-11-03T11:00:00+08:00,NONE',
      'E2E-REC-2,SUP-GZ-BEAUTY,250.50,200.00,2026-11-04T10:00:00+08:00,2026-11-04T11:00:00+08:00,NONE',
    ].join('\n'),
    token: tech,
  });
  expect(imported.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

/** POST /api/uploads, then the presigned PUT, as a browser does: the key. */
async function upload(token: string, purpose: string, fileName: string, contentType: string, body: Buffer) {
  const created = await server.api('/api/uploads', {
    ...jsonPost({ fileName, contentType, size: body.length, purpose }),
    token,
  });
  expect(created.status).toBe(201);
  const { key, uploadUrl } = (await created.json()) as { key: string; uploadUrl: string };
  const put = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: new Uint8Array(body),
  });
  expect(put.status).toBe(200);
  return key;
}

/** Follows a 303 to the stored file. */
async function download(path: string, token: string): Promise<Response> {
  const redirect = await server.api(path, { token, redirect: 'manual' });
  expect(redirect.status).toBe(303);
  return fetch(redirect.headers.get('location') ?? '');
}

describe('the weekly reconciliation against the running app', () => {
  it('refuses a week that is not named by its Monday with a 400', async () => {
    const response = await server.api('/api/reconciliations/2026-11-03', { token: finance });

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });

  it('goes from the pre-filled template to a signed-off week and its report', async () => {
    // 1. The template, pre-filled from the week's complete orders.
    const template = await download(
      `/api/reconciliations/${WEEK}/sales-summary-template?format=csv`,
      merchandiser,
    );
    expect(template.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await template.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split(/\r?\n/).filter(Boolean)).toEqual([
      'orderId,supplierId,supplierName,amount,supplierPayable,completedAt',
      'E2E-REC-1,SUP-HZ-TEXTILE,杭州织锦服饰有限公司,100.00,90.00,2026-11-03T11:00:00+08:00',
      expect.stringMatching(/^E2E-REC-2,SUP-GZ-BEAUTY,.+,250\.50,200\.00,2026-11-04T11:00:00\+08:00$/),
    ]);

    // 2. Merchandising changes it (one fen on E2E-REC-2) and uploads it back; finance the statement.
    const corrected = Buffer.from(`\uFEFF${text.replace('250.50', '250.51')}`, 'utf8');
    const summaryKey = await upload(merchandiser, 'sales-summary', 'summary.csv', 'text/csv', corrected);
    const registered = await server.api(`/api/reconciliations/${WEEK}/inputs`, {
      ...jsonPost({ kind: 'SALES_SUMMARY', uploadKey: summaryKey }),
      token: merchandiser,
    });
    expect(registered.status).toBe(201);
    const statement = gbk(
      accountLogText({
        from: `${WEEK}T00:00:00+08:00`,
        to: '2026-11-08T23:59:59+08:00',
        rows: [
          {
            serial: '20261103110000001',
            orderId: 'E2E-REC-1',
            time: '2026-11-03 11:00:00',
            fen: 10_000,
            type: '在线支付',
          },
          {
            serial: '20261104110000002',
            orderId: 'E2E-REC-2',
            time: '2026-11-04 11:00:00',
            fen: 25_050,
            type: '在线支付',
          },
        ],
      }),
    );
    const statementKey = await upload(
      finance,
      'alipay-statement',
      '20881234567890120156_账务明细.csv',
      'text/csv',
      statement,
    );
    expect(
      (
        await server.api(`/api/reconciliations/${WEEK}/inputs`, {
          ...jsonPost({ kind: 'ALIPAY_STATEMENT', uploadKey: statementKey }),
          token: finance,
        })
      ).status,
    ).toBe(201);

    // 3. Run: accepted, then READY once its workflow is done.
    const run = await server.api(`/api/reconciliations/${WEEK}/run`, {
      ...jsonPost({}),
      token: merchandiser,
    });
    expect(run.status).toBe(202);
    await server.runtime.engine.settled();
    const week = (await (await server.api(`/api/reconciliations/${WEEK}`, { token: finance })).json()) as {
      status: string;
      counts: Record<string, number>;
      open: number;
    };
    expect(week).toMatchObject({ status: 'READY', open: 1, counts: { AMOUNT_MISMATCH: 1 } });

    // 4. Not signed off while a difference is open; resolved with a note; then signed off.
    const early = await server.api(`/api/reconciliations/${WEEK}/sign-off`, {
      ...jsonPost({}),
      token: finance,
    });
    expect(early.status).toBe(409);
    const list = await server.api(`/api/reconciliations/${WEEK}/differences?category=AMOUNT_MISMATCH`, {
      token: finance,
    });
    const { items } = (await list.json()) as { items: { id: string; status: string }[] };
    expect(items).toEqual([
      expect.objectContaining({ id: 'AMOUNT_MISMATCH:E2E-REC-2:amount', status: 'OPEN' }),
    ]);
    const withoutNote = await server.api(
      `/api/reconciliations/${WEEK}/differences/${encodeURIComponent('AMOUNT_MISMATCH:E2E-REC-2:amount')}`,
      { ...jsonPost({ resolution: 'CORRECTED', note: ' ' }), token: finance },
    );
    expect(withoutNote.status).toBe(400);
    const resolved = await server.api(
      `/api/reconciliations/${WEEK}/differences/${encodeURIComponent('AMOUNT_MISMATCH:E2E-REC-2:amount')}`,
      {
        ...jsonPost({ resolution: 'CORRECTED', note: '汇总表多写了一分 the summary had one fen too many' }),
        token: finance,
      },
    );
    expect(resolved.status).toBe(200);
    const signed = await server.api(`/api/reconciliations/${WEEK}/sign-off`, {
      ...jsonPost({}),
      token: finance,
    });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toMatchObject({ status: 'SIGNED_OFF', signedOff: { by: FINANCE } });

    // 5. The report: a summary sheet, the differences, the matched lines.
    const report = await download(`/api/reconciliations/${WEEK}/report?format=xlsx`, finance);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await report.arrayBuffer());
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      '汇总 Summary',
      '差异 Differences',
      '一致 Matched',
    ]);
    expect(workbook.getWorksheet('差异 Differences')?.getRow(2).getCell(1).value).toBe(
      'AMOUNT_MISMATCH:E2E-REC-2:amount',
    );
    expect(workbook.getWorksheet('一致 Matched')?.getRow(2).getCell(1).value).toBe('E2E-REC-1');
  });
});

async function withPage<T>(width: number, act: (page: Page) => Promise<T>): Promise<T> {
  const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    return await act(await context.newPage());
  } finally {
    await context.close();
  }
}

describe('the week’s page (after the run above)', () => {
  it.each([390, 1366])(
    'shows the week’s state, files and differences by category at %i px, in both languages, without sideways scrolling',
    async (width) => {
      const seen = await withPage(width, async (page) => {
        await signIn(page, server.runtime.url, FINANCE);
        await page.goto(`${server.runtime.url}/reconciliations/${WEEK}`);
        await Promise.all([
          page.waitForURL(/category=AMOUNT_MISMATCH/),
          page.click('[data-category="AMOUNT_MISMATCH"]'),
        ]);
        return page.evaluate(() => ({
          heading: document.querySelector('h1')?.textContent,
          status: document.querySelector('[data-status]')?.textContent,
          url: location.search,
          difference: document.querySelector('[data-difference="E2E-REC-2"]')?.textContent ?? '',
          report: document.querySelector('[data-report]')?.getAttribute('href'),
          scrollWidth: document.documentElement.scrollWidth,
          styled: document.querySelectorAll('[style]').length,
          text: document.body.innerText,
        }));
      });

      expect(seen.heading).toBe(`周对账 Weekly reconciliation ${WEEK}`);
      expect(seen.status).toBe('已签核 Signed off');
      expect(seen.url).toBe('?category=AMOUNT_MISMATCH');
      expect(seen.difference).toContain('金额不符 Amount differs');
      expect(seen.difference).toContain('已更正 Corrected');
      expect(seen.report).toBe(`/reconciliations/${WEEK}/report`);
      expect(seen.scrollWidth).toBeLessThanOrEqual(width);
      expect(seen.styled).toBe(0);
      expect(seen.text).not.toMatch(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/);
    },
  );

  it('downloads the report from the page’s link', async () => {
    const download = await withPage(1366, async (page) => {
      await signIn(page, server.runtime.url, FINANCE);
      const response = await page.request.get(`${server.runtime.url}/reconciliations/${WEEK}/report`);
      return { status: response.status(), disposition: response.headers()['content-disposition'] };
    });

    expect(download.status).toBe(200);
    expect(download.disposition).toContain('.xlsx');
  });
});

/**
 * Uploaded files against the real local runtime, over real HTTP and in headless Chromium (issue 10,
 * items 2, 5 and 6): the probe's XHTML with a script is refused whatever it is declared as; whatever is
 * stored is served as the kind its bytes are, as a download unless a raster image, with `nosniff`, a
 * sandboxing CSP and no caching, so no script in a file ever runs on the app's origin; the evidence
 * list and the keys are bounded at the edge; a key or an escape that names nothing is a 4xx.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, signIn } from '../support/browser.ts';
import {
  HOSTILE_MARKER,
  PDF_WITH_HTML,
  PNG_WITH_HTML,
  TINY_PNG,
  XHTML_WITH_SCRIPT,
} from '../support/files.ts';
import { jsonPost, type RunningRuntime, startRuntime, TEXTILE_ACCOUNT } from '../support/runtime.ts';

let server: RunningRuntime;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let liNa: string;
let finance: string;
/** Every URL the browser asked for in this test: a hostile file's script would ask for the marker. */
let requested: string[];

const LI_NA = 'li.na@lianshang.example';
const FINANCE = 'liu.yang@lianshang.example';

/** As a client of the API: ask for an upload declaring a type, then PUT the bytes to the bucket. */
async function upload(
  token: string,
  body: Buffer,
  contentType: string,
  fileName: string,
  purpose = 'evidence',
): Promise<string> {
  const created = await server.api('/api/uploads', {
    ...jsonPost({ fileName, contentType, size: body.length, purpose }),
    token,
  });
  expect(created.status).toBe(201);
  const { key, uploadUrl } = (await created.json()) as { key: string; uploadUrl: string };
  // The bucket (S3 in AWS, /local-s3 here) takes any bytes of the signed type and length.
  const put = await fetch(uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: new Uint8Array(body),
  });
  expect(put.status).toBe(200);
  return key;
}

let submissions = 0;
function submit(token: string, evidence: string[]) {
  submissions += 1;
  return server.api('/api/vouchers', {
    ...jsonPost(
      {
        supplierId: 'SUP-HZ-TEXTILE',
        payee: { name: '杭州织锦服饰有限公司', account: TEXTILE_ACCOUNT, bank: '中国工商银行杭州西湖支行' },
        amount: '1.00',
        orderIds: ['LS-20261116-0002'],
        goods: '秋冬女装',
        evidence,
      },
      { 'idempotency-key': `e2e-files-${submissions}` },
    ),
    token,
  });
}

const cookie = (token: string) => ({ cookie: `fundflow_session=${token}` });

/** GET /evidence/<key> as a signed-in person, then the URL it redirects to: the file's response. */
async function served(key: string, token: string): Promise<Response> {
  const href = `/evidence/${key.split('/').map(encodeURIComponent).join('/')}`;
  const redirect = await server.api(href, { headers: cookie(token), redirect: 'manual' });
  expect(redirect.status).toBe(302);
  return fetch(new URL(redirect.headers.get('location') ?? '', server.runtime.url));
}

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return headers;
}

/** Opens a URL that answers with a download; resolves with the download's suggested name. */
async function downloadOf(url: string): Promise<string> {
  const download = page.waitForEvent('download');
  await page.goto(url).catch(() => undefined); // a download aborts the navigation
  return (await download).suggestedFilename();
}

const evidenceFiles = () => {
  const root = path.join(server.dataDir, 'evidence');
  return existsSync(root) ? readdirSync(root, { recursive: true }).length : 0;
};

beforeAll(async () => {
  server = await startRuntime();
  browser = await launchBrowser();
  liNa = await server.login(LI_NA);
  finance = await server.login(FINANCE);
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  page = await context.newPage();
  requested = [];
  context.on('request', (request) => requested.push(request.url()));
});

afterEach(async () => {
  await context.close();
});

describe('the probe’s XHTML with a script (issue 10, item 2)', () => {
  it.each(['image/png', 'application/pdf', 'image/gif'])(
    'is refused as evidence declared as %s, and no voucher is made',
    async (declared) => {
      const key = await upload(liNa, XHTML_WITH_SCRIPT, declared, 'order.png');

      const response = await submit(liNa, [key]);

      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({
        error: { code: 'EVIDENCE_INVALID', issues: [{ path: 'evidence.0' }] },
      });
    },
  );

  it('is refused as a supplier-invoice copy declared as XML, on a paid voucher that stays paid', async () => {
    await server.setClock('2026-11-18T09:00:00+08:00');
    const id = await server.submitTextileVoucher(liNa, 'e2e-files-paid', 'LS-20261116-0001', '100.00');
    await server.approveAs('wang.qiang@lianshang.example', id);
    await server.approveAs(FINANCE, id);
    const paid = await server.api(`/api/vouchers/${id}/payment`, {
      ...jsonPost({ status: 'PAID', bankReference: 'B20261118-0001', paidOn: '2026-11-18' }),
      token: await server.login('chen.jing@lianshang.example'),
    });
    expect(paid.status).toBe(200);
    const invoice = {
      type: 'VAT_SPECIAL',
      number: '26332000000012345678',
      issuedOn: '2026-11-18',
      amount: '100.00',
      taxAmount: '11.50',
    };

    for (const declared of ['application/xml', 'text/xml', 'application/pdf']) {
      const file = await upload(liNa, XHTML_WITH_SCRIPT, declared, 'invoice.xml', 'supplier-invoice');
      const recorded = await server.api(`/api/vouchers/${id}/supplier-invoice`, {
        ...jsonPost({ ...invoice, file }),
        token: liNa,
      });
      expect(recorded.status).toBe(422);
      expect(((await recorded.json()) as { error: { code: string } }).error.code).toBe(
        'INVOICE_FILE_INVALID',
      );
    }
    // And through the voucher page's form, where the browser declares the type.
    await signIn(page, server.runtime.url, LI_NA);
    await page.goto(`${server.runtime.url}/vouchers/${id}`);
    await page.selectOption('select[name=type]', 'VAT_SPECIAL');
    await page.fill('input[name=number]', invoice.number);
    await page.fill('input[name=issuedOn]', invoice.issuedOn);
    await page.fill('input[name=amount]', invoice.amount);
    await page.fill('input[name=taxAmount]', invoice.taxAmount);
    await page.setInputFiles('input[name=invoiceFile]', {
      name: 'invoice.xml',
      mimeType: 'application/xml',
      buffer: XHTML_WITH_SCRIPT,
    });
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.click('button:has-text("Record and close")'),
    ]);

    expect(answer.status()).toBe(422);
    expect(await page.textContent('.errors')).toContain('Its content is not');
    const voucher = (await (await server.api(`/api/vouchers/${id}`, { token: liNa })).json()) as {
      status: string;
    };
    expect(voucher.status).toBe('PAID');
  });

  it('is refused by the voucher form in the browser, and nothing is stored', async () => {
    const before = evidenceFiles();
    await signIn(page, server.runtime.url, LI_NA);
    await page.goto(`${server.runtime.url}/vouchers/new?supplier=SUP-HZ-TEXTILE`);
    await page.fill('[name=payeeName]', '杭州织锦服饰有限公司');
    await page.fill('[name=payeeAccount]', TEXTILE_ACCOUNT);
    await page.fill('[name=payeeBank]', '中国工商银行杭州西湖支行');
    await page.fill('[name=amount]', '1.00');
    await page.fill('[name=orderIds]', 'LS-20261116-0002');
    await page.fill('[name=goods]', '秋冬女装');
    await page.setInputFiles('input[name=evidence]', [
      { name: 'order.png', mimeType: 'image/png', buffer: TINY_PNG },
      { name: 'order.png', mimeType: 'image/png', buffer: XHTML_WITH_SCRIPT },
    ]);
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.click('main button[type=submit]'),
    ]);

    expect(answer.status()).toBe(422);
    expect(await page.textContent('.errors')).toContain('Its content is not an image');
    expect(evidenceFiles()).toBe(before);
    expect(requested.some((url) => url.includes(HOSTILE_MARKER))).toBe(false);
  });

  it('never runs when finance is sent to it: an uncited upload downloads as opaque bytes', async () => {
    const key = await upload(liNa, XHTML_WITH_SCRIPT, 'application/xml', 'invoice.xhtml', 'supplier-invoice');
    await signIn(page, server.runtime.url, FINANCE);

    const name = await downloadOf(`${server.runtime.url}/evidence/${key}`);

    expect(name).toBe('invoice.xhtml.bin');
    expect(requested.some((url) => url.includes(HOSTILE_MARKER))).toBe(false);
    expect(await page.title()).not.toBe('pwned');
    const response = await served(key, finance);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
  });
});

describe('accepted files, served inert (issue 10, item 2)', () => {
  it('opens a PDF (with a page hidden in it) from the voucher page as a download; nothing renders', async () => {
    const pdf = await upload(liNa, PDF_WITH_HTML, 'application/pdf', 'order.pdf');
    const created = await submit(liNa, [pdf]);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await signIn(page, server.runtime.url, FINANCE);
    await page.goto(`${server.runtime.url}/vouchers/${id}`);
    const href = (await page.getAttribute('a[href^="/evidence/"]', 'href')) ?? '';

    const name = await downloadOf(new URL(href, server.runtime.url).href);

    expect(name).toBe('order.pdf');
    expect(requested.some((url) => url.includes(HOSTILE_MARKER))).toBe(false);
  });

  it('opens invoice XML (with a script element in no namespace) as a download; nothing runs', async () => {
    const xml = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><EInvoice><Note><script>fetch('${HOSTILE_MARKER}')</script></Note></EInvoice>`,
    );
    const key = await upload(liNa, xml, 'application/xml', 'invoice.xml', 'supplier-invoice');
    await signIn(page, server.runtime.url, FINANCE);

    const name = await downloadOf(`${server.runtime.url}/evidence/${key}`);

    expect(name).toBe('invoice.xml');
    expect(requested.some((url) => url.includes(HOSTILE_MARKER))).toBe(false);
    expect((await served(key, finance)).headers.get('content-type')).toBe('application/xml');
  });

  it('shows a PNG (with a page after its end) in place, as an image and nothing else', async () => {
    const png = await upload(liNa, PNG_WITH_HTML, 'image/png', 'order.png');
    const created = await submit(liNa, [png]);
    expect(created.status).toBe(201);
    await signIn(page, server.runtime.url, FINANCE);

    const response = await page.goto(`${server.runtime.url}/evidence/${png}`);

    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('image/png');
    expect(await page.evaluate(() => document.images[0]?.naturalWidth)).toBe(1);
    expect(requested.some((url) => url.includes(HOSTILE_MARKER))).toBe(false);
  });

  it('answers every file with its sniffed type, nosniff, a sandboxing CSP and no caching', async () => {
    const pdf = await upload(liNa, PDF_WITH_HTML, 'application/pdf', 'invoice.pdf');
    const png = await upload(liNa, TINY_PNG, 'image/png', '订单.png');

    const [pdfResponse, pngResponse] = [await served(pdf, finance), await served(png, finance)];

    expect(headersOf(pdfResponse)).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
      'cache-control': 'private, no-store',
    });
    expect(headersOf(pngResponse)).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': `inline; filename="__.png"; filename*=UTF-8''${encodeURIComponent('订单.png')}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'; img-src 'self'; frame-ancestors 'none'",
      'cache-control': 'private, no-store',
    });
  });
});

describe('the evidence list and its keys (issue 10, item 5)', () => {
  it('refuses 1,000 copies of one key at once, naming the limit', async () => {
    const key = await upload(liNa, TINY_PNG, 'image/png', 'order.png');

    const response = await submit(
      liNa,
      Array.from({ length: 1000 }, () => key),
    );

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        issues: [{ path: 'evidence', message: '最多 10 个文件 at most 10 files' }],
      },
    });
  });

  it('refuses 4,000 keys of 127 characters (a 500 before), and one such key alone, with a 400', async () => {
    const probeKey = `evidence/${'k'.repeat(118)}`;

    const many = await submit(
      liNa,
      Array.from({ length: 4000 }, () => probeKey),
    );
    const one = await submit(liNa, [probeKey]);

    expect(many.status).toBe(400);
    expect(await many.json()).toMatchObject({ error: { issues: [{ path: 'evidence' }] } });
    expect(one.status).toBe(400);
    expect(await one.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', issues: [{ path: 'evidence.0' }] },
    });
  });

  it('refuses a key cited twice, naming the repeat', async () => {
    const key = await upload(liNa, TINY_PNG, 'image/png', 'order.png');

    const response = await submit(liNa, [key, key]);

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { issues: [{ path: 'evidence.1' }] } });
  });

  it('refuses eleven files chosen on the voucher form, storing none of them', async () => {
    const before = evidenceFiles();
    await signIn(page, server.runtime.url, LI_NA);
    await page.goto(`${server.runtime.url}/vouchers/new?supplier=SUP-HZ-TEXTILE`);
    await page.fill('[name=payeeName]', '杭州织锦服饰有限公司');
    await page.fill('[name=payeeAccount]', TEXTILE_ACCOUNT);
    await page.fill('[name=payeeBank]', '中国工商银行杭州西湖支行');
    await page.fill('[name=amount]', '1.00');
    await page.fill('[name=orderIds]', 'LS-20261116-0002');
    await page.fill('[name=goods]', '秋冬女装');
    await page.setInputFiles(
      'input[name=evidence]',
      Array.from({ length: 11 }, (_, i) => ({
        name: `order-${i}.png`,
        mimeType: 'image/png',
        buffer: TINY_PNG,
      })),
    );
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.click('main button[type=submit]'),
    ]);

    expect(answer.status()).toBe(400);
    expect(await page.textContent('.errors')).toContain('At most 10 files');
    expect(evidenceFiles()).toBe(before);
  });
});

describe('what named nothing and answered 5xx (issue 10, item 6)', () => {
  it('answers a 5,000-character evidence key with a 404 page, before reading the table', async () => {
    const response = await server.api(`/evidence/evidence/${'x'.repeat(5000)}`, { headers: cookie(finance) });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('text/html');
  });

  it.each(['GET', 'PUT'])(
    'answers %s of a broken escape under /local-s3/ with a 400 in the error shape',
    async (method) => {
      const response = await fetch(`${server.runtime.url}/local-s3/%zz`, {
        method,
        ...(method === 'PUT' ? { body: 'x', headers: { 'content-type': 'image/png' } } : {}),
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 'VALIDATION_FAILED', issues: [{ path: 'path' }] },
      });
    },
  );
});

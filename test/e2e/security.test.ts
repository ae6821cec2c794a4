/**
 * The holes of issue 10 that this branch closes, end to end against the real local runtime over HTTP
 * (and Chromium where a browser is the point): who sees which account digits, text and ids the edges
 * refuse, a conflicting supplier invoice, and the defence in depth of forms, JSON answers, the session
 * cookie and sign-in tokens.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import { TINY_PNG } from '../support/app.ts';
import { launchBrowser, signIn } from '../support/browser.ts';
import {
  decideByForm,
  jsonPost,
  type OutboxMessage,
  type RunningRuntime,
  startRuntime,
  TEXTILE_ACCOUNT,
  voucherOfLink,
} from '../support/runtime.ts';
import { synthesizedOnce } from '../support/state-machines.ts';

const MASKED = '**** **** 5678';
const email = (local: string) => `${local}@lianshang.example`;

let server: RunningRuntime;
let browser: Browser;
let liNa: string;
let finance: string;

interface VoucherJson {
  id: string;
  version: number;
  status: string;
  payee: { name: string; account: string; bank: string };
  amount: string;
  orderIds: string[];
  goods: string;
  evidence: string[];
  supplierId: string;
  flags: { code: string }[];
  approvals: unknown[];
}

async function voucher(id: string, token = liNa): Promise<VoucherJson> {
  const response = await server.api(`/api/vouchers/${id}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as VoucherJson;
}

async function myVoucherCount(): Promise<number> {
  const response = await server.api('/api/vouchers?mine=true&limit=100', { token: liNa });
  return ((await response.json()) as { items: unknown[] }).items.length;
}

/** The latest approval link the outbox holds for this person and voucher. */
async function latestLink(person: string, voucherId: string): Promise<string> {
  await server.runtime.engine.settled();
  const link = (await server.outbox())
    .filter((message) => message.to.includes(person))
    .flatMap((message) => message.links)
    .filter((candidate) => candidate.includes('/approvals/') && voucherOfLink(candidate) === voucherId)
    .at(-1);
  if (!link) throw new Error(`no approval link for ${person} and ${voucherId}`);
  return link;
}

async function rejectAsHead(voucherId: string): Promise<void> {
  const decided = await decideByForm(
    await latestLink(email('wang.qiang'), voucherId),
    'REJECT',
    '账号请核对',
  );
  expect(decided.status).toBe(200);
  await server.runtime.engine.settled();
}

/** A voucher body as the applicant sends it back after a rejection: the facts as the API showed them. */
function editOf(shown: VoucherJson) {
  return {
    supplierId: shown.supplierId,
    payee: shown.payee,
    amount: shown.amount,
    orderIds: shown.orderIds,
    goods: shown.goods,
    evidence: shown.evidence,
  };
}

async function submitBody(overrides: Record<string, unknown> = {}) {
  return {
    supplierId: 'SUP-HZ-TEXTILE',
    payee: { name: '杭州织锦服饰有限公司', account: TEXTILE_ACCOUNT, bank: '中国工商银行杭州西湖支行' },
    amount: '100.00',
    orderIds: ['LS-20261116-0002'],
    goods: '针织衫 5 件',
    evidence: [await server.uploadEvidence(liNa)],
    ...overrides,
  };
}

let keyCounter = 0;
const key = (what: string) => `sec-${what}-${++keyCounter}-0000`;

beforeAll(async () => {
  server = await startRuntime();
  await server.setClock('2026-11-18T09:00:00+08:00');
  liNa = await server.login(email('li.na'));
  finance = await server.login(email('liu.yang'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

describe('who sees which digits of a bank account', () => {
  it.each([
    ['li.na', MASKED],
    ['wang.qiang', MASKED],
    ['zhang.wei', MASKED],
    ['zhao.min', MASKED],
    ['wu.fang', MASKED],
    ['tech', MASKED],
    ['admin', MASKED],
    ['liu.yang', TEXTILE_ACCOUNT],
    ['chen.jing', TEXTILE_ACCOUNT],
  ])('answers GET /api/suppliers/:id to %s with the account %s', async (person, shown) => {
    const token = await server.login(email(person));

    const response = await server.api('/api/suppliers/SUP-HZ-TEXTILE', { token });

    expect(response.status).toBe(200);
    const supplier = (await response.json()) as { bankAccount: string };
    expect(supplier.bankAccount).toBe(shown);
  });

  it('shows the applicant their own submitted voucher’s account masked, in the answer, the voucher and the list', async () => {
    const response = await server.api('/api/vouchers', {
      ...jsonPost(await submitBody(), { 'idempotency-key': key('applicant-masked') }),
      token: liNa,
    });
    const created = (await response.json()) as VoucherJson;
    const list = (await (await server.api('/api/vouchers?mine=true', { token: liNa })).json()) as {
      items: VoucherJson[];
    };

    expect(response.status).toBe(201);
    expect(created.payee.account).toBe(MASKED);
    expect((await voucher(created.id)).payee.account).toBe(MASKED);
    expect(list.items.find((item) => item.id === created.id)?.payee.account).toBe(MASKED);
    expect((await voucher(created.id, finance)).payee.account).toBe(TEXTILE_ACCOUNT);
  });

  it('masks the account on the head of merchandising’s approval page and in their email; finance’s page shows it in full', async () => {
    const voucherId = await server.submitTextileVoucher(
      liNa,
      key('approval-page'),
      'LS-20261116-0001',
      '200.00',
    );
    const headLink = await latestLink(email('wang.qiang'), voucherId);
    const headPage = await (await fetch(headLink)).text();
    const headMail = (await server.outbox()).find(
      (message) => message.to.includes(email('wang.qiang')) && message.links.includes(headLink),
    );
    await server.approveAs(email('wang.qiang'), voucherId);
    const financePage = await (await fetch(await latestLink(email('liu.yang'), voucherId))).text();

    expect(headPage).toContain(MASKED);
    expect(headPage).not.toContain(TEXTILE_ACCOUNT);
    expect(headMail?.text).toContain(MASKED);
    expect(headMail?.text).not.toContain('0001 2345');
    expect(financePage).toContain(TEXTILE_ACCOUNT);
  });

  it('mails finance the account masked too: the full one is on the page the email links to', async () => {
    const voucherId = await server.submitTextileVoucher(
      liNa,
      key('finance-mail'),
      'LS-20261116-0001',
      '300.00',
    );
    await server.approveAs(email('wang.qiang'), voucherId);
    const link = await latestLink(email('liu.yang'), voucherId);

    const mail = (await server.outbox()).find((message: OutboxMessage) => message.links.includes(link));

    expect(mail?.text).toContain(MASKED);
    expect(mail?.text).not.toContain('0001 2345');
  });

  it('keeps the stored account when an edit after rejection sends it back masked, or leaves it out (POLICY D19)', async () => {
    const voucherId = await server.submitTextileVoucher(liNa, key('edit'), 'LS-20261116-0002', '400.00');
    await rejectAsHead(voucherId);
    const shown = await voucher(voucherId);

    const masked = await server.api(`/api/vouchers/${voucherId}`, {
      ...jsonPost({ ...editOf(shown), goods: '针织衫 8 件' }, { 'idempotency-key': key('edit-masked') }),
      method: 'PUT',
      token: liNa,
    });
    const afterMasked = await voucher(voucherId, finance);
    await rejectAsHead(voucherId);
    const { account: _left, ...payee } = shown.payee;
    const omitted = await server.api(`/api/vouchers/${voucherId}`, {
      ...jsonPost({ ...editOf(shown), payee }, { 'idempotency-key': key('edit-omitted') }),
      method: 'PUT',
      token: liNa,
    });

    expect(shown.payee.account).toBe(MASKED);
    expect(masked.status).toBe(200);
    expect(((await masked.json()) as VoucherJson).payee.account).toBe(MASKED);
    expect(afterMasked).toMatchObject({ version: 2, goods: '针织衫 8 件', flags: [] });
    expect(afterMasked.payee.account).toBe(TEXTILE_ACCOUNT);
    expect(omitted.status).toBe(200);
    expect((await voucher(voucherId, finance)).payee.account).toBe(TEXTILE_ACCOUNT);
  });

  it('refuses an edit whose masked account is not the stored one’s, and takes a newly typed account as new', async () => {
    const voucherId = await server.submitTextileVoucher(
      liNa,
      key('edit-other'),
      'LS-20261116-0002',
      '500.00',
    );
    await rejectAsHead(voucherId);
    const shown = await voucher(voucherId);
    const send = (account: string, idempotencyKey: string) =>
      server.api(`/api/vouchers/${voucherId}`, {
        ...jsonPost(
          { ...editOf(shown), payee: { ...shown.payee, account } },
          { 'idempotency-key': idempotencyKey },
        ),
        method: 'PUT',
        token: liNa,
      });

    const wrongMask = await send('**** **** 9999', key('edit-wrong-mask'));
    const unchanged = await voucher(voucherId, finance);
    const retyped = await send('6222 0000 1111 2222', key('edit-new-account'));

    expect(wrongMask.status).toBe(400);
    expect(await wrongMask.json()).toMatchObject({ error: { issues: [{ path: 'payee.account' }] } });
    expect(unchanged).toMatchObject({ version: 1, status: 'REJECTED', payee: { account: TEXTILE_ACCOUNT } });
    expect(retyped.status).toBe(200);
    const edited = await voucher(voucherId, finance);
    expect(edited.payee.account).toBe('6222 0000 1111 2222');
    expect(edited.flags.map((flag) => flag.code)).toContain('BANK_DETAILS_MISMATCH');
  });

  it('shows the applicant the account masked on their voucher page in Chromium, and finance in full', async () => {
    const voucherId = await server.submitTextileVoucher(liNa, key('page'), 'LS-20261116-0002', '600.00');
    const shownTo = async (person: string) => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      await signIn(page, server.runtime.url, email(person));
      await page.goto(`${server.runtime.url}/vouchers/${voucherId}`);
      const text = (await page.textContent('main')) ?? '';
      await context.close();
      return text;
    };

    const applicantSees = await shownTo('li.na');
    const financeSees = await shownTo('liu.yang');

    expect(applicantSees).toContain(MASKED);
    expect(applicantSees).not.toContain(TEXTILE_ACCOUNT);
    expect(financeSees).toContain(TEXTILE_ACCOUNT);
  });
});

describe('input that must not be stored is refused at its field', () => {
  it.each([
    [
      'a right-to-left override in the payee name',
      {
        payee: { name: '杭州织锦\u202E司公限有', account: TEXTILE_ACCOUNT, bank: '中国工商银行杭州西湖支行' },
      },
      'payee.name',
      'U+202E',
    ],
    ['a NUL in the goods', { goods: '针织衫\u0000 5 件' }, 'goods', 'U+0000'],
    [
      'a lone surrogate in the bank',
      { payee: { name: '杭州织锦服饰有限公司', account: TEXTILE_ACCOUNT, bank: '中国\uD800银行' } },
      'payee.bank',
      'U+D800',
    ],
    [
      'an isolate in the account',
      {
        payee: { name: '杭州织锦服饰有限公司', account: '3301\u2066 0400', bank: '中国工商银行杭州西湖支行' },
      },
      'payee.account',
      'U+2066',
    ],
    ['an order id that is a prototype key', { orderIds: ['constructor'] }, 'orderIds.0', ''],
    [
      // The master data's own account as the form shows it masked is that account; any other masked one
      // names no account to pay.
      'a masked account that is not the master data’s',
      {
        payee: { name: '杭州织锦服饰有限公司', account: '**** **** 0000', bank: '中国工商银行杭州西湖支行' },
      },
      'payee.account',
      'full',
    ],
  ])(
    'refuses a voucher with %s, naming the field, and writes nothing',
    async (_, overrides, field, named) => {
      const before = await myVoucherCount();

      const response = await server.api('/api/vouchers', {
        ...jsonPost(await submitBody(overrides), { 'idempotency-key': key('refused-text') }),
        token: liNa,
      });

      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { issues: { path: string; message: string }[] } };
      expect(body.error.issues[0]?.path).toBe(field);
      expect(body.error.issues[0]?.message).toContain(named);
      expect(await myVoucherCount()).toBe(before);
    },
  );

  it('refuses a supplier whose name hides a direction override, or whose id is a prototype key', async () => {
    const supplier = (fields: Record<string, unknown>) =>
      server.api('/api/suppliers', {
        ...jsonPost({
          id: 'SUP-SEC-1',
          name: '苏州安全供应商有限公司',
          bankAccount: '6222 1111 2222 3333',
          bankName: '中国银行苏州分行',
          accountType: 'CORPORATE',
          ...fields,
        }),
        token: finance,
      });

    const bidi = await supplier({ name: '苏州\u2067安全供应商有限公司' });
    const proto = await supplier({ id: '__proto__' });
    const ctor = await supplier({ id: 'constructor' });

    expect(bidi.status).toBe(400);
    expect(await bidi.json()).toMatchObject({ error: { issues: [{ path: 'name' }] } });
    expect([proto.status, ctor.status]).toEqual([400, 400]);
    expect((await server.api('/api/suppliers/SUP-SEC-1', { token: finance })).status).toBe(404);
  });

  it.each(['/api/suppliers/constructor', '/api/vouchers/__proto__', '/api/orders/toString'])(
    'refuses %s as an id with 400',
    async (pathname) => {
      const response = await server.api(pathname, { token: finance });

      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 'VALIDATION_FAILED', issues: [{ path: 'id' }] },
      });
    },
  );

  it('rejects the order lines of an unknown supplier, a payable above the order’s amount and a prototype-key id', async () => {
    const tech = await server.login(email('tech'));
    const csv = [
      'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
      'LS-SEC-1,SUP-NOWHERE,100.00,90.00,,,NONE',
      'LS-SEC-2,SUP-HZ-TEXTILE,100.00,100.01,,,NONE',
      '__proto__,SUP-HZ-TEXTILE,100.00,90.00,,,NONE',
      'LS-SEC-3,SUP-HZ-TEXTILE,100.00,100.00,,,NONE',
    ].join('\n');

    const response = await server.api('/api/orders/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
      token: tech,
    });

    expect(response.status).toBe(200);
    const result = (await response.json()) as {
      imported: number;
      rejected: { line: number; issues: { path: string }[] }[];
    };
    expect(result.rejected.map((line) => [line.line, line.issues[0]?.path])).toEqual([
      [2, 'supplierId'],
      [3, 'supplierPayable'],
      [4, 'orderId'],
    ]);
    expect(result.imported).toBe(1);
    expect((await server.api('/api/orders/LS-SEC-1', { token: tech })).status).toBe(404);
    expect((await server.api('/api/orders/LS-SEC-2', { token: tech })).status).toBe(404);
  });

  it('bounds a delegation to the year from today, and keeps a reason’s lines', async () => {
    const admin = await server.login(email('admin'));
    const delegate = (validFrom: string, validTo: string, reason = '出差 travelling') =>
      server.api('/api/delegations', {
        ...jsonPost({ from: email('zhang.wei'), to: email('sun.hao'), validFrom, validTo, reason }),
        token: admin,
      });

    const forever = await delegate('0000-01-01', '9999-12-31');
    const year = await delegate('2026-11-18', '2027-11-17', '出差\r\nback on Monday');

    expect(forever.status).toBe(400);
    const refused = (await forever.json()) as { error: { issues: { path: string }[] } };
    expect(refused.error.issues.map((issue) => issue.path)).toEqual(['validFrom', 'validTo']);
    expect(year.status).toBe(201);
    expect(await year.json()).toMatchObject({ reason: '出差\nback on Monday' });
  });

  it('refuses a reason with a control character other than tab or line feed', async () => {
    const response = await server.api('/api/vouchers/01KAAAAAAAAAAAAAAAAAAAAAAA/payment/retry', {
      ...jsonPost({ reason: 'supplier \u0007confirmed' }),
      token: finance,
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { issues: [{ path: 'reason' }] } });
  });

  it('refuses an upload whose file name hides its real ending behind a direction override', async () => {
    const response = await server.api('/api/uploads', {
      ...jsonPost({ fileName: 'order\u202Egnp.exe', contentType: 'image/png', size: TINY_PNG.length }),
      token: liNa,
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { issues: [{ path: 'fileName' }] } });
  });

  it('refuses the voucher form of the pages with a direction override in the payee name, saving nothing', async () => {
    const before = await myVoucherCount();
    const form = new FormData();
    const fields = {
      idempotencyKey: key('page-form'),
      supplierId: 'SUP-HZ-TEXTILE',
      payeeName: '杭州织锦\u202E司公限有',
      payeeAccount: TEXTILE_ACCOUNT,
      payeeBank: '中国工商银行杭州西湖支行',
      amount: '100.00',
      orderIds: 'LS-20261116-0002',
      goods: '针织衫',
    };
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('evidence', new Blob([TINY_PNG], { type: 'image/png' }), 'order.png');

    const response = await fetch(`${server.runtime.url}/vouchers/new`, {
      method: 'POST',
      headers: { cookie: `fundflow_session=${liNa}` },
      body: form,
      redirect: 'manual',
    });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('U+202E');
    expect(await myVoucherCount()).toBe(before);
  });

  it('refuses a reason with a NUL on an approval link’s form, deciding nothing', async () => {
    const voucherId = await server.submitTextileVoucher(
      liNa,
      key('link-reason'),
      'LS-20261116-0002',
      '700.00',
    );

    const response = await decideByForm(
      await latestLink(email('wang.qiang'), voucherId),
      'REJECT',
      'no\u0000',
    );

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('U+0000');
    expect((await voucher(voucherId)).status).toBe('IN_APPROVAL');
  });

  it('answers a dev job whose body is not JSON with 400, and runs it for a day given as JSON', async () => {
    const broken = await server.api('/api/dev/jobs/cashier-reminders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    // A Saturday: the job runs and has nothing to send.
    const day = await server.api('/api/dev/jobs/cashier-reminders', jsonPost({ date: '2026-11-14' }));

    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { issues: [{ path: 'body' }] } });
    expect(day.status).toBe(200);
  });
});

describe('a conflicting supplier invoice', () => {
  it('is refused with 409 on a CLOSED voucher; only the same invoice again is a repeat', async () => {
    const cashier = await server.login(email('chen.jing'));
    const voucherId = await server.submitTextileVoucher(liNa, key('invoice'), 'LS-20261117-0009', '1,000.00');
    await server.approveAs(email('wang.qiang'), voucherId);
    await server.approveAs(email('liu.yang'), voucherId);
    const paid = await server.api(`/api/vouchers/${voucherId}/payment`, {
      ...jsonPost({ status: 'PAID', bankReference: 'ICBC-SEC-0001', paidOn: '2026-11-18' }),
      token: cashier,
    });
    expect(paid.status).toBe(200);
    const invoice = {
      type: 'VAT_SPECIAL',
      number: '26332000000012345678',
      issuedOn: '2026-11-18',
      amount: '1,000.00',
      taxAmount: '115.04',
    };
    const record = (body: Record<string, unknown>) =>
      server.api(`/api/vouchers/${voucherId}/supplier-invoice`, { ...jsonPost(body), token: liNa });

    const first = await record(invoice);
    const different = await record({ ...invoice, number: '26332000000087654321', amount: '2,000.00' });
    const sameNumberOtherAmount = await record({ ...invoice, amount: '2,000.00' });
    const again = await record(invoice);

    expect(first.status).toBe(200);
    expect(((await first.json()) as VoucherJson).status).toBe('CLOSED');
    expect(different.status).toBe(409);
    expect(await different.json()).toMatchObject({ error: { code: 'INVOICE_ALREADY_RECORDED' } });
    expect(sameNumberOtherAmount.status).toBe(409);
    expect(again.status).toBe(200);
    expect(await voucher(voucherId)).toMatchObject({
      status: 'CLOSED',
      supplierInvoice: { number: '26332000000012345678', amount: '1000.00' },
    });
  });
});

describe('defence in depth', () => {
  it.each([
    ['a JSON answer', '/api/vouchers?mine=true', true],
    ['a refusal of the input', '/api/vouchers?mine=maybe', true],
    ['a request without a token', '/api/vouchers?mine=true', false],
    ['the dev clock', '/api/dev/clock', false],
    ['an unknown route', '/api/nothing-here', false],
  ])('answers %s with Cache-Control: no-store and nosniff', async (_, pathname, signedIn) => {
    const response = await server.api(pathname, signedIn ? { token: liNa } : {});

    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a sign-in token signed with the real key under HS512, and takes the same under HS256', async () => {
    const { tokenKey } = JSON.parse(readFileSync(path.join(server.dataDir, 'secrets.json'), 'utf8')) as {
      tokenKey: string;
    };
    const forged = (alg: string) =>
      new SignJWT({ email: email('li.na'), token_use: 'id' })
        .setProtectedHeader({ alg })
        .setSubject('li-na')
        .setIssuer('fundflow-local')
        .setAudience('fundflow-local')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(tokenKey));

    const hs512 = await server.api('/api/vouchers?mine=true', { token: await forged('HS512') });
    const hs256 = await server.api('/api/vouchers?mine=true', { token: await forged('HS256') });
    const page = await fetch(`${server.runtime.url}/vouchers`, {
      headers: { cookie: `fundflow_session=${await forged('HS512')}` },
      redirect: 'manual',
    });

    expect(hs512.status).toBe(401);
    expect(hs256.status).toBe(200);
    expect(page.headers.get('location')).toBe('/login');
  });

  it('sets the session cookie without Secure on plain http (this machine)', async () => {
    const response = await fetch(`${server.runtime.url}/dev/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: email('li.na') }).toString(),
      redirect: 'manual',
    });

    expect(response.headers.get('set-cookie')).toMatch(
      /^fundflow_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/,
    );
    expect(response.headers.get('set-cookie')).not.toContain('Secure');
  });

  describe('behind HTTPS', () => {
    let https: LocalRuntime;

    beforeAll(async () => {
      https = await startLocalRuntime({
        port: 0,
        dataDir: mkdtempSync(path.join(tmpdir(), 'fundflow-https-')),
        dynamoEndpoint: server.runtime.dynamoEndpoint,
        tableName: 'fundflow-https',
        publicBaseUrl: 'https://fundflow.example',
        ...synthesizedOnce(),
      });
    });

    afterAll(async () => {
      await https?.stop();
    });

    it('makes the session cookie Secure when the site is HTTPS, at sign-in and at sign-out', async () => {
      const signInResponse = await fetch(`${https.url}/dev/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: email('li.na') }).toString(),
        redirect: 'manual',
      });
      const signOut = await fetch(`${https.url}/logout`, { method: 'POST', redirect: 'manual' });

      expect(signInResponse.status).toBe(303);
      expect(signInResponse.headers.get('set-cookie')).toMatch(/; Secure$/);
      expect(signOut.headers.get('set-cookie')).toMatch(/Max-Age=0; Secure$/);
    });

    it('takes forms only from its own HTTPS origin', async () => {
      const post = (origin: string) =>
        fetch(`${https.url}/logout`, { method: 'POST', headers: { origin }, redirect: 'manual' });

      expect((await post('https://fundflow.example')).status).toBe(303);
      expect((await post(server.runtime.url)).status).toBe(403);
    });
  });

  describe('forms from another site', () => {
    const voucherForm = () => {
      const form = new FormData();
      const fields = {
        idempotencyKey: key('cross-site'),
        supplierId: 'SUP-HZ-TEXTILE',
        payeeName: '杭州织锦服饰有限公司',
        payeeAccount: TEXTILE_ACCOUNT,
        payeeBank: '中国工商银行杭州西湖支行',
        amount: '11.00',
        orderIds: 'LS-20261116-0002',
        goods: '针织衫',
      };
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append('evidence', new Blob([TINY_PNG], { type: 'image/png' }), 'order.png');
      return form;
    };
    const postVoucherForm = (headers: Record<string, string>) =>
      fetch(`${server.runtime.url}/vouchers/new`, {
        method: 'POST',
        headers: { cookie: `fundflow_session=${liNa}`, ...headers },
        body: voucherForm(),
        redirect: 'manual',
      });

    it.each([
      ['an Origin that is not fundflow’s', { origin: 'https://evil.example' }],
      ['Origin: null', { origin: 'null' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ])('refuses a signed-in page’s form sent with %s (403), saving nothing', async (_, headers) => {
      const before = await myVoucherCount();

      const response = await postVoucherForm(headers);

      expect(response.status).toBe(403);
      expect(await response.text()).toContain('此表单来自其他网站');
      expect(await myVoucherCount()).toBe(before);
    });

    it('takes the form from fundflow’s own origin, and from a client that sends neither header', async () => {
      const own = await postVoucherForm({ origin: server.runtime.url, 'sec-fetch-site': 'same-origin' });
      const bare = await postVoucherForm({});

      expect(own.status).toBe(303);
      expect(bare.status).toBe(303);
    });

    it('refuses an approval link’s and a countersign link’s form sent from another site, deciding nothing', async () => {
      const voucherId = await server.submitTextileVoucher(
        liNa,
        key('link-origin'),
        'LS-20261116-0002',
        '12.00',
      );
      const link = await latestLink(email('wang.qiang'), voucherId);
      const nonce = /name="nonce" value="([^"]+)"/.exec(await (await fetch(link)).text())?.[1] ?? '';
      const body = new URLSearchParams({ nonce, confirm: 'yes', decision: 'APPROVE' }).toString();

      const approval = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
        body,
      });
      const sandboxed = await fetch(link, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'null',
          'sec-fetch-site': 'cross-site',
        },
        body,
      });
      const countersign = await fetch(`${server.runtime.url}/countersign/anything`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
        body: 'nonce=x&confirm=yes',
      });

      expect(approval.status).toBe(403);
      expect(sandboxed.status).toBe(403);
      expect(countersign.status).toBe(403);
      expect((await voucher(voucherId)).status).toBe('IN_APPROVAL');
      await server.runtime.engine.settled();
      expect((await voucher(voucherId, finance)).approvals).toEqual([]);
    });

    it('refuses, in Chromium, an approval form another site posts with the link and its nonce', async () => {
      const voucherId = await server.submitTextileVoucher(
        liNa,
        key('chromium-csrf'),
        'LS-20261116-0002',
        '13.00',
      );
      const link = await latestLink(email('wang.qiang'), voucherId);
      const nonce = /name="nonce" value="([^"]+)"/.exec(await (await fetch(link)).text())?.[1] ?? '';
      // The other site: a page that posts the approval form as soon as it is opened.
      const attacker: Server = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(`<!doctype html><form method="post" action="${link}">
          <input name="nonce" value="${nonce}"><input name="confirm" value="yes">
          <input name="decision" value="APPROVE"></form><script>document.forms[0].submit()</script>`);
      });
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
      const context = await browser.newContext();
      const page = await context.newPage();

      try {
        const [answer] = await Promise.all([
          page.waitForResponse(
            (response) => response.url() === link && response.request().method() === 'POST',
          ),
          page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`),
        ]);
        await page.waitForLoadState('load');

        expect(answer.status()).toBe(403);
        expect(await page.textContent('main')).toContain('此表单来自其他网站');
        await server.runtime.engine.settled();
        expect(await voucher(voucherId)).toMatchObject({ status: 'IN_APPROVAL', approvals: [] });
      } finally {
        await context.close();
        await new Promise<void>((resolve) => attacker.close(() => resolve()));
      }
    });
  });
});

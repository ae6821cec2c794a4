/**
 * The approval chain end to end against the local runtime: HTTP, the outbox, the pages behind email
 * links (GET changes nothing, POST decides), and the approval page in headless Chromium.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import {
  decideByForm,
  jsonPost,
  type RunningRuntime,
  startRuntime,
  voucherOfLink,
} from '../support/runtime.ts';

let server: RunningRuntime;
let browser: Browser;
let liNa: string;

async function submit(key: string, amount: string, orderId = 'LS-20261116-0003'): Promise<string> {
  const evidence = await server.uploadEvidence(liNa);
  const response = await server.api('/api/vouchers', {
    ...jsonPost(
      {
        supplierId: 'SUP-GZ-BEAUTY',
        payee: {
          name: '广州美妆供应链有限公司',
          account: '4400 1234 5678 9012 345',
          bank: '招商银行广州天河支行',
        },
        amount,
        orderIds: [orderId],
        goods: '护肤品礼盒',
        evidence: [evidence],
      },
      { 'idempotency-key': key },
    ),
    token: liNa,
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Polls the outbox until the person's approval link for the voucher arrives (the workflow runs on its own). */
async function linkFor(email: string, voucherId: string): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const link = (await server.outbox())
      .filter((message) => message.to.includes(email))
      .flatMap((message) => message.links)
      .find((candidate) => candidate.includes('/approvals/') && voucherOfLink(candidate) === voucherId);
    if (link) return link;
    await server.runtime.engine.settled();
  }
  throw new Error(`no approval link for ${email}`);
}

async function voucher(id: string) {
  return (await (await server.api(`/api/vouchers/${id}`, { token: liNa })).json()) as {
    status: string;
    approvals: { step: string; approver: string; via: string }[];
    history: { type: string }[];
  };
}

beforeAll(async () => {
  server = await startRuntime();
  liNa = await server.login('li.na@lianshang.example');
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

describe('approving from email links over HTTP', () => {
  it('takes a 500,000.00 voucher through head, CEO and finance to READY_FOR_PAYMENT', async () => {
    const id = await submit('e2e-chain-0001', '500,000.00');

    for (const approver of ['wang.qiang', 'zhang.wei', 'liu.yang']) {
      const response = await decideByForm(await linkFor(`${approver}@lianshang.example`, id), 'APPROVE');
      expect(response.status).toBe(200);
      await server.runtime.engine.settled();
    }

    const final = await voucher(id);
    expect(final.status).toBe('READY_FOR_PAYMENT');
    expect(final.approvals.map((approval) => [approval.step, approval.via])).toEqual([
      ['HEAD_OF_MERCHANDISING', 'link'],
      ['CEO', 'link'],
      ['FINANCE_REVIEW', 'link'],
    ]);
  });

  it('changes nothing on GET or HEAD of a link, as a mail scanner would fetch it', async () => {
    const id = await submit('e2e-scanner-01', '1,000.00');
    const link = await linkFor('wang.qiang@lianshang.example', id);
    const before = await voucher(id);

    const get = await fetch(link);
    const head = await fetch(link, { method: 'HEAD' });

    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    expect(get.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await voucher(id)).toEqual(before);
  });

  it('refuses a POST without the ticked confirmation, and decides nothing', async () => {
    const id = await submit('e2e-noconfirm-1', '1,100.00');
    const link = await linkFor('wang.qiang@lianshang.example', id);
    const page = await (await fetch(link)).text();
    const nonce = /name="nonce" value="([^"]+)"/.exec(page)?.[1] ?? '';

    const response = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ nonce, decision: 'APPROVE' }).toString(),
    });

    expect(response.status).toBe(400);
    expect((await voucher(id)).approvals).toEqual([]);
  });

  it('shows a clear page for a tampered link', async () => {
    const link = await linkFor('wang.qiang@lianshang.example', await submit('e2e-tamper-01', '1,200.00'));
    const response = await fetch(`${link.slice(0, -3)}xyz`);

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('not valid');
  });

  it('lists every email with its links at /dev/outbox', async () => {
    const response = await server.api('/dev/outbox');
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain('/approvals/');
  });
});

describe('the approval page in a browser', () => {
  it('shows the voucher’s facts and approves with a real click', async () => {
    const id = await submit('e2e-browser-01', '2,000.00');
    const link = await linkFor('wang.qiang@lianshang.example', id);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();

    await page.goto(link);
    const facts = (await page.textContent('main')) ?? '';
    await page.check('input[name=confirm]');
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=APPROVE]')]);
    const outcome = (await page.textContent('h1')) ?? '';
    await context.close();
    await server.runtime.engine.settled();

    expect(facts).toContain('¥2,000.00');
    expect(facts).toContain('广州美妆供应链有限公司');
    expect(outcome).toContain('Approved');
    expect((await voucher(id)).approvals.map((approval) => approval.step)).toEqual(['HEAD_OF_MERCHANDISING']);
  });
});

describe('the travelling approver over HTTP (POLICY D6)', () => {
  /** Uploads a raw .eml as the person's consent-email upload; its key. */
  async function uploadEml(token: string, eml: Buffer): Promise<string> {
    const upload = (await (
      await server.api('/api/uploads', {
        ...jsonPost({
          fileName: 'consent.eml',
          contentType: 'message/rfc822',
          size: eml.length,
          purpose: 'consent-email',
        }),
        token,
      })
    ).json()) as { key: string; uploadUrl: string };
    const put = await fetch(upload.uploadUrl, {
      method: 'PUT',
      headers: { 'content-type': 'message/rfc822' },
      body: new Uint8Array(eml),
    });
    expect(put.status).toBe(200);
    return upload.key;
  }

  /** The demo approver's DKIM-signed consent email, from the local runtime's dev route. */
  async function signedConsent(approver: string, voucherId: string): Promise<Buffer> {
    const response = await server.api('/api/dev/consent-email', jsonPost({ approver, voucherId }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('message/rfc822');
    return Buffer.from(await response.arrayBuffer());
  }

  const proxyApprove = (token: string, id: string, step: string, consentEmail: string) =>
    server.api(`/api/vouchers/${id}/proxy-approvals`, { ...jsonPost({ step, consentEmail }), token });

  const forged = (from: string, id: string) =>
    Buffer.from(
      [
        `From: ${from}`,
        'Subject: OK',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `I approve voucher ${id} for ¥500,000.00 to 广州美妆供应链有限公司`,
      ].join('\r\n'),
    );

  it('takes the named proxy’s DKIM-signed consent email, tells the approver, and countersigns from the emailed link', async () => {
    const id = await submit('e2e-proxy-0001', '3,000.00');
    await linkFor('wang.qiang@lianshang.example', id);
    const proxy = await server.login('sun.hao@lianshang.example');

    const key = await uploadEml(proxy, await signedConsent('wang.qiang@lianshang.example', id));
    const proxied = await proxyApprove(proxy, id, 'HEAD_OF_MERCHANDISING', key);
    const finance = await server.login('liu.yang@lianshang.example');
    const outstanding = (await (await server.api('/api/countersigns', { token: finance })).json()) as {
      items: { voucherId: string }[];
    };
    const notice = (await server.outbox()).find(
      (message) =>
        message.to.includes('wang.qiang@lianshang.example') &&
        message.subject.includes('Approved in your name'),
    );
    const countersignLink = notice?.links.find((link) => link.includes('/countersign/')) ?? '';
    const page = await (await fetch(countersignLink)).text();
    const nonce = /name="nonce" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const signed = await fetch(countersignLink, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ nonce, confirm: 'yes' }).toString(),
    });

    expect(proxied.status).toBe(200);
    expect(outstanding.items.map((item) => item.voucherId)).toContain(id);
    expect(notice?.links.some((link) => link.includes('/proxy-refusal/'))).toBe(true);
    expect(page).toContain('¥3,000.00');
    expect(signed.status).toBe(200);
    expect((await voucher(id)).approvals[0]).toMatchObject({
      via: 'email-proxy',
      countersignedAt: expect.any(String),
    });
  });

  it('refuses the probe’s forgeries — a hand-typed From: the head, then the CEO — and writes nothing', async () => {
    const id = await submit('e2e-probe-0001', '500,000.00', 'LS-20261116-0004');
    await linkFor('wang.qiang@lianshang.example', id);
    const zhaoMin = await server.login('zhao.min@lianshang.example');
    const admin = await server.login('admin@lianshang.example');
    const before = await voucher(id);

    // As the probe ran it: customer service, named by nobody.
    const probe = await proxyApprove(
      zhaoMin,
      id,
      'HEAD_OF_MERCHANDISING',
      await uploadEml(zhaoMin, forged('wang.qiang@lianshang.example', id)),
    );
    // Even once named the head's proxy, a typed From: is no consent.
    const named = await server.api('/api/proxy-assignments', {
      ...jsonPost({
        approver: 'wang.qiang@lianshang.example',
        proxy: 'zhao.min@lianshang.example',
        from: (await (await server.api('/api/dev/clock')).json()).now.slice(0, 10),
        to: '2027-06-30',
        reason: 'the probe, named',
      }),
      token: admin,
    });
    const unsigned = await proxyApprove(
      zhaoMin,
      id,
      'HEAD_OF_MERCHANDISING',
      await uploadEml(zhaoMin, forged('wang.qiang@lianshang.example', id)),
    );
    const refusal = (await unsigned.json()) as { error: { code: string; message: string } };

    expect(probe.status).toBe(403);
    expect(named.status).toBe(201);
    expect(unsigned.status).toBe(422);
    expect(refusal.error.code).toBe('CONSENT_EMAIL_UNSIGNED');
    expect(refusal.error.message).toContain('DKIM');
    const after = await voucher(id);
    expect(after.approvals).toEqual([]);
    expect(after.history).toEqual(before.history);

    // The CEO step, once the head approved by link.
    await decideByForm(await linkFor('wang.qiang@lianshang.example', id), 'APPROVE');
    await server.runtime.engine.settled();
    const ceo = await proxyApprove(
      zhaoMin,
      id,
      'CEO',
      await uploadEml(zhaoMin, forged('zhang.wei@lianshang.example', id)),
    );
    expect(ceo.status).toBe(403);
    expect((await voucher(id)).approvals.map((approval) => approval.step)).toEqual(['HEAD_OF_MERCHANDISING']);
  });

  it('lists an approver’s named proxies to an administrator', async () => {
    const admin = await server.login('admin@lianshang.example');

    const response = await server.api('/api/proxy-assignments?approver=zhang.wei@lianshang.example', {
      token: admin,
    });

    expect(response.status).toBe(200);
    expect(
      ((await response.json()) as { items: { proxy: string }[] }).items.map((item) => item.proxy),
    ).toEqual(['wu.fang@lianshang.example']);
  });

  it('lets the approver refuse from the emailed link in a browser: the voucher goes back to their step', async () => {
    const id = await submit('e2e-refuse-0001', '3,100.00');
    await linkFor('wang.qiang@lianshang.example', id);
    const proxy = await server.login('sun.hao@lianshang.example');
    const key = await uploadEml(proxy, await signedConsent('wang.qiang@lianshang.example', id));
    expect((await proxyApprove(proxy, id, 'HEAD_OF_MERCHANDISING', key)).status).toBe(200);
    await server.runtime.engine.settled();
    const refusalLink =
      (await server.outbox())
        .flatMap((message) => message.links)
        .filter((link) => link.includes('/proxy-refusal/'))
        .at(-1) ?? '';
    // A mail scanner fetching the link changes nothing.
    expect((await fetch(refusalLink)).status).toBe(200);
    expect((await voucher(id)).approvals[0]).toMatchObject({ via: 'email-proxy' });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();

    await page.goto(refusalLink);
    const facts = (await page.textContent('main')) ?? '';
    await page.fill('textarea[name=reason]', '我没有同意');
    await page.selectOption('select[name=confirm]', 'yes');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    const outcome = (await page.textContent('main')) ?? '';
    await context.close();
    await server.runtime.engine.settled();

    expect(facts).toContain('¥3,100.00');
    expect(facts).toContain('sun.hao@lianshang.example');
    expect(outcome).toContain('back at your step');
    const back = await voucher(id);
    expect(back.status).toBe('IN_APPROVAL');
    expect(back.approvals[0]).toMatchObject({ withdrawn: expect.objectContaining({ reason: '我没有同意' }) });
    expect(back.history.map((event) => event.type)).toContain('APPROVAL_WITHDRAWN');
  });
});

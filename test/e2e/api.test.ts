/**
 * The HTTP API end to end: the real local runtime (DynamoDB Local in a data folder, the same handler
 * modules as Lambda) over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKFLOW_NAMES } from '../../lib/workflow/catalogue.ts';
import { TINY_PNG } from '../support/app.ts';
import { type RunningRuntime, startRuntime } from '../support/runtime.ts';

const LI_NA = 'li.na@lianshang.example';
let server: RunningRuntime;
let liNa: string;

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function uploadEvidence(token: string): Promise<string> {
  const response = await server.api('/api/uploads', {
    ...json({ fileName: '订单截图.png', contentType: 'image/png', size: TINY_PNG.length }),
    token,
  });
  expect(response.status).toBe(201);
  const upload = (await response.json()) as { key: string; uploadUrl: string; method: string };
  expect(upload.method).toBe('PUT');
  const put = await fetch(upload.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': 'image/png' },
    body: TINY_PNG,
  });
  expect(put.status).toBe(200);
  return upload.key;
}

async function voucherBody(token: string, overrides: Record<string, unknown> = {}) {
  return {
    supplierId: 'SUP-HZ-TEXTILE',
    payee: {
      name: '杭州织锦服饰有限公司',
      account: '3301 0400 0001 2345 678',
      bank: '中国工商银行杭州西湖支行',
    },
    amount: '1,000.00',
    orderIds: ['LS-20261116-0002'],
    goods: '针织衫 50 件',
    evidence: [await uploadEvidence(token)],
    ...overrides,
  };
}

async function myVouchers(token: string): Promise<{ id: string }[]> {
  const response = await server.api('/api/vouchers?mine=true', { token });
  return ((await response.json()) as { items: { id: string }[] }).items;
}

beforeAll(async () => {
  // As `npm start` runs: its own DynamoDB Local on disk, so the restart below is a whole one.
  server = await startRuntime(undefined, { ownDynamoDbLocal: true });
  liNa = await server.login(LI_NA);
});

afterAll(async () => {
  await server.runtime.stop();
});

describe('the local runtime', () => {
  it('answers /health once ready', async () => {
    const response = await server.api('/health');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('runs every state machine of the catalogue, as synthesized', () => {
    expect(server.runtime.engine.machineNames().sort()).toEqual([...WORKFLOW_NAMES].sort());
  });

  it('refuses an API call without a bearer token with 401 and the error shape', async () => {
    const response = await server.api('/api/vouchers?mine=true');

    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', issues: [] } });
  });

  it('signs in only people of the directory', async () => {
    const response = await server.api('/api/dev/login', json({ email: 'stranger@example.com' }));

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { issues: [{ path: 'email' }] } });
  });

  it('sets the clock to an instant, which then runs on', async () => {
    const set = await server.api('/api/dev/clock', json({ now: '2026-09-30T11:59:59+08:00' }));
    const read = await server.api('/api/dev/clock');

    expect(set.status).toBe(200);
    const { now } = (await read.json()) as { now: string };
    expect(now.startsWith('2026-09-30T11:59:59')).toBe(true);
    expect(now.endsWith('+08:00')).toBe(true);
  });

  it('refuses an email address longer than mail allows (254) with a 400 wherever one is typed', async () => {
    const long = `${'a'.repeat(3000)}@lianshang.example`;
    const admin = await server.login('admin@lianshang.example');

    const statuses = [
      (await server.api('/api/dev/login', json({ email: long }))).status,
      (
        await server.api('/dev/login', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ email: long }).toString(),
          redirect: 'manual',
        })
      ).status,
      (
        await server.api('/api/delegations', {
          ...json({
            from: long,
            to: 'tech@lianshang.example',
            validFrom: '2026-11-18',
            validTo: '2026-11-20',
            reason: '出差',
          }),
          token: admin,
        })
      ).status,
    ];

    expect(statuses).toEqual([400, 400, 400]);
  });

  it('takes a path that starts with two slashes as a path, not as a host: no route serves it', async () => {
    const statuses = await Promise.all(
      ['//evil.example/health', '//evil.example/api/dev/clock', '//evil.example/login'].map(
        async (target) => (await server.api(target)).status,
      ),
    );

    expect(statuses).toEqual([404, 404, 404]);
  });

  it('answers a path whose first segment is no host at all (`//%ED%A0%80/`) with a 4xx, not a 500', async () => {
    const statuses = await Promise.all(
      ['//%ED%A0%80/x', '//a%zz/api/vouchers', '//[/health'].map(
        async (target) => (await server.api(target)).status,
      ),
    );

    expect(statuses.every((status) => status >= 400 && status < 500)).toBe(true);
  });

  it('answers 404 for a job named after a property every object has, and runs nothing', async () => {
    const names = ['constructor', 'to-string', 'value-of', 'has-own-property', 'is-prototype-of'];

    const responses = await Promise.all(names.map((name) => server.api(`/api/dev/jobs/${name}`, json({}))));

    expect(responses.map((response) => response.status)).toEqual(names.map(() => 404));
    expect(await responses[0]?.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('refuses a clock without an offset', async () => {
    const response = await server.api('/api/dev/clock', json({ now: '2026-09-30T11:59:59' }));

    expect(response.status).toBe(400);
  });
});

describe('suppliers and orders', () => {
  it('lets finance create a supplier and warns about a tax id failing its checksum', async () => {
    const finance = await server.login('liu.yang@lianshang.example');
    const response = await server.api('/api/suppliers', {
      ...json({
        id: 'SUP-NEW',
        name: '苏州新供应商有限公司',
        bankAccount: '6222 1111 2222 3333',
        bankName: '中国银行苏州分行',
        accountType: 'CORPORATE',
        taxId: '91350100M000100Y44',
      }),
      token: finance,
    });
    const read = await server.api('/api/suppliers/SUP-NEW', { token: finance });

    expect(response.status).toBe(201);
    expect(((await response.json()) as { warnings: string[] }).warnings).toHaveLength(1);
    expect(await read.json()).toMatchObject({ id: 'SUP-NEW', accountType: 'CORPORATE' });
  });

  it('refuses supplier changes from a merchandiser with 403', async () => {
    const response = await server.api('/api/suppliers', {
      ...json({
        id: 'SUP-X',
        name: '某公司',
        bankAccount: '622211112222',
        bankName: '某银行',
        accountType: 'CORPORATE',
      }),
      token: liNa,
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('imports orders from CSV, rejecting only the bad lines', async () => {
    const tech = await server.login('tech@lianshang.example');
    const csv = [
      'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
      'LS-IMP-1,SUP-HZ-TEXTILE,"1,200.00",1000.00,2026-11-18T10:00:00+08:00,2026-11-18T11:00:00+08:00,NONE',
      'LS-IMP-2,SUP-HZ-TEXTILE,12.345,10.00,,,NONE',
      'LS-IMP-3,SUP-HZ-TEXTILE,100.00,90.00,,,MAYBE',
      'LS-IMP-4,SUP-HZ-TEXTILE,100.00,90.00,,,NONE',
    ].join('\n');
    const response = await server.api('/api/orders/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
      token: tech,
    });
    const order = await server.api('/api/orders/LS-IMP-1', { token: tech });
    const rejectedOrder = await server.api('/api/orders/LS-IMP-2', { token: tech });

    expect(response.status).toBe(200);
    const result = (await response.json()) as { imported: number; rejected: { line: number }[] };
    expect(result.imported).toBe(2);
    expect(result.rejected.map((rejection) => rejection.line)).toEqual([3, 4]);
    expect(await order.json()).toMatchObject({
      amountFen: 120_000,
      supplierPayableFen: 100_000,
      settled: true,
    });
    expect(rejectedOrder.status).toBe(404);
  });
});

describe('vouchers over HTTP', () => {
  it('submits a voucher with uploaded evidence and shows it with its history', async () => {
    const response = await server.api('/api/vouchers', {
      ...json(await voucherBody(liNa), { 'idempotency-key': 'http-submit-0001' }),
      token: liNa,
    });
    const created = (await response.json()) as { id: string };
    const read = await server.api(`/api/vouchers/${created.id}`, { token: liNa });

    expect(response.status).toBe(201);
    expect(created).toMatchObject({
      status: 'SUBMITTED',
      amount: '1000.00',
      amountFen: 100_000,
      route: { requiresCeo: false },
      flags: [],
      applicant: LI_NA,
    });
    const detail = (await read.json()) as { id: string; history: { type: string }[] };
    expect(detail.id).toBe(created.id);
    expect(detail.history[0]?.type).toBe('VOUCHER_SUBMITTED');
  });

  it('answers a repeated Idempotency-Key with the same voucher', async () => {
    const body = await voucherBody(liNa);
    const first = await server.api('/api/vouchers', {
      ...json(body, { 'idempotency-key': 'http-replay-01' }),
      token: liNa,
    });
    const again = await server.api('/api/vouchers', {
      ...json(body, { 'idempotency-key': 'http-replay-01' }),
      token: liNa,
    });

    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
  });

  it('answers the same Idempotency-Key with another body with 409', async () => {
    const body = await voucherBody(liNa);
    await server.api('/api/vouchers', {
      ...json(body, { 'idempotency-key': 'http-conflict-01' }),
      token: liNa,
    });
    const before = await myVouchers(liNa);
    const response = await server.api('/api/vouchers', {
      ...json({ ...body, amount: '2,000.00' }, { 'idempotency-key': 'http-conflict-01' }),
      token: liNa,
    });

    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await myVouchers(liNa)).toHaveLength(before.length);
  });

  it.each([
    ['no Idempotency-Key', {}, undefined, 400],
    ['a numeric amount', { amount: 1000 }, 'amount', 400],
    ['an unknown field', { extra: true }, '', 400],
    ['no orders', { orderIds: [] }, 'orderIds', 400],
    ['an unsettled order', { orderIds: ['LS-20261117-0006'] }, 'orderIds.0', 422],
  ])(
    'refuses a voucher with %s with a 4xx error shape and writes nothing',
    async (_what, override, path, status) => {
      const before = await myVouchers(liNa);
      const headers: Record<string, string> =
        path === undefined ? {} : { 'idempotency-key': `bad-${Math.random()}` };
      const response = await server.api('/api/vouchers', {
        ...json(await voucherBody(liNa, override), headers),
        token: liNa,
      });

      expect(response.status).toBe(status);
      const body = (await response.json()) as {
        error: { code: string; message: string; issues: { path: string }[] };
      };
      expect(body.error.message.length).toBeGreaterThan(0);
      if (path) expect(body.error.issues.map((issue) => issue.path)).toContain(path);
      expect(await myVouchers(liNa)).toHaveLength(before.length);
    },
  );

  it('answers a body that is not JSON with 400 and the error shape', async () => {
    const response = await server.api('/api/vouchers', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'not-json-0001' },
      body: '{"supplierId":',
      token: liNa,
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', issues: [{ path: 'body' }] },
    });
  });

  it('refuses an upload that is not an image or PDF', async () => {
    const response = await server.api('/api/uploads', {
      ...json({ fileName: 'run.exe', contentType: 'application/x-msdownload', size: 100 }),
      token: liNa,
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { issues: [{ path: 'contentType' }] } });
  });

  it('hides another merchandiser’s voucher (404)', async () => {
    const response = await server.api('/api/vouchers', {
      ...json(await voucherBody(liNa), { 'idempotency-key': 'http-private-01' }),
      token: liNa,
    });
    const { id } = (await response.json()) as { id: string };
    const sunHao = await server.login('sun.hao@lianshang.example');

    expect((await server.api(`/api/vouchers/${id}`, { token: sunHao })).status).toBe(404);
  });

  it('masks the payee account for a reviewer who is not finance or the cashier', async () => {
    const response = await server.api('/api/vouchers', {
      ...json(await voucherBody(liNa), { 'idempotency-key': 'http-masked-01' }),
      token: liNa,
    });
    const { id } = (await response.json()) as { id: string };
    const head = await server.login('wang.qiang@lianshang.example');
    const finance = await server.login('liu.yang@lianshang.example');

    const asHead = (await (await server.api(`/api/vouchers/${id}`, { token: head })).json()) as {
      payee: { account: string };
    };
    const asFinance = (await (await server.api(`/api/vouchers/${id}`, { token: finance })).json()) as {
      payee: { account: string };
    };
    expect(asHead.payee.account).not.toContain('0001 2345');
    expect(asHead.payee.account.endsWith('5678')).toBe(true);
    expect(asFinance.payee.account).toBe('3301 0400 0001 2345 678');
  });

  it('lists vouchers by status for finance', async () => {
    const finance = await server.login('liu.yang@lianshang.example');
    await server.runtime.engine.settled();
    const response = await server.api('/api/vouchers?status=IN_APPROVAL', { token: finance });

    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { status: string }[] };
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.status === 'IN_APPROVAL')).toBe(true);
  });
});

describe('the edges refuse what they cannot read with a 4xx, never a 5xx', () => {
  it('answers a broken percent-escape in the path with 400', async () => {
    const response = await server.api('/api/vouchers/%E0%A4%A', { token: liNa });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', issues: [{ path: 'path' }] },
    });
  });

  it.each([
    ['the wrong keys', { pk: 'x', sk: 'y' }],
    ['empty keys', { pk: '', sk: '', applicantPk: '', applicantSk: '' }],
    [
      'another person’s keys',
      {
        pk: 'VOUCHER#01X',
        sk: 'VOUCHER',
        applicantPk: 'APPLICANT#sun.hao@lianshang.example',
        applicantSk: '2026-11-18T09:00:00.000+08:00#01X',
      },
    ],
    [
      // DynamoDB refuses a sort key over 1,024 bytes (Local does not): it would be a 500 in AWS.
      'a sort key longer than DynamoDB allows',
      {
        pk: 'VOUCHER#01X',
        sk: 'VOUCHER',
        applicantPk: 'APPLICANT#li.na@lianshang.example',
        applicantSk: `2026-11-18T09:00:00.000+08:00#${'X'.repeat(1100)}`,
      },
    ],
  ])('refuses a paging cursor it did not issue (%s) with 400', async (_, key) => {
    const forged = Buffer.from(JSON.stringify(key)).toString('base64url');

    const response = await server.api(`/api/vouchers?mine=true&cursor=${forged}`, { token: liNa });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { issues: [{ path: 'cursor' }] } });
  });

  it('answers a body over the size limit with 413 and the error shape, and saves nothing', async () => {
    const before = await myVouchers(liNa);

    const response = await server.api('/api/vouchers', {
      ...json({ goods: 'x'.repeat(13 * 1024 * 1024) }, { 'idempotency-key': 'too-large-0001' }),
      token: liNa,
    });

    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await myVouchers(liNa)).toHaveLength(before.length);
  });

  it('shows a page for a voucher id that cannot be one as not found', async () => {
    const response = await fetch(`${server.runtime.url}/vouchers/${'x'.repeat(3000)}`, {
      headers: { cookie: `fundflow_session=${liNa}` },
    });

    expect(response.status).toBe(404);
  });
});

describe('restart', () => {
  it('keeps vouchers, orders and sign-ins across a restart of the runtime', async () => {
    const response = await server.api('/api/vouchers', {
      ...json(await voucherBody(liNa), { 'idempotency-key': 'http-restart-01' }),
      token: liNa,
    });
    const { id } = (await response.json()) as { id: string };
    await server.runtime.stop();

    server = await startRuntime(server.dataDir, { ownDynamoDbLocal: true });
    const read = await server.api(`/api/vouchers/${id}`, { token: liNa });

    expect(read.status).toBe(200);
    const after = (await read.json()) as { id: string; status: string };
    expect(after.id).toBe(id);
    expect(['SUBMITTED', 'IN_APPROVAL']).toContain(after.status);
  });
});

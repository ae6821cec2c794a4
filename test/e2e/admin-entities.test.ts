/**
 * Legal entities (issue 14 §2; POLICY 1.2, D17) against the real local runtime: the entities API (the
 * USCC checked, only one's own changed, each change audited), and the demo's two entities kept apart —
 * vouchers, payment runs and bank files, daily exports and invoice batches of one never show in the
 * other's lists or files, and a person of one cannot act in the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonPost, type RunningRuntime, startRuntime } from '../support/runtime.ts';

const SH = 'lianshang-sh';
const GZ = 'lianshang-gz';
const DAY = '2026-11-18';

let server: RunningRuntime;
const tokens: Record<string, string> = {};
let shVoucher: string;
let gzVoucher: string;

const as = (who: string) => tokens[who] ?? '';
const put = (body: unknown) => ({ ...jsonPost(body), method: 'PUT' });
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; issues: { path: string }[] } }).error;

const GZ_FOOD_PAYEE = {
  name: '广州粤味食品有限公司',
  account: '0200 0045 0900 1234 567',
  bank: '中国工商银行广州越秀支行',
};

async function gzVoucherFor(token: string, key: string, orderId: string) {
  const evidence = await server.uploadEvidence(token);
  return server.api('/api/vouchers', {
    ...jsonPost(
      {
        supplierId: 'SUP-GZ-FOOD',
        payee: GZ_FOOD_PAYEE,
        amount: '100.00',
        orderIds: [orderId],
        goods: '腊味礼盒',
        evidence: [evidence],
      },
      { 'idempotency-key': key },
    ),
    token,
  });
}

const ids = async (response: Response) =>
  ((await response.json()) as { items: { id: string }[] }).items.map((item) => item.id);

beforeAll(async () => {
  server = await startRuntime();
  await server.setClock(`${DAY}T09:00:00+08:00`);
  for (const email of [
    'li.na',
    'liu.yang',
    'chen.jing',
    'admin',
    'zhao.min',
    'wu.fang',
    'gz.ma.li',
    'gz.xu.ping',
    'gz.tang.yu',
    'gz.admin',
    'gz.kong.wei',
    'gz.fan.qing',
  ]) {
    tokens[email] = await server.login(`${email}@lianshang.example`);
  }
  // One voucher in each entity, each approved by its own entity's approvers and ready for today's run.
  shVoucher = await server.submitTextileVoucher(
    as('li.na'),
    'entities-sh-0001',
    'LS-20261116-0001',
    '100.00',
  );
  const submitted = await gzVoucherFor(as('gz.ma.li'), 'entities-gz-0001', 'LS-GZ-20261116-1001');
  expect(submitted.status).toBe(201);
  gzVoucher = ((await submitted.json()) as { id: string }).id;
  await server.approveAs('wang.qiang@lianshang.example', shVoucher);
  await server.approveAs('liu.yang@lianshang.example', shVoucher);
  await server.approveAs('gz.gao.feng@lianshang.example', gzVoucher);
  await server.approveAs('gz.xu.ping@lianshang.example', gzVoucher);
  await server.runtime.engine.settled();
}, 180_000);

afterAll(async () => {
  await server?.runtime.stop();
});

describe('the entities API', () => {
  const gz = {
    id: GZ,
    name: '链尚网络科技（广州）有限公司',
    taxId: '91110105MA01ABCD26',
    bankAccounts: [{ bankName: '中国银行广州天河支行', account: '3400 0000 0002 0002', primary: true }],
    invoicing: { itemName: '食品', taxCode: '1030000000000000000', taxRatePercent: 9 },
  };

  it('lists the company’s entities to an administrator, marking their own', async () => {
    const response = await server.api('/api/entities', { token: as('admin') });

    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: { id: string; own: boolean }[] };
    expect(items.map((item) => [item.id, item.own])).toEqual([
      [GZ, false],
      [SH, true],
    ]);
  });

  it('changes the administrator’s own entity with an audit event, and refuses another entity (403)', async () => {
    const changed = await server.api(`/api/entities/${GZ}`, { ...put(gz), token: as('gz.admin') });
    const foreign = await server.api(`/api/entities/${GZ}`, { ...put(gz), token: as('admin') });

    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ invoicing: { taxRatePercent: 9 }, version: 2 });
    const history = await server.runtime.deps.store.people.entityHistory(GZ);
    expect(history.at(-1)).toMatchObject({
      type: 'ENTITY_UPDATED',
      actor: 'gz.admin@lianshang.example',
      details: { invoicing: { to: gz.invoicing } },
    });
    expect(foreign.status).toBe(403);
  });

  it('refuses a tax number whose check character is wrong (422), and writes nothing', async () => {
    const response = await server.api('/api/entities', {
      ...jsonPost({ ...gz, id: 'lianshang-sz', taxId: '91110105MA01ABCD27' }),
      token: as('admin'),
    });

    expect(response.status).toBe(422);
    expect(await errorOf(response)).toMatchObject({ code: 'USCC_INVALID', issues: [{ path: 'taxId' }] });
    expect(await server.runtime.deps.store.people.getEntity('lianshang-sz')).toBeNull();
  });

  it('creates an entity, whose first administrator its creator adds — once, while it has nobody', async () => {
    const created = await server.api('/api/entities', {
      ...jsonPost({ ...gz, id: 'lianshang-sz', name: '链尚网络科技（深圳）有限公司' }),
      token: as('admin'),
    });
    const person = (email: string, roles: string[]) =>
      jsonPost({ email, name: '深圳 Shenzhen', entityId: 'lianshang-sz', roles, active: true });
    const firstAdmin = await server.api('/api/people', {
      ...person('sz.admin@lianshang.example', ['ADMIN']),
      token: as('admin'),
    });
    const more = await server.api('/api/people', {
      ...person('sz.merch@lianshang.example', ['MERCHANDISER']),
      token: as('admin'),
    });

    expect(created.status).toBe(201);
    expect(firstAdmin.status).toBe(201);
    expect(more.status).toBe(403);
  });

  it('lines of a new invoice request say what the entity’s invoicing settings say', async () => {
    const response = await server.api('/api/invoice-requests', {
      ...jsonPost(
        {
          orderIds: ['LS-GZ-20261116-1002'],
          kind: 'VAT_ORDINARY',
          buyer: { type: 'COMPANY', name: '广州某某食品店', taxId: '91440300708461136T' },
          delivery: { method: 'EMAIL', email: 'invoice@buyer.example' },
        },
        { 'idempotency-key': 'entities-invoice-gz-1' },
      ),
      token: as('gz.kong.wei'),
    });

    expect(response.status).toBe(201);
    const request = (await response.json()) as { lines: { itemName: string; taxRate: string }[] };
    expect(request.lines).toMatchObject([{ itemName: '食品', taxRate: '9%' }]);
  });
});

describe('two entities kept apart (POLICY D17)', () => {
  it('lists each entity’s vouchers to its own finance only', async () => {
    const sh = await ids(
      await server.api('/api/vouchers?status=READY_FOR_PAYMENT', { token: as('liu.yang') }),
    );
    const gz = await ids(
      await server.api('/api/vouchers?status=READY_FOR_PAYMENT', { token: as('gz.xu.ping') }),
    );

    expect(sh).toContain(shVoucher);
    expect(sh).not.toContain(gzVoucher);
    expect(gz).toEqual([gzVoucher]);
  });

  it('hides a voucher of the other entity (404), and lets nobody of it act on it', async () => {
    const read = await server.api(`/api/vouchers/${gzVoucher}`, { token: as('liu.yang') });
    const paid = await server.api(`/api/vouchers/${gzVoucher}/payment`, {
      ...jsonPost({ status: 'PAID', bankReference: 'ICBC-X-0001', paidOn: DAY }),
      token: as('chen.jing'),
    });
    const adminRead = await server.api(`/api/vouchers/${shVoucher}`, { token: as('gz.admin') });

    expect(read.status).toBe(404);
    expect(paid.status).toBe(404);
    expect(adminRead.status).toBe(404);
    expect((await server.runtime.deps.store.vouchers.get(gzVoucher))?.status).toBe('READY_FOR_PAYMENT');
  });

  it('refuses a voucher to the other entity’s supplier', async () => {
    const response = await server.api('/api/vouchers', {
      ...jsonPost(
        {
          supplierId: 'SUP-GZ-FOOD',
          payee: GZ_FOOD_PAYEE,
          amount: '100.00',
          orderIds: ['LS-GZ-20261116-1002'],
          goods: '腊味礼盒',
          evidence: [await server.uploadEvidence(as('li.na'))],
        },
        { 'idempotency-key': 'entities-sh-foreign' },
      ),
      token: as('li.na'),
    });

    expect([404, 422]).toContain(response.status);
  });

  it('puts each voucher in its own entity’s payment run and bank file only', async () => {
    const runOf = async (who: string) =>
      (
        (await (await server.api(`/api/payment-runs/${DAY}`, { token: as(who) })).json()) as {
          items: { voucherId: string }[];
        }
      ).items.map((item) => item.voucherId);
    const shRun = await runOf('chen.jing');
    const gzRun = await runOf('gz.tang.yu');
    const gzFile = await server.api(`/api/payment-runs/${DAY}/bank-batch`, {
      ...jsonPost({ format: 'csv' }),
      token: as('gz.tang.yu'),
    });

    expect(shRun).toContain(shVoucher);
    expect(shRun).not.toContain(gzVoucher);
    expect(gzRun).toEqual([gzVoucher]);
    expect(gzFile.status).toBe(200);
    const csv = await gzFile.text();
    expect(csv).toContain('广州粤味食品有限公司');
    expect(csv).not.toContain('杭州织锦服饰有限公司');
  });

  it('makes each entity’s daily export of its own orders, and serves each only its own file', async () => {
    await server.setClock(`${DAY}T16:00:00+08:00`);
    const ran = await server.api('/api/dev/jobs/daily-export', jsonPost({ date: DAY }));
    expect(ran.status).toBe(200);
    const fileOf = async (who: string) => {
      const link = await server.api(`/api/daily-exports/${DAY}/csv`, { token: as(who), redirect: 'manual' });
      expect(link.status).toBe(303);
      return (await fetch(link.headers.get('location') ?? '')).text();
    };

    const sh = await fileOf('liu.yang');
    const gz = await fileOf('gz.xu.ping');

    expect(sh).toContain('LS-20261116-0001');
    expect(sh).not.toContain('LS-GZ-');
    expect(gz).toContain('LS-GZ-20261116-1001');
    expect(gz).not.toContain('LS-20261116-0001');
  });

  it('keeps each entity’s invoice requests and batch to its own people', async () => {
    const listed = async (who: string) =>
      (
        (await (await server.api('/api/invoice-requests?status=QUEUED', { token: as(who) })).json()) as {
          items: { orderIds: string[] }[];
        }
      ).items.flatMap((item) => item.orderIds);
    const sh = await listed('wu.fang');
    const gz = await listed('gz.fan.qing');
    const shBatch = await server.api('/api/invoice-batches/2026-11-25', { token: as('wu.fang') });

    expect(gz).toEqual(['LS-GZ-20261116-1002']);
    expect(sh).not.toContain('LS-GZ-20261116-1002');
    expect(JSON.stringify(await shBatch.json())).not.toContain('LS-GZ-');
  });
});

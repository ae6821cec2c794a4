/**
 * The demo world of the local runtime: two legal entities of the company (POLICY 1.2, D17) — Shanghai,
 * with a person for every role of DESIGN.md, some suppliers and platform orders (settled, unsettled,
 * disputed, and some payable above 500,000.00), and Guangzhou, with its own people, approvers, supplier
 * and orders — so the demo shows one entity's work never appearing in the other's.
 * Seeding is idempotent: what exists is left as it is, so a restart never undoes a demo; every record
 * is created as an administrator's would be, conditionally and with its audit event.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AppDeps } from '../app.ts';
import type { ProxyAssignment } from '../domain/approval-rules.ts';
import { completeRecordedAtOf } from '../domain/daily-export.ts';
import type { LegalEntity, Person, PlatformOrder, Supplier } from '../domain/model.ts';
import { DEFAULT_POLICY } from '../domain/policy.ts';
import { ConcurrentUpdateError } from '../storage/transact.ts';

export const DEMO_ENTITY: LegalEntity = {
  id: 'lianshang-sh',
  name: '链尚网络科技（上海）有限公司',
  taxId: '91350100M000100Y43',
  bankAccounts: [{ bankName: '招商银行上海分行', account: '1219 0000 0001 0001', primary: true }],
  invoicing: { itemName: '日用杂品', taxCode: '1060512990000000000', taxRatePercent: 13 },
  version: 1,
};

/** The second entity of the demo (POLICY 1.2, D17): its own bank account, tax number and approvers. */
export const DEMO_ENTITY_GZ: LegalEntity = {
  id: 'lianshang-gz',
  name: '链尚网络科技（广州）有限公司',
  taxId: '91110105MA01ABCD26',
  bankAccounts: [{ bankName: '中国银行广州天河支行', account: '3400 0000 0002 0002', primary: true }],
  invoicing: { itemName: '日用杂品', taxCode: '1060512990000000000', taxRatePercent: 13 },
  version: 1,
};

/** The demo directory's mail domain (its DKIM key is the local runtime's, POLICY D6). */
export const DEMO_MAIL_DOMAIN = 'lianshang.example';

const person = (
  email: string,
  name: string,
  roles: Person['roles'],
  extra: Partial<Person> = {},
): Person => ({
  email: `${email}@${DEMO_MAIL_DOMAIN}`,
  name,
  entityId: DEMO_ENTITY.id,
  roles,
  ...extra,
});

export const DEMO_PEOPLE: Person[] = [
  person('li.na', '李娜 Li Na', ['MERCHANDISER']),
  person('sun.hao', '孙浩 Sun Hao', ['MERCHANDISER']),
  person('zhou.lei', '周磊 Zhou Lei', ['MERCHANDISER']),
  person('wang.qiang', '王强 Wang Qiang', ['HEAD_OF_MERCHANDISING', 'MERCHANDISER'], {
    deputy: 'zhou.lei@lianshang.example',
    manager: 'zhang.wei@lianshang.example',
  }),
  person('zhang.wei', '张伟 Zhang Wei', ['CEO']),
  person('liu.yang', '刘洋 Liu Yang', ['FINANCE_REVIEWER'], { manager: 'zhang.wei@lianshang.example' }),
  person('chen.jing', '陈静 Chen Jing', ['CASHIER'], { manager: 'liu.yang@lianshang.example' }),
  person('zhao.min', '赵敏 Zhao Min', ['CUSTOMER_SERVICE']),
  person('wu.fang', '吴芳 Wu Fang', ['FINANCE_INVOICING']),
  person('tech', '技术部 Tech', ['TECH']),
  person('admin', '管理员 Admin', ['ADMIN']),
];

const gzPerson = (
  email: string,
  name: string,
  roles: Person['roles'],
  extra: Partial<Person> = {},
): Person => ({
  ...person(email, name, roles, extra),
  entityId: DEMO_ENTITY_GZ.id,
});

/** The Guangzhou entity's directory: applicants, every approver of its route, its cashier, invoicing and admin. */
export const DEMO_PEOPLE_GZ: Person[] = [
  gzPerson('gz.ma.li', '马丽 Ma Li', ['MERCHANDISER']),
  gzPerson('gz.he.jun', '何军 He Jun', ['MERCHANDISER']),
  gzPerson('gz.gao.feng', '高峰 Gao Feng', ['HEAD_OF_MERCHANDISING', 'MERCHANDISER'], {
    deputy: 'gz.he.jun@lianshang.example',
  }),
  gzPerson('gz.lin.tao', '林涛 Lin Tao', ['CEO']),
  gzPerson('gz.xu.ping', '徐萍 Xu Ping', ['FINANCE_REVIEWER']),
  gzPerson('gz.tang.yu', '唐雨 Tang Yu', ['CASHIER']),
  gzPerson('gz.kong.wei', '孔伟 Kong Wei', ['CUSTOMER_SERVICE']),
  gzPerson('gz.fan.qing', '范青 Fan Qing', ['FINANCE_INVOICING']),
  gzPerson('gz.admin', '广州管理员 Guangzhou Admin', ['ADMIN']),
];

const supplier = (fields: Omit<Supplier, 'entityId' | 'createdAt' | 'updatedAt' | 'version'>): Supplier => ({
  ...fields,
  entityId: DEMO_ENTITY.id,
  createdAt: '2026-01-05T09:00:00.000+08:00',
  updatedAt: '2026-01-05T09:00:00.000+08:00',
  version: 1,
});

export const DEMO_SUPPLIERS: Supplier[] = [
  supplier({
    id: 'SUP-HZ-TEXTILE',
    name: '杭州织锦服饰有限公司',
    bankAccount: '3301 0400 0001 2345 678',
    bankName: '中国工商银行杭州西湖支行',
    accountType: 'CORPORATE',
    taxId: '91330106MA2B0XYZ1K',
    generalTaxpayer: true,
  }),
  supplier({
    id: 'SUP-GZ-BEAUTY',
    name: '广州美妆供应链有限公司',
    bankAccount: '4400 1234 5678 9012 345',
    bankName: '招商银行广州天河支行',
    accountType: 'CORPORATE',
    taxId: '91350100M000100Y43',
    generalTaxpayer: true,
  }),
  supplier({
    id: 'SUP-YW-SMALL',
    name: '义乌市王小明日用品商行',
    bankAccount: '6222 0212 3456 7890',
    bankName: '中国农业银行义乌分行',
    accountType: 'PERSONAL',
    generalTaxpayer: false,
  }),
];

/** The Guangzhou entity's supplier (only its people see or pay it). */
export const DEMO_SUPPLIERS_GZ: Supplier[] = [
  {
    ...supplier({
      id: 'SUP-GZ-FOOD',
      name: '广州粤味食品有限公司',
      bankAccount: '0200 0045 0900 1234 567',
      bankName: '中国工商银行广州越秀支行',
      accountType: 'CORPORATE',
      taxId: '91110105MA01ABCD26',
      generalTaxpayer: true,
    }),
    entityId: DEMO_ENTITY_GZ.id,
  },
];

const settled = (
  orderId: string,
  supplierId: string,
  amountFen: number,
  supplierPayableFen: number,
  extra: Partial<PlatformOrder> = {},
): PlatformOrder =>
  withCompletion({
    orderId,
    supplierId,
    amountFen,
    supplierPayableFen,
    receiptConfirmedAt: '2026-11-16T10:12:00.000+08:00',
    fundsCreditedAt: '2026-11-17T09:30:00.000+08:00',
    disputeStatus: 'NONE',
    claimedFen: 0,
    importedAt: '2026-11-17T17:30:00.000+08:00',
    updatedAt: '2026-11-17T17:30:00.000+08:00',
    version: 1,
    entityId: DEMO_ENTITY.id,
    ...extra,
  });

/** As an import records it: complete and recorded once the funds are credited (POLICY 3.1, D10). */
function withCompletion(order: PlatformOrder): PlatformOrder {
  const at = completeRecordedAtOf(null, order, order.importedAt);
  return at ? { ...order, completeRecordedAt: at } : order;
}

export const DEMO_ORDERS: PlatformOrder[] = [
  settled('LS-20261116-0001', 'SUP-HZ-TEXTILE', 12_800_000, 11_500_000),
  settled('LS-20261116-0002', 'SUP-HZ-TEXTILE', 8_600_000, 7_800_000),
  settled('LS-20261116-0003', 'SUP-GZ-BEAUTY', 68_000_000, 62_000_000),
  settled('LS-20261116-0004', 'SUP-GZ-BEAUTY', 55_000_000, 50_000_000),
  settled('LS-20261116-0005', 'SUP-YW-SMALL', 960_000, 880_000),
  settled('LS-20261117-0006', 'SUP-HZ-TEXTILE', 4_500_000, 4_200_000, { fundsCreditedAt: null }),
  settled('LS-20261117-0007', 'SUP-GZ-BEAUTY', 3_300_000, 3_000_000, {
    receiptConfirmedAt: null,
    fundsCreditedAt: null,
  }),
  settled('LS-20261117-0008', 'SUP-HZ-TEXTILE', 2_600_000, 2_400_000, { disputeStatus: 'OPEN' }),
  settled('LS-20261117-0009', 'SUP-HZ-TEXTILE', 30_000_000, 28_000_000),
  settled('LS-20261117-0010', 'SUP-HZ-TEXTILE', 30_000_000, 28_000_000),
];

/** The Guangzhou entity's orders, of its own supplier. */
export const DEMO_ORDERS_GZ: PlatformOrder[] = [
  settled('LS-GZ-20261116-1001', 'SUP-GZ-FOOD', 5_600_000, 5_000_000, { entityId: DEMO_ENTITY_GZ.id }),
  settled('LS-GZ-20261116-1002', 'SUP-GZ-FOOD', 2_300_000, 2_000_000, { entityId: DEMO_ENTITY_GZ.id }),
];

/**
 * POLICY D6: each travelling approver's named proxy, as an administrator would set them — people of
 * the directory who hold no approval step (customer service is deliberately nobody's proxy). Dated
 * over the demo's days, less than a year; an administrator names others with POST /api/proxy-assignments.
 */
export const DEMO_PROXY_ASSIGNMENTS: ProxyAssignment[] = [
  {
    id: 'SEED-PROXY-HEAD-OF-MERCHANDISING',
    approver: `wang.qiang@${DEMO_MAIL_DOMAIN}`,
    proxy: `sun.hao@${DEMO_MAIL_DOMAIN}`,
    from: '2026-11-01',
    to: '2027-10-31',
    reason:
      '商品部负责人出差时由孙浩代录 Sun Hao records the head of merchandising\u2019s emailed consent while he travels',
    createdBy: `admin@${DEMO_MAIL_DOMAIN}`,
    createdAt: '2026-11-01T09:00:00.000+08:00',
  },
  {
    id: 'SEED-PROXY-CEO',
    approver: `zhang.wei@${DEMO_MAIL_DOMAIN}`,
    proxy: `wu.fang@${DEMO_MAIL_DOMAIN}`,
    from: '2026-11-01',
    to: '2027-10-31',
    reason: 'CEO 出差时由吴芳代录 Wu Fang records the CEO\u2019s emailed consent while he travels',
    createdBy: `admin@${DEMO_MAIL_DOMAIN}`,
    createdAt: '2026-11-01T09:00:00.000+08:00',
  },
];

const seedEvent = (version: number) => ({
  at: '2026-01-05T09:00:00.000+08:00',
  actor: 'seed',
  type: 'SEEDED',
  version,
});

async function ignoreExisting(write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (error) {
    const exists = error instanceof ConcurrentUpdateError || error instanceof ConditionalCheckFailedException;
    if (!exists) throw error;
  }
}

/**
 * A data folder seeded before suppliers and orders were listed (under their entity, their supplier)
 * has the demo records without their listing: each is saved again as it is, one version on, so the
 * voucher form offers it. Nothing else changes.
 */
async function listSeededRecords(deps: Pick<AppDeps, 'store'>): Promise<void> {
  const { store } = deps;
  const listed = new Set((await store.suppliers.listByEntity(DEMO_ENTITY.id)).map((item) => item.id));
  for (const demo of DEMO_SUPPLIERS) {
    const current = listed.has(demo.id) ? null : await store.suppliers.get(demo.id);
    if (current) {
      await ignoreExisting(
        store.suppliers.save(
          { ...current, version: current.version + 1 },
          current.version,
          seedEvent(current.version + 1),
        ),
      );
    }
  }
  for (const supplier of DEMO_SUPPLIERS) {
    const orders = new Set(
      (await store.orders.listBySupplier(supplier.id, { limit: 100 })).map((order) => order.orderId),
    );
    for (const demo of DEMO_ORDERS.filter((order) => order.supplierId === supplier.id)) {
      const current = orders.has(demo.orderId) ? null : await store.orders.get(demo.orderId);
      if (current) {
        await ignoreExisting(
          store.orders.save(
            { ...current, version: current.version + 1 },
            current.version,
            seedEvent(current.version + 1),
          ),
        );
      }
    }
  }
}

export async function seedDemo(deps: Pick<AppDeps, 'store'>): Promise<void> {
  const { store } = deps;
  await seedEntities(deps);
  for (const demo of [...DEMO_PEOPLE, ...DEMO_PEOPLE_GZ]) {
    await ignoreExisting(store.people.save({ ...demo, version: 1 }, null, seedEvent(1)));
  }
  for (const entity of [DEMO_ENTITY, DEMO_ENTITY_GZ]) {
    await ignoreExisting(store.settings.addPolicyVersion(entity.id, DEFAULT_POLICY));
  }
  for (const demo of [...DEMO_SUPPLIERS, ...DEMO_SUPPLIERS_GZ])
    await ignoreExisting(store.suppliers.save(demo, null, seedEvent(1)));
  for (const demo of [...DEMO_ORDERS, ...DEMO_ORDERS_GZ])
    await ignoreExisting(store.orders.save(demo, null, seedEvent(1)));
  await listSeededRecords(deps);
  for (const demo of DEMO_PROXY_ASSIGNMENTS) {
    await ignoreExisting(
      store.approvals.addProxyAssignment(demo, {
        ...seedEvent(1),
        type: 'PROXY_ASSIGNED',
        details: { id: demo.id, approver: demo.approver, proxy: demo.proxy, from: demo.from, to: demo.to },
      }),
    );
  }
}

/**
 * The demo's entities, created once. A data folder made before the entity listing existed has the
 * Shanghai profile unlisted (and without a version): it is saved again, listed, as version 1.
 */
async function seedEntities(deps: Pick<AppDeps, 'store'>): Promise<void> {
  const { store } = deps;
  const listed = new Set((await store.people.listEntities()).map((entity) => entity.id));
  for (const demo of [DEMO_ENTITY, DEMO_ENTITY_GZ]) {
    if (listed.has(demo.id)) continue;
    const stored = await store.people.getEntity(demo.id);
    if (stored && stored.version === undefined) {
      await ignoreExisting(store.people.saveEntity({ ...demo, ...stored, version: 1 }, 0, seedEvent(1)));
    } else if (!stored) {
      await ignoreExisting(store.people.saveEntity(demo, null, seedEvent(1)));
    }
  }
}

/**
 * The reconciliation's run as the workflow runs it in AWS (POLICY 3.2, D11): partitioned into the
 * object store, each partition matched by its own task in the Map state, merged — with the same stored
 * run and differences as the engine gives in one process on the same week, and resumed, not redone,
 * when the local runtime restarts in the middle of the Map.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Person } from '../../lib/domain/model.ts';
import type { EvidenceStore } from '../../lib/evidence/evidence-store.ts';
import { importOrders } from '../../lib/orders/import-orders.ts';
import type { StoredDifference } from '../../lib/platform/store.ts';
import { reconcile } from '../../lib/reconciliation/engine.ts';
import { runWorkPrefixOf } from '../../lib/reconciliation/files.ts';
import { TempDirPartitions } from '../../lib/reconciliation/partitions.ts';
import { tablePlatformOrders } from '../../lib/reconciliation/platform-orders.ts';
import { storeSupplierDirectory } from '../../lib/reconciliation/supplier-changes.ts';
import { reconciliationWeek } from '../../lib/reconciliation/week.ts';
import {
  executionNameOf,
  getReconciliation,
  registerInput,
  runReconciliation,
} from '../../lib/reconciliation/weeks.ts';
import { storeUploadedFile, type UploadPurpose } from '../../lib/uploads/create-upload.ts';
import { workingDayCalendar } from '../../lib/working-days.ts';
import { type AccountLogRow, accountLogText, gbk } from '../support/alipay-files.ts';
import { type TestApp, testApp } from '../support/app.ts';

const WEEK = '2026-09-28';
const SUPPLIERS = ['SUP-HZ-TEXTILE', 'SUP-GZ-BEAUTY'];
const ORDERS = 160;

let app: TestApp;
let merchandiser: Person;
let finance: Person;
let entityId: string;

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const id = (i: number) => `MAP-${String(i).padStart(4, '0')}`;
const fenOf = (i: number) => 10_000 + i * 37;
/** Completed on a day of the week; every 23rd the Tuesday after (another week). */
const completedAt = (i: number) =>
  i % 23 === 0
    ? '2026-10-06T10:00:00+08:00'
    : `2026-09-${String(28 + (i % 3)).padStart(2, '0')}T${String(8 + (i % 12)).padStart(2, '0')}:00:00+08:00`;

/**
 * A week with differences of every category spread over the partitions: every 10th order missing
 * from the summary, every 13th a fen off, every 17th twice in it, every 11th missing from the
 * statement, every 19th credited a fen short; summary lines of no order from an unknown supplier found
 * in several partitions; credits and a refund of no order; a master-data sheet with a changed bank
 * account and unknown parties.
 */
function week() {
  const orders = [
    'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
  ];
  const summary = ['orderId,supplierId,supplierName,amount,supplierPayable,completedAt'];
  const rows: AccountLogRow[] = [];
  let serial = 0;
  const credit = (orderId: string, fen: number, at: string, type: '在线支付' | '退款' = '在线支付') =>
    rows.push({
      serial: `2026092900000${String(++serial).padStart(5, '0')}`,
      orderId,
      time: at,
      fen,
      type,
    });
  for (let i = 1; i <= ORDERS; i++) {
    const supplier = SUPPLIERS[i % 2] as string;
    const fen = fenOf(i);
    const payable = Math.floor(fen * 0.9);
    orders.push(
      [id(i), supplier, yuan(fen), yuan(payable), completedAt(i), completedAt(i), 'NONE'].join(','),
    );
    const line = [id(i), supplier, '', yuan(i % 13 === 0 ? fen + 1 : fen), yuan(payable), completedAt(i)];
    if (i % 10 !== 0) summary.push(line.join(','));
    if (i % 17 === 0) summary.push(line.join(','));
    if (i % 11 !== 0 && i % 23 !== 0) credit(id(i), i % 19 === 0 ? fen - 1 : fen, '2026-09-29 12:00:00');
  }
  for (let g = 1; g <= 12; g++)
    summary.push(
      [`GHOST-${g}`, 'SUP-GHOST-A', '无名', '10.00', '9.00', '2026-09-29T10:00:00+08:00'].join(','),
    );
  summary.push(['GHOST-B', 'SUP-GHOST-B', '', '10.00', '9.00', '2026-09-29T10:00:00+08:00'].join(','));
  for (let n = 1; n <= 3; n++) credit(`NOORDER-${n}`, 500 + n, '2026-09-30 09:00:00');
  credit(id(7), -fenOf(7), '2026-10-01 09:00:00', '退款');
  const master = [
    'kind,id,name,bankAccount,bankName,accountType,taxId',
    'SUPPLIER,SUP-HZ-TEXTILE,杭州织锦服饰有限公司,6222 0000 0000 0001,中国工商银行杭州西湖支行,,',
    'SUPPLIER,SUP-GHOST-A,无名,1,某银行,,',
    'SUPPLIER,SUP-GHOST-C,另一个,2,某银行,,',
    'CUSTOMER,C-1,某客户,,,,',
  ];
  return {
    orders: orders.join('\n'),
    summary: `\uFEFF${summary.join('\n')}\n`,
    statement: gbk(
      accountLogText({ from: '2026-09-28T00:00:00+08:00', to: '2026-10-04T23:59:59+08:00', rows }),
    ),
    master: `${master.join('\n')}\n`,
  };
}

const FILES = { summary: 'summary.csv', statement: 'alipay.csv', master: 'master.csv' };

async function upload(owner: Person, purpose: UploadPurpose, fileName: string, body: Buffer | string) {
  return storeUploadedFile(app.deps, owner, {
    fileName,
    contentType: 'text/csv',
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    purpose,
  });
}

let files: ReturnType<typeof week>;

beforeEach(async () => {
  app = await testApp('2026-10-08T09:00:00+08:00');
  merchandiser = app.person('li.na');
  finance = app.person('liu.yang');
  entityId = finance.entityId;
  files = week();
  await importOrders(app.deps, app.person('tech'), files.orders);
  await registerInput(app.deps, merchandiser, WEEK, {
    kind: 'SALES_SUMMARY',
    uploadKey: await upload(merchandiser, 'sales-summary', FILES.summary, files.summary),
  });
  await registerInput(app.deps, finance, WEEK, {
    kind: 'ALIPAY_STATEMENT',
    uploadKey: await upload(finance, 'alipay-statement', FILES.statement, files.statement),
  });
  await registerInput(app.deps, merchandiser, WEEK, {
    kind: 'MASTER_DATA',
    uploadKey: await upload(merchandiser, 'master-data', FILES.master, files.master),
  });
});

/** Every stored difference of run 1, as the engine gave it (without its run and status). */
async function storedDifferences() {
  const all: StoredDifference[] = [];
  let cursor: string | undefined;
  do {
    const page = await app.deps.store.reconciliations.listDifferences(entityId, WEEK, 1, {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all.map(({ run: _run, status: _status, ...difference }) => difference).sort(byId);
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The same week through `reconcile` in this process: the same files, the same table. */
async function inOneProcess() {
  const dir = mkdtempSync(path.join(tmpdir(), 'fundflow-map-'));
  const write = (name: string, body: Buffer | string) => {
    writeFileSync(path.join(dir, name), body);
    return { name, path: path.join(dir, name) };
  };
  const read = await app.deps.store.reconciliations.get(entityId, WEEK);
  if (!read) throw new Error('no week');
  const policy = await app.deps.store.settings.policy(entityId, read.policyVersion);
  const reconciling = reconciliationWeek(WEEK, await workingDayCalendar(app.deps), policy);
  const summaries = [write(FILES.summary, files.summary)];
  const store = new TempDirPartitions(dir);
  try {
    const result = await reconcile(
      {
        week: reconciling,
        summaries,
        statements: [write(FILES.statement, files.statement)],
        masterData: [write(FILES.master, files.master)],
        platformOrders: tablePlatformOrders(app.deps, entityId, reconciling, summaries),
        suppliers: storeSupplierDirectory(app.deps),
      },
      { store },
    );
    const differences = [];
    for await (const difference of result.differences()) differences.push(difference);
    return { result, differences };
  } finally {
    await store.dispose();
  }
}

describe('the run over partitions (an inline Map state)', () => {
  it('stores the same run and differences as the engine in one process on the same week', async () => {
    await runReconciliation(app.deps, finance, WEEK);
    await app.engine.settled();
    const stored = await getReconciliation(app.deps, finance, WEEK);
    const { result, differences } = await inOneProcess();

    expect(stored.status).toBe('READY');
    expect(result.partitions).toBeGreaterThan(1);
    expect(stored.progress).toMatchObject({
      partitions: result.partitions,
      partitionsDone: result.partitions,
    });
    expect(stored.counts).toEqual(result.counts);
    expect(stored.totals).toEqual(JSON.parse(JSON.stringify(result.totals)));
    expect(await storedDifferences()).toEqual(JSON.parse(JSON.stringify([...differences].sort(byId))));
    // Every category is in it; the unknown supplier of many partitions is listed once.
    for (const category of Object.keys(result.counts))
      expect(result.counts[category as keyof typeof result.counts], category).toBeGreaterThan(0);
    expect(differences.filter((d) => d.id === 'UNKNOWN_PARTY:SUPPLIER:SUP-GHOST-A')).toHaveLength(1);
    expect(result.counts.UNKNOWN_PARTY).toBe(3);
  });

  it('resumes the Map after a restart of the runtime, matching again only the partitions not done', async () => {
    const original = app.deps.evidence;
    const prefix = runWorkPrefixOf(entityId, WEEK, 1);
    let firstDone!: () => void;
    let secondStarted!: () => void;
    const firstPartitionDone = new Promise<void>((resolve) => {
      firstDone = resolve;
    });
    const secondPartitionStarted = new Promise<void>((resolve) => {
      secondStarted = resolve;
    });
    // Partition 1's task never gets its partition in this runtime: the runtime stops mid-Map.
    const gated: EvidenceStore = Object.assign(Object.create(original) as EvidenceStore, {
      download: (key: string, toPath: string) => {
        if (key !== `${prefix}p-0001.lines`) return original.download(key, toPath);
        secondStarted();
        return new Promise<boolean>(() => undefined);
      },
      put: async (input: Parameters<EvidenceStore['put']>[0]) => {
        await original.put(input);
        if (input.key === `${prefix}r-0000.json`) firstDone();
      },
    });
    app.deps.evidence = gated;
    await runReconciliation(app.deps, finance, WEEK);
    await Promise.all([firstPartitionDone, secondPartitionStarted]);
    const firstResult = path.join(app.evidenceDir, `${prefix}r-0000.json`);
    const writtenAt = statSync(firstResult).mtimeMs;

    await app.restart();
    await app.engine.settled();

    const { result } = await inOneProcess();
    expect(await getReconciliation(app.deps, finance, WEEK)).toMatchObject({
      status: 'READY',
      counts: result.counts,
    });
    expect(app.engine.execution('reconciliation', executionNameOf(entityId, WEEK, 1))).toMatchObject({
      status: 'RUNNING',
      currentState: 'AwaitSignOff',
    });
    expect(statSync(firstResult).mtimeMs).toBe(writtenAt);
  });
});

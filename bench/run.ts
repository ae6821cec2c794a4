/**
 * `npm run bench`: figures, not assertions. Prints the cost of the pure rules, of one voucher
 * submission against DynamoDB Local (latency and DynamoDB write units, which bill in AWS), of one
 * voucher from submission to CLOSED, and every function's cold start (bench/cold-start.ts).
 * `npm run bench -- cold-start` prints the cold starts only.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decide } from '../lib/approvals/decide.ts';
import { approvalRouteFor } from '../lib/domain/approval-route.ts';
import { WorkingDayCalendar } from '../lib/domain/calendar.ts';
import { formatFen, parseYuan } from '../lib/domain/money.ts';
import { DEFAULT_POLICY } from '../lib/domain/policy.ts';
import { AdjustableClock } from '../lib/local/clock.ts';
import { startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { FileEvidenceStore } from '../lib/local/file-evidence-store.ts';
import { createLocalApp } from '../lib/local/local-app.ts';
import { DEMO_ORDERS, DEMO_PEOPLE, seedDemo } from '../lib/local/seed.ts';
import { LocalTokens } from '../lib/local/tokens.ts';
import { recordPayment } from '../lib/payments/payments.ts';
import { recordSupplierInvoice } from '../lib/payments/supplier-invoices.ts';
import { createDocumentClient, ensureTable } from '../lib/storage/dynamo-client.ts';
import { storeUploadedFile } from '../lib/uploads/create-upload.ts';
import { submitVoucher } from '../lib/vouchers/submit-voucher.ts';
import { executionName } from '../lib/workflow/approval-states.ts';
import { CapacityMeter } from './capacity-meter.ts';
import { coldStart } from './cold-start.ts';

/** A 1×1 PNG: uploads are typed from their bytes, so the screenshot must be a real image. */
const ORDER_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function opsPerSecond(name: string, iterations: number, fn: (i: number) => void): void {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  const seconds = (performance.now() - start) / 1000;
  console.log(`${name.padEnd(44)} ${Math.round(iterations / seconds).toLocaleString('en-US')} ops/s`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  console.log('— pure rules —');
  opsPerSecond('parseYuan("1,234,567.89")', 200_000, () =>
    parseYuan('1,234,567.89', { ceilingFen: 10 ** 10 }),
  );
  opsPerSecond('formatFen', 200_000, (i) => formatFen(i * 97));
  const calendar = new WorkingDayCalendar();
  opsPerSecond('nextWorkingDay (2026)', 50_000, (i) =>
    calendar.nextWorkingDay(`2026-${String((i % 12) + 1).padStart(2, '0')}-15`),
  );
  const applicant = DEMO_PEOPLE[0];
  if (!applicant) throw new Error('no demo people');
  opsPerSecond('approvalRouteFor', 100_000, (i) =>
    approvalRouteFor({
      applicant,
      amountFen: i,
      splitAggregateFen: i,
      people: DEMO_PEOPLE,
      policy: DEFAULT_POLICY,
    }),
  );

  console.log('— voucher submission on DynamoDB Local (in memory) —');
  const dynamo = await startDynamoDbLocal();
  const meter = new CapacityMeter();
  const client = createDocumentClient({ region: 'local', endpoint: dynamo.endpoint });
  client.middlewareStack.use(meter.plugin());
  const tableName = `bench-${randomUUID()}`;
  await ensureTable(client, tableName);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-'));
  // A Wednesday morning in Shanghai, so the voucher is due in that day's run whatever day it is today.
  const clock = new AdjustableClock();
  clock.set(new Date('2026-11-18T09:00:00+08:00'));
  const { deps, engine, outbox } = await createLocalApp({
    client,
    tableName,
    dataDir,
    clock,
    sessions: new LocalTokens('bench', () => clock.now()),
    evidence: new FileEvidenceStore(path.join(dataDir, 'evidence'), () => 'http://localhost', 'k', clock),
    linkKey: 'bench',
    publicBaseUrl: 'http://localhost',
  });
  await seedDemo(deps);
  const liNa = DEMO_PEOPLE.find((person) => person.email === 'li.na@lianshang.example');
  const order = DEMO_ORDERS.find((candidate) => candidate.orderId === 'LS-20261116-0003');
  if (!liNa || !order) throw new Error('demo data missing');
  const latencies: number[] = [];
  const runs = 40;
  let writeUnits = 0;
  for (let i = 0; i < runs; i++) {
    const evidence = await storeUploadedFile(deps, liNa, {
      fileName: 'order.png',
      contentType: 'image/png',
      body: ORDER_PNG,
    });
    meter.reset();
    const start = performance.now();
    await submitVoucher(deps, liNa, {
      idempotencyKey: `bench-${i}-${randomUUID()}`,
      supplierId: order.supplierId,
      payee: {
        name: '广州美妆供应链有限公司',
        account: '4400 1234 5678 9012 345',
        bank: '招商银行广州天河支行',
      },
      amount: '100.00',
      orderIds: [order.orderId],
      goods: 'bench',
      evidence: [evidence],
    });
    latencies.push(performance.now() - start);
    writeUnits += meter.writeUnits;
  }
  latencies.sort((a, b) => a - b);
  console.log(`submissions                                  ${runs}`);
  console.log(
    `latency p50 / p95                            ${percentile(latencies, 50).toFixed(1)} ms / ${percentile(latencies, 95).toFixed(1)} ms`,
  );
  console.log(
    `DynamoDB write units per submission          ${(writeUnits / runs).toFixed(1)} WCU (transactional writes count double)`,
  );
  console.log(
    `memory (RSS)                                 ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MiB`,
  );

  console.log('— one voucher from submission to CLOSED (synthesized state machine, local engine) —');
  const cashier = DEMO_PEOPLE.find((person) => person.email === 'chen.jing@lianshang.example');
  if (!cashier) throw new Error('demo data missing');
  for (const [route, amount, orderId, approvers] of [
    ['standard route', '100.00', 'LS-20261116-0004', ['wang.qiang', 'liu.yang']],
    ['CEO route', '500,000.00', 'LS-20261116-0003', ['wang.qiang', 'zhang.wei', 'liu.yang']],
  ] as const) {
    const order = DEMO_ORDERS.find((candidate) => candidate.orderId === orderId);
    if (!order) throw new Error('demo data missing');
    const evidence = await storeUploadedFile(deps, liNa, {
      fileName: 'order.png',
      contentType: 'image/png',
      body: ORDER_PNG,
    });
    meter.reset();
    const { voucher } = await submitVoucher(deps, liNa, {
      idempotencyKey: `bench-chain-${randomUUID()}`,
      supplierId: order.supplierId,
      payee: {
        name: '广州美妆供应链有限公司',
        account: '4400 1234 5678 9012 345',
        bank: '招商银行广州天河支行',
      },
      amount,
      orderIds: [order.orderId],
      goods: 'bench',
      evidence: [evidence],
    });
    for (const approver of approvers) {
      await engine.settled();
      const link = outbox
        .list()
        .filter((message) => message.to.includes(`${approver}@lianshang.example`))
        .at(-1)
        ?.links.find((candidate) => candidate.includes('/approvals/'));
      await decide(deps, link?.split('/approvals/')[1] ?? '', { decision: 'APPROVE', reason: '' });
    }
    await engine.settled();
    const execution = engine.execution('voucher', executionName({ voucherId: voucher.id, version: 1 }));
    const ready = { transitions: execution?.transitions, writeUnits: meter.writeUnits };
    const paid = await recordPayment(deps, cashier, voucher.id, {
      status: 'PAID',
      bankReference: `BENCH-${voucher.id}`,
      paidOn: '2026-11-18',
    });
    await engine.settled();
    await recordSupplierInvoice(deps, liNa, voucher.id, {
      type: 'VAT_SPECIAL',
      number: '26332000000012345678',
      issuedOn: paid.payment?.paidOn ?? '2026-11-18',
      amount,
      taxAmount: '1.00',
    });
    await engine.settled();
    console.log(
      `${route.padEnd(16)} to READY_FOR_PAYMENT: ${ready.transitions} state transitions, ${ready.writeUnits.toFixed(1)} WCU`,
    );
    console.log(
      `${route.padEnd(16)} to ${execution?.endState}: ${execution?.transitions} state transitions, ${meter.writeUnits.toFixed(1)} WCU (submission, approvals, payment, invoice)`,
    );
  }
  engine.stop();
  client.destroy();
  await dynamo.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

if (process.argv[2] !== 'cold-start') await main();
await coldStart();
// The executions still waiting for a person keep aws-local-stepfunctions' own (real-time) task
// timers, which would keep the process alive for weeks: the figures are printed, so it ends here.
process.exit(0);

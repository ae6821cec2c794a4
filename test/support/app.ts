import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Workflows } from '../../infra/workflows.ts';
import type { AppDeps, Clock } from '../../lib/app.ts';
import type { Person } from '../../lib/domain/model.ts';
import { FileEvidenceStore } from '../../lib/local/file-evidence-store.ts';
import { createLocalApp } from '../../lib/local/local-app.ts';
import type { FileOutbox } from '../../lib/local/outbox.ts';
import { DEMO_PEOPLE, seedDemo } from '../../lib/local/seed.ts';
import { LocalTokens } from '../../lib/local/tokens.ts';
import type { LocalWorkflowEngine } from '../../lib/local/workflow-engine.ts';
import { storeUploadedFile } from '../../lib/uploads/create-upload.ts';
import type { SubmitVoucherInput } from '../../lib/vouchers/submit-voucher.ts';
import { TestDns, testKey } from './dkim.ts';
import { freshTable, putAll, scanAll } from './dynamo.ts';
import { synthesizedOnce } from './state-machines.ts';

/** A clock the test sets; it does not move by itself. Setting it fires what came due. */
export class FixedClock implements Clock {
  private readonly listeners = new Set<() => void>();
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: Date | string): void {
    this.instant = new Date(instant);
    for (const listener of this.listeners) listener();
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface TestApp {
  deps: AppDeps;
  engine: LocalWorkflowEngine;
  outbox: FileOutbox;
  clock: FixedClock;
  tableName: string;
  /** The table's client and the evidence folder, for tests that check nothing at all was written. */
  client: DynamoDBDocumentClient;
  evidenceDir: string;
  person(localPart: string): Person;
  /** The runtime stops and starts again on the same table and data folder (in-flight work resumes). */
  restart(): Promise<void>;
  /** Stores a small PNG as `owner`'s upload and returns its key. */
  upload(owner: Person, fileName?: string): Promise<string>;
  /** DNS of this app's DKIM checks: the demo domain's test key is published; publish more as needed. */
  dns: TestDns;
}

/** PNG signature + a minimal IHDR: enough to be an image/png evidence file. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The application's real adapters over a fresh DynamoDB Local table, seeded with the demo world;
 * `workflows`: the state machines of the app (default: the catalogue's).
 */
/**
 * The demo world as `seedDemo` writes it (its timestamps are fixed, so it does not depend on the
 * test's clock): seeded through the store once per test file, then copied item for item into each
 * later table — 5 batch writes instead of some 50 transactions per test.
 */
let seededWorld: Record<string, unknown>[] | undefined;

async function seedOnce(deps: AppDeps, client: DynamoDBDocumentClient, tableName: string) {
  if (seededWorld) return putAll(client, tableName, seededWorld);
  await seedDemo(deps);
  seededWorld = await scanAll(client, tableName);
}

export async function testApp(
  now = '2026-11-18T10:00:00+08:00',
  options: { workflows?: Workflows } = {},
): Promise<TestApp> {
  const { client, tableName } = await freshTable();
  const clock = new FixedClock(new Date(now));
  const dir = mkdtempSync(path.join(tmpdir(), 'fundflow-evidence-'));
  const evidence = new FileEvidenceStore(dir, () => 'http://localhost', 'test-secret', clock);
  const dns = new TestDns().publish(testKey('lianshang.example'));
  const build = () =>
    createLocalApp({
      client,
      tableName,
      dataDir: dir,
      clock,
      sessions: new LocalTokens('test-token-key', () => clock.now()),
      evidence,
      linkKey: 'test-link-key',
      publicBaseUrl: 'http://fundflow.test',
      dns,
      ...(options.workflows ? { workflows: options.workflows } : synthesizedOnce()),
    });
  const { deps, engine, outbox } = await build();
  await seedOnce(deps, client, tableName);
  const app: TestApp = {
    deps,
    engine,
    outbox,
    clock,
    tableName,
    dns,
    client,
    evidenceDir: dir,
    async restart() {
      app.engine.stop();
      const { resume, ...next } = await build();
      Object.assign(app, next);
      await resume();
    },
    person(localPart) {
      const found = DEMO_PEOPLE.find((candidate) => candidate.email === `${localPart}@lianshang.example`);
      if (!found) throw new Error(`no demo person ${localPart}`);
      return found;
    },
    upload: (owner, fileName = 'order.png') =>
      storeUploadedFile(app.deps, owner, { fileName, contentType: 'image/png', body: TINY_PNG }),
  };
  return app;
}

/** The demo suppliers' payee details, exactly as in the master data. */
export const TEXTILE_PAYEE = {
  name: '杭州织锦服饰有限公司',
  account: '3301 0400 0001 2345 678',
  bank: '中国工商银行杭州西湖支行',
};
export const BEAUTY_PAYEE = {
  name: '广州美妆供应链有限公司',
  account: '4400 1234 5678 9012 345',
  bank: '招商银行广州天河支行',
};

let keyCounter = 0;

/** A valid submission by `owner` (10,000.00 for order LS-20261116-0001), with a fresh key and evidence. */
export async function voucherInput(
  app: TestApp,
  owner: Person,
  overrides: Partial<SubmitVoucherInput> = {},
): Promise<SubmitVoucherInput> {
  keyCounter += 1;
  return {
    idempotencyKey: `test-key-${keyCounter}-${Date.now()}`,
    supplierId: 'SUP-HZ-TEXTILE',
    payee: TEXTILE_PAYEE,
    amount: '10,000.00',
    orderIds: ['LS-20261116-0001'],
    goods: '秋冬女装 200 件',
    evidence: [await app.upload(owner)],
    ...overrides,
  };
}

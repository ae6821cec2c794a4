import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppDeps, Clock } from '../../lib/app.ts';
import type { Person } from '../../lib/domain/model.ts';
import { FileEvidenceStore } from '../../lib/local/file-evidence-store.ts';
import { DEMO_PEOPLE, seedDemo } from '../../lib/local/seed.ts';
import { LocalTokens } from '../../lib/local/tokens.ts';
import { createStore } from '../../lib/storage/store.ts';
import { storeUploadedFile } from '../../lib/uploads/create-upload.ts';
import { freshTable } from './dynamo.ts';

/** A clock the test sets; it does not move by itself. */
export class FixedClock implements Clock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(instant: Date | string): void {
    this.instant = new Date(instant);
  }
}

export interface TestApp {
  deps: AppDeps;
  clock: FixedClock;
  tableName: string;
  person(localPart: string): Person;
  /** Stores a small PNG as `owner`'s upload and returns its key. */
  upload(owner: Person, fileName?: string): Promise<string>;
}

/** PNG signature + a minimal IHDR: enough to be an image/png evidence file. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The application's real adapters over a fresh DynamoDB Local table, seeded with the demo world. */
export async function testApp(now = '2026-11-18T10:00:00+08:00'): Promise<TestApp> {
  const { client, tableName } = await freshTable();
  const clock = new FixedClock(new Date(now));
  const dir = mkdtempSync(path.join(tmpdir(), 'fundflow-evidence-'));
  const evidence = new FileEvidenceStore(dir, () => 'http://localhost', 'test-secret', clock);
  const deps: AppDeps = {
    clock,
    store: createStore(client, tableName),
    evidence,
    sessions: new LocalTokens('test-token-key', () => clock.now()),
    signInUrl: '/login',
  };
  await seedDemo(deps);
  return {
    deps,
    clock,
    tableName,
    person(localPart) {
      const found = DEMO_PEOPLE.find((candidate) => candidate.email === `${localPart}@lianshang.example`);
      if (!found) throw new Error(`no demo person ${localPart}`);
      return found;
    },
    upload: (owner, fileName = 'order.png') =>
      storeUploadedFile(deps, owner, { fileName, contentType: 'image/png', body: TINY_PNG }),
  };
}

/**
 * The local bucket forgets what the real one forgets (lib/evidence/lifecycle.ts): a reconciliation
 * run's working objects two weeks after they were written, and never a piece of evidence.
 */
import { existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPIRY_RULES } from '../../lib/evidence/lifecycle.ts';
import { FileEvidenceStore } from '../../lib/local/file-evidence-store.ts';
import { reportKeyOf, runWorkPrefixOf } from '../../lib/reconciliation/files.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-02T06:00:00Z');

let root: string;
let store: FileEvidenceStore;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'fundflow-expiry-'));
  store = new FileEvidenceStore(root, () => 'http://localhost', 'secret', { now: () => new Date(NOW) });
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

async function putWritten(key: string, daysAgo: number): Promise<void> {
  await store.put({ key, contentType: 'text/plain; charset=utf-8', body: new TextEncoder().encode(key) });
  const at = new Date(NOW - daysAgo * DAY);
  utimesSync(path.join(root, key), at, at);
}

describe('the local bucket’s lifecycle', () => {
  it('removes a run’s working objects older than the rule’s days, with their folders, and keeps the rest', async () => {
    const oldRun = runWorkPrefixOf('ENT-1', '2026-09-28', 1);
    const newRun = runWorkPrefixOf('ENT-1', '2026-10-05', 1);
    const report = reportKeyOf('ENT-1', '2026-09-28', 1);
    const evidence = 'evidence/2026-09-01/01K0000000000000000000000/invoice.pdf';
    await putWritten(`${oldRun}p-0000.lines`, 15);
    await putWritten(`${oldRun}manifest.json`, 15);
    await putWritten(`${newRun}p-0000.lines`, 13);
    await putWritten(report, 400);
    await putWritten(evidence, 400);

    const removed = await store.expire(EXPIRY_RULES, NOW);

    expect(removed.sort()).toEqual([`${oldRun}manifest.json`, `${oldRun}p-0000.lines`]);
    expect(await store.head(`${oldRun}p-0000.lines`)).toBeNull();
    expect(await store.head(`${newRun}p-0000.lines`)).not.toBeNull();
    // Evidence and the week's report are never working objects, however old.
    expect(await store.head(report)).not.toBeNull();
    expect(await store.head(evidence)).not.toBeNull();
    // Nothing is left of the old run: not its files' types, not its folder.
    expect(existsSync(path.join(root, oldRun))).toBe(false);
    expect(existsSync(path.join(root, newRun))).toBe(true);
    expect(await store.expire(EXPIRY_RULES, NOW + 2 * DAY)).toEqual([`${newRun}p-0000.lines`]);
  });

  it('does nothing when there are no working objects yet', async () => {
    expect(await store.expire(EXPIRY_RULES, NOW)).toEqual([]);
  });
});

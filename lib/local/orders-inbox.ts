/**
 * The local orders inbox (lib/orders/file-drop.ts): a folder under the data folder,
 * `<data>/orders-inbox/<entityId>/`, looked at every few seconds. A file dropped there is what a file
 * put under the bucket's inbox prefix is in AWS: it is copied into the local object store under
 * `evidence/orders-inbox/<entityId>/<name>` and the same handler module runs with the event EventBridge
 * would deliver; its result is written beside the dropped file (`<name>.result.json`), as in the
 * bucket. A file with its result beside it is done, so a restart neither repeats nor skips one; a file
 * changed in the last two seconds may still be being written and waits for the next look.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import { logger } from '../observability/logger.ts';
import { ORDERS_INBOX_PREFIX, RESULT_SUFFIX, resultKeyOf } from '../orders/file-drop.ts';
import type { TaskHandler } from '../workflow/task-handler.ts';

const SETTLED_MS = 2_000;

export class LocalOrdersInbox {
  private readonly ticker: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly folder: string,
    private readonly evidence: EvidenceStore,
    private readonly handler: TaskHandler,
    private readonly wallClock: () => number = Date.now,
  ) {
    mkdirSync(folder, { recursive: true });
    this.ticker = setInterval(() => void this.scan(), 5_000);
    this.ticker.unref();
  }

  /** Imports every settled file that has no result yet; resolves when they are done. */
  scan(): Promise<void> {
    this.running = this.running
      .then(() => this.importPending())
      .catch((error: unknown) => logger.error('local orders inbox failed', { error: error as Error }));
    return this.running;
  }

  stop(): void {
    clearInterval(this.ticker);
  }

  private async importPending(): Promise<void> {
    for (const entityId of readdirSync(this.folder)) {
      const dir = path.join(this.folder, entityId);
      if (!statSync(dir).isDirectory()) continue;
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (name.endsWith(RESULT_SUFFIX) || !statSync(file).isFile()) continue;
        if (existsFile(`${file}${RESULT_SUFFIX}`)) continue;
        if (this.wallClock() - statSync(file).mtimeMs < SETTLED_MS) continue;
        await this.importFile(entityId, name, file);
      }
    }
  }

  private async importFile(entityId: string, name: string, file: string): Promise<void> {
    const key = `${ORDERS_INBOX_PREFIX}${entityId}/${name}`;
    try {
      // As S3 holds the file the person put: bytes only, its type unknown.
      await this.evidence.put({ key, contentType: 'application/octet-stream', body: readFileSync(file) });
      await this.handler({ detail: { object: { key } } });
      const result = await this.evidence.get(resultKeyOf(key));
      if (result) writeFileSync(`${file}${RESULT_SUFFIX}`, result);
      else logger.warn('dropped file not imported: not a file of an inbox', { file });
    } catch (error) {
      // Left without a result: the next look tries again.
      logger.error('dropped orders file could not be imported', { file, error: error as Error });
    }
  }
}

function existsFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The partition store of the workflow's tasks (run-tasks.ts): each task appends to and reads from a
 * folder of its own Lambda's /tmp (TempDirPartitions), and the streams travel between tasks as
 * objects of the storage port (S3 in AWS, the data folder locally) under the run's prefix — the
 * partitioning task's `p-<n>`/`k-<n>`, a partition's `d-<n>`/`m-<n>` (the records' streams bytes,
 * application/octet-stream; the differences JSON lines, text/plain). A stream this task did not
 * write is downloaded when it is first read; a stream nobody wrote reads as empty (a partition no row
 * hashed to).
 */
import { readFile } from 'node:fs/promises';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import { type PartitionStore, TempDirPartitions } from './partitions.ts';

/** Objects put side by side when a task seals: hundreds of partitions, each a few MB at most. */
const PUT_CONCURRENCY = 8;

export class ObjectPartitions implements PartitionStore {
  private readonly local: TempDirPartitions;
  private readonly stored = new Set<string>();
  /** Streams looked for in the object store and not found (read as empty). */
  private readonly absent = new Set<string>();

  constructor(
    private readonly evidence: EvidenceStore,
    private readonly prefix: string,
    parent?: string,
  ) {
    this.local = new TempDirPartitions(parent);
  }

  keyOf(name: string): string {
    return `${this.prefix}${name}.lines`;
  }

  append(name: string, line: string): void {
    this.local.append(name, line);
  }

  appendBytes(name: string, bytes: Uint8Array): void {
    this.local.appendBytes(name, bytes);
  }

  /** Every stream this task appended to is sealed locally and put into the object store. */
  async seal(): Promise<void> {
    await this.local.seal();
    const pending = this.local.names().filter((name) => !this.stored.has(name));
    let next = 0;
    const putter = async () => {
      while (next < pending.length) {
        const name = pending[next++] as string;
        const file = this.local.fileOf(name);
        if (file === null) continue;
        await this.evidence.put({
          key: this.keyOf(name),
          contentType: this.local.holdsBytes(name) ? 'application/octet-stream' : 'text/plain; charset=utf-8',
          body: await readFile(file),
        });
        this.stored.add(name);
      }
    };
    await Promise.all(Array.from({ length: PUT_CONCURRENCY }, putter));
  }

  async *lines(name: string): AsyncIterable<string> {
    for await (const batch of this.batches(name)) for (const line of batch) yield line;
  }

  async *batches(name: string): AsyncIterable<readonly string[]> {
    if (!(await this.fetched(name))) return;
    yield* this.local.batches(name);
  }

  async partitionBytes(name: string): Promise<Uint8Array> {
    if (!(await this.fetched(name))) return new Uint8Array(0);
    return this.local.partitionBytes(name);
  }

  private async fetched(name: string): Promise<boolean> {
    if (this.local.fileOf(name) !== null) return true;
    if (this.absent.has(name)) return false;
    const found = await this.local.adopt(name, (file) => this.evidence.download(this.keyOf(name), file));
    if (found) this.stored.add(name);
    else this.absent.add(name);
    return found;
  }

  async dispose(): Promise<void> {
    await this.local.dispose();
  }
}

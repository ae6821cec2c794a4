/**
 * Where the engine keeps a week while it reconciles it: named streams of lines (the partitions, the
 * differences, the matched lines), appended once and read back once. Locally a temporary folder; in
 * AWS an S3 prefix (one object per partition, written by the partitioning task and read by the
 * partition's own Lambda in the Map state). The port is all the engine knows.
 */
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface PartitionStore {
  /** Appends one line (no newline inside) to the named stream. */
  append(name: string, line: string): void;
  /** Everything appended so far is written: `lines` sees all of it. */
  seal(): Promise<void>;
  lines(name: string): AsyncIterable<string>;
  dispose(): Promise<void>;
}

/** Buffered appends per name, flushed at 64 KB: a few thousand writes per partition of a million-order week, and little held per partition. */
const FLUSH_BYTES = 64 * 1024;

export class TempDirPartitions implements PartitionStore {
  readonly dir: string;
  private readonly buffers = new Map<string, { parts: string[]; bytes: number; fd: number | null }>();

  constructor(parent = tmpdir()) {
    this.dir = mkdtempSync(path.join(parent, 'fundflow-recon-'));
  }

  private file(name: string): string {
    if (!/^[a-z0-9-]+$/.test(name)) throw new RangeError(`not a partition name: ${name}`);
    return path.join(this.dir, `${name}.jsonl`);
  }

  append(name: string, line: string): void {
    let buffer = this.buffers.get(name);
    if (!buffer) {
      buffer = { parts: [], bytes: 0, fd: null };
      this.buffers.set(name, buffer);
    }
    buffer.parts.push(line);
    buffer.bytes += line.length + 1;
    if (buffer.bytes >= FLUSH_BYTES) this.flush(name, buffer);
  }

  private flush(name: string, buffer: { parts: string[]; bytes: number; fd: number | null }): void {
    if (buffer.parts.length === 0) return;
    buffer.fd ??= openSync(this.file(name), 'a');
    writeSync(buffer.fd, `${buffer.parts.join('\n')}\n`);
    buffer.parts = [];
    buffer.bytes = 0;
  }

  async seal(): Promise<void> {
    for (const [name, buffer] of this.buffers) {
      this.flush(name, buffer);
      if (buffer.fd !== null) closeSync(buffer.fd);
      buffer.fd = null;
    }
  }

  async *lines(name: string): AsyncIterable<string> {
    const buffer = this.buffers.get(name);
    if (!buffer) return;
    if (buffer.parts.length > 0 || buffer.fd !== null)
      throw new Error(`partition ${name} read before seal()`);
    const reader = createInterface({
      input: createReadStream(this.file(name), { highWaterMark: 1 << 20 }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of reader) if (line !== '') yield line;
  }

  async dispose(): Promise<void> {
    for (const buffer of this.buffers.values()) if (buffer.fd !== null) closeSync(buffer.fd);
    this.buffers.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** FNV-1a over the id's UTF-16 units: cheap, stable across runs and machines (a partition is a file). */
export function partitionOf(id: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

export const partitionName = (prefix: 'p' | 'k', index: number) =>
  `${prefix}-${String(index).padStart(4, '0')}`;

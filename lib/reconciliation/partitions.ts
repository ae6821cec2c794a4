/**
 * Where the engine keeps a week while it reconciles it: named streams, appended once and read back
 * once — of lines (the differences, JSON) or of bytes (the partition records, the 流水号 keys and the
 * matched lines, records.ts's binary layout; a stream is one or the other). Locally a temporary folder; in
 * AWS an S3 prefix (one object per partition, written by the partitioning task and read by the
 * partition's own Lambda in the Map state). The port is all the engine knows.
 */
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PartitionStore {
  /** Appends one line (no newline inside) to the named stream. */
  append(name: string, line: string): void;
  /** Appends bytes (records, records.ts) to the named stream: copied, so `bytes` may be reused. */
  appendBytes(name: string, bytes: Uint8Array): void;
  /** All the bytes appended to a sealed stream (empty if none): a partition is bounded. */
  partitionBytes(name: string): Promise<Uint8Array>;
  /** Everything appended so far is written: `lines` sees all of it. */
  seal(): Promise<void>;
  lines(name: string): AsyncIterable<string>;
  /**
   * The same lines as `lines`, a batch at a time: one await per batch, not per line (a partition
   * holds tens of thousands). Optional: the engine falls back on `lines` (`lineBatches`).
   */
  batches?(name: string): AsyncIterable<readonly string[]>;
  dispose(): Promise<void>;
}

/**
 * All the lines of one partition, read a batch at a time (one await per batch, not per line: a
 * partition holds tens of thousands). A partition is bounded (the engine sizes them by input bytes),
 * and its records are all held while it is matched anyway.
 */
export async function partitionLines(store: PartitionStore, name: string): Promise<readonly string[]> {
  let lines: string[] = [];
  if (store.batches) {
    let first = true;
    for await (const batch of store.batches(name)) {
      if (first) lines = batch as string[];
      else for (const line of batch) lines.push(line);
      first = false;
    }
  } else {
    for await (const line of store.lines(name)) lines.push(line);
  }
  return lines;
}

/**
 * Appends go straight into one 16 KB byte buffer per name (UTF-8), written when full: little held per
 * stream, and no JS strings kept alive between flushes (held until a flush, they survived the
 * young-generation GC and were copied into the old one: with a partition count growing with the
 * week, that grew faster than the week). 16 KB, not 64: on one machine each input kind writes its
 * own streams, four per partition, up to 512 partitions — 64 KB each was 74 MB of RSS at 1M orders.
 */
const BUFFER_BYTES = 16 * 1024;
/** Read back 1 MB at a time; a file up to 32 MB (every partition) in one read, one batch. */
const READ_BYTES = 1024 * 1024;
const WHOLE_FILE_BYTES = 32 * 1024 * 1024;

/** The lines of a text: split at `\n`, empty lines dropped (the engine appends none). */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (text.includes('\n\n') || text.startsWith('\n') || !text.endsWith('\n'))
    return lines.filter((line) => line !== '');
  lines.pop();
  return lines;
}

/** A sealed stream's buffer: none (one is allocated again if the stream is appended to after). */
const SEALED = Buffer.alloc(0);

interface Pending {
  bytes: Buffer;
  used: number;
  fd: number | null;
  /** Lines (`append`) or bytes (`appendBytes`); null for a stream not appended to here. */
  kind: 'lines' | 'bytes' | null;
}

const EMPTY = new Uint8Array(0);

export class TempDirPartitions implements PartitionStore {
  readonly dir: string;
  private readonly buffers = new Map<string, Pending>();
  /** False for a folder reopened by another thread (`reopen`): its `dispose` leaves the folder. */
  private readonly owned: boolean;

  constructor(parent = tmpdir(), existing?: string) {
    this.owned = existing === undefined;
    this.dir = existing ?? mkdtempSync(path.join(parent, 'fundflow-recon-'));
  }

  /**
   * The folder of another store (another thread's, `dir`), its sealed streams readable here and new
   * streams appended to it; disposing this one leaves the folder to the store that made it.
   */
  static reopen(dir: string): TempDirPartitions {
    const store = new TempDirPartitions(undefined, dir);
    store.rescan();
    return store;
  }

  /**
   * Streams written into the folder by another store (another thread) and sealed there, made
   * readable here as if appended and sealed here.
   */
  rescan(): void {
    for (const entry of readdirSync(this.dir)) {
      const name = entry.endsWith('.lines') ? entry.slice(0, -'.lines'.length) : null;
      if (name !== null && /^[a-z0-9-]+$/.test(name) && !this.buffers.has(name))
        this.buffers.set(name, { bytes: SEALED, used: 0, fd: null, kind: null });
    }
  }

  private file(name: string): string {
    if (!/^[a-z0-9-]+$/.test(name)) throw new RangeError(`not a partition name: ${name}`);
    return path.join(this.dir, `${name}.lines`);
  }

  /** The stream's buffer, ready for appends of `kind`. */
  private pending(name: string, kind: 'lines' | 'bytes'): Pending {
    let buffer = this.buffers.get(name);
    if (!buffer) {
      this.file(name);
      buffer = { bytes: Buffer.allocUnsafeSlow(BUFFER_BYTES), used: 0, fd: null, kind };
      this.buffers.set(name, buffer);
    }
    if (buffer.kind !== kind) {
      if (buffer.kind !== null) throw new Error(`partition ${name} holds ${buffer.kind}, not ${kind}`);
      buffer.kind = kind;
    }
    if (buffer.bytes === SEALED) buffer.bytes = Buffer.allocUnsafeSlow(BUFFER_BYTES);
    return buffer;
  }

  append(name: string, line: string): void {
    const buffer = this.pending(name, 'lines');
    // A UTF-16 unit is at most 3 bytes of UTF-8; the newline is one more.
    if (buffer.used + line.length * 3 + 1 > BUFFER_BYTES) {
      this.flush(name, buffer);
      if (line.length * 3 + 1 > BUFFER_BYTES) {
        buffer.fd ??= openSync(this.file(name), 'a');
        writeSync(buffer.fd, `${line}\n`);
        return;
      }
    }
    buffer.used += buffer.bytes.write(line, buffer.used);
    buffer.bytes[buffer.used++] = 10;
  }

  appendBytes(name: string, bytes: Uint8Array): void {
    const buffer = this.pending(name, 'bytes');
    const length = bytes.length;
    if (buffer.used + length > BUFFER_BYTES) {
      this.flush(name, buffer);
      if (length > BUFFER_BYTES) {
        buffer.fd ??= openSync(this.file(name), 'a');
        let offset = 0;
        while (offset < length) offset += writeSync(buffer.fd, bytes, offset, length - offset);
        return;
      }
    }
    const target = buffer.bytes;
    let used = buffer.used;
    // A record is tens of bytes: a loop is cheaper than `set` at that size.
    if (length < 64) for (let i = 0; i < length; i++) target[used++] = bytes[i] as number;
    else {
      target.set(bytes, used);
      used += length;
    }
    buffer.used = used;
  }

  /** Whether the stream was appended to as bytes here (its object's content type). */
  holdsBytes(name: string): boolean {
    return this.buffers.get(name)?.kind === 'bytes';
  }

  async partitionBytes(name: string): Promise<Uint8Array> {
    const buffer = this.buffers.get(name);
    if (!buffer) return EMPTY;
    if (buffer.used > 0 || buffer.fd !== null) throw new Error(`partition ${name} read before seal()`);
    return readFile(this.file(name));
  }

  private flush(name: string, buffer: Pending): void {
    if (buffer.used === 0) return;
    buffer.fd ??= openSync(this.file(name), 'a');
    let offset = 0;
    while (offset < buffer.used) offset += writeSync(buffer.fd, buffer.bytes, offset, buffer.used - offset);
    buffer.used = 0;
  }

  async seal(): Promise<void> {
    for (const [name, buffer] of this.buffers) {
      this.flush(name, buffer);
      if (buffer.fd !== null) closeSync(buffer.fd);
      buffer.fd = null;
      // Off the heap but in the RSS: 16 KB for each of up to thousands of streams, given back.
      buffer.bytes = SEALED;
    }
  }

  async *lines(name: string): AsyncIterable<string> {
    for await (const batch of this.batches(name)) for (const line of batch) yield line;
  }

  async *batches(name: string): AsyncIterable<readonly string[]> {
    const buffer = this.buffers.get(name);
    if (!buffer) return;
    if (buffer.used > 0 || buffer.fd !== null) throw new Error(`partition ${name} read before seal()`);
    const handle = await open(this.file(name), 'r');
    try {
      const { size } = await handle.stat();
      if (size <= WHOLE_FILE_BYTES) {
        const bytes = Buffer.allocUnsafe(size);
        let offset = 0;
        while (offset < size) {
          const { bytesRead } = await handle.read(bytes, offset, size - offset, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
        }
        yield splitLines(bytes.toString('utf8', 0, offset));
        return;
      }
      const chunk = Buffer.allocUnsafe(READ_BYTES);
      const decoder = new TextDecoder('utf-8');
      let rest = '';
      for (;;) {
        const { bytesRead } = await handle.read(chunk, 0, READ_BYTES, null);
        if (bytesRead === 0) break;
        const text = rest + decoder.decode(chunk.subarray(0, bytesRead), { stream: true });
        const last = text.lastIndexOf('\n');
        if (last < 0) {
          rest = text;
          continue;
        }
        rest = text.slice(last + 1);
        yield splitLines(text.slice(0, last + 1));
      }
      rest += decoder.decode();
      if (rest !== '') yield [rest];
    } finally {
      await handle.close();
    }
  }

  /**
   * A stream written elsewhere, put into this folder by `fill` (a download): readable here as if it
   * had been appended and sealed. False (and nothing to read) when `fill` found nothing.
   */
  async adopt(name: string, fill: (file: string) => Promise<boolean>): Promise<boolean> {
    const file = this.file(name);
    if (this.buffers.has(name)) throw new Error(`partition ${name} is written here already`);
    if (!(await fill(file))) return false;
    this.buffers.set(name, { bytes: SEALED, used: 0, fd: null, kind: null });
    return true;
  }

  /** The sealed file of a stream appended to here, or null when nothing was appended to it. */
  fileOf(name: string): string | null {
    return this.buffers.has(name) ? this.file(name) : null;
  }

  /** The streams appended to or adopted here. */
  names(): string[] {
    return [...this.buffers.keys()];
  }

  async dispose(): Promise<void> {
    for (const buffer of this.buffers.values()) if (buffer.fd !== null) closeSync(buffer.fd);
    this.buffers.clear();
    if (this.owned) rmSync(this.dir, { recursive: true, force: true });
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

/**
 * `p` orders (in one process, `s` and `a` the summaries' and the statements' rows, each kind written
 * by its own thread), `k` statement rows by 流水号, `d` differences, `m` matched lines.
 */
export type StreamPrefix = 'p' | 's' | 'a' | 'k' | 'd' | 'm';
export const partitionName = (prefix: StreamPrefix, index: number) =>
  `${prefix}-${String(index).padStart(4, '0')}`;

/** The names of a prefix's streams `0 … partitions-1`, built once per input rather than per row. */
export const partitionNames = (prefix: StreamPrefix, partitions: number): string[] =>
  Array.from({ length: partitions }, (_, p) => partitionName(prefix, p));

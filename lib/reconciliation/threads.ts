/**
 * The threads of `reconcile` on one machine (engine.ts): the summaries and the statements are
 * partitioned beside the orders, then the partitions are matched side by side, each thread on its
 * own core. A thread runs reconcile-thread.ts on the partition store's folder (TempDirPartitions):
 * the partitions are files, so a thread opens the same folder; only small things (a job, a
 * partition's counts) travel as messages.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StatementFileSummary } from './alipay.ts';
import type { PartitionManifest } from './engine.ts';
import type { InputRefusalCode } from './errors.ts';
import { type Provenance, ReconciliationInputError } from './errors.ts';
import type { InputFile } from './text-input.ts';
import type { ReconciliationWeek } from './week.ts';

/** What a thread is asked to do; the folder is the partition store's. */
export type ThreadJob =
  | {
      job: 'summaries';
      dir: string;
      files: readonly InputFile[];
      partitions: number;
      stride: number;
      offset: number;
    }
  | {
      job: 'statements';
      dir: string;
      files: readonly InputFile[];
      week: ReconciliationWeek;
      partitions: number;
      stride: number;
      offset: number;
    }
  | { job: 'match'; dir: string; week: ReconciliationWeek; manifest: PartitionManifest; partition: number };

export interface SummariesDone {
  files: string[];
  rows: number;
  suppliers: string[];
}

export interface StatementsDone {
  files: string[];
  rows: number;
  statementFiles: StatementFileSummary[];
}

/** A thread's error as a message: an input refusal keeps its code, text and place. */
export type ThreadError =
  | { refusal: { code: InputRefusalCode; message: string; at: Provenance | null } }
  | { message: string; stack: string | undefined };

export type ThreadMessage =
  | { rows: number }
  | { ok: true; value: unknown }
  | { ok: false; error: ThreadError };

export function threadError(error: unknown): ThreadError {
  if (error instanceof ReconciliationInputError) {
    const message = error.issues[0]?.message ?? error.message;
    return { refusal: { code: error.code as InputRefusalCode, message, at: error.at } };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { message: e.message, stack: e.stack };
}

function rebuilt(error: ThreadError): Error {
  if ('refusal' in error)
    return new ReconciliationInputError(error.refusal.code, error.refusal.message, error.refusal.at);
  const e = new Error(error.message);
  if (error.stack) e.stack = error.stack;
  return e;
}

const ENTRY = new URL('./reconcile-thread.ts', import.meta.url);

/**
 * The Node options a thread needs to load the engine's TypeScript: none where Node strips types
 * itself (Node 24; the engine's modules use no syntax that needs more than stripping — no enums, no
 * constructor parameter properties). A thread started with tsx's loader took ~200–250 ms of CPU to
 * be ready, with Node's own stripping ~140 ms (measured here). Elsewhere tsx, found beside this file.
 */
function loaderArgs(): string[] {
  if (process.features.typescript) return [];
  try {
    return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
  } catch {
    return ['--experimental-strip-types', '--no-warnings'];
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onRows: ((rows: number) => void) | undefined;
}

export class ReconcileThreads {
  private readonly pending: (Pending | null)[];

  private readonly workers: Worker[];

  private constructor(workers: Worker[]) {
    this.workers = workers;
    this.pending = workers.map(() => null);
    workers.forEach((worker, i) => {
      worker.on('message', (message: ThreadMessage) => {
        const job = this.pending[i];
        if (!job) return;
        if ('rows' in message) {
          job.onRows?.(message.rows);
          return;
        }
        this.pending[i] = null;
        if (message.ok) job.resolve(message.value);
        else job.reject(rebuilt(message.error));
      });
      const fail = (error: Error) => {
        const job = this.pending[i];
        this.pending[i] = null;
        job?.reject(error);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`reconciliation thread ${i} stopped (exit code ${code})`)));
    });
  }

  /**
   * `count` threads, started now (loading the engine takes a thread a few hundred ms: started before
   * the partitioning, they are ready when it needs them); null when the engine's source is not on
   * disk beside this file (a bundle): then the week is reconciled in this thread.
   */
  static start(count: number, heap: { oldMb: number; youngMb: number }): ReconcileThreads | null {
    if (ENTRY.protocol !== 'file:' || !existsSync(fileURLToPath(ENTRY))) return null;
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < count; i++) workers.push(ReconcileThreads.spawn(heap));
    } catch {
      // A thread that cannot start (options this Node refuses in a thread): in this thread, as before.
      for (const worker of workers) void worker.terminate();
      return null;
    }
    return new ReconcileThreads(workers);
  }

  private static spawn(heap: { oldMb: number; youngMb: number }): Worker {
    return new Worker(ENTRY, {
      execArgv: loaderArgs(),
      // Each thread's heap is counted in the process's RSS: bounded, like the main thread's. The
      // young generation is given, not left to V8: left, the threads grew the RSS past 450 MB at
      // 100k orders (280–310 MB with it set).
      resourceLimits: { maxOldGenerationSizeMb: heap.oldMb, maxYoungGenerationSizeMb: heap.youngMb },
      stdout: false,
      stderr: false,
    });
  }

  get size(): number {
    return this.workers.length;
  }

  /** Thread `i` does `job` (one job at a time per thread); `onRows` hears its rows read as it goes. */
  run<T>(i: number, job: ThreadJob, onRows?: (rows: number) => void): Promise<T> {
    const worker = this.workers[i];
    if (!worker || this.pending[i]) throw new Error(`reconciliation thread ${i} is busy or missing`);
    return new Promise<T>((resolve, reject) => {
      this.pending[i] = { resolve: resolve as (value: unknown) => void, reject, onRows };
      worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.pending.fill(null);
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

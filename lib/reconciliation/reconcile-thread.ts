/**
 * One thread of `reconcile` on one machine (threads.ts): partitions one input kind into the store's
 * folder, or matches one partition there, as the main thread asks, and answers with what the
 * manifest or the merge needs.
 */
import { parentPort } from 'node:worker_threads';
import {
  fileIndexer,
  matchPartition,
  type PartitionWriter,
  partitionStatements,
  partitionSummaries,
} from './engine.ts';
import { TempDirPartitions } from './partitions.ts';
import {
  type StatementsDone,
  type SummariesDone,
  type ThreadJob,
  type ThreadMessage,
  threadError,
} from './threads.ts';

const port = parentPort;
if (!port) throw new Error('reconcile-thread.ts runs as a worker thread of reconcile()');
const send = (message: ThreadMessage) => port.postMessage(message);

/** The store the matches read and write, opened once the partitioning is sealed. */
let matching: TempDirPartitions | null = null;

function writer(
  store: TempDirPartitions,
  job: { partitions: number; stride: number; offset: number },
  prefix: PartitionWriter['prefix'],
  files: string[],
  counted: { rows: number },
): PartitionWriter {
  return {
    store,
    partitions: job.partitions,
    prefix,
    fileIndex: fileIndexer(files, job.stride, job.offset),
    tick: () => {
      counted.rows++;
      if ((counted.rows & 0x3fff) === 0) send({ rows: 0x4000 });
    },
  };
}

async function run(job: ThreadJob): Promise<unknown> {
  switch (job.job) {
    case 'summaries': {
      const store = new TempDirPartitions(undefined, job.dir);
      const files: string[] = [];
      const counted = { rows: 0 };
      const suppliers = await partitionSummaries(job.files, writer(store, job, 's', files, counted));
      await store.seal();
      return { files, rows: counted.rows, suppliers: [...suppliers] } satisfies SummariesDone;
    }
    case 'statements': {
      const store = new TempDirPartitions(undefined, job.dir);
      const files: string[] = [];
      const counted = { rows: 0 };
      const statementFiles = await partitionStatements(
        job.files,
        job.week,
        writer(store, job, 'a', files, counted),
      );
      await store.seal();
      return { files, rows: counted.rows, statementFiles } satisfies StatementsDone;
    }
    case 'match': {
      matching ??= TempDirPartitions.reopen(job.dir);
      const result = await matchPartition(job.week, job.manifest, job.partition, {
        store: matching,
      });
      await matching.seal();
      return result;
    }
  }
}

port.on('message', (job: ThreadJob) => {
  run(job).then(
    (value) => send({ ok: true, value }),
    (error: unknown) => send({ ok: false, error: threadError(error) }),
  );
});

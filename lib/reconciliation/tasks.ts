/** The `reconciliation` workflow's task functions (lib/workflow/catalogue.ts): handler modules and needs. */
export const reconciliationTasks = {
  partitionWeek: {
    entry: 'functions/reconciliation/partition-week.ts',
    description:
      'Reconciliation workflow: read a week\u2019s inputs as streams and partition them by order id into the object store (POLICY 3.2, D11).',
    // evidence readWrite: it streams the inputs from the bucket and puts the partitions beside them.
    needs: { table: 'readWrite', evidence: 'readWrite' },
    // A week of a million orders is minutes of reading; the partitions pass through /tmp on their way.
    limits: { timeoutSeconds: 900, memoryMb: 1769, tmpMb: 4096 },
  },
  matchPartition: {
    entry: 'functions/reconciliation/match-partition.ts',
    description:
      'Reconciliation workflow, one per partition (the Map state): match one partition of every input, store its differences and result (POLICY 3.2, D11).',
    needs: { table: 'readWrite', evidence: 'readWrite' },
    // A partition is ~1 MB of input (engine.ts PARTITION_BYTES): seconds, whatever the week's size.
    limits: { timeoutSeconds: 300, memoryMb: 1024 },
  },
  mergePartitions: {
    entry: 'functions/reconciliation/merge-partitions.ts',
    description:
      'Reconciliation workflow: merge the partitions\u2019 results, compare the master data, store the differences and the report (POLICY 3.2, D11).',
    needs: { table: 'readWrite', evidence: 'readWrite' },
    // Streams every partition's differences and matched lines into the table and the report.
    limits: { timeoutSeconds: 900, memoryMb: 1769, tmpMb: 2048 },
  },
  awaitSignOff: {
    entry: 'functions/reconciliation/await-sign-off.ts',
    description:
      'Reconciliation workflow: keep the task token until finance signs the week off (or a change supersedes the run).',
    needs: { table: 'readWrite', workflows: { reconciliation: 'answer' } },
  },
} as const;

/** The `reconciliation` workflow's task functions (lib/workflow/catalogue.ts): handler modules and needs. */
export const reconciliationTasks = {
  reconcileWeek: {
    entry: 'functions/reconciliation/reconcile-week.ts',
    description:
      'Reconciliation workflow: read a week\u2019s inputs as streams, partition by order id, match, store the differences (POLICY 3.2, D11).',
    // evidence readWrite: it streams the inputs from the bucket and stores the report beside them.
    needs: { table: 'readWrite', evidence: 'readWrite' },
    // A week of a million orders is minutes of reading and hundreds of MB of partitions on /tmp.
    limits: { timeoutSeconds: 900, memoryMb: 1769, tmpMb: 4096 },
  },
  awaitSignOff: {
    entry: 'functions/reconciliation/await-sign-off.ts',
    description:
      'Reconciliation workflow: keep the task token until finance signs the week off (or a change supersedes the run).',
    needs: { table: 'readWrite', workflows: { reconciliation: 'answer' } },
  },
} as const;

/**
 * What the object store forgets by itself: working objects a task writes for the next task and that
 * nobody reads once the work is done (a reconciliation run's partitions, differences, matched lines
 * and results — hundreds of objects per run, each week). Evidence of a payment is never in here: it
 * is kept for ever (the bucket is versioned and nothing deletes from it).
 *
 * One list, read by both sides: the stack turns each rule into an S3 lifecycle rule on the evidence
 * bucket (infra/constructs/data.ts), and the local runtime applies the same rules to its data folder
 * (lib/local/file-evidence-store.ts `expire`), at start and every few hours.
 */

/** Where every capability's working objects go: `evidence/work/<capability>/…`. */
export const WORK_PREFIX = 'evidence/work/';

export interface ExpiryRule {
  /** An S3 lifecycle rule's id. */
  id: string;
  /** Every object whose key starts with this. */
  prefix: string;
  /**
   * Days after an object was written that it is deleted. Long enough that no workflow still running
   * could need it (a reconciliation's Map and merge take minutes; its sign-off wait reads nothing
   * from here), short enough that a week's run can still be looked at when a run goes wrong.
   */
  expireAfterDays: number;
}

export const EXPIRY_RULES: readonly ExpiryRule[] = [
  { id: 'WorkingObjectsExpire', prefix: WORK_PREFIX, expireAfterDays: 14 },
];

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import type { Table } from './table.ts';

/** A year and a bit: the record of what a scheduled job did is kept past the audit's yearly look back. */
const KEEP_SECONDS = 400 * 24 * 3600;

/**
 * What a scheduled job has done, per job and unit of work (a day, a day and entity). EventBridge
 * Scheduler delivers at least once and Lambda retries an asynchronous invocation that failed, so a job
 * may run twice for one occurrence: it checks here first, and records here after its work is done.
 */
export class JobRunRepository {
  constructor(private readonly table: Table) {}

  async done(job: string, unit: string): Promise<boolean> {
    return (await this.table.get(keys.jobRun(job, unit))) !== undefined;
  }

  /** Records the unit as done; a second record of the same unit (a concurrent run) is a no-op. */
  async markDone(job: string, unit: string, at: Date, details: Record<string, unknown>): Promise<void> {
    try {
      await this.table.client.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...keys.jobRun(job, unit),
            job,
            unit,
            at: at.toISOString(),
            details,
            expiresAt: Math.floor(at.getTime() / 1000) + KEEP_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimOutcome, JobClaim, JobRunStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import type { Item, Table } from './table.ts';

/** A year and a bit: the record of what a scheduled job did is kept past the audit's yearly look back. */
const KEEP_SECONDS = 400 * 24 * 3600;

/**
 * How old a claim that is not done must be before another delivery may take it over. Well above the
 * job functions' 15-second timeout, so a claim this old belongs to a run that crashed or timed out,
 * never to one still working.
 */
export const CLAIM_STALE_AFTER_MS = 5 * 60 * 1000;

export type { ClaimOutcome, JobClaim };

/**
 * What a scheduled job has done, per job and unit of work (a day, a day and entity). EventBridge
 * Scheduler delivers at least once and Lambda retries an asynchronous invocation that failed, so a job
 * may run twice for one occurrence, even at the same moment. A job that sends something claims the
 * unit here first (a conditional write), sends, then completes the claim; a run that finds a fresh
 * claim leaves the unit to its holder, and one that finds a stale claim (its holder crashed) takes it
 * over — conditional on that very claim, so only one delivery can.
 *
 * Items written before claims existed carry no `state`; they count as done.
 */
export class JobRunRepository implements JobRunStore {
  constructor(private readonly table: Table) {}

  async done(job: string, unit: string): Promise<boolean> {
    const item = await this.table.get(keys.jobRun(job, unit));
    return item !== undefined && item.state !== 'CLAIMED';
  }

  /** Claims the unit for this run, unless it is done or another run holds a fresh claim on it. */
  async claim(job: string, unit: string, at: Date): Promise<ClaimOutcome> {
    // A few rounds at most: each lost race means another run changed the item, which we then re-read.
    for (let round = 0; round < 3; round++) {
      const existing = await this.table.get(keys.jobRun(job, unit));
      if (existing === undefined) {
        const claim = await this.putClaim(job, unit, at);
        if (claim) return { status: 'CLAIMED', claim };
        continue;
      }
      if (existing.state !== 'CLAIMED') return { status: 'DONE' };
      const claimedAt = String(existing.claimedAt);
      // Either way round: the local dev clock may have been set back since the claim was made.
      if (Math.abs(at.getTime() - Date.parse(claimedAt)) < CLAIM_STALE_AFTER_MS) {
        return { status: 'IN_PROGRESS', claimedAt };
      }
      const claim = await this.putClaim(job, unit, at, existing.claimToken);
      if (claim) return { status: 'CLAIMED', claim, tookOverFrom: claimedAt };
    }
    const latest = await this.table.get(keys.jobRun(job, unit));
    return latest?.state === 'CLAIMED'
      ? { status: 'IN_PROGRESS', claimedAt: String(latest.claimedAt) }
      : { status: 'DONE' };
  }

  /**
   * Marks the claimed unit done with what was done. False when the claim is no longer this run's (it
   * took longer than `CLAIM_STALE_AFTER_MS` and another delivery took the unit over).
   */
  async complete(claim: JobClaim, at: Date, details: Record<string, unknown>): Promise<boolean> {
    return ignoringConditionFailure(
      this.table.client.send(
        new UpdateCommand({
          TableName: this.table.name,
          Key: keys.jobRun(claim.job, claim.unit),
          UpdateExpression: 'SET #state = :done, #at = :at, details = :details REMOVE claimToken',
          ConditionExpression: '#state = :claimed AND claimToken = :token',
          ExpressionAttributeNames: { '#state': 'state', '#at': 'at' },
          ExpressionAttributeValues: {
            ':done': 'DONE',
            ':claimed': 'CLAIMED',
            ':at': at.toISOString(),
            ':details': details,
            ':token': claim.token,
          },
        }),
      ),
    );
  }

  /** Gives the unit back (its work failed), so the next delivery does it; a no-op once not ours. */
  async release(claim: JobClaim): Promise<void> {
    await ignoringConditionFailure(
      this.table.client.send(
        new DeleteCommand({
          TableName: this.table.name,
          Key: keys.jobRun(claim.job, claim.unit),
          ConditionExpression: '#state = :claimed AND claimToken = :token',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':token': claim.token },
        }),
      ),
    );
  }

  /** A new claim: on a unit nobody has touched, or in place of the stale claim `replacing` (a token). */
  private async putClaim(job: string, unit: string, at: Date, replacing?: unknown): Promise<JobClaim | null> {
    const claim: JobClaim = { job, unit, token: randomUUID() };
    const condition =
      replacing === undefined
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#state = :claimed AND claimToken = :stale',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':claimed': 'CLAIMED', ':stale': replacing },
          };
    const written = await ignoringConditionFailure(
      this.table.client.send(
        new PutCommand({
          TableName: this.table.name,
          Item: {
            ...this.base(job, unit, at),
            state: 'CLAIMED',
            claimedAt: at.toISOString(),
            claimToken: claim.token,
          },
          ...condition,
        }),
      ),
    );
    return written ? claim : null;
  }

  private base(job: string, unit: string, at: Date): Item {
    return {
      ...keys.jobRun(job, unit),
      job,
      unit,
      expiresAt: Math.floor(at.getTime() / 1000) + KEEP_SECONDS,
    };
  }
}

/** True when the write happened, false when its condition refused it; any other error propagates. */
async function ignoringConditionFailure(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * The local stand-in for the table's stream and the event source mapping of the workflow outbox's
 * dispatcher (functions/workflow/deliver-owed.ts): told after each write, it hands the keys of what
 * the write owes to the same handler, as a KEYS_ONLY stream event of inserts, and waits for it — so
 * locally a person's change reaches the workflow before their request returns, as fast as before the
 * outbox. What it cannot deliver stays owed: the sweep (every minute, on the runtime's scheduler)
 * and the next start-up deliver it.
 */
import type { AppDeps } from '../app.ts';
import { logger } from '../observability/logger.ts';
import { keys } from '../storage/keys.ts';
import {
  deliverOwedBefore,
  type OwedDelivery,
  SWEEP_LIMIT,
  type WorkflowOutbox,
} from '../workflow/outbox.ts';
import type { StreamHandler } from '../workflow/stream-handler.ts';

/** Later than anything owed, even under a dev clock set back since. */
const END_OF_TIME = new Date('9999-12-31T00:00:00Z');

export class LocalStream implements WorkflowOutbox {
  private readonly handlers: StreamHandler[] = [];
  private sequence = 0;

  /** A consumer's handler (the dispatcher's), built from deps that hold this stream (so attached afterwards). */
  attach(handler: StreamHandler): void {
    this.handlers.push(handler);
  }

  async written(items: readonly OwedDelivery[]): Promise<void> {
    if (items.length === 0) return;
    const records = items.map((item) => {
      const key = keys.owedDelivery(item.createdAt, item.id);
      this.sequence += 1;
      return {
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        dynamodb: {
          Keys: { pk: { S: key.pk }, sk: { S: key.sk } },
          SequenceNumber: String(this.sequence).padStart(21, '0'),
          StreamViewType: 'KEYS_ONLY',
        },
      };
    });
    for (const handler of this.handlers) {
      try {
        const { batchItemFailures } = await handler({ Records: records });
        if (batchItemFailures.length > 0) {
          logger.warn('owed workflow deliveries failed; the sweep delivers them', {
            failed: batchItemFailures.length,
          });
        }
      } catch (error) {
        // Best effort: the change stands, and what it owes is still in the table.
        logger.warn('the local stream could not deliver; the sweep delivers it', { error: error as Error });
      }
    }
  }

  /**
   * Start-up: everything still owed, whatever its age — a runtime killed between a write and its
   * delivery (`kill -9`) delivers it when it comes back.
   */
  async deliverEverythingOwed(deps: AppDeps): Promise<void> {
    try {
      while ((await deliverOwedBefore(deps, END_OF_TIME)).delivered === SWEEP_LIMIT) {
        // a full page: there may be more
      }
    } catch (error) {
      logger.warn('owed workflow deliveries failed at start-up; the sweep tries again', {
        error: error as Error,
      });
    }
  }
}

/**
 * The factory behind a consumer of the table's stream (DynamoDB Streams → Lambda event source
 * mapping, `StreamViewType: KEYS_ONLY`): each record names an item by its keys; `action` handles it.
 * Records are handled one by one and a failure is reported by its sequence number (the mapping's
 * `ReportBatchItemFailures`), so Lambda retries from that record only, and what was handled stays
 * handled; an action must be idempotent, since a retried batch repeats the records after the failure.
 * The local runtime drives the same handler with the same shape of event.
 */
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { logger } from '../observability/logger.ts';

const attributeString = lazySchema(() => z.object({ S: z.string().min(1) }));

/** The parts of a stream record a KEYS_ONLY consumer reads. */
export const streamRecord = lazySchema(() =>
  z.object({
    eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
    dynamodb: z.object({
      Keys: z.object({ pk: attributeString, sk: attributeString }),
      SequenceNumber: z.string().min(1),
    }),
  }),
);

export interface StreamBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export type StreamHandler = (event: unknown) => Promise<StreamBatchResponse>;

const streamEvent = lazySchema(() => z.object({ Records: z.array(z.unknown()) }));
const sequenceOf = lazySchema(() => z.object({ dynamodb: z.object({ SequenceNumber: z.string().min(1) }) }));

export function streamHandler(
  deps: AppDeps,
  action: (deps: AppDeps, key: { pk: string; sk: string }) => Promise<unknown>,
): StreamHandler {
  return async (event) => {
    // Not a stream event at all: fail the invocation (the mapping retries it, then gives it to its
    // on-failure destination).
    const { Records } = streamEvent.parse(event);
    const batchItemFailures: StreamBatchResponse['batchItemFailures'] = [];
    for (const raw of Records) {
      const parsed = streamRecord.safeParse(raw);
      if (!parsed.success) {
        const sequence = sequenceOf.safeParse(raw);
        if (!sequence.success) throw new Error('a stream record without a sequence number');
        logger.error('a stream record of an unexpected shape', { issues: parsed.error.issues });
        batchItemFailures.push({ itemIdentifier: sequence.data.dynamodb.SequenceNumber });
        continue;
      }
      const { Keys, SequenceNumber } = parsed.data.dynamodb;
      try {
        await action(deps, { pk: Keys.pk.S, sk: Keys.sk.S });
      } catch {
        // The action logged why; the record is retried from here (then the sweep takes it).
        batchItemFailures.push({ itemIdentifier: SequenceNumber });
      }
    }
    return { batchItemFailures };
  };
}

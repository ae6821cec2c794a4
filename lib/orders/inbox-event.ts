/**
 * The event of a file put into an orders inbox (lib/orders/file-drop.ts): S3's "Object Created" event
 * through EventBridge (how infra/ delivers it), or an S3 notification's records (keys URL-encoded,
 * spaces as `+`). Each file is imported on its own.
 */
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { type DropOutcome, importDroppedOrders } from './file-drop.ts';

const objectKey = lazySchema(() => z.string().min(1).max(2048));

export const inboxEvent = lazySchema(() =>
  z.union([
    z.object({ detail: z.object({ object: z.object({ key: objectKey }) }) }),
    z.object({
      Records: z.array(z.object({ s3: z.object({ object: z.object({ key: objectKey }) }) })).min(1),
    }),
  ]),
);

export async function importInboxEvent(
  deps: AppDeps,
  event: z.output<typeof inboxEvent>,
): Promise<{ files: DropOutcome[] }> {
  const keys =
    'detail' in event
      ? [event.detail.object.key]
      : event.Records.map((record) => decodedKey(record.s3.object.key));
  const files: DropOutcome[] = [];
  for (const key of keys) files.push(await importDroppedOrders(deps, key));
  return { files };
}

/** A notification's key, URL-decoded; a broken escape is no inbox key (it is left as sent, and ignored). */
function decodedKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

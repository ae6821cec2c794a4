/**
 * What a scheduled job is invoked with (DESIGN.md decision 13): the occurrence it runs for —
 * EventBridge Scheduler's `<aws.scheduler.scheduled-time>`, or the local scheduler's — or, when run by
 * hand, the day to run it for. A delivery that comes late (a retry) still works for its own day.
 */
import * as z from 'zod';
import type { LocalDate } from '../domain/model.ts';
import { shanghaiDate } from '../domain/time.ts';
import { localDate } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';

export const jobInput = lazySchema(() =>
  z.object({
    scheduledTime: z.iso.datetime({ offset: true }).optional(),
    date: localDate.optional(),
  }),
);

export type JobInput = z.output<typeof jobInput>;

/**
 * The occurrence of a scheduled run, or undefined for a run by hand (a day given, or nothing): a job
 * at a policy's time of day acts for an entity only once the occurrence has reached that entity's
 * time (lib/workflow/catalogue.ts `catchUp: 'eachDay'`); a run by hand does the day whatever the time.
 */
export function scheduledAt(input: JobInput): Date | undefined {
  return input.scheduledTime && !input.date ? new Date(input.scheduledTime) : undefined;
}

/** The Asia/Shanghai day a job runs for: the day given, else the occurrence's, else today. */
export function jobDay(input: JobInput, now: Date): LocalDate {
  if (input.date) return input.date;
  return shanghaiDate(input.scheduledTime ? new Date(input.scheduledTime) : now);
}

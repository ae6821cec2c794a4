/**
 * The one factory behind every workflow task function: the event is the task's payload (Step
 * Functions `Payload`), validated with zod; the use case does the rest. Errors propagate, so Step
 * Functions' Retry and Catch see them.
 */
import type * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { validationErrorFrom } from '../http/errors.ts';

export type TaskHandler = (event: unknown) => Promise<unknown>;

export function taskHandler<S extends z.ZodType>(
  deps: AppDeps,
  schema: S,
  action: (deps: AppDeps, input: z.output<S>) => Promise<unknown>,
): TaskHandler {
  return async (event) => {
    const parsed = schema.safeParse(event);
    if (!parsed.success) throw validationErrorFrom(parsed.error, 'task input');
    return (await action(deps, parsed.data)) ?? {};
  };
}

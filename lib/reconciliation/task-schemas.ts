/** The reconciliation workflow's task payloads, validated at each task (lib/workflow/task-handler.ts). */
import * as z from 'zod';
import { weekNameSchema } from './week.ts';

export const runInput = z.strictObject({
  entityId: z.string().min(1),
  week: weekNameSchema,
  run: z.number().int().positive(),
});

export const waitInput = runInput.extend({ taskToken: z.string().min(1) });

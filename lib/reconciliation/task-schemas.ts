/** The reconciliation workflow's task payloads, validated at each task (lib/workflow/task-handler.ts). */
import * as z from 'zod';
import { weekNameSchema } from './week.ts';

export const runInput = z.strictObject({
  entityId: z.string().min(1),
  week: weekNameSchema,
  run: z.number().int().positive(),
});

export const waitInput = runInput.extend({ taskToken: z.string().min(1) });

/** A Map iteration's item: the run and one partition number (engine.ts caps them at 512). */
export const partitionInput = runInput.extend({ partition: z.number().int().min(0).max(4095) });

/** The probe workflow's plain task (tests only): records the visitor. */
import * as z from 'zod';
import type { AppDeps } from '../../../lib/app.ts';
import { table } from '../../../lib/runtime/adapters/table.ts';
import { lambdaTaskHandler } from '../../../lib/runtime/lambda.ts';
import { taskHandler } from '../../../lib/workflow/task-handler.ts';
import { probeLog, probeTasks } from './probe-workflow.ts';

export const createHandler = (deps: AppDeps) =>
  taskHandler(deps, z.object({ visitor: z.string().min(1) }), async (_deps, { visitor }) => {
    probeLog.visits.push(visitor);
    return { visitor, seen: probeLog.visits.length };
  });

export const handler = lambdaTaskHandler(probeTasks.recordVisit, { table }, createHandler);

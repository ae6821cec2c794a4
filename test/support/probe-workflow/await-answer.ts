/** The probe workflow's callback task (tests only): keeps its task token for the test to answer. */
import * as z from 'zod';
import type { AppDeps } from '../../../lib/app.ts';
import { table } from '../../../lib/runtime/adapters/table.ts';
import { workflows } from '../../../lib/runtime/adapters/workflows.ts';
import { lambdaTaskHandler } from '../../../lib/runtime/lambda.ts';
import { taskHandler } from '../../../lib/workflow/task-handler.ts';
import { probeLog, probeTasks } from './probe-workflow.ts';

export const createHandler = (deps: AppDeps) =>
  taskHandler(
    deps,
    z.object({ visitor: z.string().min(1), taskToken: z.string().min(1) }),
    async (_deps, { visitor, taskToken }) => {
      probeLog.tokens.set(visitor, taskToken);
      return {};
    },
  );

export const handler = lambdaTaskHandler(probeTasks.awaitAnswer, { table, workflows }, createHandler);

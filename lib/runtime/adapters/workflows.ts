/**
 * Need `workflows`: Step Functions, each state machine the needs name by its own ARN
 * (STATE_MACHINE_ARN_<NAME>); starting only those the needs may start, as the grants allow.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { stateMachineArnKey } from '../../workflow/catalogue.ts';
import { StepFunctionsWorkflows } from '../../workflow/ports.ts';
import { configValue } from '../config.ts';
import type { Adapter } from '../lambda.ts';

const sfn = new SFNClient({});

export const workflows: Adapter<'workflows'> = {
  provide: (config, access) => {
    const startable = Object.entries(access)
      .filter(([, allowed]) => allowed === 'start' || allowed === 'startAndAnswer')
      .map(([name]) => [name, configValue(config, stateMachineArnKey(name))]);
    const port = new StepFunctionsWorkflows(sfn, Object.fromEntries(startable));
    return { deps: { workflow: port, taskTokens: port } };
  },
};

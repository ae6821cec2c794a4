/**
 * Every state machine of the catalogue (lib/workflow/catalogue.ts) with the construct of its
 * definition: exhaustive, so a catalogue entry without a construct does not compile. The stack builds
 * each; the local runtime runs each of the synthesized app.
 */
import { stateMachines, WORKFLOW_NAMES, type WorkflowName } from '../lib/workflow/catalogue.ts';
import { InvoiceBatchWorkflow } from './constructs/invoice-batch-workflow.ts';
import { ReconciliationWorkflow } from './constructs/reconciliation-workflow.ts';
import type { WorkflowDefinitionClass, WorkflowEntry } from './constructs/state-machine.ts';
import { VoucherWorkflow } from './constructs/voucher-workflow.ts';

const definitions: {
  readonly [Name in WorkflowName]: WorkflowDefinitionClass<
    Extract<keyof (typeof stateMachines)[Name]['tasks'], string>
  >;
} = {
  voucher: VoucherWorkflow,
  invoiceBatch: InvoiceBatchWorkflow,
  reconciliation: ReconciliationWorkflow,
};

/** The workflows of an app, by catalogue name. */
export type Workflows = Readonly<Record<string, WorkflowEntry>>;

export const workflows: Workflows = Object.fromEntries(
  WORKFLOW_NAMES.map((name) => [
    name,
    { spec: stateMachines[name], definition: definitions[name] as WorkflowDefinitionClass },
  ]),
);

/**
 * The catalogues of what runs besides the routes (lib/http/routes.ts), one place each: every state
 * machine, every scheduled job, every consumer of the table's stream or of the evidence bucket's
 * objects. infra/ builds them (a state machine's definition is its construct, named in
 * infra/workflows.ts), the local runtime runs them (every state machine of the synthesized app, the
 * scheduler, the local stream, the watched folders), the config knows their keys
 * (lib/runtime/config.ts) and `npm run bench` measures their functions. A later capability adds
 * entries here (and a construct for a new state machine) and touches nothing else.
 */
import type { FunctionSpec, WorkflowAccess } from '../http/routes.ts';
import { OUTBOX_PARTITION } from '../platform/owed-deliveries.ts';
import { reconciliationTasks } from '../reconciliation/tasks.ts';
import { voucherTasks } from './approval-states.ts';
import { invoiceBatchTasks } from './invoice-batch-states.ts';

export interface StateMachineSpec {
  description: string;
  /** How its executions are named (the alarms and the runbook say how to find one). */
  executions: string;
  /** Its task functions by name: handler module and needs. Its construct decides which states run them. */
  tasks: Readonly<Record<string, FunctionSpec>>;
}

/** Every state machine (Standard), by name; in AWS `<stack>-<Name>`, e.g. `Fundflow-Voucher`. */
export const stateMachines = {
  voucher: {
    description:
      'A voucher version from submission to Closed or Rejected: the approval chain (POLICY 2.2), the payment day and the cashier (D3\u2013D5), the supplier-invoice chase (D9).',
    executions: 'one per voucher version, named <voucherId>-v<version>',
    tasks: voucherTasks,
  },
  invoiceBatch: {
    description:
      'An entity\u2019s invoice batch from its close to every invoice mailed: finance emailed with the 《开票申请表》, reminded on the due day and escalated the working day after while lines remain (POLICY 4, D12, D13).',
    executions: 'one per entity and batch day, named <entityId>-<batchDate>',
    tasks: invoiceBatchTasks,
  },
  reconciliation: {
    description:
      'An entity\u2019s weekly sales reconciliation run (POLICY 3.2, D11): read the inputs as streams, partition by order id, match, merge the differences, then wait for finance\u2019s sign-off.',
    executions: 'one per run of a week, named <entityId>-<week>-r<run>',
    tasks: reconciliationTasks,
  },
} as const satisfies Record<string, StateMachineSpec>;

export type WorkflowName = keyof typeof stateMachines;

export const WORKFLOW_NAMES = Object.keys(stateMachines) as WorkflowName[];

/** `voucher` → `Voucher`, `invoiceBatch` → `InvoiceBatch`: construct ids and state machine names. */
export function pascalCase(name: string): string {
  return `${name[0]?.toUpperCase() ?? ''}${name.slice(1)}`;
}

/** The configuration key of a state machine's ARN: `voucher` → `STATE_MACHINE_ARN_VOUCHER`. */
export function stateMachineArnKey(name: string): `STATE_MACHINE_ARN_${string}` {
  return `STATE_MACHINE_ARN_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** The state machine's name in a stack: `Fundflow-Voucher`. */
export function stateMachineNameOf(stackName: string, name: string): string {
  return `${stackName}-${pascalCase(name)}`;
}

/** `access` to every state machine of the catalogue: the outbox delivers to whichever a change owes. */
function everyWorkflow(access: WorkflowAccess): Readonly<Record<WorkflowName, WorkflowAccess>> {
  return Object.fromEntries(WORKFLOW_NAMES.map((name) => [name, access])) as Record<
    WorkflowName,
    WorkflowAccess
  >;
}

/**
 * A job's schedule: a cron in Asia/Shanghai, or a rate (every n minutes). A rate job with
 * `catchUp: 'eachDay'` does each day's work once that day's time has come — a time that is a
 * versioned policy setting of each entity (POLICY D17), so no one cron could hold it: it runs every
 * few minutes, acts for an entity at the first run at or after that entity's time, and claims the
 * (day, entity) so the runs after do nothing. When the local clock jumps over days, the local
 * scheduler runs it once for each day passed (at that day's last occurrence), as the days passing
 * would have, then for now.
 */
export type JobSchedule =
  | { cron: { minute: string; hour: string; weekDay: string } }
  | { everyMinutes: number; catchUp?: 'eachDay' };

/** How often the jobs whose time is a policy setting look whether an entity's time has come. */
const POLICY_TIMED_MINUTES = 5;

/** Scheduled jobs (EventBridge Scheduler in Asia/Shanghai; locally the runtime's scheduler, or by hand). */
export const scheduledJobs = {
  countersignReminders: {
    entry: 'functions/jobs/countersign-reminders.ts',
    description: 'Weekly: remind approvers of outstanding countersigns (POLICY D6).',
    // readWrite: it records (claims) the day it has done, so a repeated delivery sends nothing again.
    needs: { table: 'readWrite', mail: true, linkKey: true },
    /** Mondays 09:00 Asia/Shanghai. */
    cron: { minute: '0', hour: '9', weekDay: 'MON' },
  },
  cashierReminders: {
    entry: 'functions/jobs/cashier-reminders.ts',
    description:
      'Working days, end of day: unpaid vouchers of the day\u2019s run go to the cashier, escalated to finance.',
    needs: { table: 'readWrite', mail: true },
    /** Every day 17:30 Asia/Shanghai; the job does nothing on a non-working day (the calendar decides). */
    cron: { minute: '30', hour: '17', weekDay: '*' },
  },
  invoiceBatchClose: {
    entry: 'functions/jobs/invoice-batch-close.ts',
    description:
      'Batch days, at each entity\u2019s close time (17:00 by default): its invoice batch closes and goes to finance; the close starts the batch\u2019s workflow (POLICY 4, D12).',
    // readWrite: the close moves the requests to finance and owes the workflow its start (the outbox).
    needs: { table: 'readWrite' },
    /**
     * Every 5 minutes: the job decides whether the day is a batch day of each entity and its close
     * time has come (the calendar and the policy); the runs after the close close again, moving a
     * request the status index showed late, and start nothing twice.
     */
    everyMinutes: POLICY_TIMED_MINUTES,
    catchUp: 'eachDay',
  },
  invoiceDeadlines: {
    entry: 'functions/jobs/invoice-deadlines.ts',
    description:
      'Daily 09:00: invoicing deadlines \u2014 finance reminded on a batch\u2019s due day and escalated the working day after; the mailing reminded and escalated (D13).',
    // readWrite: it claims each (day, entity, kind) it mails, so a rerun sends nothing again.
    needs: { table: 'readWrite', mail: true },
    cron: { minute: '0', hour: '9', weekDay: '*' },
  },
  dailyExport: {
    entry: 'functions/jobs/daily-export.ts',
    description:
      'Working days, at each entity\u2019s export time (17:30 by default): its daily export of the orders completed and recorded since its previous one (POLICY 3.1, D10).',
    // readWrite: it claims the (day, entity) unit and records the export; evidence write: its files;
    // mail: merchandising and finance get the links and totals.
    needs: { table: 'readWrite', mail: true, evidence: 'write' },
    /**
     * Every 5 minutes: each entity is exported at the first run at or after its policy's
     * `dailyExportTime` (17:30 by default) on a working day, once.
     */
    everyMinutes: POLICY_TIMED_MINUTES,
    catchUp: 'eachDay',
  },
  reconciliationReminders: {
    entry: 'functions/jobs/reconciliation-reminders.ts',
    description:
      'Daily, at each entity\u2019s reminder time (10:00 by default): a week\u2019s sales summary not registered on its due day \u2014 merchandising reminded; the next working day finance and the head of merchandising told it is late (POLICY 3.2, D11).',
    // readWrite: it claims each (day, entity, kind, week) it mails, so a rerun sends nothing again.
    needs: { table: 'readWrite', mail: true },
    /**
     * Every 5 minutes: each entity is reminded at the first run at or after its policy's
     * `reconciliationReminderTime` (10:00 by default), only on due days, once.
     */
    everyMinutes: POLICY_TIMED_MINUTES,
    catchUp: 'eachDay',
  },
  sweepOwedDeliveries: {
    entry: 'functions/jobs/sweep-owed-deliveries.ts',
    description:
      'Every minute: delivers to the workflows what a change has owed them for over a minute (lib/workflow/outbox.ts).',
    // Starts executions and answers waits of any state machine, as the stream's dispatcher does;
    // deletes what it delivered.
    needs: { table: 'readWrite', workflows: everyWorkflow('startAndAnswer') },
    everyMinutes: 1,
  },
} as const satisfies Record<string, FunctionSpec & JobSchedule>;

export type ScheduledJobName = keyof typeof scheduledJobs;

/**
 * Consumers of the table's stream: a Lambda event source mapping each, filtered to the records it
 * handles, so nothing else of the table ever invokes it. Locally the runtime drives the same handler.
 */
export const streamConsumers = {
  deliverOwed: {
    entry: 'functions/workflow/deliver-owed.ts',
    description:
      'The workflow outbox: starts the execution or answers the wait that a change owes (lib/workflow/outbox.ts).',
    needs: { table: 'readWrite', workflows: everyWorkflow('startAndAnswer') },
    /** Items of this partition, as they are inserted (not their updates, nor their deletion). */
    filter: { eventName: 'INSERT', partitionKey: OUTBOX_PARTITION },
  },
} as const satisfies Record<
  string,
  FunctionSpec & { filter: { eventName: 'INSERT' | 'MODIFY' | 'REMOVE'; partitionKey: string } }
>;

export type StreamConsumerName = keyof typeof streamConsumers;

/**
 * Consumers of objects put into the evidence bucket under a prefix: an EventBridge rule on the
 * bucket's object-created events each (that prefix only; infra/constructs/bucket-consumers.ts).
 * Locally the runtime watches the same folder of the data folder (lib/local/orders-inbox.ts).
 */
export const bucketConsumers = {
  ordersInbox: {
    entry: 'functions/orders/inbox.ts',
    description:
      'Orders by file drop: a CSV put into an entity\u2019s orders inbox is imported as by POST /api/orders/import, its result stored beside it.',
    // evidence readWrite: it reads the dropped file and writes its result beside it.
    needs: { table: 'readWrite', evidence: 'readWrite' },
    /** `evidence/orders-inbox/<entityId>/<file>` (lib/orders/file-drop.ts ORDERS_INBOX_PREFIX). */
    prefix: 'evidence/orders-inbox/',
  },
} as const satisfies Record<string, FunctionSpec & { prefix: string }>;

export type BucketConsumerName = keyof typeof bucketConsumers;

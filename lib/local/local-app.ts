/**
 * The application wired with its local adapters: DynamoDB Local, evidence files, the mail outbox,
 * every synthesized state machine under the local engine (each Task state running the handler module
 * its function names in the template), and the local stream that drives the workflow outbox's
 * dispatcher. Used by `npm start`, the tests and the benchmarks, so all three run the same wiring.
 */

import path from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Workflows } from '../../infra/workflows.ts';
import { RecordingDirectory } from '../admin/identity-directory.ts';
import type { AppDeps, Clock, SessionVerifier } from '../app.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import { type DnsResolver, systemDns } from '../mail/dkim.ts';
import { OUTBOX_PARTITION } from '../platform/owed-deliveries.ts';
import { createStore } from '../storage/store.ts';
import { streamConsumers } from '../workflow/catalogue.ts';
import type { StreamHandler } from '../workflow/stream-handler.ts';
import type { TaskHandler } from '../workflow/task-handler.ts';
import { LocalStream } from './local-stream.ts';
import { FileOutbox } from './outbox.ts';
import type { SynthesizedStateMachine } from './synthesized-workflows.ts';
import { type LocalStateMachine, LocalWorkflowEngine } from './workflow-engine.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
/**
 * Synthesis takes seconds (aws-cdk-lib's import alone about half of them): once per set of workflows
 * (the catalogue's, or a test's), and only when the caller does not bring the state machines already
 * synthesized — the test run synthesizes the app once for all its files (test/support/global-setup.ts).
 */
const synthesized = new Map<Workflows | undefined, SynthesizedStateMachine[]>();

async function stateMachinesOf(workflows: Workflows | undefined): Promise<SynthesizedStateMachine[]> {
  let machines = synthesized.get(workflows);
  if (!machines) {
    const { synthesizedStateMachines } = await import('./synthesized-workflows.ts');
    machines = synthesizedStateMachines(workflows);
    synthesized.set(workflows, machines);
  }
  return machines;
}

export interface LocalApp {
  deps: AppDeps;
  engine: LocalWorkflowEngine;
  /** The mail outbox (`/dev/outbox`). */
  outbox: FileOutbox;
  /**
   * After a (re)start: executions that were running carry on from their start, and what a change
   * still owes the workflow is delivered — a process killed between a write and its delivery loses
   * nothing.
   */
  resume(): Promise<void>;
}

export async function createLocalApp(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  dataDir: string;
  clock: Clock & { onChange?(listener: () => void): () => void };
  sessions: SessionVerifier;
  evidence: EvidenceStore;
  linkKey: string;
  publicBaseUrl: string;
  devSignIn?: AppDeps['devSignIn'];
  /** DKIM key lookups: the runtime's demo key and real DNS, or a test's own keys (default: real DNS). */
  dns?: DnsResolver;
  /** The state machines of the app (default: the catalogue's, infra/workflows.ts). */
  workflows?: Workflows;
  /**
   * The catalogue's state machines as `synthesizedStateMachines()` already returned them in this run
   * (ignored when `workflows` is given): the synthesized definitions all the same, without
   * synthesizing again.
   */
  stateMachines?: readonly SynthesizedStateMachine[];
}): Promise<LocalApp> {
  const machines =
    !options.workflows && options.stateMachines
      ? options.stateMachines
      : await stateMachinesOf(options.workflows);
  const outbox = new FileOutbox(path.join(options.dataDir, 'outbox'), options.clock);
  // Each entry module's handler, built below with deps that hold the engine.
  const handlers = new Map<string, TaskHandler>();
  const engine = new LocalWorkflowEngine(
    Object.fromEntries(
      machines.map((machine): [string, LocalStateMachine] => [
        machine.name,
        {
          definition: machine.definition,
          callbacks: new Set(
            Object.entries(machine.tasks)
              .filter(([, task]) => task.callback)
              .map(([state]) => state),
          ),
        },
      ]),
    ),
    (machine, stateName) => {
      const entry = machines.find((candidate) => candidate.name === machine)?.tasks[stateName]?.entry;
      return entry ? handlers.get(entry) : undefined;
    },
    options.clock,
    path.join(options.dataDir, 'executions.json'),
  );
  const stream = new LocalStream();
  const deps: AppDeps = {
    clock: options.clock,
    store: createStore(options.client, options.tableName),
    evidence: options.evidence,
    sessions: options.sessions,
    mailer: outbox,
    workflow: engine,
    taskTokens: engine,
    dns: options.dns ?? systemDns,
    workflowOutbox: stream,
    linkKey: options.linkKey,
    publicBaseUrl: options.publicBaseUrl,
    signInUrl: '/login',
    identityDirectory: new RecordingDirectory(),
    ...(options.devSignIn ? { devSignIn: options.devSignIn } : {}),
  };
  const entries = new Set(
    machines.flatMap((machine) => Object.values(machine.tasks).map((task) => task.entry)),
  );
  for (const entry of entries) {
    const module = (await import(path.join(ROOT, entry))) as {
      createHandler: (deps: AppDeps) => TaskHandler;
    };
    handlers.set(entry, module.createHandler(deps));
  }
  // The table stream's consumers, driven after each write: the local stream knows outbox inserts.
  for (const [name, consumer] of Object.entries(streamConsumers)) {
    if (consumer.filter.partitionKey !== OUTBOX_PARTITION || consumer.filter.eventName !== 'INSERT') {
      throw new Error(`the local stream cannot drive ${name}: it hands on outbox inserts only`);
    }
    const module = (await import(path.join(ROOT, consumer.entry))) as {
      createHandler: (deps: AppDeps) => StreamHandler;
    };
    stream.attach(module.createHandler(deps));
  }
  return {
    deps,
    engine,
    outbox,
    async resume() {
      engine.resume();
      await stream.deliverEverythingOwed(deps);
    },
  };
}

/**
 * The application wired with its local adapters: DynamoDB Local, evidence files, the mail outbox, the
 * synthesized approval state machine under the local engine, and the local stream that drives the
 * workflow outbox's dispatcher. Used by `npm start`, the tests and the benchmarks, so all three run
 * the same wiring.
 */
import path from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppDeps, Clock, SessionVerifier } from '../app.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import { type DnsResolver, systemDns } from '../mail/dkim.ts';
import { createStore } from '../storage/store.ts';
import {
  isCallbackState,
  streamConsumers,
  taskFunctionOf,
  workflowFunctions,
} from '../workflow/approval-states.ts';
import type { StreamHandler } from '../workflow/stream-handler.ts';
import type { TaskHandler } from '../workflow/task-handler.ts';
import { LocalStream } from './local-stream.ts';
import { FileOutbox } from './outbox.ts';
import { synthesizedApprovalDefinition } from './synthesized-workflow.ts';
import { type AslDefinition, LocalWorkflowEngine } from './workflow-engine.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
let definition: AslDefinition | undefined;

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
}): Promise<LocalApp> {
  definition ??= synthesizedApprovalDefinition();
  const outbox = new FileOutbox(path.join(options.dataDir, 'outbox'), options.clock);
  const handlers = new Map<string, TaskHandler>();
  // The engine finds handlers by state name; the handlers are built below with deps that hold the engine.
  const engine = new LocalWorkflowEngine(
    definition,
    (stateName) => {
      const fn = taskFunctionOf(stateName);
      return fn ? handlers.get(fn) : undefined;
    },
    isCallbackState,
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
    ...(options.devSignIn ? { devSignIn: options.devSignIn } : {}),
  };
  for (const [name, spec] of Object.entries(workflowFunctions)) {
    const module = (await import(path.join(ROOT, spec.entry))) as {
      createHandler: (deps: AppDeps) => TaskHandler;
    };
    handlers.set(name, module.createHandler(deps));
  }
  // The dispatcher on the table's stream (one consumer today): driven after each write.
  const dispatcher = (await import(path.join(ROOT, streamConsumers.deliverOwed.entry))) as {
    createHandler: (deps: AppDeps) => StreamHandler;
  };
  stream.attach(dispatcher.createHandler(deps));
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

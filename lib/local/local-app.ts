/**
 * The application wired with its local adapters: DynamoDB Local, evidence files, the outbox, and the
 * synthesized approval state machine under the local engine. Used by `npm start`, the tests and the
 * benchmarks, so all three run the same wiring.
 */
import path from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppDeps, Clock, SessionVerifier } from '../app.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import { type DnsResolver, systemDns } from '../mail/dkim.ts';
import { createStore } from '../storage/store.ts';
import { isCallbackState, taskFunctionOf, workflowFunctions } from '../workflow/approval-states.ts';
import type { TaskHandler } from '../workflow/task-handler.ts';
import { FileOutbox } from './outbox.ts';
import { synthesizedApprovalDefinition } from './synthesized-workflow.ts';
import { type AslDefinition, LocalWorkflowEngine } from './workflow-engine.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
let definition: AslDefinition | undefined;

export interface LocalApp {
  deps: AppDeps;
  engine: LocalWorkflowEngine;
  outbox: FileOutbox;
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
  const deps: AppDeps = {
    clock: options.clock,
    store: createStore(options.client, options.tableName),
    evidence: options.evidence,
    sessions: options.sessions,
    mailer: outbox,
    workflow: engine,
    taskTokens: engine,
    dns: options.dns ?? systemDns,
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
  return { deps, engine, outbox };
}

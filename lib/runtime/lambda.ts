/**
 * The composition root in AWS, one per function: its needs (its catalogue entry) decide which
 * configuration keys its cold start requires (lib/runtime/config.ts) and which adapters its entry module
 * imports (lib/runtime/adapters/: one small module per need, its SDK client created at module scope —
 * or, for S3 and SES, loaded on the port's first call: ./on-first-use.ts), so a bundle holds only
 * what the function uses. In a Lambda sandbox the configuration is parsed and
 * the adapters built at cold start: a missing key fails the init with its name. What needs a call
 * (the link key and the sign-in cookie key from Secrets Manager, the SMTP mailer's module) is
 * fetched before the first invocation, and fetched again by the next one if it failed — a throttle
 * never breaks the container for good.
 */
import type { AppDeps } from '../app.ts';
import { systemClock } from '../app.ts';
import type { ApiHandler } from '../http/api-handler.ts';
import type { FunctionSpec } from '../http/routes.ts';
import { systemDns } from '../mail/dns.ts';
import { mapStackTracesThroughSourceMaps } from '../observability/stack-traces.ts';
import { deliveredByStream } from '../workflow/outbox.ts';
import { type Config, loadConfig } from './config.ts';

export type Needs = FunctionSpec['needs'];
export type NeedName = keyof Needs;

/** What one need gives a function. */
export interface AdapterParts {
  /** Its ports, built at cold start. */
  deps?: Partial<AppDeps>;
  /** What takes a call (a secret): done before the first invocation, again after a failure. */
  setup?: () => Promise<Partial<AppDeps>>;
}

/** The adapter of one need: its part of the deps, from the configuration the need requires. */
export interface Adapter<Need extends NeedName> {
  provide(config: Config, need: NonNullable<Needs[Need]>): AdapterParts;
}

/** Exactly one adapter per need of a spec: a need without its adapter (or the reverse) does not compile. */
export type AdaptersFor<N extends Needs> = { readonly [K in keyof N & NeedName]-?: Adapter<K> };

/**
 * In a Lambda sandbox the cold start builds everything. Elsewhere — the local runtime and the tests
 * import the same entry modules for their `createHandler`, with their own deps — nothing is built
 * unless the Lambda handler is called.
 */
const IN_LAMBDA = process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;

// A bundle's stacks name the sources, mapped when an error is formatted (not at cold start).
if (IN_LAMBDA) mapStackTracesThroughSourceMaps();

/** A port this function was not given: its needs do not name it (nor do its grants in infra/). */
function unavailable<T>(what: string): T {
  const refuse = () => Promise.reject(new Error(`this function has no ${what} (its needs)`));
  const port: object = new Proxy(refuse, { get: () => port, apply: refuse });
  return port as T;
}

function missing(deps: object, key: keyof AppDeps, what: string): void {
  // Never a silent default ('' as a link key would sign links anyone can forge).
  Object.defineProperty(deps, key, {
    configurable: true,
    enumerable: true,
    get: () => {
      throw new Error(`this function has no ${what} (its needs)`);
    },
  });
}

interface ColdStart {
  deps: AppDeps;
  setups: (() => Promise<Partial<AppDeps>>)[];
}

function coldStart<N extends Needs>(needs: N, adapters: AdaptersFor<N>): ColdStart {
  const config = loadConfig(needs);
  const deps = {
    clock: systemClock,
    store: unavailable('table'),
    evidence: unavailable('evidence bucket'),
    sessions: unavailable('session verifier'),
    mailer: unavailable('mailer'),
    identityDirectory: unavailable('identity directory'),
    workflow: unavailable('workflow'),
    taskTokens: unavailable('workflow'),
    dns: systemDns,
    // What a change owes a workflow reaches it through the table's stream, not this function.
    workflowOutbox: deliveredByStream,
    signInUrl: '/login',
  } as AppDeps;
  missing(deps, 'linkKey', 'link key');
  missing(deps, 'publicBaseUrl', 'PUBLIC_BASE_URL');
  const setups: ColdStart['setups'] = [];
  for (const [need, adapter] of Object.entries(adapters) as [NeedName, Adapter<NeedName>][]) {
    const value = needs[need];
    if (value === undefined) continue;
    const parts = adapter.provide(config, value as never);
    for (const [key, part] of Object.entries(parts.deps ?? {})) {
      Object.defineProperty(deps, key, { value: part, writable: true, enumerable: true, configurable: true });
    }
    if (parts.setup) setups.push(parts.setup);
  }
  return { deps, setups };
}

/** The handler, built once: at cold start in Lambda, then before the first invocation; retried on failure. */
function entry<N extends Needs, H>(
  spec: { needs: N },
  adapters: AdaptersFor<N>,
  create: (deps: AppDeps) => H,
): () => Promise<H> {
  let started: ColdStart | undefined;
  const start = () => {
    started ??= coldStart(spec.needs, adapters);
    return started;
  };
  if (IN_LAMBDA) start();
  let ready: Promise<H> | undefined;
  return () => {
    ready ??= (async () => {
      const { deps, setups } = start();
      for (const parts of await Promise.all(setups.map((setup) => setup()))) {
        for (const [key, part] of Object.entries(parts)) {
          Object.defineProperty(deps, key, {
            value: part,
            writable: true,
            enumerable: true,
            configurable: true,
          });
        }
      }
      return create(deps);
    })().catch((error: unknown) => {
      // The next invocation tries again (a Secrets Manager throttle must not break the container).
      ready = undefined;
      throw error;
    });
    return ready;
  };
}

/** The Lambda entry of an HTTP handler module; the local runtime calls `createHandler` itself. */
export function lambdaHandler<N extends Needs>(
  spec: { needs: N },
  adapters: AdaptersFor<N>,
  create: (deps: AppDeps) => ApiHandler,
): ApiHandler {
  const handler = entry(spec, adapters, create);
  return async (event, context) => (await handler())(event, context);
}

/** The Lambda entry of a workflow task, a scheduled job or a stream consumer. */
export function lambdaTaskHandler<N extends Needs, E, R>(
  spec: { needs: N },
  adapters: AdaptersFor<N>,
  create: (deps: AppDeps) => (event: E) => Promise<R>,
): (event: E) => Promise<R> {
  const handler = entry(spec, adapters, create);
  return async (event) => (await handler())(event);
}

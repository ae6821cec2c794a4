/**
 * The local stand-in for Step Functions (DESIGN.md decision 3): it runs every state machine that CDK
 * synthesizes — not a second flow — with aws-local-stepfunctions, each Task state running the same
 * handler the Lambda runs (lib/local/synthesized-workflows.ts reads which). It also plays Step Functions' task-token service for the callback states:
 * it issues a token, hands it to the handler, and waits for SendTaskSuccess/Failure or the state's
 * timeout, measured on the runtime's clock (so moving `POST /api/dev/clock` forward fires what came
 * due).
 *
 * Restart: executions are recorded in the data folder; a RUNNING one is run again from its start
 * after a restart. That is safe because every task handler is idempotent and a decided step answers
 * at once from the table. A replay keeps every timed wait's original deadline, as Step Functions —
 * which never replays — would: a timeout the workflow plans (TimeoutSecondsPath) is planned from
 * recorded facts by its task (the reminder from when the step was requested, the payment day's run
 * from the due day), and a fixed timeout (the daily re-checks, the weekly invoice reminder), which
 * counts from when its wait began, is recorded here while the wait is open and resumed on replay.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Clock } from '../app.ts';
import { logger } from '../observability/logger.ts';
import type { WorkflowName } from '../workflow/catalogue.ts';
import type { TaskTokens, Workflows } from '../workflow/ports.ts';
import type { TaskHandler } from '../workflow/task-handler.ts';

export interface ExecutionRecord {
  /** Its state machine's catalogue name. */
  machine: string;
  name: string;
  input: unknown;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  /** States entered (Step Functions Standard bills per state transition). */
  transitions: number;
  /** The state entered last: where a running execution waits, where a finished one ended. */
  currentState?: string;
  endState?: string;
  error?: string;
  /**
   * Per callback state with a fixed timeout: the deadline of its wait that is open now. The replay's
   * first wait in that state is that very wait (every earlier one was answered or timed out before),
   * so it resumes this deadline instead of starting the timeout again from the restart.
   */
  openWaits?: Record<string, number>;
}

interface Waiting {
  /** When the callback task times out (States.Timeout), on the runtime's clock. */
  deadline: number;
  /** The task's handler has returned: the execution now waits for a person. */
  ready: boolean;
  /** A Wait state's time (not a task token): its deadline goes on, it does not time out. */
  timer?: true;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

/** The longest a local task may take on the library's own (real-time) timer; our clock decides first. */
const LIBRARY_TIMEOUT_SECONDS = 2_000_000;
/** How long a failed local task waits before its retry. */
const LOCAL_RETRY_INTERVAL_MS = 200;

type AslState = Record<string, unknown> & { Type: string };
export type AslDefinition = { StartAt: string; States: Record<string, AslState> };

/**
 * Every state of a definition by name, those of its Map states' processors (and Parallel branches)
 * too: state names are unique across a whole state machine, and the library runs a nested Task with
 * the same overrides, by name.
 */
export function everyState(definition: AslDefinition): [string, AslState][] {
  return Object.entries(definition.States).flatMap(([name, state]): [string, AslState][] => {
    const nested = [
      ...[state.ItemProcessor, state.Iterator].filter((inner) => inner !== undefined),
      ...((state.Branches as unknown[] | undefined) ?? []),
    ] as AslDefinition[];
    return [[name, state], ...nested.flatMap(everyState)];
  });
}

/** A state machine as the engine runs it: its synthesized definition and which states wait for a token. */
export interface LocalStateMachine {
  definition: AslDefinition;
  callbacks: ReadonlySet<string>;
}

/** One machine, prepared once: the definition with local timeouts, and each Task state's retry wait. */
interface Prepared {
  definition: AslDefinition;
  callbacks: ReadonlySet<string>;
  retryIntervals: Record<string, number>;
  /** The callback states whose timeout is a fixed number of seconds in the definition. */
  fixedTimeouts: ReadonlySet<string>;
  /** The Wait states, run as local tasks that wait on the runtime's clock. */
  timedWaits: ReadonlySet<string>;
}

/**
 * Executions recorded before there was more than one state machine (a data folder from then) were
 * all of the voucher workflow's.
 */
const BEFORE_SEVERAL_MACHINES: WorkflowName = 'voucher';

const keyOf = (machine: string, name: string) => `${machine}/${name}`;

function error(name: string, message: string): Error {
  const failure = new Error(message);
  failure.name = name;
  return failure;
}

export class LocalWorkflowEngine implements Workflows, TaskTokens {
  /** Every execution, by `<machine>/<name>` (a name is unique per state machine, as in Step Functions). */
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, Waiting>();
  private readonly machines: ReadonlyMap<string, Prepared>;
  private readonly ticker: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  /**
   * `handlers`: the handler of a Task state of a state machine (built after the engine, since the
   * handlers' deps hold it).
   */
  constructor(
    machines: Readonly<Record<string, LocalStateMachine>>,
    private readonly handlers: (machine: string, stateName: string) => TaskHandler | undefined,
    private readonly clock: Clock & { onChange?(listener: () => void): () => void },
    private readonly stateFile: string,
  ) {
    this.machines = new Map(
      Object.entries(machines).map(([name, machine]) => [name, prepare(machine)] as const),
    );
    if (existsSync(stateFile)) {
      type Saved = Omit<ExecutionRecord, 'machine'> & { machine?: string };
      for (const saved of JSON.parse(readFileSync(stateFile, 'utf8')) as Saved[]) {
        const record = { ...saved, machine: saved.machine ?? BEFORE_SEVERAL_MACHINES };
        this.executions.set(keyOf(record.machine, record.name), record);
      }
    }
    this.ticker = setInterval(() => this.fireTimeouts(), 1000);
    this.ticker.unref();
    this.unsubscribe = clock.onChange?.(() => this.fireTimeouts()) ?? (() => undefined);
  }

  /** The state machines this engine runs, by catalogue name. */
  machineNames(): string[] {
    return [...this.machines.keys()];
  }

  /** Runs again every execution that was running when the runtime stopped. */
  resume(): void {
    for (const record of this.executions.values()) {
      if (record.status === 'RUNNING') this.run(record);
    }
  }

  async start(machine: WorkflowName, name: string, input: unknown): Promise<void> {
    if (!this.machines.has(machine)) throw new Error(`no state machine ${machine} in the app`);
    const key = keyOf(machine, name);
    if (this.executions.has(key)) return; // like StartExecution with an existing name
    const record: ExecutionRecord = { machine, name, input, status: 'RUNNING', transitions: 0 };
    this.executions.set(key, record);
    this.persist();
    this.run(record);
  }

  execution(machine: WorkflowName, name: string): ExecutionRecord | undefined {
    return this.executions.get(keyOf(machine, name));
  }

  /** Resolves when every started execution has finished or waits for a person. */
  async settled(): Promise<void> {
    for (;;) {
      const waitingForPeople = [...this.waiting.values()].filter((wait) => wait.ready).length;
      const busy = this.running.size > waitingForPeople;
      if (!busy) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async succeed(token: string, output: unknown): Promise<boolean> {
    const wait = this.waiting.get(token);
    if (!wait) return false;
    this.waiting.delete(token);
    wait.resolve(output);
    return true;
  }

  async fail(token: string, errorName: string, cause: string): Promise<boolean> {
    const wait = this.waiting.get(token);
    if (!wait) return false;
    this.waiting.delete(token);
    wait.reject(error(errorName, cause));
    return true;
  }

  stop(): void {
    clearInterval(this.ticker);
    this.unsubscribe();
  }

  private fireTimeouts(): void {
    const now = this.clock.now().getTime();
    for (const [token, wait] of this.waiting) {
      if (wait.deadline <= now) {
        this.waiting.delete(token);
        if (wait.timer) wait.resolve(undefined);
        else wait.reject(error('States.Timeout', 'the task timed out'));
      }
    }
  }

  private overrides(
    record: ExecutionRecord,
    machine: Prepared,
  ): Record<string, (input: unknown) => Promise<unknown>> {
    const overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
    // The waits open when the runtime stopped, each resumed once by this run's first wait there.
    const resumable = new Map(Object.entries(record.openWaits ?? {}));
    for (const [name, state] of everyState(machine.definition)) {
      if (machine.timedWaits.has(name)) {
        overrides[name] = (parameters) => this.waitUntil(parameters as { until?: string; seconds?: number });
        continue;
      }
      if (state.Type !== 'Task') continue;
      const handler = this.handlers(record.machine, name);
      if (!handler) throw new Error(`no local handler for the task state ${name} of ${record.machine}`);
      overrides[name] = machine.callbacks.has(name)
        ? async (parameters) => {
            const payload = (parameters as { Payload: Record<string, unknown> }).Payload;
            const token = randomUUID();
            const timeoutSeconds = Number(payload.timeoutSeconds ?? LIBRARY_TIMEOUT_SECONDS);
            const resumed = resumable.get(name);
            resumable.delete(name);
            const deadline = resumed ?? this.clock.now().getTime() + timeoutSeconds * 1000;
            const outcome = new Promise((resolve, reject) => {
              this.waiting.set(token, { deadline, ready: false, resolve, reject });
            });
            // The wait may end (its deadline passes as the clock is moved) while its handler still
            // runs, before the library awaits it: that is no unhandled rejection; the library still
            // gets it from the promise returned below.
            outcome.catch(() => undefined);
            if (machine.fixedTimeouts.has(name)) this.keepOpenWait(record, name, deadline, outcome);
            try {
              await handler({ ...payload, taskToken: token });
            } catch (failure) {
              this.waiting.delete(token);
              throw failure;
            }
            const wait = this.waiting.get(token);
            if (wait) wait.ready = true;
            // A resumed deadline may be past already: it times out now, not at the next tick.
            this.fireTimeouts();
            return outcome;
          }
        : (parameters) => handler(parameters);
    }
    return overrides;
  }

  /**
   * A Wait state on the runtime's clock: until its timestamp (a past one at once — a replay after a
   * restart waits for the same moment again, not longer). A Wait of seconds counts from now.
   */
  private waitUntil(parameters: { until?: string; seconds?: number }): Promise<unknown> {
    const deadline =
      parameters.until !== undefined
        ? new Date(parameters.until).getTime()
        : this.clock.now().getTime() + (parameters.seconds ?? 0) * 1000;
    const outcome = new Promise((resolve, reject) => {
      this.waiting.set(randomUUID(), { deadline, ready: true, timer: true, resolve, reject });
    });
    this.fireTimeouts();
    return outcome.then(() => ({}));
  }

  /** Records a fixed-timeout wait's deadline while it is open (for a replay after a restart). */
  private keepOpenWait(record: ExecutionRecord, state: string, deadline: number, outcome: Promise<unknown>) {
    record.openWaits = { ...record.openWaits, [state]: deadline };
    this.persist();
    const closed = () => {
      if (record.openWaits?.[state] !== deadline) return; // a later wait of that state replaced it
      const { [state]: _closed, ...open } = record.openWaits;
      record.openWaits = open;
      this.persist();
    };
    outcome.then(closed, closed);
  }

  private run(record: ExecutionRecord): void {
    const key = keyOf(record.machine, record.name);
    const prepared = this.machines.get(record.machine);
    if (!prepared) {
      // A state machine that left the app: its execution stays as it was recorded.
      logger.error('local workflow execution of an unknown state machine', { execution: key });
      return;
    }
    record.transitions = 0;
    const machine = new StateMachine(prepared.definition as never, {
      validationOptions: { checkPaths: false },
    });
    const execution = machine.run(record.input as never, {
      overrides: {
        taskResourceLocalHandlers: this.overrides(record, prepared) as never,
        // A failed local task is retried soon, not after Step Functions' backoff in real time.
        retryIntervalOverrides: prepared.retryIntervals,
      },
      context: {
        Execution: {
          Id: `local:${key}`,
          Name: record.name,
          Input: record.input as never,
          StartTime: new Date().toISOString(),
        },
        StateMachine: { Id: `local:${record.machine}`, Name: record.machine },
        // The library does not issue task tokens; the callback override issues a real one per wait.
        Task: { Token: 'issued-by-the-local-override' },
      },
    });
    const counting = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered') {
          record.transitions += 1;
          record.currentState = event.state.name;
        }
      }
    })();
    const done = execution.result.then(
      () => {
        record.status = 'SUCCEEDED';
      },
      (failure: unknown) => {
        record.status = 'FAILED';
        record.error = failure instanceof Error ? failure.message : String(failure);
        logger.error('local workflow execution failed', { execution: key, error: record.error });
      },
    );
    const finished = Promise.all([done, counting]).then(() => {
      if (record.status === 'SUCCEEDED') record.endState = record.currentState;
      this.running.delete(key);
      this.persist();
    });
    this.running.set(key, finished);
  }

  private persist(): void {
    writeFileSync(`${this.stateFile}.tmp`, JSON.stringify([...this.executions.values()], null, 2));
    renameSync(`${this.stateFile}.tmp`, this.stateFile);
  }
}

/**
 * Time on the runtime's clock, not the library's timers:
 * - aws-local-stepfunctions reads TimeoutSecondsPath from the task's parameters, not its input, and
 *   would time a fixed TimeoutSeconds in real time; the override times callback waits itself, from
 *   the `timeoutSeconds` in the payload.
 * - The library tells its own timeout from other errors by its class, which it does not export: our
 *   clock's States.Timeout would match a callback state's `States.TaskFailed` retrier and be retried
 *   instead of caught (reminders, re-checks). A leading retrier that gives a timeout no attempt sends
 *   it on to the Catch, as Step Functions does; every other failure is still retried.
 */
function prepare({ definition, callbacks }: LocalStateMachine): Prepared {
  // A Wait state runs as a local task that waits on the runtime's clock (the library's own Wait
  // sleeps in real time): the same time fields, passed as its parameters; its output is its input.
  const timedWaits = new Set(
    Object.entries(definition.States)
      .filter(([, state]) => state.Type === 'Wait')
      .map(([name]) => name),
  );
  const fixedTimeouts = new Set(
    Object.entries(definition.States)
      .filter(([name, state]) => callbacks.has(name) && typeof state.TimeoutSeconds === 'number')
      .map(([name]) => name),
  );
  const states = Object.fromEntries(
    Object.entries(definition.States).map(([name, state]) => {
      if (timedWaits.has(name)) return [name, localWait(state)];
      if (!callbacks.has(name)) return [name, state];
      const { TimeoutSecondsPath: _path, TimeoutSeconds: _seconds, Retry, ...rest } = state;
      const retry = [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 0 }, ...((Retry as unknown[]) ?? [])];
      return [name, { ...rest, Retry: retry, TimeoutSeconds: LIBRARY_TIMEOUT_SECONDS }];
    }),
  );
  const retryIntervals = Object.fromEntries(
    everyState({ ...definition, States: states })
      .filter(([, state]) => state.Type === 'Task')
      .map(([name]) => [name, LOCAL_RETRY_INTERVAL_MS]),
  );
  return {
    definition: { ...definition, States: states },
    callbacks,
    retryIntervals,
    fixedTimeouts,
    timedWaits,
  };
}

/** A Wait state as the local task standing in for it (its result discarded: the output is its input). */
function localWait(state: AslState): AslState {
  const { Type: _type, Seconds, SecondsPath, Timestamp, TimestampPath, ...rest } = state;
  const parameters =
    TimestampPath !== undefined
      ? { 'until.$': TimestampPath }
      : Timestamp !== undefined
        ? { until: Timestamp }
        : SecondsPath !== undefined
          ? { 'seconds.$': SecondsPath }
          : { seconds: Seconds ?? 0 };
  return {
    ...rest,
    Type: 'Task',
    Resource: 'arn:aws:lambda:local:000000000000:function:local-wait',
    Parameters: parameters,
    ResultPath: null,
    TimeoutSeconds: LIBRARY_TIMEOUT_SECONDS,
  };
}

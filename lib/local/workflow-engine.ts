/**
 * The local stand-in for Step Functions (DESIGN.md decision 3): it runs the state machine that CDK
 * synthesizes — not a second flow — with aws-local-stepfunctions, each Task state running the same
 * handler the Lambda runs. It also plays Step Functions' task-token service for the callback states:
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
import {
  type ApprovalInput,
  executionName,
  type TaskTokens,
  type WorkflowStarter,
} from '../workflow/ports.ts';
import type { TaskHandler } from '../workflow/task-handler.ts';

export interface ExecutionRecord {
  name: string;
  input: ApprovalInput;
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
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

/** The longest a local task may take on the library's own (real-time) timer; our clock decides first. */
const LIBRARY_TIMEOUT_SECONDS = 2_000_000;
/** How long a failed local task waits before its retry. */
const LOCAL_RETRY_INTERVAL_MS = 200;

type AslState = Record<string, unknown> & { Type: string };
export type AslDefinition = { StartAt: string; States: Record<string, AslState> };

function error(name: string, message: string): Error {
  const failure = new Error(message);
  failure.name = name;
  return failure;
}

export class LocalWorkflowEngine implements WorkflowStarter, TaskTokens {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, Waiting>();
  private readonly definition: AslDefinition;
  /** Every Task state's retry wait, locally (the definition is fixed, so computed once). */
  private readonly retryIntervals: Record<string, number>;
  /** The callback states whose timeout is a fixed number of seconds in the definition. */
  private readonly fixedTimeouts: ReadonlySet<string>;
  private readonly ticker: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    definition: AslDefinition,
    private readonly handlers: (stateName: string) => TaskHandler | undefined,
    private readonly isCallback: (stateName: string) => boolean,
    private readonly clock: Clock & { onChange?(listener: () => void): () => void },
    private readonly stateFile: string,
  ) {
    this.fixedTimeouts = new Set(
      Object.entries(definition.States)
        .filter(([name, state]) => isCallback(name) && typeof state.TimeoutSeconds === 'number')
        .map(([name]) => name),
    );
    this.definition = this.withLocalTimeouts(definition);
    this.retryIntervals = Object.fromEntries(
      Object.entries(this.definition.States)
        .filter(([, state]) => state.Type === 'Task')
        .map(([name]) => [name, LOCAL_RETRY_INTERVAL_MS]),
    );
    if (existsSync(stateFile)) {
      for (const record of JSON.parse(readFileSync(stateFile, 'utf8')) as ExecutionRecord[]) {
        this.executions.set(record.name, record);
      }
    }
    this.ticker = setInterval(() => this.fireTimeouts(), 1000);
    this.ticker.unref();
    this.unsubscribe = clock.onChange?.(() => this.fireTimeouts()) ?? (() => undefined);
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
  private withLocalTimeouts(definition: AslDefinition): AslDefinition {
    const states = Object.fromEntries(
      Object.entries(definition.States).map(([name, state]) => {
        if (!this.isCallback(name)) return [name, state];
        const { TimeoutSecondsPath: _path, TimeoutSeconds: _seconds, Retry, ...rest } = state;
        const retry = [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 0 }, ...((Retry as unknown[]) ?? [])];
        return [name, { ...rest, Retry: retry, TimeoutSeconds: LIBRARY_TIMEOUT_SECONDS }];
      }),
    );
    return { ...definition, States: states };
  }

  /** Runs again every execution that was running when the runtime stopped. */
  resume(): void {
    for (const record of this.executions.values()) {
      if (record.status === 'RUNNING') this.run(record);
    }
  }

  async startApproval(input: ApprovalInput): Promise<void> {
    const name = executionName(input);
    if (this.executions.has(name)) return; // like StartExecution with an existing name
    const record: ExecutionRecord = { name, input, status: 'RUNNING', transitions: 0 };
    this.executions.set(name, record);
    this.persist();
    this.run(record);
  }

  execution(name: string): ExecutionRecord | undefined {
    return this.executions.get(name);
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
        wait.reject(error('States.Timeout', 'the task timed out'));
      }
    }
  }

  private overrides(record: ExecutionRecord): Record<string, (input: unknown) => Promise<unknown>> {
    const overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
    // The waits open when the runtime stopped, each resumed once by this run's first wait there.
    const resumable = new Map(Object.entries(record.openWaits ?? {}));
    for (const [name, state] of Object.entries(this.definition.States)) {
      if (state.Type !== 'Task') continue;
      const handler = this.handlers(name);
      if (!handler) throw new Error(`no local handler for the task state ${name}`);
      overrides[name] = this.isCallback(name)
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
            if (this.fixedTimeouts.has(name)) this.keepOpenWait(record, name, deadline, outcome);
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
    record.transitions = 0;
    const machine = new StateMachine(this.definition as never, { validationOptions: { checkPaths: false } });
    const execution = machine.run(record.input as never, {
      overrides: {
        taskResourceLocalHandlers: this.overrides(record) as never,
        // A failed local task is retried soon, not after Step Functions' backoff in real time.
        retryIntervalOverrides: this.retryIntervals,
      },
      context: {
        Execution: {
          Id: `local:${record.name}`,
          Name: record.name,
          Input: record.input as never,
          StartTime: new Date().toISOString(),
        },
        StateMachine: { Id: 'local:ApprovalStateMachine', Name: 'ApprovalStateMachine' },
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
        logger.error('local workflow execution failed', { execution: record.name, error: record.error });
      },
    );
    const finished = Promise.all([done, counting]).then(() => {
      if (record.status === 'SUCCEEDED') record.endState = record.currentState;
      this.running.delete(record.name);
      this.persist();
    });
    this.running.set(record.name, finished);
  }

  private persist(): void {
    writeFileSync(`${this.stateFile}.tmp`, JSON.stringify([...this.executions.values()], null, 2));
    renameSync(`${this.stateFile}.tmp`, this.stateFile);
  }
}

import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  type IChainable,
  IntegrationPattern,
  JsonPath,
  Pass,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { INVOICE_REMINDER_DAYS } from '../../lib/domain/supplier-invoice.ts';
import {
  APPROVAL_WITHDRAWN_ERROR,
  approvalStates,
  type HumanStep,
  PAYMENT_FAILED_ERROR,
  REJECTED_ERROR,
  type VoucherTaskName,
} from '../../lib/workflow/approval-states.ts';
import type { WorkflowDefinition, WorkflowDefinitionProps } from './state-machine.ts';

const ref = { voucherId: JsonPath.stringAt('$.voucherId'), version: JsonPath.numberAt('$.version') };

/** How often a wait for a person re-checks the voucher: a lost answer heals within a day. */
const RECHECK_SECONDS = Duration.days(1).toSeconds();

/**
 * Retries of every task beyond CDK's default (Lambda service errors): throttling (every voucher due a
 * day wakes at 00:00 Shanghai at once) and any failure of the handler itself — a DynamoDB conflict, an
 * SES throttle, a sandbox timeout; every handler is idempotent. A person's answer (rejected, payment
 * failed) is not a failure to retry: it goes to the Catch that handles it.
 */
function resilient<T extends LambdaInvoke>(task: T): T {
  task.addRetry({
    errors: ['Lambda.TooManyRequestsException'],
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
  });
  task.addRetry({ errors: [REJECTED_ERROR, PAYMENT_FAILED_ERROR, APPROVAL_WITHDRAWN_ERROR], maxAttempts: 0 });
  task.addRetry({
    errors: ['States.TaskFailed'],
    interval: Duration.seconds(5),
    maxAttempts: 4,
    backoffRate: 2,
  });
  return task;
}

type Tasks = WorkflowDefinitionProps<VoucherTaskName>['tasks'];

/**
 * The voucher workflow: the approval chain (POLICY 2.2; DESIGN.md decisions 3–5), then payment and the
 * supplier-invoice chase. Each human step is a `.waitForTaskToken` task whose timeout is one working
 * day (planned by a task, since the calendar is a business rule); a timeout reminds — then escalates —
 * and waits again. The CEO step is a Choice on the route recorded on the voucher. The local runtime
 * runs this very definition.
 */
export class VoucherWorkflow extends Construct implements WorkflowDefinition {
  readonly startState: IChainable;

  constructor(scope: Construct, id: string, props: WorkflowDefinitionProps<VoucherTaskName>) {
    super(scope, id);
    const built = props.tasks;
    const invoke = (
      stateName: string,
      fn: IFunction,
      payload: Record<string, unknown>,
      resultPath: string | null,
    ) =>
      resilient(
        new LambdaInvoke(this, stateName, {
          lambdaFunction: fn,
          payload: TaskInput.fromObject(payload),
          payloadResponseOnly: true,
          resultPath: resultPath ?? JsonPath.DISCARD,
          taskTimeout: Timeout.duration(Duration.seconds(60)),
        }),
      );

    const rejected = new Succeed(this, approvalStates.rejected);
    const recordRejection = invoke(
      approvalStates.recordRejection,
      built.recordRejection,
      { ...ref, step: JsonPath.stringAt('$.reminder.step') },
      null,
    ).next(rejected);
    const payment = this.paymentAndInvoice(built, invoke, rejected);
    const humanStep = (step: HumanStep, resultKey: string) => {
      const names = approvalStates.step(step);
      const begin = new Pass(this, names.begin, {
        parameters: { step, attempt: 0 },
        resultPath: '$.reminder',
      });
      const plan = invoke(
        names.plan,
        built.planReminder,
        {
          ...ref,
          step: JsonPath.stringAt('$.reminder.step'),
          attempt: JsonPath.numberAt('$.reminder.attempt'),
        },
        '$.reminder',
      );
      const request = this.waitFor(
        names.request,
        built.requestApproval,
        { step: JsonPath.stringAt('$.reminder.step'), attempt: JsonPath.numberAt('$.reminder.attempt') },
        { path: '$.reminder.timeoutSeconds' },
        `$.decisions.${resultKey}`,
      );
      const remind = new Pass(this, names.remind, {
        parameters: {
          step: JsonPath.stringAt('$.reminder.step'),
          attempt: JsonPath.mathAdd(JsonPath.numberAt('$.reminder.attempt'), 1),
        },
        resultPath: '$.reminder',
      });
      request.addCatch(remind, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
      request.addCatch(recordRejection, { errors: [REJECTED_ERROR], resultPath: '$.rejection' });
      remind.next(plan);
      begin.next(plan).next(request);
      return { begin, request };
    };

    const head = humanStep('HEAD_OF_MERCHANDISING', 'headOfMerchandising');
    const ceo = humanStep('CEO', 'ceo');
    const finance = humanStep('FINANCE_REVIEW', 'financeReview');
    ceo.request.next(finance.begin);
    finance.request.next(payment.chain);
    // POLICY D6: the approver refused a proxy's approval before payment — the wait that finds it (or
    // is failed by the refusal) goes back to that step's Begin; that step and every later one are
    // decided again. Only the head-of-merchandising and CEO steps take proxies; anything else would go
    // back to the very start (the strictest).
    const backToWithdrawn = new Choice(this, approvalStates.backToWithdrawnStep)
      .when(Condition.stringEquals('$.withdrawal.Cause', 'CEO'), ceo.begin)
      .otherwise(head.begin);
    for (const wait of [ceo.request, finance.request, ...payment.waitsBeforePayment]) {
      wait.addCatch(backToWithdrawn, { errors: [APPROVAL_WITHDRAWN_ERROR], resultPath: '$.withdrawal' });
    }
    head.request.next(
      // POLICY 2.2(2), D1, D2: the route recorded on the voucher decides (read at the first decision).
      new Choice(this, approvalStates.needsCeo)
        .when(Condition.booleanEquals('$.decisions.headOfMerchandising.requiresCeo', true), ceo.begin)
        .otherwise(finance.begin),
    );
    this.startState = invoke(approvalStates.start, built.startApproval, ref, '$.route').next(head.begin);
  }

  /**
   * A `.waitForTaskToken` task (DESIGN.md decision 4): its handler keeps the token beside the voucher
   * and a person's action answers it; its timeout — seconds, or a path into the state's input — is
   * when it reminds or looks again.
   */
  private waitFor(
    stateName: string,
    fn: IFunction,
    extra: Record<string, unknown>,
    timeout: { seconds: number } | { path: string },
    resultPath: string,
  ): LambdaInvoke {
    const byPath = 'path' in timeout;
    return resilient(
      new LambdaInvoke(this, stateName, {
        lambdaFunction: fn,
        integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: TaskInput.fromObject({
          taskToken: JsonPath.taskToken,
          ...ref,
          ...extra,
          // The handler ignores it; the local runtime times the wait with it (the local engine reads
          // TimeoutSecondsPath from the task's parameters, not its input).
          timeoutSeconds: byPath ? JsonPath.numberAt(timeout.path) : timeout.seconds,
        }),
        taskTimeout: byPath ? Timeout.at(timeout.path) : Timeout.duration(Duration.seconds(timeout.seconds)),
        resultPath,
      }),
    );
  }

  /**
   * After finance review (POLICY 2.2(3), 2.1(3), D3–D5, D9): wait for the payment day's run to open,
   * wait for the cashier (PAID, or PAYMENT_FAILED → finance schedules it again or returns it), then
   * chase the supplier's invoice weekly until it is recorded and the voucher is CLOSED.
   */
  private paymentAndInvoice(
    built: Tasks,
    invoke: (
      stateName: string,
      fn: IFunction,
      payload: Record<string, unknown>,
      resultPath: string | null,
    ) => LambdaInvoke,
    rejected: IChainable,
  ): { chain: IChainable; waitsBeforePayment: LambdaInvoke[] } {
    // A wait for a person that re-checks the voucher daily (its timeout enters it again): an answer
    // lost after the person's change was saved heals within a day, as the handler answers from the
    // voucher; no wait runs into Step Functions' own limits unwatched.
    const callback = (stateName: string, fn: IFunction, resultPath: string) => {
      const task = this.waitFor(stateName, fn, {}, { seconds: RECHECK_SECONDS }, resultPath);
      task.addCatch(task, { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
      return task;
    };
    const markReady = invoke(approvalStates.markReady, built.markReadyForPayment, ref, '$.payment');
    // POLICY D3–D5: the run of the due day opens at 00:00 Asia/Shanghai — the task's timeout — unless
    // the voucher is pulled into today's run first, which answers the task. Not a Wait state: a Wait
    // cannot be woken early.
    const waitForDay = this.waitFor(
      approvalStates.waitForPaymentDay,
      built.awaitPaymentDay,
      {},
      { path: '$.payment.secondsUntilRun' },
      JsonPath.DISCARD,
    );

    const awaitPayment = callback(approvalStates.awaitPayment, built.awaitPayment, '$.paid');
    const awaitFinance = callback(
      approvalStates.awaitFinanceAfterFailedPayment,
      built.awaitPaymentRetry,
      '$.payment',
    );
    const recordReturn = invoke(
      approvalStates.recordPaymentReturn,
      built.recordRejection,
      { ...ref, step: 'PAYMENT' },
      null,
    ).next(rejected);
    // The run opened (the timeout) or the voucher was pulled into today's run: the cashier's step.
    waitForDay.addCatch(awaitPayment, { errors: ['States.Timeout'], resultPath: JsonPath.DISCARD });
    awaitPayment.addCatch(awaitFinance, { errors: [PAYMENT_FAILED_ERROR], resultPath: '$.paymentFailure' });
    awaitFinance.addCatch(recordReturn, { errors: [REJECTED_ERROR], resultPath: '$.rejection' });
    awaitFinance.next(waitForDay);

    const beginChase = new Pass(this, approvalStates.beginSupplierInvoice, {
      parameters: { attempt: 0 },
      resultPath: '$.invoiceChase',
    });
    // POLICY D9: a reminder every week until the invoice is recorded (the task's timeout).
    const reminderSeconds = Duration.days(INVOICE_REMINDER_DAYS).toSeconds();
    const awaitInvoice = this.waitFor(
      approvalStates.awaitSupplierInvoice,
      built.awaitSupplierInvoice,
      { attempt: JsonPath.numberAt('$.invoiceChase.attempt') },
      { seconds: reminderSeconds },
      '$.invoice',
    );
    const remind = new Pass(this, approvalStates.remindSupplierInvoice, {
      parameters: { attempt: JsonPath.mathAdd(JsonPath.numberAt('$.invoiceChase.attempt'), 1) },
      resultPath: '$.invoiceChase',
    });
    awaitInvoice.addCatch(remind, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
    remind.next(awaitInvoice);
    const chain = markReady
      .next(waitForDay)
      .next(awaitPayment)
      .next(beginChase)
      .next(awaitInvoice)
      .next(new Succeed(this, approvalStates.closed));
    // Until it is paid, an approval of the voucher may still be withdrawn (POLICY D6).
    return { chain, waitsBeforePayment: [waitForDay, awaitPayment, awaitFinance] };
  }
}

/**
 * Workflows are a catalogue: a second state machine — test-only, its construct and task handlers under
 * test/support/probe-workflow/ — added to the app's workflows is synthesized, run by the local
 * runtime and started through the workflow port and the outbox, while nothing of the voucher workflow
 * changes. The local runtime reads its task → handler map from the synthesized template alone.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENTRY_METADATA } from '../../infra/constructs/fundflow-function.ts';
import { WORKFLOW_METADATA } from '../../infra/constructs/state-machine.ts';
import { synthesizedStateMachines } from '../../lib/local/synthesized-workflows.ts';
import { submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { executionName } from '../../lib/workflow/approval-states.ts';
import { WORKFLOW_NAMES, type WorkflowName } from '../../lib/workflow/catalogue.ts';
import { deliver, owedStart } from '../../lib/workflow/outbox.ts';
import { synthesize } from '../infra/synth.ts';
import { type TestApp, testApp, voucherInput } from '../support/app.ts';
import { probeLog, probeStates, withProbe } from '../support/probe-workflow/probe-workflow.ts';

/** The catalogue's type knows the production state machines only; the probe is this test's. */
const PROBE = 'probe' as WorkflowName;

let app: TestApp;

beforeEach(async () => {
  app = await testApp('2026-11-18T10:00:00+08:00', { workflows: withProbe });
});

describe('a second state machine in the catalogue', () => {
  let template: ReturnType<typeof synthesize>['template'];
  beforeAll(() => {
    template = synthesize({ checks: false, workflows: withProbe }).template;
  });

  it('is synthesized beside the voucher workflow, its task functions naming their handler modules', () => {
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    const entries = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (resource) => resource.Metadata?.[ENTRY_METADATA],
    );

    expect(machines.map((machine) => machine.Metadata?.[WORKFLOW_METADATA]).sort()).toEqual([
      'invoiceBatch',
      'probe',
      'reconciliation',
      'voucher',
    ]);
    expect(machines.map((machine) => machine.Properties.StateMachineName).sort()).toEqual([
      'Fundflow-InvoiceBatch',
      'Fundflow-Probe',
      'Fundflow-Reconciliation',
      'Fundflow-Voucher',
    ]);
    expect(entries).toEqual(
      expect.arrayContaining([
        'test/support/probe-workflow/record-visit.ts',
        'test/support/probe-workflow/await-answer.ts',
      ]),
    );
  });

  it('is read by the local runtime with its task → handler map and its callback state from the template', () => {
    const probe = synthesizedStateMachines(withProbe).find((machine) => machine.name === 'probe');

    expect(probe?.tasks).toEqual({
      [probeStates.recordVisit]: { entry: 'test/support/probe-workflow/record-visit.ts', callback: false },
      [probeStates.awaitAnswer]: { entry: 'test/support/probe-workflow/await-answer.ts', callback: true },
    });
  });

  it('runs locally when started through the workflow port, and ends when its task token is answered', async () => {
    expect(app.engine.machineNames().sort()).toEqual(['invoiceBatch', 'probe', 'reconciliation', 'voucher']);

    await app.deps.workflow.start(PROBE, 'visit-ada', { visitor: 'ada' });
    await app.engine.settled();
    expect(probeLog.visits).toContain('ada');
    expect(app.engine.execution(PROBE, 'visit-ada')).toMatchObject({
      status: 'RUNNING',
      currentState: probeStates.awaitAnswer,
    });

    expect(await app.deps.taskTokens.succeed(probeLog.tokens.get('ada') ?? '', { answer: 42 })).toBe(true);
    await app.engine.settled();

    expect(app.engine.execution(PROBE, 'visit-ada')).toMatchObject({
      status: 'SUCCEEDED',
      endState: probeStates.answered,
    });
  });

  it('starts one execution per name, however often it is started', async () => {
    const before = probeLog.visits.filter((visitor) => visitor === 'grace').length;

    await app.deps.workflow.start(PROBE, 'visit-grace', { visitor: 'grace' });
    await app.deps.workflow.start(PROBE, 'visit-grace', { visitor: 'grace' });
    await app.engine.settled();

    expect(probeLog.visits.filter((visitor) => visitor === 'grace').length - before).toBe(1);
  });

  it('is started by an owed start of the workflow outbox, as the voucher workflow is', async () => {
    const owed = owedStart(
      { machine: PROBE, executionName: 'visit-lin', input: { visitor: 'lin' } },
      new Date(),
    );

    expect(await deliver(app.deps, owed)).toBe('STARTED');
    await app.engine.settled();

    expect(app.engine.execution(PROBE, 'visit-lin')?.currentState).toBe(probeStates.awaitAnswer);
  });

  it('leaves the voucher workflow as it was: a submission still starts its approval chain', async () => {
    const liNa = app.person('li.na');
    const { voucher } = await submitVoucher(app.deps, liNa, await voucherInput(app, liNa));
    await app.engine.settled();

    expect(
      app.engine.execution('voucher', executionName({ voucherId: voucher.id, version: 1 })),
    ).toMatchObject({
      status: 'RUNNING',
      currentState: 'RequestHeadOfMerchandisingDecision',
    });
  });
});

describe('the local runtime', () => {
  it('runs every state machine of the synthesized app', async () => {
    const plain = await testApp();

    expect(plain.engine.machineNames().sort()).toEqual([...WORKFLOW_NAMES].sort());
    plain.engine.stop();
  });
});

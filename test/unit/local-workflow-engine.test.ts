/**
 * The local engine's record of executions (lib/local/workflow-engine.ts), one per state machine and
 * name, kept across restarts — also a data folder from before there were several state machines.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalWorkflowEngine } from '../../lib/local/workflow-engine.ts';
import type { WorkflowName } from '../../lib/workflow/catalogue.ts';

const clock = { now: () => new Date('2026-11-18T10:00:00+08:00') };
const machine = {
  definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
  callbacks: new Set<string>(),
};

describe('the local engine’s executions', () => {
  it('reads an execution recorded before there were several state machines as the voucher workflow’s', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'fundflow-engine-')), 'executions.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          name: '01KVOUCHER-v1',
          input: { voucherId: '01KVOUCHER', version: 1 },
          status: 'SUCCEEDED',
          transitions: 14,
        },
      ]),
    );

    const engine = new LocalWorkflowEngine({ voucher: machine }, () => undefined, clock, file);

    expect(engine.execution('voucher', '01KVOUCHER-v1')).toMatchObject({
      machine: 'voucher',
      status: 'SUCCEEDED',
    });
    engine.stop();
  });

  it('keeps the same name apart in two state machines, and starts each once', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'fundflow-engine-')), 'executions.json');
    const engine = new LocalWorkflowEngine(
      { voucher: machine, probe: machine },
      () => undefined,
      clock,
      file,
    );
    const probe = 'probe' as WorkflowName;

    await engine.start('voucher', 'same-name', { n: 1 });
    await engine.start(probe, 'same-name', { n: 2 });
    await engine.start(probe, 'same-name', { n: 3 });
    await engine.settled();

    expect(engine.execution('voucher', 'same-name')).toMatchObject({ input: { n: 1 }, status: 'SUCCEEDED' });
    expect(engine.execution(probe, 'same-name')).toMatchObject({ input: { n: 2 }, status: 'SUCCEEDED' });
    engine.stop();
  });

  it('refuses to start a state machine the app does not have', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'fundflow-engine-')), 'executions.json');
    const engine = new LocalWorkflowEngine({ voucher: machine }, () => undefined, clock, file);

    await expect(engine.start('invoiceBatch' as WorkflowName, 'x', {})).rejects.toThrow(
      'no state machine invoiceBatch',
    );
    engine.stop();
  });
});

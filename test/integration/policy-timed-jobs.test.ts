/**
 * The jobs at a policy's time of day (POLICY 3.1, 3.2, 4; D10–D12, D17) run every few minutes
 * (lib/workflow/catalogue.ts `catchUp: 'eachDay'`) and act for an entity at the first run at or after
 * its own, versioned time — once. Before, they ran on fixed crons: a close hour set to 18 left the
 * batch of the day unclosed, and an export or reminder time set later went unheeded.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addPolicyVersion } from '../../lib/admin/policy.ts';
import { DEFAULT_POLICY, EDITABLE_POLICY_SETTINGS } from '../../lib/domain/policy.ts';
import { dailyExportJob } from '../../lib/exports/daily-export.ts';
import { closeDueInvoiceBatches } from '../../lib/invoicing/batch-close-job.ts';
import { recordInvoiceRequest } from '../../lib/invoicing/requests.ts';
import { remindReconciliations } from '../../lib/reconciliation/reminders-job.ts';
import { type TestApp, testApp } from '../support/app.ts';

let app: TestApp;
const numbers = Object.fromEntries(EDITABLE_POLICY_SETTINGS.map((key) => [key, DEFAULT_POLICY[key]])) as Pick<
  typeof DEFAULT_POLICY,
  (typeof EDITABLE_POLICY_SETTINGS)[number]
>;
const SHANGHAI = 'lianshang-sh';

beforeEach(async () => {
  app = await testApp('2026-11-23T10:00:00+08:00');
});

/** A version for the Shanghai entity from `day` on; the Guangzhou entity keeps the defaults. */
async function laterFrom(day: string, settings: Partial<typeof numbers>) {
  const admin = app.person('admin');
  expect(admin.entityId).toBe(SHANGHAI);
  await addPolicyVersion(app.deps, admin, SHANGHAI, { ...numbers, ...settings, effectiveFrom: day });
}

/** A scheduled run at `at` (Asia/Shanghai), with the clock there. */
function at(time: string) {
  app.clock.set(time);
  return { scheduledTime: new Date(time).toISOString() };
}

describe('a job at a policy’s time of day', () => {
  it('exports an entity at its own export time, once, and the other entity at the default', async () => {
    await laterFrom('2026-11-25', { dailyExportTime: '18:00' });

    const atDefault = await dailyExportJob(app.deps, at('2026-11-25T17:30:00+08:00'));
    const atOwn = await dailyExportJob(app.deps, at('2026-11-25T18:00:00+08:00'));
    const after = await dailyExportJob(app.deps, at('2026-11-25T18:05:00+08:00'));

    expect(atDefault.entities[SHANGHAI]).toBe('NOT_YET');
    expect(
      Object.entries(atDefault.entities)
        .filter(([id]) => id !== SHANGHAI)
        .map(([, o]) => o),
    ).toEqual(['EXPORTED']);
    expect(atOwn.entities[SHANGHAI]).toBe('EXPORTED');
    expect(after.entities[SHANGHAI]).toBe('ALREADY_DONE');
    const stored = await app.deps.store.dailyExports.get(SHANGHAI, '2026-11-25');
    // A minute short of the run, as every export's window (the index's margin, INDEX_MARGIN_MS).
    expect(stored?.windowEnd).toBe('2026-11-25T17:59:00.000+08:00');
    expect(stored?.policyVersion).toBe(2);
  });

  it('closes an entity’s invoice batch at its own close hour: not at 17:00 when it is 18', async () => {
    await laterFrom('2026-11-25', { invoiceBatchCloseHour: 18 });
    app.clock.set('2026-11-25T10:00:00+08:00');
    const { request } = await recordInvoiceRequest(app.deps, app.person('zhao.min'), {
      idempotencyKey: 'policy-timed-close',
      orderIds: ['LS-20261116-0001'],
      kind: 'VAT_ORDINARY',
      buyer: { type: 'INDIVIDUAL', name: '张三' },
      delivery: { method: 'EMAIL', email: 'buyer@example.com' },
    });

    const at1700 = await closeDueInvoiceBatches(app.deps, at('2026-11-25T17:00:00+08:00'));
    const stillQueued = (await app.deps.store.invoiceRequests.get(request.id))?.status;
    const at1800 = await closeDueInvoiceBatches(app.deps, at('2026-11-25T18:00:00+08:00'));
    await app.engine.settled();

    expect(at1700.closed.map((batch) => batch.entityId)).not.toContain(SHANGHAI);
    expect(stillQueued).toBe('QUEUED');
    expect(at1800.closed.filter((batch) => batch.entityId === SHANGHAI)).toEqual([
      { entityId: SHANGHAI, sent: 1, closedNow: true },
    ]);
    expect((await app.deps.store.invoiceRequests.get(request.id))?.status).toBe('WITH_FINANCE');
  });

  it('reminds merchandising of a missing sales summary from the entity’s own reminder time on, once', async () => {
    // Week 2026-11-16 is due on Tuesday 2026-11-24.
    await laterFrom('2026-11-24', { reconciliationReminderTime: '11:00' });

    const at1000 = await remindReconciliations(app.deps, at('2026-11-24T10:00:00+08:00'));
    const at1100 = await remindReconciliations(app.deps, at('2026-11-24T11:00:00+08:00'));
    const at1105 = await remindReconciliations(app.deps, at('2026-11-24T11:05:00+08:00'));

    const ofShanghai = (sent: { entityId: string }[]) => sent.filter((unit) => unit.entityId === SHANGHAI);
    expect(ofShanghai(at1000.sent)).toEqual([]);
    expect(at1000.sent.length).toBeGreaterThan(0);
    expect(ofShanghai(at1100.sent)).toEqual([
      expect.objectContaining({ week: '2026-11-16', kind: 'SUMMARY_DUE' }),
    ]);
    expect(at1105.sent).toEqual([]);
  });
});

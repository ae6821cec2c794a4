/**
 * The one change operation (lib/platform/change.ts) on DynamoDB Local: load → the use case's guard →
 * the voucher's lifecycle → the revision bumped → the voucher, its event and what it owes the workflow
 * in one transaction → the outbox told; a lost race runs the guard again on what landed.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Person, Voucher } from '../../lib/domain/model.ts';
import { toShanghaiIso } from '../../lib/domain/time.ts';
import { type ChangeDeps, changeVoucher, type VoucherChange } from '../../lib/platform/change.ts';
import type { OwedDelivery } from '../../lib/platform/owed-deliveries.ts';
import { submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { deliveredByStream } from '../../lib/workflow/outbox.ts';
import { type TestApp, testApp, voucherInput } from '../support/app.ts';

let app: TestApp;
let liNa: Person;
let finance: Person;
let told: OwedDelivery[][];
let deps: ChangeDeps & TestApp['deps'];

beforeEach(async () => {
  app = await testApp('2026-11-18T09:00:00+08:00');
  liNa = app.person('li.na');
  finance = app.person('liu.yang');
  told = [];
  // The workflow is not started; what the outbox is told is recorded instead.
  deps = {
    ...app.deps,
    workflowOutbox: {
      written: async (items) => {
        told.push([...items]);
      },
    },
  };
});

async function submitted(): Promise<Voucher> {
  const quiet = { ...app.deps, workflowOutbox: deliveredByStream };
  return (await submitVoucher(quiet, liNa, await voucherInput(app, liNa))).voucher;
}

const at = () => toShanghaiIso(app.clock.now());

/** Finance waives the special invoice: a change that moves no status. */
const waiver = (voucher: Voucher, by: Person = finance): VoucherChange => ({
  action: 'WAIVE_SPECIAL_INVOICE',
  actor: { kind: 'PERSON', email: by.email, roles: by.roles },
  next: { ...voucher, invoiceWaiver: { by: by.email, at: at(), reason: 'ordinary invoices only' } },
  event: { at: at(), actor: by.email, type: 'SPECIAL_INVOICE_WAIVED', version: voucher.version },
  answers: [{ wait: { kind: 'SUPPLIER_INVOICE' }, answer: { output: { waived: true } } }],
});

const history = async (voucher: Voucher) =>
  (await app.deps.store.vouchers.history(voucher.id)).map((event) => event.type);

describe('the change operation', () => {
  it('writes the next state one revision on, with its event and owed answer, then tells the outbox', async () => {
    const voucher = await submitted();

    const outcome = await changeVoucher(deps, voucher.id, (read) => waiver(read));

    const stored = await app.deps.store.vouchers.get(voucher.id);
    expect(stored).toMatchObject({ status: 'SUBMITTED', revision: voucher.revision + 1 });
    expect(stored?.invoiceWaiver?.by).toBe(finance.email);
    expect(outcome).toMatchObject({ changed: true, voucher: stored });
    expect(await history(voucher)).toEqual(['VOUCHER_SUBMITTED', 'SPECIAL_INVOICE_WAIVED']);
    const owed = (await app.deps.store.outbox.owedBefore(new Date('9999-01-01T00:00:00Z'), 10)).filter(
      (item) => item.type === 'ANSWER_WAIT',
    );
    expect(owed).toEqual([
      expect.objectContaining({ voucherId: voucher.id, revision: voucher.revision + 1 }),
    ]);
    expect(told).toEqual([owed]);
  });

  it('writes nothing and tells nobody when the guard finds nothing to do', async () => {
    const voucher = await submitted();

    const outcome = await changeVoucher(deps, voucher.id, () => null);

    expect(outcome).toEqual({ voucher, changed: false, owed: [] });
    expect(await history(voucher)).toEqual(['VOUCHER_SUBMITTED']);
    expect(told).toEqual([]);
  });

  it('refuses, writing nothing, an action the lifecycle does not allow in the voucher’s status', async () => {
    const voucher = await submitted();

    const paying = changeVoucher(deps, voucher.id, (read) => ({ ...waiver(read), action: 'PAY' }));

    await expect(paying).rejects.toMatchObject({ statusCode: 409, code: 'NOT_PAYABLE' });
    expect((await app.deps.store.vouchers.get(voucher.id))?.revision).toBe(voucher.revision);
    expect(await history(voucher)).toEqual(['VOUCHER_SUBMITTED']);
    expect(told).toEqual([]);
  });

  it('refuses, writing nothing, someone the lifecycle does not let take the action', async () => {
    const voucher = await submitted();

    const byTheApplicant = changeVoucher(deps, voucher.id, (read) => waiver(read, liNa));

    await expect(byTheApplicant).rejects.toMatchObject({ statusCode: 403 });
    expect(await history(voucher)).toEqual(['VOUCHER_SUBMITTED']);
  });

  it('takes the status from the lifecycle, not from what the guard proposed', async () => {
    const voucher = await submitted();

    await changeVoucher(deps, voucher.id, (read) => ({
      ...waiver(read),
      next: { ...waiver(read).next, status: 'PAID' },
    }));

    expect((await app.deps.store.vouchers.get(voucher.id))?.status).toBe('SUBMITTED');
  });

  it('runs the guard again on what landed when another write got there first', async () => {
    const voucher = await submitted();
    const seen: number[] = [];

    await changeVoucher(deps, voucher.id, async (read) => {
      seen.push(read.revision);
      // The first time, someone else's change lands between this read and this write.
      if (seen.length === 1) await changeVoucher(deps, voucher.id, (other) => waiver(other));
      return { ...waiver(read), event: { ...waiver(read).event, type: 'SECOND_CHANGE' } };
    });

    expect(seen).toEqual([voucher.revision, voucher.revision + 1]);
    expect((await app.deps.store.vouchers.get(voucher.id))?.revision).toBe(voucher.revision + 2);
    expect(await history(voucher)).toEqual(['VOUCHER_SUBMITTED', 'SPECIAL_INVOICE_WAIVED', 'SECOND_CHANGE']);
  });

  it('gives up with the 409 of the lost race after three tries, having written only the others’ changes', async () => {
    const voucher = await submitted();
    let tries = 0;

    const losing = changeVoucher(deps, voucher.id, async (read) => {
      tries += 1;
      await changeVoucher(deps, voucher.id, (other) => waiver(other));
      return { ...waiver(read), event: { ...waiver(read).event, type: 'NEVER_LANDS' } };
    });

    await expect(losing).rejects.toMatchObject({ statusCode: 409, code: 'CONCURRENT_UPDATE' });
    expect(tries).toBe(3);
    expect(await history(voucher)).not.toContain('NEVER_LANDS');
  });
});

/**
 * An administrator's policy versions on DynamoDB Local (POLICY D17): a new version takes effect at
 * 00:00 Asia/Shanghai of its day, is never overwritten, is written with its audit event, cannot take
 * effect in the past, and each document records the version it was decided under.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { addPolicyVersion, policyVersions } from '../../lib/admin/policy.ts';
import { DEFAULT_POLICY, EDITABLE_POLICY_SETTINGS } from '../../lib/domain/policy.ts';
import { runDailyExport } from '../../lib/exports/daily-export.ts';
import { submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { type TestApp, testApp, voucherInput } from '../support/app.ts';

let app: TestApp;
const numbers = Object.fromEntries(EDITABLE_POLICY_SETTINGS.map((key) => [key, DEFAULT_POLICY[key]])) as Pick<
  typeof DEFAULT_POLICY,
  (typeof EDITABLE_POLICY_SETTINGS)[number]
>;

beforeEach(async () => {
  app = await testApp('2026-11-18T10:00:00+08:00');
});

const admin = () => app.person('admin');

describe('a new policy version', () => {
  it('takes effect at 00:00 Asia/Shanghai of its day: the old one still holds at 23:59:59.999', async () => {
    const entityId = admin().entityId;
    await addPolicyVersion(app.deps, admin(), entityId, {
      ...numbers,
      effectiveFrom: '2026-11-19',
      ceoThresholdFen: 30_000_000,
    });

    const before = await app.deps.store.settings.currentPolicy(
      entityId,
      new Date('2026-11-18T23:59:59.999+08:00'),
    );
    const at = await app.deps.store.settings.currentPolicy(
      entityId,
      new Date('2026-11-19T00:00:00.000+08:00'),
    );

    expect([before.version, before.ceoThresholdFen]).toEqual([1, 50_000_000]);
    expect([at.version, at.ceoThresholdFen]).toEqual([2, 30_000_000]);
  });

  it('is the version a voucher submitted from its day on records; one submitted the minute before keeps the old', async () => {
    const liNa = app.person('li.na');
    await addPolicyVersion(app.deps, admin(), liNa.entityId, { ...numbers, effectiveFrom: '2026-11-19' });

    app.clock.set('2026-11-18T23:59:59.999+08:00');
    const before = await submitVoucher(app.deps, liNa, await voucherInput(app, liNa, { amount: '100.00' }));
    app.clock.set('2026-11-19T00:00:00.000+08:00');
    const after = await submitVoucher(app.deps, liNa, await voucherInput(app, liNa, { amount: '200.00' }));

    expect(before.voucher.policyVersion).toBe(1);
    expect(after.voucher.policyVersion).toBe(2);
  });

  it('is the version a daily export made from its day on records (D17 for exports)', async () => {
    const entityId = admin().entityId;
    await addPolicyVersion(app.deps, admin(), entityId, { ...numbers, effectiveFrom: '2026-11-19' });
    app.clock.set('2026-11-19T17:30:00+08:00');

    const result = await runDailyExport(app.deps, { date: '2026-11-19', now: app.clock.now() });

    expect(result.entities[entityId]).toBe('EXPORTED');
    expect((await app.deps.store.dailyExports.get(entityId, '2026-11-19'))?.policyVersion).toBe(2);
  });

  it('cannot take effect in the past, and nothing is written', async () => {
    const entityId = admin().entityId;

    await expect(
      addPolicyVersion(app.deps, admin(), entityId, { ...numbers, effectiveFrom: '2026-11-17' }),
    ).rejects.toMatchObject({ code: 'POLICY_VERSION_IN_THE_PAST', statusCode: 422 });
    expect((await app.deps.store.settings.policyVersions(entityId)).map((v) => v.version)).toEqual([1]);
  });

  it('is never overwritten: a second version under a number taken (a lost race) is refused with nothing written', async () => {
    const entityId = admin().entityId;
    const landed = await addPolicyVersion(app.deps, admin(), entityId, {
      ...numbers,
      effectiveFrom: '2026-11-20',
      approvalLinkDays: 7,
    });

    // What the slower of two administrators saving at once writes: the number it read as next.
    await expect(
      app.deps.store.settings.addPolicyVersion(
        entityId,
        { ...landed, approvalLinkDays: 9 },
        {
          at: '2026-11-18T10:00:00.000+08:00',
          actor: admin().email,
          type: 'POLICY_VERSION_ADDED',
          version: 2,
        },
      ),
    ).rejects.toMatchObject({ statusCode: 409 });

    expect((await app.deps.store.settings.policy(entityId, 2)).approvalLinkDays).toBe(7);
    expect(await app.deps.store.settings.policyHistory(entityId)).toEqual([
      expect.objectContaining({
        type: 'POLICY_VERSION_ADDED',
        actor: 'admin@lianshang.example',
        version: 2,
        details: { effectiveFrom: '2026-11-20', changed: ['approvalLinkDays'] },
      }),
    ]);
  });

  it('lists the current version and every earlier and scheduled one, newest first', async () => {
    const entityId = admin().entityId;
    await addPolicyVersion(app.deps, admin(), entityId, { ...numbers, effectiveFrom: '2026-11-18' });
    await addPolicyVersion(app.deps, admin(), entityId, { ...numbers, effectiveFrom: '2027-01-01' });

    const view = await policyVersions(app.deps, admin(), entityId);

    expect(view.current.version).toBe(2);
    expect(view.versions.map((v) => [v.version, v.state])).toEqual([
      [3, 'SCHEDULED'],
      [2, 'IN_EFFECT'],
      [1, 'SUPERSEDED'],
    ]);
  });

  it('is an administrator’s only, of their own entity', async () => {
    const entityId = admin().entityId;
    await expect(
      addPolicyVersion(app.deps, app.person('liu.yang'), entityId, {
        ...numbers,
        effectiveFrom: '2026-11-20',
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
    await expect(policyVersions(app.deps, admin(), 'another-entity')).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});

/**
 * Ending a delegation or a proxy assignment before its last day (issue 14 §1; POLICY D6, D18): an
 * administrator revokes a delegation, or ends a travelling approver's proxy early — one conditional
 * write with its audit event, once however often it is asked for — and from that instant the delegate
 * or proxy decides nothing more; the open step is the original approver's, as it always was.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { decide } from '../../lib/approvals/decide.ts';
import { addDelegation, revokeDelegation } from '../../lib/approvals/delegations.ts';
import {
  addProxyAssignment,
  endProxyAssignment,
  listProxyAssignments,
} from '../../lib/approvals/proxy-assignments.ts';
import type { Voucher } from '../../lib/domain/model.ts';
import { submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { type TestApp, testApp, voucherInput } from '../support/app.ts';
import { proxyApprove } from '../support/consent.ts';

const emailOf = (local: string) => `${local}@lianshang.example`;
const HEAD = emailOf('wang.qiang');
const DELEGATE = emailOf('sun.hao');

let app: TestApp;

beforeEach(async () => {
  app = await testApp('2026-11-18T10:00:00+08:00');
});

/** The newest approval link emailed to a person, as the token in its path. */
function latestLink(localPart: string): string {
  const messages = app.outbox.list().filter((message) => message.to.includes(emailOf(localPart)));
  const link = messages.at(-1)?.links.find((candidate) => candidate.includes('/approvals/'));
  if (!link) throw new Error(`no approval link for ${localPart}`);
  return link.split('/approvals/')[1] ?? '';
}

async function submitted(): Promise<Voucher> {
  const { voucher } = await submitVoucher(
    app.deps,
    app.person('li.na'),
    await voucherInput(app, app.person('li.na')),
  );
  await app.engine.settled();
  return voucher;
}

const delegate = (validFrom = '2026-11-18', validTo = '2026-11-25') =>
  addDelegation(app.deps, app.person('admin'), {
    from: HEAD,
    to: DELEGATE,
    validFrom,
    validTo,
    reason: '出差 travelling',
  });

const eventsOf = async (email: string, type: string) =>
  (await app.deps.store.approvals.personHistory(email)).filter((event) => event.type === type);

describe('revoking a delegation (POLICY D18)', () => {
  it('ends it now, with its audit event under the delegating person', async () => {
    const delegation = await delegate();
    app.clock.set('2026-11-19T15:30:00+08:00');

    const revoked = await revokeDelegation(app.deps, app.person('admin'), { from: HEAD, id: delegation.id });

    expect(revoked).toMatchObject({ id: delegation.id, revokedBy: emailOf('admin') });
    expect(await app.deps.store.approvals.delegation(HEAD, delegation.id)).toMatchObject({
      revokedAt: revoked.revokedAt,
      revokedBy: emailOf('admin'),
      validTo: '2026-11-25',
    });
    expect(await eventsOf(HEAD, 'DELEGATION_REVOKED')).toEqual([
      expect.objectContaining({
        actor: emailOf('admin'),
        details: expect.objectContaining({ id: delegation.id }),
      }),
    ]);
  });

  it('leaves the open step with the original approver: the delegate’s link decides nothing, the approver’s does', async () => {
    await delegate();
    const voucher = await submitted();
    const delegateLink = latestLink('sun.hao');
    const [delegation] = await app.deps.store.approvals.delegationsFrom(HEAD);

    await revokeDelegation(app.deps, app.person('admin'), { from: HEAD, id: delegation?.id ?? '' });

    await expect(decide(app.deps, delegateLink, { decision: 'APPROVE', reason: '' })).rejects.toMatchObject({
      statusCode: 403,
    });
    await decide(app.deps, latestLink('wang.qiang'), { decision: 'APPROVE', reason: '' });
    await app.engine.settled();
    const [approval] = (await app.deps.store.vouchers.get(voucher.id))?.approvals ?? [];
    expect(approval).toMatchObject({ decidedBy: HEAD });
    expect(approval?.onBehalfOf).toBeUndefined();
  });

  it('reminds only the original approver once revoked', async () => {
    await delegate();
    await submitted();
    const [delegation] = await app.deps.store.approvals.delegationsFrom(HEAD);
    await revokeDelegation(app.deps, app.person('admin'), { from: HEAD, id: delegation?.id ?? '' });
    const toDelegate = () => app.outbox.list().filter((message) => message.to.includes(DELEGATE)).length;
    const toHead = () => app.outbox.list().filter((message) => message.to.includes(HEAD)).length;
    const [delegateBefore, headBefore] = [toDelegate(), toHead()];

    app.clock.set('2026-11-19T10:00:01+08:00');
    await app.engine.settled();

    expect(toHead()).toBe(headBefore + 1);
    expect(toDelegate()).toBe(delegateBefore);
  });

  it('revokes once however often it is asked, even twice at the same moment: one revocation, one event', async () => {
    const delegation = await delegate();
    const admin = app.person('admin');

    const [first, second] = await Promise.all([
      revokeDelegation(app.deps, admin, { from: HEAD, id: delegation.id }),
      revokeDelegation(app.deps, admin, { from: HEAD, id: delegation.id }),
    ]);
    app.clock.set('2026-11-18T11:00:00+08:00');
    const third = await revokeDelegation(app.deps, admin, { from: HEAD, id: delegation.id });

    expect(second.revokedAt).toBe(first.revokedAt);
    expect(third.revokedAt).toBe(first.revokedAt);
    expect(await eventsOf(HEAD, 'DELEGATION_REVOKED')).toHaveLength(1);
  });

  it('refuses a delegation whose last day is past (409), another entity’s or an unknown one (404), and anyone but an administrator (403), writing nothing', async () => {
    const delegation = await delegate('2026-11-18', '2026-11-18');
    const admin = app.person('admin');
    const gzAdmin = { ...admin, email: emailOf('gz.admin'), entityId: 'lianshang-gz' };
    const gz = (await app.deps.store.people.get(emailOf('gz.admin'))) ?? gzAdmin;

    await expect(
      revokeDelegation(app.deps, app.person('liu.yang'), { from: HEAD, id: delegation.id }),
    ).rejects.toMatchObject({ statusCode: 403 });
    await expect(revokeDelegation(app.deps, gz, { from: HEAD, id: delegation.id })).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(
      revokeDelegation(app.deps, admin, { from: HEAD, id: '01KZZZZZZZZZZZZZZZZZZZZZZZ' }),
    ).rejects.toMatchObject({ statusCode: 404 });
    app.clock.set('2026-11-19T09:00:00+08:00');
    await expect(revokeDelegation(app.deps, admin, { from: HEAD, id: delegation.id })).rejects.toMatchObject({
      statusCode: 409,
      code: 'DELEGATION_OVER',
    });

    expect((await app.deps.store.approvals.delegation(HEAD, delegation.id))?.revokedAt).toBeUndefined();
    expect(await eventsOf(HEAD, 'DELEGATION_REVOKED')).toEqual([]);
  });
});

describe('ending a proxy assignment early (POLICY D6, D18)', () => {
  const name = () =>
    addProxyAssignment(app.deps, app.person('admin'), {
      approver: HEAD,
      proxy: emailOf('tech'),
      from: '2026-11-18',
      to: '2026-11-30',
      reason: '出差 travelling',
    });

  it('ends it now, audited under the approver, listed as no longer active, and the proxy records nothing more', async () => {
    const assignment = await name();
    const voucher = await submitted();

    const ended = await endProxyAssignment(app.deps, app.person('admin'), {
      approver: HEAD,
      id: assignment.id,
    });

    expect(ended).toMatchObject({ endedBy: emailOf('admin'), to: '2026-11-30' });
    expect(await eventsOf(HEAD, 'PROXY_ENDED')).toEqual([
      expect.objectContaining({
        actor: emailOf('admin'),
        details: expect.objectContaining({ id: assignment.id }),
      }),
    ]);
    const listed = await listProxyAssignments(app.deps, app.person('admin'), HEAD);
    expect(listed.find((item) => item.id === assignment.id)).toMatchObject({
      activeToday: false,
      endedAt: ended.endedAt,
    });
    await expect(
      proxyApprove(app, voucher, 'HEAD_OF_MERCHANDISING', { proxy: 'tech' }),
    ).rejects.toMatchObject({
      statusCode: 403,
    });
    expect((await app.deps.store.vouchers.get(voucher.id))?.approvals ?? []).toEqual([]);
  });

  it('ends once however often it is asked, even twice at the same moment: one end, one event', async () => {
    const assignment = await name();
    const admin = app.person('admin');

    const [first, second] = await Promise.all([
      endProxyAssignment(app.deps, admin, { approver: HEAD, id: assignment.id }),
      endProxyAssignment(app.deps, admin, { approver: HEAD, id: assignment.id }),
    ]);
    app.clock.set('2026-11-18T11:00:00+08:00');
    const third = await endProxyAssignment(app.deps, admin, { approver: HEAD, id: assignment.id });

    expect(second.endedAt).toBe(first.endedAt);
    expect(third.endedAt).toBe(first.endedAt);
    expect(await eventsOf(HEAD, 'PROXY_ENDED')).toHaveLength(1);
  });

  it('refuses an assignment whose last day is past (409), an unknown one (404) and anyone but an administrator (403), writing nothing', async () => {
    const assignment = await name();
    const admin = app.person('admin');

    await expect(
      endProxyAssignment(app.deps, app.person('zhang.wei'), { approver: HEAD, id: assignment.id }),
    ).rejects.toMatchObject({ statusCode: 403 });
    await expect(
      endProxyAssignment(app.deps, admin, { approver: HEAD, id: '01KZZZZZZZZZZZZZZZZZZZZZZZ' }),
    ).rejects.toMatchObject({ statusCode: 404 });
    app.clock.set('2026-12-01T09:00:00+08:00');
    await expect(
      endProxyAssignment(app.deps, admin, { approver: HEAD, id: assignment.id }),
    ).rejects.toMatchObject({ statusCode: 409, code: 'PROXY_ASSIGNMENT_OVER' });

    expect((await app.deps.store.approvals.proxyAssignment(HEAD, assignment.id))?.endedAt).toBeUndefined();
    expect(await eventsOf(HEAD, 'PROXY_ENDED')).toEqual([]);
  });
});

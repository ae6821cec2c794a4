/**
 * People and roles kept by an administrator (issue 14 §1; POLICY D18), against the real local
 * runtime: the directory of one's own entity only, the separation of duties checked on save, every
 * change conditional and audited, sign-in invited and disabled, and a person who holds an open step
 * not deactivated until it is delegated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingDirectory } from '../../lib/admin/identity-directory.ts';
import { whoVoucherAwaits } from '../../lib/domain/awaiting.ts';
import { ConcurrentUpdateError } from '../../lib/platform/store.ts';
import { jsonPost, type RunningRuntime, startRuntime } from '../support/runtime.ts';

const ADMIN = 'admin@lianshang.example';
const GZ_ADMIN = 'gz.admin@lianshang.example';
const HEAD = 'wang.qiang@lianshang.example';
const SH = 'lianshang-sh';

let server: RunningRuntime;
let admin: string;
let directory: RecordingDirectory;

const put = (body: unknown) => ({ ...jsonPost(body), method: 'PUT' });
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string; issues: { path: string }[] } }).error;

beforeAll(async () => {
  server = await startRuntime();
  await server.setClock('2026-11-18T09:00:00+08:00');
  admin = await server.login(ADMIN);
  directory = server.runtime.deps.identityDirectory as RecordingDirectory;
}, 120_000);

afterAll(async () => {
  await server?.runtime.stop();
});

describe('the directory of an entity', () => {
  it('lists the administrator’s own entity’s people, never the other entity’s', async () => {
    const response = await server.api('/api/people', { token: admin });

    expect(response.status).toBe(200);
    const { items } = (await response.json()) as {
      items: { email: string; entityId: string; active: boolean }[];
    };
    expect(items.map((person) => person.email)).toContain(HEAD);
    expect(items.every((person) => person.entityId === SH)).toBe(true);
    expect(items.some((person) => person.email === GZ_ADMIN)).toBe(false);
  });

  it('shows a head of merchandising with their deputy and manager in the API’s words', async () => {
    const response = await server.api(`/api/people/${HEAD}`, { token: admin });

    expect(await response.json()).toMatchObject({
      email: HEAD,
      roles: ['HEAD_OF_MERCHANDISING', 'MERCHANDISER'],
      deputyEmail: 'zhou.lei@lianshang.example',
      managerEmail: 'zhang.wei@lianshang.example',
      active: true,
    });
  });

  it('refuses anyone but an administrator (403), and hides another entity’s person (404)', async () => {
    const merchandiser = await server.login('li.na@lianshang.example');

    const listed = await server.api('/api/people', { token: merchandiser });
    const foreign = await server.api(`/api/people/${GZ_ADMIN}`, { token: admin });

    expect(listed.status).toBe(403);
    expect(foreign.status).toBe(404);
  });
});

describe('creating a person', () => {
  const newcomer = {
    email: 'Qian.Yu@lianshang.example',
    name: '钱宇 Qian Yu',
    entityId: SH,
    roles: ['MERCHANDISER'],
    managerEmail: HEAD,
    active: true,
  };

  it('creates them with an audit event and invites them to sign in; the same request again changes nothing', async () => {
    const created = await server.api('/api/people', { ...jsonPost(newcomer), token: admin });
    const again = await server.api('/api/people', { ...jsonPost(newcomer), token: admin });

    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ email: 'qian.yu@lianshang.example', version: 1 });
    expect(again.status).toBe(200);
    const history = await server.runtime.deps.store.people.history('qian.yu@lianshang.example');
    expect(history.map((event) => [event.type, event.actor])).toEqual([['PERSON_CREATED', ADMIN]]);
    expect(directory.calls.filter((call) => call.email === 'qian.yu@lianshang.example')).toEqual([
      { kind: 'invite', email: 'qian.yu@lianshang.example', name: '钱宇 Qian Yu' },
    ]);
  });

  it('refuses a different person under an email already in the directory (409)', async () => {
    const response = await server.api('/api/people', {
      ...jsonPost({ ...newcomer, name: '另一个人 Someone else' }),
      token: admin,
    });

    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe('PERSON_EXISTS');
  });

  it('refuses a person of another entity: an administrator keeps only their own (403)', async () => {
    const response = await server.api('/api/people', {
      ...jsonPost({ ...newcomer, email: 'elsewhere@lianshang.example', entityId: 'lianshang-gz' }),
      token: admin,
    });

    expect(response.status).toBe(403);
    expect(await server.runtime.deps.store.people.get('elsewhere@lianshang.example')).toBeNull();
  });

  it('refuses malformed input with the field named, and writes nothing (400)', async () => {
    const response = await server.api('/api/people', {
      ...jsonPost({ ...newcomer, email: 'malformed@lianshang.example', roles: ['BOSS'] }),
      token: admin,
    });

    expect(response.status).toBe(400);
    expect((await errorOf(response)).issues.map((issue) => issue.path)).toContain('roles.0');
    expect(await server.runtime.deps.store.people.get('malformed@lianshang.example')).toBeNull();
  });
});

describe('the separation of duties, checked on save (POLICY D18)', () => {
  const head = {
    email: 'new.head@lianshang.example',
    name: '新负责人 New Head',
    entityId: SH,
    roles: ['HEAD_OF_MERCHANDISING'],
    active: true,
  };

  it('refuses a head of merchandising without a deputy', async () => {
    const response = await server.api('/api/people', { ...jsonPost(head), token: admin });

    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe('DUTIES_NOT_SEGREGATED');
    expect(error.issues.map((issue) => issue.path)).toEqual(['deputyEmail']);
  });

  it('refuses a head of merchandising who is their own deputy', async () => {
    const response = await server.api('/api/people', {
      ...jsonPost({ ...head, deputyEmail: head.email }),
      token: admin,
    });

    expect(response.status).toBe(422);
    expect((await errorOf(response)).message).toContain('the deputy cannot be the head themselves');
  });

  it('refuses a deputy who holds an approval or payment step themselves', async () => {
    const response = await server.api('/api/people', {
      ...jsonPost({ ...head, deputyEmail: 'chen.jing@lianshang.example' }),
      token: admin,
    });

    expect(response.status).toBe(422);
    expect((await errorOf(response)).issues.map((issue) => issue.path)).toEqual(['deputyEmail']);
  });

  it('creates a head whose deputy is an active merchandiser of the entity', async () => {
    const response = await server.api('/api/people', {
      ...jsonPost({ ...head, deputyEmail: 'zhou.lei@lianshang.example' }),
      token: admin,
    });

    expect(response.status).toBe(201);
  });

  it('refuses a cashier who is also an applicant, and a person holding two steps of a voucher', async () => {
    const cashierApplicant = await server.api('/api/people', {
      ...jsonPost({ ...head, email: 'two.hats@lianshang.example', roles: ['CASHIER', 'MERCHANDISER'] }),
      token: admin,
    });
    const twoSteps = await server.api('/api/people', {
      ...jsonPost({ ...head, email: 'two.steps@lianshang.example', roles: ['FINANCE_REVIEWER', 'CASHIER'] }),
      token: admin,
    });

    expect(cashierApplicant.status).toBe(422);
    expect((await errorOf(cashierApplicant)).message).toContain('the cashier cannot also be an applicant');
    expect(twoSteps.status).toBe(422);
    expect((await errorOf(twoSteps)).message).toContain(
      'one person holds at most one approval or payment role',
    );
  });

  it('refuses the deputy of a head being deactivated while the head counts on them (409)', async () => {
    const deputy = (await (
      await server.api('/api/people/zhou.lei@lianshang.example', { token: admin })
    ).json()) as Record<string, unknown>;
    delete deputy.version;

    const response = await server.api('/api/people/zhou.lei@lianshang.example', {
      ...put({ ...deputy, active: false }),
      token: admin,
    });

    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe('PERSON_IS_DEPUTY');
  });
});

describe('changing a person', () => {
  it('writes each change conditionally on the version read: a stale one loses the race', async () => {
    const store = server.runtime.deps.store.people;
    const stored = await store.get('qian.yu@lianshang.example');
    if (!stored) throw new Error('no newcomer');
    const event = { at: '2026-11-18T09:05:00.000+08:00', actor: ADMIN, type: 'PERSON_UPDATED', version: 2 };
    await store.save({ ...stored, name: '钱宇', version: 2 }, 1, event);

    await expect(store.save({ ...stored, name: '钱 宇', version: 2 }, 1, event)).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
    expect((await store.get('qian.yu@lianshang.example'))?.name).toBe('钱宇');
  });

  it('refuses an administrator deactivating themselves', async () => {
    const response = await server.api(`/api/people/${ADMIN}`, {
      ...put({ email: ADMIN, name: '管理员 Admin', entityId: SH, roles: ['ADMIN'], active: false }),
      token: admin,
    });

    expect(response.status).toBe(422);
    expect((await errorOf(response)).code).toBe('OWN_ADMIN_ACCESS');
  });

  it('refuses to deactivate a person who holds an open step, naming the voucher, until it is delegated', async () => {
    const liNa = await server.login('li.na@lianshang.example');
    const voucherId = await server.submitTextileVoucher(
      liNa,
      'admin-people-open-step',
      'LS-20261116-0002',
      '100.00',
    );
    await server.runtime.engine.settled();
    const voucher = await server.runtime.deps.store.vouchers.get(voucherId);
    const holder = voucher ? whoVoucherAwaits(voucher)?.email : undefined;
    if (!holder) throw new Error('the voucher waits for nobody');
    const holderToken = await server.login(holder);
    const view = (await (await server.api(`/api/people/${holder}`, { token: admin })).json()) as Record<
      string,
      unknown
    >;
    delete view.version;
    const deactivated = { ...view, active: false };

    const refused = await server.api(`/api/people/${holder}`, { ...put(deactivated), token: admin });
    expect(refused.status).toBe(409);
    const error = await errorOf(refused);
    expect(error.code).toBe('PERSON_HOLDS_OPEN_STEPS');
    expect(error.message).toContain(voucher?.number ?? 'no number');
    expect((await server.runtime.deps.store.people.get(holder))?.active).not.toBe(false);

    const delegated = await server.api('/api/delegations', {
      ...jsonPost({
        from: holder,
        to: 'sun.hao@lianshang.example',
        validFrom: '2026-11-18',
        validTo: '2026-11-30',
        reason: '离职交接 handing over before leaving',
      }),
      token: admin,
    });
    expect(delegated.status).toBe(201);
    const accepted = await server.api(`/api/people/${holder}`, { ...put(deactivated), token: admin });

    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ active: false });
    expect(directory.calls.at(-1)).toEqual({ kind: 'disable', email: holder });
    expect((await server.runtime.deps.store.people.history(holder)).map((event) => event.type)).toContain(
      'PERSON_DEACTIVATED',
    );
    // Deactivated: their token, still valid, no longer acts.
    expect((await server.api('/api/vouchers', { token: holderToken })).status).toBe(403);
    const delegations = await server.api(`/api/delegations?from=${holder}`, { token: admin });
    expect(((await delegations.json()) as { items: { to: string }[] }).items.map((item) => item.to)).toEqual([
      'sun.hao@lianshang.example',
    ]);
  });
});

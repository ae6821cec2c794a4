/**
 * A demo world for tests that probe every route at once (the authorization matrix, the fuzz test):
 * a sign-in for one person of each role, and vouchers of li.na's in every state a route acts on, built
 * over HTTP on the dev clock as people would (Wednesday 2026-11-18, a working day: submitted at 09:00,
 * reviewed by finance at 11:00 — due that day — or at 14:00 — due the next working day —, paid at 14:00).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signLink } from '../../lib/domain/approval-links.ts';
import type { ApprovalStep, Role } from '../../lib/domain/model.ts';
import { DEMO_PEOPLE } from '../../lib/local/seed.ts';
import { decideByForm, jsonPost, type RunningRuntime, voucherOfLink } from './runtime.ts';

export const TODAY = '2026-11-18';

/** One demo person per role (the first of the directory holding it). */
export const PERSON_OF_ROLE = Object.fromEntries(
  (
    [
      'MERCHANDISER',
      'HEAD_OF_MERCHANDISING',
      'CEO',
      'FINANCE_REVIEWER',
      'CASHIER',
      'CUSTOMER_SERVICE',
      'FINANCE_INVOICING',
      'TECH',
      'ADMIN',
    ] as const
  ).map((role) => {
    const person = DEMO_PEOPLE.find((candidate) => candidate.roles.includes(role));
    if (!person) throw new Error(`the demo directory has no ${role}`);
    return [role, person.email];
  }),
) as Record<Role, string>;

export const LI_NA = 'li.na@lianshang.example';
export const HEAD = 'wang.qiang@lianshang.example';
export const FINANCE = 'liu.yang@lianshang.example';
export const CASHIER = 'chen.jing@lianshang.example';
/** The head of merchandising's named proxy in the demo seed (POLICY D6). */
export const HEAD_PROXY = 'sun.hao@lianshang.example';

/**
 * What a voucher fixture is when the world is built: waiting for the head of merchandising, rejected
 * by them (its claims released), ready for payment today or the next working day (an afternoon
 * review), paid, failed at the bank, or closed with the supplier's invoice.
 */
export const VOUCHER_STATES = [
  'waiting',
  'rejected',
  'ready',
  'afternoon',
  'paid',
  'failed',
  'closed',
] as const;
export type VoucherState = (typeof VOUCHER_STATES)[number];

export interface Secrets {
  tokenKey: string;
  evidenceKey: string;
  linkKey: string;
}

export interface DemoWorld {
  server: RunningRuntime;
  /** Bearer token (also the session cookie's value) of every demo person, by email. */
  tokens: Record<string, string>;
  /** The runtime's keys (data folder): tests sign links and tokens with them. */
  secrets: Secrets;
  /** Voucher ids by state, as many as asked for. */
  vouchers: Record<VoucherState, string[]>;
  /** An order screenshot li.na uploaded (not cited by any voucher). */
  evidenceKey: string;
  /** A link of the given purpose for `approver`, signed with the runtime's key, as its emails carry. */
  link(input: {
    approver: string;
    voucherId?: string;
    step?: ApprovalStep;
    purpose?: 'decide' | 'countersign' | 'refuse-proxy';
  }): string;
  /** The approval link emailed to `email` for the voucher's current step. */
  emailedLink(email: string, voucherId: string): Promise<string>;
  /**
   * A new voucher of li.na's whose head-of-merchandising step his named proxy recorded from his
   * DKIM-signed consent email (awaiting his countersign, D6) — made when asked, since any countersign
   * of his settles every one pending.
   */
  proxiedVoucher(): Promise<string>;
}

/** 100.00 on an order that is owed 115,000.00: many vouchers fit without a split or a CEO step. */
const ORDER = 'LS-20261116-0001';

async function expectStatus(response: Response, status: number, what: string): Promise<void> {
  if (response.status !== status) {
    throw new Error(`${what}: ${response.status} ${await response.text()}`);
  }
}

export async function buildDemoWorld(
  server: RunningRuntime,
  counts: Partial<Record<VoucherState, number>>,
): Promise<DemoWorld> {
  const secrets = JSON.parse(readFileSync(path.join(server.dataDir, 'secrets.json'), 'utf8')) as Secrets;
  const tokens: Record<string, string> = {};
  for (const person of DEMO_PEOPLE) tokens[person.email] = await server.login(person.email);
  const liNa = tokens[LI_NA] as string;
  const settle = () => server.runtime.engine.settled();

  async function emailedLink(email: string, voucherId: string): Promise<string> {
    await settle();
    const link = (await server.outbox())
      .filter((message) => message.to.includes(email))
      .flatMap((message) => message.links)
      .findLast((candidate) => candidate.includes('/approvals/') && voucherOfLink(candidate) === voucherId);
    if (!link) throw new Error(`no approval link for ${email} and ${voucherId}`);
    return link;
  }
  async function decide(email: string, voucherId: string, decision: 'APPROVE' | 'REJECT') {
    const response = await decideByForm(await emailedLink(email, voucherId), decision, '金额与订单不符');
    await expectStatus(response, 200, `${decision} as ${email}`);
    await settle();
  }
  /** The head's proxy records his step from his signed consent email (the local dev signing route). */
  async function proxyApprove(voucherId: string) {
    const eml = await server.api('/api/dev/consent-email', { ...jsonPost({ approver: HEAD, voucherId }) });
    await expectStatus(eml, 200, `consent email for ${voucherId}`);
    const body = Buffer.from(await eml.arrayBuffer());
    const proxy = tokens[HEAD_PROXY] as string;
    const upload = await server.api('/api/uploads', {
      ...jsonPost({
        fileName: 'consent.eml',
        contentType: 'message/rfc822',
        size: body.length,
        purpose: 'consent-email',
      }),
      token: proxy,
    });
    await expectStatus(upload, 201, `upload of the consent email for ${voucherId}`);
    const { key, uploadUrl } = (await upload.json()) as { key: string; uploadUrl: string };
    await expectStatus(
      await fetch(uploadUrl, { method: 'PUT', headers: { 'content-type': 'message/rfc822' }, body }),
      200,
      `PUT of the consent email for ${voucherId}`,
    );
    const recorded = await server.api(`/api/vouchers/${voucherId}/proxy-approvals`, {
      ...jsonPost({ step: 'HEAD_OF_MERCHANDISING', consentEmail: key }),
      token: proxy,
    });
    await expectStatus(recorded, 200, `proxy approval of ${voucherId}`);
    await settle();
  }
  let payments = 0;
  async function pay(voucherId: string, body: Record<string, string>) {
    const response = await server.api(`/api/vouchers/${voucherId}/payment`, {
      ...jsonPost(body),
      token: tokens[CASHIER] as string,
    });
    await expectStatus(response, 200, `payment of ${voucherId}`);
    await settle();
  }

  await server.setClock(`${TODAY}T09:00:00+08:00`);
  const vouchers = Object.fromEntries(VOUCHER_STATES.map((state) => [state, [] as string[]])) as Record<
    VoucherState,
    string[]
  >;
  const run = `${Date.now()}`;
  let proxied = 0;
  for (const state of VOUCHER_STATES) {
    for (let index = 0; index < (counts[state] ?? 0); index += 1) {
      vouchers[state].push(
        await server.submitTextileVoucher(liNa, `world-${run}-${state}-${index}`, ORDER, '100.00'),
      );
    }
  }
  const reviewed = [...vouchers.ready, ...vouchers.paid, ...vouchers.failed, ...vouchers.closed];
  for (const id of [...reviewed, ...vouchers.afternoon]) await decide(HEAD, id, 'APPROVE');
  for (const id of vouchers.rejected) await decide(HEAD, id, 'REJECT');
  await server.setClock(`${TODAY}T11:00:00+08:00`);
  for (const id of reviewed) await decide(FINANCE, id, 'APPROVE');
  await server.setClock(`${TODAY}T14:00:00+08:00`);
  for (const id of vouchers.afternoon) await decide(FINANCE, id, 'APPROVE');
  for (const id of [...vouchers.paid, ...vouchers.closed]) {
    payments += 1;
    await pay(id, { status: 'PAID', bankReference: `ICBC-WORLD-${payments}`, paidOn: TODAY });
  }
  for (const id of vouchers.failed) await pay(id, { status: 'PAYMENT_FAILED', reason: '收款账户已冻结' });
  for (const [index, id] of vouchers.closed.entries()) {
    const response = await server.api(`/api/vouchers/${id}/supplier-invoice`, {
      ...jsonPost({
        type: 'VAT_SPECIAL',
        number: `2544200000${String(9_000_000_000 + index)}`,
        issuedOn: TODAY,
        amount: '100.00',
        taxAmount: '11.50',
      }),
      token: liNa,
    });
    await expectStatus(response, 200, `invoice of ${id}`);
  }
  const evidenceKey = await server.uploadEvidence(liNa);
  await settle();

  return {
    server,
    tokens,
    secrets,
    vouchers,
    evidenceKey,
    emailedLink,
    async proxiedVoucher() {
      proxied += 1;
      const id = await server.submitTextileVoucher(liNa, `world-${run}-proxied-${proxied}`, ORDER, '100.00');
      await settle();
      await proxyApprove(id);
      return id;
    },
    link({ approver, voucherId = '', step = 'HEAD_OF_MERCHANDISING', purpose = 'decide' }) {
      const expiresAt = Math.floor(server.runtime.clock.now().getTime() / 1000) + 7 * 86_400;
      const token = signLink(
        { voucherId, version: purpose === 'countersign' ? 0 : 1, step, approver, expiresAt, purpose },
        secrets.linkKey,
      );
      const path = { decide: 'approvals', countersign: 'countersign', 'refuse-proxy': 'proxy-refusal' };
      return `/${path[purpose]}/${token}`;
    },
  };
}

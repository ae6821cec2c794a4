import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import { TINY_PNG } from './app.ts';
import { runtimeTable } from './dynamo.ts';
import { synthesizedOnce } from './state-machines.ts';

/** A JSON POST for `fetch` (and `api`), with extra headers such as `idempotency-key`. */
export const jsonPost = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

export interface OutboxMessage {
  to: string[];
  cc?: string[];
  subject: string;
  text?: string;
  links: string[];
  /** Files sent with it, their bytes as base64 (lib/local/outbox.ts). */
  attachments?: { fileName: string; contentType: string; size: number; base64: string }[];
}

/** The voucher an approval link is for (the link's signed payload is readable, only not forgeable). */
export const voucherOfLink = (link: string) =>
  (
    JSON.parse(
      Buffer.from(link.split('/approvals/')[1]?.split('.')[0] ?? '', 'base64url').toString(),
    ) as string[]
  )[0];

/** Decides from an approval link as a person does: open the page (GET), then send its form. */
export async function decideByForm(link: string, decision: 'APPROVE' | 'REJECT', reason = '') {
  const page = await (await fetch(link)).text();
  const nonce = /name="nonce" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ nonce, confirm: 'yes', decision, reason }).toString(),
    redirect: 'manual',
  });
}

export interface RunningRuntime {
  runtime: LocalRuntime;
  dataDir: string;
  /** Signs in a demo person through the dev login and returns their bearer token. */
  login(email: string): Promise<string>;
  api(pathname: string, init?: RequestInit & { token?: string }): Promise<Response>;
  /** Uploads an order screenshot (a tiny PNG) as the merchandiser's browser does; returns its key. */
  uploadEvidence(token: string): Promise<string>;
  /** Every email the runtime has "sent". */
  outbox(): Promise<OutboxMessage[]>;
  /** Moves the dev clock and waits until the workflows have done what came due. */
  setClock(now: string): Promise<void>;
  /** Waits until every workflow execution has finished or waits (for people or for a time). */
  settled(): Promise<void>;
  /** Submits a voucher to the textile supplier (account `TEXTILE_ACCOUNT`) for one order; its id. */
  submitTextileVoucher(
    token: string,
    idempotencyKey: string,
    orderId: string,
    amount: string,
  ): Promise<string>;
  /** Approves the voucher's current step from that approver's emailed link, as they would. */
  approveAs(email: string, voucherId: string): Promise<void>;
}

export const TEXTILE_ACCOUNT = '3301 0400 0001 2345 678';

/**
 * The run's DynamoDB Local, with a table lent for this data folder (test/support/dynamo.ts): one Java
 * process for every runtime of the run instead of one each, which spends its start-up and warm-up
 * once.
 */
async function sharedTable(dataDir: string) {
  const { endpoint, tableName } = await runtimeTable(dataDir);
  return { dynamoEndpoint: endpoint, tableName };
}

/**
 * The real local runtime on a free port, on the run's DynamoDB Local (a table of its own, kept across
 * a restart on the same data folder), on the DynamoDB given, or — `ownDynamoDbLocal`, as `npm start`
 * runs — on a DynamoDB Local of its own that keeps its data in the data folder.
 */
export async function startRuntime(
  dataDir = mkdtempSync(path.join(tmpdir(), 'fundflow-data-')),
  dynamo: { dynamoEndpoint?: string; tableName?: string; ownDynamoDbLocal?: boolean } = {},
): Promise<RunningRuntime> {
  const { ownDynamoDbLocal, ...given } = dynamo;
  const table = given.dynamoEndpoint || ownDynamoDbLocal ? given : await sharedTable(dataDir);
  const runtime = await startLocalRuntime({ port: 0, dataDir, ...table, ...synthesizedOnce() });
  const api = (pathname: string, init: RequestInit & { token?: string } = {}) => {
    const { token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token) headers.set('authorization', `Bearer ${token}`);
    return fetch(`${runtime.url}${pathname}`, { ...rest, headers });
  };
  const running: RunningRuntime = {
    runtime,
    dataDir,
    api,
    async login(email) {
      const response = await api('/api/dev/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      if (response.status !== 200)
        throw new Error(`login ${email}: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { token: string }).token;
    },
    async uploadEvidence(token) {
      const response = await api('/api/uploads', {
        ...jsonPost({ fileName: 'order.png', contentType: 'image/png', size: TINY_PNG.length }),
        token,
      });
      if (response.status !== 201) throw new Error(`upload: ${response.status} ${await response.text()}`);
      const upload = (await response.json()) as { key: string; uploadUrl: string };
      const put = await fetch(upload.uploadUrl, {
        method: 'PUT',
        headers: { 'content-type': 'image/png' },
        body: TINY_PNG,
      });
      if (!put.ok) throw new Error(`upload PUT: ${put.status}`);
      return upload.key;
    },
    async outbox() {
      return ((await (await api('/api/dev/outbox')).json()) as { messages: OutboxMessage[] }).messages;
    },
    async settled() {
      await runtime.engine.settled();
    },
    async setClock(now) {
      const response = await api('/api/dev/clock', jsonPost({ now }));
      if (response.status !== 200)
        throw new Error(`clock ${now}: ${response.status} ${await response.text()}`);
      await runtime.engine.settled();
    },
    async submitTextileVoucher(token, idempotencyKey, orderId, amount) {
      const evidence = await running.uploadEvidence(token);
      const response = await api('/api/vouchers', {
        ...jsonPost(
          {
            supplierId: 'SUP-HZ-TEXTILE',
            payee: {
              name: '杭州织锦服饰有限公司',
              account: TEXTILE_ACCOUNT,
              bank: '中国工商银行杭州西湖支行',
            },
            amount,
            orderIds: [orderId],
            goods: '秋冬女装',
            evidence: [evidence],
          },
          { 'idempotency-key': idempotencyKey },
        ),
        token,
      });
      if (response.status !== 201) throw new Error(`submit: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { id: string }).id;
    },
    async approveAs(email, voucherId) {
      await runtime.engine.settled();
      const link = (await running.outbox())
        .filter((message) => message.to.includes(email))
        .flatMap((message) => message.links)
        .find((candidate) => candidate.includes('/approvals/') && voucherOfLink(candidate) === voucherId);
      if (!link) throw new Error(`no approval link for ${email} and ${voucherId}`);
      const decided = await decideByForm(link, 'APPROVE');
      if (decided.status !== 200) throw new Error(`approve as ${email}: ${decided.status}`);
      await runtime.engine.settled();
    },
  };
  return running;
}

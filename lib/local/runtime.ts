/**
 * The local runtime (DESIGN.md "The local runtime"): DynamoDB Local with a data folder, the table from
 * the shared definition, the demo seed, and one HTTP server serving the same handler modules API
 * Gateway calls in AWS, plus what only exists locally: the dev sign-in, the dev clock, and the
 * evidence "bucket" in the data folder. Restarting it loses nothing: everything lives in the data folder.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { NotFoundError, RuleViolationError, ValidationError } from '../domain/errors.ts';
import { formatFen } from '../domain/money.ts';
import { parseInstant, shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { EXPIRY_RULES } from '../evidence/lifecycle.ts';
import { etagOf, type PostRefusal } from '../evidence/post-policy.ts';
import type { ApiHandler } from '../http/api-handler.ts';
import { errorBody, JSON_HEADERS, jsonErrorResponse, validationErrorFrom } from '../http/errors.ts';
import { localDate } from '../http/input.ts';
import { functions, routes } from '../http/routes.ts';
import { assertSameOrigin } from '../http/same-origin.ts';
import { emailAddress } from '../http/schemas.ts';
import { sessionCookie } from '../http/session.ts';
import { newId } from '../ids.ts';
import type { JobInput } from '../jobs/job-input.ts';
import { type DkimKey, signDkim, systemDns } from '../mail/dkim.ts';
import { logger } from '../observability/logger.ts';
import { createDocumentClient, ensureTable } from '../storage/dynamo-client.ts';
import { renderPage } from '../ui/layout.tsx';
import { ErrorPage } from '../ui/pages.tsx';
import { CONTENT_SECURITY_POLICY } from '../ui/styles.ts';
import { RECONCILIATION_INPUT_MAX_BYTES } from '../uploads/create-upload.ts';
import { fileContentSecurityPolicy, servingHeaders } from '../uploads/file-kinds.ts';
import { bucketConsumers, type ScheduledJobName, scheduledJobs } from '../workflow/catalogue.ts';
import type { TaskHandler } from '../workflow/task-handler.ts';
import { warnMissingCalendarYears } from '../working-days.ts';
import { LocalApiGateway, type LocalRoute, requestTarget } from './api-gateway.ts';
import { AdjustableClock } from './clock.ts';
import { demoConsentEmail, LocalDnsResolver, loadDemoDkimKey } from './demo-dkim.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { FileEvidenceStore, responseHeadersOf } from './file-evidence-store.ts';
import { createLocalApp } from './local-app.ts';
import { LocalOrdersInbox } from './orders-inbox.ts';
import type { FileOutbox } from './outbox.ts';
import { OutboxPage } from './outbox-page.tsx';
import { type LocalJob, LocalScheduler } from './scheduler.ts';
import { DEMO_ENTITY, DEMO_MAIL_DOMAIN, seedDemo } from './seed.ts';
import type { SynthesizedStateMachine } from './synthesized-workflows.ts';
import { LocalTokens } from './tokens.ts';
import type { LocalWorkflowEngine } from './workflow-engine.ts';

export interface LocalRuntimeOptions {
  port: number;
  dataDir: string;
  /** Use this DynamoDB (e.g. the test run's) instead of starting DynamoDB Local in the data folder. */
  dynamoEndpoint?: string;
  tableName?: string;
  /**
   * A PEM file with the demo mail domain's DKIM private key (`FUNDFLOW_DKIM_PRIVATE_KEY`); without it
   * a key is generated once into the data folder. The runtime answers that key's DNS record itself.
   */
  dkimPrivateKeyFile?: string;
  /**
   * The URL people reach this runtime at, when that is not `http://localhost:<port>` — e.g. behind an
   * HTTPS reverse proxy (`PUBLIC_BASE_URL` for `npm start`). Emails link there, forms must come from
   * there, and an `https:` URL makes the session cookie Secure.
   */
  publicBaseUrl?: string;
  /** The app's state machines, already synthesized in this run (lib/local/local-app.ts). */
  stateMachines?: readonly SynthesizedStateMachine[];
}

export interface LocalRuntime {
  /** Where this process listens: `http://localhost:<port>`. */
  url: string;
  /** The DynamoDB it uses (its own DynamoDB Local, or the one it was given). */
  dynamoEndpoint: string;
  deps: AppDeps;
  clock: AdjustableClock;
  engine: LocalWorkflowEngine;
  outbox: FileOutbox;
  /** The orders inbox folder (`<data>/orders-inbox/<entityId>/`); `scan()` looks at it now. */
  ordersInbox: LocalOrdersInbox;
  stop(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

interface Secrets {
  tokenKey: string;
  evidenceKey: string;
  linkKey: string;
}

/** A browser asking for a page (not the API, not a script): it gets an HTML error page. */
function wantsPage(request: IncomingMessage): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    !(request.url ?? '').startsWith('/api/') &&
    (request.headers.accept ?? '').includes('text/html')
  );
}

/** Keys generated once into the data folder (in AWS they would live in Secrets Manager). */
function loadSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const secrets = {
    tokenKey: randomBytes(32).toString('hex'),
    evidenceKey: randomBytes(32).toString('hex'),
    linkKey: randomBytes(32).toString('hex'),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  mkdirSync(options.dataDir, { recursive: true });
  const dynamo: DynamoDbLocal | undefined = options.dynamoEndpoint
    ? undefined
    : await startDynamoDbLocal({ dataDir: path.join(options.dataDir, 'dynamodb') });
  const endpoint = options.dynamoEndpoint ?? (dynamo as DynamoDbLocal).endpoint;
  const client = createDocumentClient({ region: 'local', endpoint });
  const tableName = options.tableName ?? 'fundflow';
  await ensureTable(client, tableName);

  const secrets = loadSecrets(options.dataDir);
  const clock = new AdjustableClock(path.join(options.dataDir, 'clock.json'));
  const tokens = new LocalTokens(secrets.tokenKey, () => clock.now());
  // POLICY D6: consent emails are DKIM-checked; the demo domain's key lives here, not in real DNS.
  const dkimKey = loadDemoDkimKey(options.dataDir, DEMO_MAIL_DOMAIN, options.dkimPrivateKeyFile);
  let baseUrl = options.publicBaseUrl ?? `http://localhost:${options.port}`;
  const evidence = new FileEvidenceStore(
    path.join(options.dataDir, 'evidence'),
    () => baseUrl,
    secrets.evidenceKey,
    clock,
  );
  const { deps, engine, outbox, resume } = await createLocalApp({
    client,
    tableName,
    dataDir: options.dataDir,
    clock,
    sessions: tokens,
    evidence,
    linkKey: secrets.linkKey,
    publicBaseUrl: baseUrl,
    devSignIn: { entityId: DEMO_ENTITY.id, action: '/dev/login' },
    dns: new LocalDnsResolver([dkimKey], systemDns),
    ...(options.stateMachines ? { stateMachines: options.stateMachines } : {}),
  });
  await seedDemo(deps);
  // POLICY D16: a year without the official schedule (neither the package's nor one an administrator
  // loaded) is a loud warning at start-up, never a silent guess.
  const thisYear = Number(shanghaiDate(clock.now()).slice(0, 4));
  await warnMissingCalendarYears(deps, thisYear, thisYear + 1);

  const handlers = new Map<string, ApiHandler>();
  for (const [name, spec] of Object.entries(functions)) {
    const module = (await import(path.join(ROOT, spec.entry))) as {
      createHandler: (deps: AppDeps) => ApiHandler;
    };
    handlers.set(name, module.createHandler(deps));
  }
  const localRoutes: LocalRoute[] = routes.map((route) => {
    const handler = handlers.get(route.function);
    if (!handler) throw new Error(`no handler for ${route.function}`);
    return { method: route.method, path: route.path, auth: route.auth, handler };
  });
  const gateway = new LocalApiGateway(localRoutes, tokens);
  // The scheduled jobs: the same handler modules EventBridge Scheduler invokes, on the same cron.
  const jobs = {} as Record<ScheduledJobName, LocalJob>;
  for (const [name, spec] of Object.entries(scheduledJobs) as [
    ScheduledJobName,
    (typeof scheduledJobs)[ScheduledJobName],
  ][]) {
    const module = (await import(path.join(ROOT, spec.entry))) as {
      createHandler: (deps: AppDeps) => TaskHandler;
    };
    const handler = module.createHandler(deps);
    const run = (input: JobInput) => handler(input);
    jobs[name] =
      'cron' in spec
        ? { cron: spec.cron, run }
        : { everyMinutes: spec.everyMinutes, ...('catchUp' in spec ? { catchUp: spec.catchUp } : {}), run };
  }
  const scheduler = new LocalScheduler(jobs, clock, path.join(options.dataDir, 'scheduler.json'));
  // The orders inbox: a folder of the data folder, handled by the module the bucket's events invoke.
  const inboxModule = (await import(path.join(ROOT, bucketConsumers.ordersInbox.entry))) as {
    createHandler: (deps: AppDeps) => TaskHandler;
  };
  const ordersInbox = new LocalOrdersInbox(
    path.join(options.dataDir, 'orders-inbox'),
    evidence,
    inboxModule.createHandler(deps),
  );
  const dev = new DevRoutes(deps, clock, tokens, evidence, outbox, jobs, dkimKey);

  const server = createServer((request, response) => {
    void serve(request, response).catch((error: unknown) => {
      logger.error('local server failure', { error: error instanceof Error ? error : String(error) });
      if (!response.headersSent)
        sendJson(response, 500, errorBody('INTERNAL', '我们这边出了问题。Something went wrong on our side.'));
    });
  });
  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The local bucket's form POST takes a reconciliation input of hundreds of MB, as S3 does: it is
    // the one request over the app's own body limit, and it never reaches the app's routes.
    const bucketPost = request.method === 'POST' && requestTarget(request.url)?.pathname === '/local-s3/';
    const body = await readBody(request, bucketPost ? MAX_BUCKET_POST_BYTES : MAX_BODY_BYTES);
    if (!body && bucketPost) {
      sendJson(
        response,
        400,
        errorBody('PAYLOAD_TOO_LARGE', '文件超过允许的大小。The upload is over the size allowed.'),
      );
      return;
    }
    if (!body) {
      // As API Gateway answers a body over its limit (413), in our error shape.
      sendJson(
        response,
        413,
        errorBody(
          'PAYLOAD_TOO_LARGE',
          `请求内容超过 ${MAX_BODY_BYTES / 1024 / 1024} MiB。The request body is over ${MAX_BODY_BYTES / 1024 / 1024} MiB.`,
        ),
      );
      return;
    }
    if (!requestTarget(request.url)) {
      sendJson(
        response,
        400,
        errorBody('BAD_REQUEST', '请求的地址不是一个路径。The request target is not a path.'),
      );
      return;
    }
    if (await dev.handle(request, response, body)) return;
    if (await gateway.handle(request, response, body)) return;
    const where = `${request.method} ${request.url}`;
    if (wantsPage(request)) {
      // A person who typed or followed a wrong address reads a page, in both languages, not JSON.
      response.writeHead(404, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'cache-control': 'no-store',
      });
      response.end(
        renderPage(
          ErrorPage({ status: 404, message: `没有这个页面 ${request.url}。No page ${request.url}.` }),
        ),
      );
      return;
    }
    sendJson(response, 404, errorBody('NOT_FOUND', `没有这个地址 ${where}。No route ${where}.`));
  }
  await listen(server, options.port);
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  baseUrl = (options.publicBaseUrl ?? url).replace(/\/$/, '');
  deps.publicBaseUrl = baseUrl;
  // Approval chains that were waiting when the runtime stopped carry on, and what a change still owed
  // the workflow when it stopped (even by `kill -9`) is delivered.
  await resume();
  // Files dropped while the runtime was stopped are imported now.
  void ordersInbox.scan();
  // The bucket's lifecycle rules, applied to the data folder now and every few hours.
  const expire = () =>
    evidence.expire(EXPIRY_RULES).catch((error: unknown) => {
      logger.warn('expiring working objects failed', {
        error: error instanceof Error ? error : String(error),
      });
    });
  void expire();
  const expiry = setInterval(() => void expire(), EXPIRY_SWEEP_MS);
  expiry.unref();
  return {
    url,
    dynamoEndpoint: endpoint,
    deps,
    clock,
    engine,
    outbox,
    ordersInbox,
    async stop() {
      clearInterval(expiry);
      scheduler.stop();
      ordersInbox.stop();
      await ordersInbox.scan();
      // Let the tasks in flight finish their writes before the database goes (they resume on restart).
      await Promise.race([engine.settled(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      engine.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      client.destroy();
      await dynamo?.stop();
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
}

const MAX_BODY_BYTES = 12 * 1024 * 1024;
/** How often the local runtime applies the bucket's lifecycle rules to its data folder. */
const EXPIRY_SWEEP_MS = 6 * 3600_000;
/** The local bucket's form POST: the largest reconciliation input and its form's fields. */
const MAX_BUCKET_POST_BYTES = RECONCILIATION_INPUT_MAX_BYTES + 1024 * 1024;

/** The whole body, or undefined when it is over the limit (read to its end, so it can be answered). */
async function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size <= limit ? Buffer.concat(chunks) : undefined;
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { ...JSON_HEADERS, ...headers });
  response.end(JSON.stringify(body));
}

const loginBody = z.strictObject({ email: emailAddress });
/** The sign-in page's form: the address picked (no JSON; the page's select sends one field). */
const loginForm = z.object({ email: emailAddress });
const clockBody = z.strictObject({ now: z.string().min(1) });
/** A job run by hand: for today on the runtime's clock, or for the day given. No body means today. */
const jobBody = z.strictObject({ date: localDate.optional() }).optional();
/** A demo consent email (POLICY D6): the approver's, about one voucher; optionally the demo user's own text. */
const consentEmailBody = z.strictObject({
  approver: z.email().transform((email) => email.toLowerCase()),
  voucherId: z.string().min(1).max(64),
  text: z.string().min(1).max(4000).optional(),
});

/** How S3 refuses a form POST (its status and code; the local bucket answers in the app's error shape). */
const POST_REFUSALS: Record<PostRefusal, [number, string, string]> = {
  SIGNATURE: [403, 'FORBIDDEN', '上传表单的签名不对。The upload form’s signature does not match.'],
  EXPIRED: [403, 'FORBIDDEN', '上传表单已过期。The upload form has expired.'],
  FIELD: [403, 'FORBIDDEN', '上传表单与其策略不符。The upload form does not match its policy.'],
  SIZE: [400, 'PAYLOAD_TOO_LARGE', '文件大小不在允许范围内。The file is outside the size the form allows.'],
};

/** A `/local-s3/` path's key, each segment percent-decoded; a broken escape is the caller's error (400). */
function decodedKey(path: string): string {
  try {
    return path.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new ValidationError('The address has a broken percent-escape.', {
      issues: [{ path: 'path', message: 'not a valid percent-encoded path' }],
    });
  }
}

/** Routes that exist only in the local runtime: dev sign-in, dev clock, the evidence "bucket". */
class DevRoutes {
  constructor(
    private readonly deps: AppDeps,
    private readonly clock: AdjustableClock,
    private readonly tokens: LocalTokens,
    private readonly evidence: FileEvidenceStore,
    private readonly outbox: FileOutbox,
    private readonly jobs: Record<ScheduledJobName, LocalJob>,
    private readonly dkimKey: DkimKey,
  ) {}

  async handle(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<boolean> {
    const url = requestTarget(request.url);
    if (!url) return false;
    const route = `${request.method} ${url.pathname}`;
    try {
      if (route === 'POST /api/dev/login') {
        const { email } = this.parseJson(loginBody, body);
        await this.requirePerson(email);
        sendJson(response, 200, { token: await this.tokens.issue(email) });
        return true;
      }
      if (route === 'POST /dev/login') {
        // The sign-in page's form (no JavaScript): pick a demo person, get a session cookie — from a
        // page of this site only, like every form (lib/http/same-origin.ts).
        assertSameOrigin(request.headers as Record<string, string | undefined>, this.deps.publicBaseUrl);
        const form = loginForm.safeParse(Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
        if (!form.success) throw validationErrorFrom(form.error, 'form');
        const { email } = form.data;
        await this.requirePerson(email);
        const token = await this.tokens.issue(email);
        response.writeHead(303, {
          location: '/',
          'set-cookie': sessionCookie(token, 12 * 3600, this.deps.publicBaseUrl),
        });
        response.end();
        return true;
      }
      if (route === 'GET /api/dev/outbox') {
        sendJson(response, 200, { messages: this.outbox.list() });
        return true;
      }
      if (route === 'GET /dev/outbox') {
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'cache-control': 'no-store',
        });
        response.end(renderPage(OutboxPage({ messages: this.outbox.list() })));
        return true;
      }
      const job = /^POST \/api\/dev\/jobs\/([a-z-]+)$/.exec(route)?.[1];
      if (job !== undefined) {
        // A scheduled job by hand (it also runs on its schedule, on the runtime's clock).
        const name = job.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
        // Only the jobs themselves: a name typed into the URL may be any property of an object
        // (`constructor`, `to-string`), which is no job.
        const found = Object.hasOwn(this.jobs, name) ? this.jobs[name as ScheduledJobName] : undefined;
        if (!found) {
          sendJson(
            response,
            404,
            errorBody('NOT_FOUND', `No job ${job}; jobs: ${Object.keys(this.jobs).join(', ')}.`),
          );
          return true;
        }
        const input = body.length === 0 ? undefined : this.parseJson(jobBody, body);
        sendJson(response, 200, await found.run(input ?? {}));
        return true;
      }
      if (route === 'POST /api/dev/consent-email') {
        const eml = await this.consentEmail(this.parseJson(consentEmailBody, body));
        response.writeHead(200, {
          'content-type': 'message/rfc822',
          'content-disposition': 'attachment; filename="consent.eml"',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        response.end(eml);
        return true;
      }
      if (route === 'GET /api/dev/clock') {
        sendJson(response, 200, { now: toShanghaiIso(this.clock.now()) });
        return true;
      }
      if (route === 'POST /api/dev/clock') {
        const { now } = this.parseJson(clockBody, body);
        this.clock.set(parseInstant(now));
        sendJson(response, 200, { now: toShanghaiIso(this.clock.now()) });
        return true;
      }
      if (route === 'POST /local-s3/') {
        await this.localS3Post(request, response, body);
        return true;
      }
      if (url.pathname.startsWith('/local-s3/') && (request.method === 'PUT' || request.method === 'GET')) {
        await this.localS3(request, response, url, body);
        return true;
      }
    } catch (error) {
      const result = jsonErrorResponse(error);
      if (typeof result === 'object' && 'statusCode' in result) {
        sendJson(response, result.statusCode ?? 500, JSON.parse(String(result.body)));
      }
      return true;
    }
    return false;
  }

  /** A JSON body by its schema; a body that is not JSON at all is refused as such (never read as none). */
  private parseJson<T extends z.ZodType>(schema: T, body: Buffer): z.output<T> {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new ValidationError('The request body is not JSON.', {
        issues: [{ path: 'body', message: 'not a well-formed body of its content type' }],
        cause: error,
      });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw validationErrorFrom(parsed.error, 'body');
    return parsed.data;
  }

  /**
   * What a travelling approver's mail server would hand the proxy: the approver's consent email,
   * DKIM-signed with the demo domain's key. Local only — it signs as anyone of the demo domain, which
   * is the point of a demo and exactly why it exists nowhere else.
   */
  private async consentEmail(input: z.output<typeof consentEmailBody>): Promise<Buffer> {
    await this.requirePerson(input.approver);
    const approver = await this.deps.store.people.get(input.approver);
    const voucher = await this.deps.store.vouchers.get(input.voucherId);
    if (!voucher) throw new NotFoundError(`No voucher ${input.voucherId}.`);
    if (!approver?.email.endsWith(`@${this.dkimKey.domain}`)) {
      throw new RuleViolationError(
        'NOT_THE_DEMO_DOMAIN',
        `The local DKIM key signs for ${this.dkimKey.domain} only.`,
        { issues: [{ path: 'approver', message: `not at ${this.dkimKey.domain}` }] },
      );
    }
    const now = this.clock.now();
    const unsigned = demoConsentEmail({
      approver,
      voucher,
      amount: formatFen(voucher.amountFen),
      text: input.text,
      now,
      messageId: newId(),
    });
    return signDkim(unsigned, this.dkimKey, now);
  }

  private async requirePerson(email: string): Promise<void> {
    if (!(await this.deps.store.people.get(email))) {
      throw validationErrorFrom(
        new z.ZodError([
          {
            code: 'custom',
            path: ['email'],
            message: `${email || 'nobody'} is not in the directory`,
            input: email,
          },
        ]),
        'body',
      );
    }
  }

  /**
   * The local bucket's browser-form upload, as S3 answers a POST (lib/evidence/post-policy.ts): the
   * policy's signature, its expiration, every field as it names it and the file's size in its range
   * are checked before anything is stored (a refusal is a 4xx and stores nothing); then a 303 to the
   * policy's `success_action_redirect` with the bucket, key and ETag, as S3 sends it.
   */
  private async localS3Post(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<void> {
    let form: FormData;
    try {
      form = await new Request('http://local-s3/', {
        method: 'POST',
        headers: { 'content-type': String(request.headers['content-type'] ?? '') },
        body: new Uint8Array(body),
      }).formData();
    } catch {
      sendJson(
        response,
        400,
        errorBody('BAD_REQUEST', '上传内容无法读取。The upload is not well-formed multipart/form-data.'),
      );
      return;
    }
    const fields: Record<string, string> = {};
    let file: File | undefined;
    form.forEach((value, name) => {
      if (name === 'file' && typeof value !== 'string') file = value;
      else if (typeof value === 'string') fields[name] = value;
    });
    if (!file) {
      sendJson(
        response,
        400,
        errorBody('BAD_REQUEST', '上传表单里没有文件。The upload form carries no file.'),
      );
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const refusal = this.evidence.checkPost(fields, bytes.byteLength);
    if (refusal) {
      const [status, code, message] = POST_REFUSALS[refusal];
      sendJson(response, status, errorBody(code, message));
      return;
    }
    const key = fields.key ?? '';
    await this.evidence.put({
      key,
      contentType: fields['Content-Type'] ?? 'application/octet-stream',
      body: bytes,
    });
    const redirect = fields.success_action_redirect ?? '/';
    const query = new URLSearchParams({ bucket: this.evidence.bucketName, key, etag: etagOf(bytes) });
    response.writeHead(303, { location: `${redirect}${redirect.includes('?') ? '&' : '?'}${query}` });
    response.end();
  }

  /**
   * The local evidence "bucket", as S3 answers presigned URLs: a PUT stores what was signed (type and
   * length), whatever its bytes (the citation checks those, as in AWS); a GET answers with the response
   * headers signed into its URL (the type told from the bytes, the disposition, no caching) and, beyond
   * what S3 can do, `nosniff` and a sandboxing CSP, since locally the bucket is the app's own origin.
   */
  private async localS3(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    body: Buffer,
  ): Promise<void> {
    const key = decodedKey(url.pathname.slice('/local-s3/'.length));
    const expires = Number(url.searchParams.get('expires'));
    const contentType = url.searchParams.get('contentType') ?? undefined;
    const sizeParam = url.searchParams.get('size');
    const size = sizeParam === null ? undefined : Number(sizeParam);
    const method = request.method as 'PUT' | 'GET';
    const served = method === 'GET' ? responseHeadersOf(url.searchParams) : undefined;
    const signed = { key, method, expires, contentType, size, response: served };
    if (!this.evidence.verify(signed, url.searchParams.get('signature') ?? '')) {
      sendJson(response, 403, errorBody('FORBIDDEN', 'This link is not valid or has expired.'));
      return;
    }
    if (method === 'PUT') {
      // Like S3 with signed Content-Type and Content-Length: the upload must be what was asked for.
      if (request.headers['content-type'] !== contentType || body.length !== size) {
        sendJson(response, 400, errorBody('BAD_REQUEST', `Send exactly ${size} bytes as ${contentType}.`));
        return;
      }
      await this.evidence.put({ key, contentType: contentType ?? 'application/octet-stream', body });
      response.writeHead(200).end();
      return;
    }
    const file = await this.evidence.read(key);
    if (!file) {
      sendJson(response, 404, errorBody('NOT_FOUND', 'No such file.'));
      return;
    }
    // A URL signed without response headers (none of ours) gets opaque bytes to download, never the
    // type the upload declared.
    const headers = served ?? servingHeaders(null, key.split('/').at(-1) ?? 'file');
    response.writeHead(200, {
      'content-type': headers.contentType,
      'content-disposition': headers.contentDisposition,
      'cache-control': headers.cacheControl,
      'x-content-type-options': 'nosniff',
      'content-security-policy': fileContentSecurityPolicy(headers.contentType),
      'cross-origin-resource-policy': 'same-origin',
    });
    response.end(file.body);
  }
}

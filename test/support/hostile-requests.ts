/**
 * Hostile HTTP requests for the fuzz test (fast-check): over every route of lib/http/routes.ts, the
 * local runtime's own routes and /local-s3, and paths no route serves. Each request knows what it must
 * get, by construction:
 *
 * - `harmless`: a read (GET, HEAD), a sign-in or a sign-out — any answer but a 5xx.
 * - `refused`: a write that carries at least one defect which its route must refuse before it changes
 *   anything — a missing, forged or expired credential, a method or path no route serves, a path
 *   parameter naming nothing, a body its route's own zod schema refuses (checked here with that very
 *   schema), a well-formed body the route's rules refuse in this world (an unknown supplier, an order
 *   not settled, a voucher in another state, with odd text in the fields people type), the wrong
 *   content type, a missing Idempotency-Key, a forged link, nonce or presigned URL — so it must get a
 *   4xx (or, for a page, the redirect to the sign-in page).
 *
 * Every request of either kind must write nothing; the test compares the table, the evidence folder
 * and the outbox before and after. No request is built to be accepted.
 */
import fc from 'fast-check';
import * as z from 'zod';
import { entityBody, personBody } from '../../lib/admin/schemas.ts';
import {
  calendarOverrideBody,
  calendarYearBody,
  newPolicyVersionBody,
} from '../../lib/admin/settings-web.ts';
import {
  addDelegationBody,
  endProxyAssignmentBody,
  proxyApprovalBody,
  proxyAssignmentBody,
  revokeDelegationBody,
} from '../../lib/approvals/web.ts';
import { DEFAULT_POLICY, EDITABLE_POLICY_SETTINGS } from '../../lib/domain/policy.ts';
import { parseInstant } from '../../lib/domain/time.ts';
import { localDate } from '../../lib/http/input.ts';
import { routes } from '../../lib/http/routes.ts';
import { requestTarget } from '../../lib/local/api-gateway.ts';
import {
  bankFilePaymentsBody,
  paymentBody,
  reasonBody,
  supplierInvoiceBody,
} from '../../lib/payments/schemas.ts';
import {
  saveSupplierBody as createSupplierBody,
  rejectBody as rejectSupplierChangeBody,
  supplierChangeBody,
} from '../../lib/suppliers/web.ts';
import { createUploadBody } from '../../lib/uploads/web.ts';
import { resubmitVoucherBody, submitVoucherBody } from '../../lib/vouchers/schemas.ts';
import { TINY_PNG } from './app.ts';

export type Expectation = 'harmless' | 'refused';

export interface HostileRequest {
  /** The route it aims at (`METHOD /template`), or `unrouted`. */
  target: string;
  method: string;
  /** The request-target exactly as sent (ASCII; odd escapes left as they are). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer | { repeat: string; bytes: number };
  expect: Expectation;
  /** What is wrong with it (for the report). */
  defects: string[];
}

/** Real values of the demo world the requests aim at (built before generating). */
export interface FuzzWorld {
  /** Bearer tokens by email (all demo people). */
  tokens: Record<string, string>;
  /** Tokens that must not authenticate anyone, by what is wrong with them. */
  forgedTokens: Record<string, string>;
  vouchers: Record<'waiting' | 'rejected' | 'ready' | 'afternoon' | 'paid' | 'failed' | 'closed', string>;
  /** A bank file of today's run (its batch id) that holds the ready voucher. */
  bankFile: string;
  evidenceKey: string;
  /** The approval link emailed for the waiting voucher (token only), and its form's nonce. */
  approvalLink: string;
  approvalNonce: string;
  /** Signed links that must not decide: expired, in the applicant's name, for a decided step, … */
  forgedApprovalLinks: Record<string, string>;
  countersignLink: string;
  countersignNonce: string;
  /** A refusal link in the head of merchandising's name for a step nobody approved by proxy, and its nonce. */
  refusalLink: string;
  refusalNonce: string;
  forgedCountersignLinks: Record<string, string>;
  /** Presigned /local-s3 URLs (path and query): a download, an expired download, an upload. */
  s3Get: string;
  s3GetExpired: string;
  s3Put: string;
  s3PutExpired: string;
  /** A form POST's signed fields (S3 POST policy) to the local bucket, and an expired one's. */
  s3Post: Record<string, string>;
  s3PostExpired: Record<string, string>;
  today: string;
  /** The runtime's origin, which its pages' forms carry. */
  origin: string;
  /** Paging cursors the API issued (base64url keys). */
  cursors: string[];
}

const EMAILS = {
  merchandiser: 'li.na@lianshang.example',
  head: 'wang.qiang@lianshang.example',
  finance: 'liu.yang@lianshang.example',
  cashier: 'chen.jing@lianshang.example',
  service: 'zhao.min@lianshang.example',
  tech: 'tech@lianshang.example',
  admin: 'admin@lianshang.example',
};

// ---------------------------------------------------------------------------------------------------
// Routing, as the local runtime does it (lib/local/runtime.ts, lib/local/api-gateway.ts)

interface CompiledRoute {
  key: string;
  method: string;
  pattern: RegExp;
  specificity: number;
}

/** As lib/local/api-gateway.ts compiles a route: literal segments beat `{param}`, `{proxy+}` takes the rest. */
function compile(method: string, template: string): CompiledRoute {
  let specificity = 0;
  const source = template
    .split('/')
    .map((segment) => {
      if (/^\{\w+\+\}$/.test(segment)) return '(.+)';
      if (/^\{\w+\}$/.test(segment)) {
        specificity += 1;
        return '([^/]+)';
      }
      specificity += 100;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { key: `${method} ${template}`, method, pattern: new RegExp(`^${source}$`), specificity };
}

/** The runtime's own routes (DevRoutes), matched before the API routes. */
const DEV_ROUTES = [
  'POST /api/dev/login',
  'POST /dev/login',
  'GET /api/dev/outbox',
  'GET /dev/outbox',
  'GET /api/dev/clock',
  'POST /api/dev/clock',
  'POST /api/dev/consent-email',
];
const READ_METHODS = new Set(['GET', 'HEAD']);
/** Answered without writing, whatever they carry. */
const HARMLESS_WRITES = new Set([
  'POST /logout',
  'POST /api/dev/login',
  'POST /dev/login',
  // It signs and answers a demo consent email; it stores nothing.
  'POST /api/dev/consent-email',
]);

const apiRoutes = routes
  .map((route) => compile(route.method, route.path))
  .sort((a, b) => b.specificity - a.specificity);

/** The route the runtime would serve this request with (by its normalised pathname), if any. */
export function routeOf(method: string, rawPath: string): string | undefined {
  const pathname = requestTarget(rawPath)?.pathname;
  if (pathname === undefined) return undefined;
  if (DEV_ROUTES.includes(`${method} ${pathname}`)) return `${method} ${pathname}`;
  if (method === 'POST' && /^\/api\/dev\/jobs\/[a-z-]+$/.test(pathname)) return 'POST /api/dev/jobs/{job}';
  if (method === 'POST' && pathname === '/local-s3/') return 'POST /local-s3/';
  if ((method === 'GET' || method === 'PUT') && pathname.startsWith('/local-s3/'))
    return `${method} /local-s3/{key+}`;
  for (const route of apiRoutes) {
    // Like API Gateway, a HEAD request may be served by the GET route.
    if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
    if (route.pattern.test(pathname)) return route.key;
  }
  return undefined;
}

const isRead = (key: string) => READ_METHODS.has(key.split(' ')[0] ?? '') || HARMLESS_WRITES.has(key);

// ---------------------------------------------------------------------------------------------------
// Odd text

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

/** Percent-encodes UTF-8 (a lone surrogate becomes U+FFFD, as any encoder would send it). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return byte < 0x80 && UNRESERVED.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

const ODD_WORDS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  'true',
  '[]',
  '{}',
  '%s%n%x',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j probe, sent as typed
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  '../../etc/passwd',
  '\u0000',
  '\uD800',
  '\uDFFF\uD800',
  '\u202E\u2066abc\u2069',
  '\uFEFF',
  '\u200B',
  '😀😀😀',
  '👩‍👩‍👧‍👦',
  'ＳＵＰ－１',
  '\r\n\r\n',
  '\t',
  'e\u0301',
  'İ',
];
const CONTROL_MIX = fc
  .array(
    fc.constantFrom(
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u2028',
      '\u202e',
      '\uFFFE',
      '\uD83D',
      'a',
      '中',
    ),
    {
      maxLength: 24,
    },
  )
  .map((chars) => chars.join(''));
/** Long enough to pass every length limit (DynamoDB keys stop at 2,048 bytes, API Gateway at 8 KB a header). */
const HUGE = fc
  .tuple(fc.constantFrom(65, 301, 1025, 2049, 5000), fc.constantFrom('x', '中', '😀', '%'))
  .map(([count, char]) => char.repeat(count));

/** Well-formed but longer than anything holds them: an email address, an id, a day with a long tail. */
const HUGE_WELL_FORMED = fc
  .tuple(fc.constantFrom(64, 255, 1025, 3000), fc.constantFrom('@lianshang.example', '', '-2026-11-18'))
  .map(([count, tail]) => `${'a'.repeat(count)}${tail}`);

export const oddText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: HUGE_WELL_FORMED },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_WORDS) },
  { weight: 2, arbitrary: CONTROL_MIX },
  { weight: 1, arbitrary: HUGE },
);

/** Email addresses nobody has: odd, unicode, control characters, or longer than mail allows. */
const oddEmail: fc.Arbitrary<string> = fc.oneof(
  oddText.map((text) => `${text}@lianshang.example`),
  fc.constantFrom(64, 255, 1025, 3000).map((count) => `${'a'.repeat(count)}@lianshang.example`),
  fc.constantFrom(
    'li.na@lianshang.example ',
    'LI.NA@LIANSHANG.EXAMPLE.',
    'li.na@@lianshang.example',
    '@',
    '',
  ),
  oddText,
);

/** Escapes no decoder accepts (decodeURIComponent throws URIError on each), and some that decode oddly. */
const RAW_ESCAPES = [
  '%zz',
  '%',
  '%%',
  '%E4%B8',
  '%ED%A0%80',
  '%C0%AF',
  '%FF%FE',
  '%e4%b8%ad%',
  '%u0041',
  '%00',
  '%2F',
  '%2e%2e',
  '%252F',
  '%0D%0A',
];

/** A path segment as sent: odd text percent-encoded, raw odd escapes, or a mix. */
const oddSegment: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: oddText.map(percentEncode) },
  { weight: 3, arbitrary: fc.constantFrom(...RAW_ESCAPES) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.oneof(oddText.map(percentEncode), fc.constantFrom(...RAW_ESCAPES)), {
        minLength: 2,
        maxLength: 4,
      })
      .map((parts) => parts.join('')),
  },
  // (Raw bytes over 0x7F are left out: Node's parser answers them 400 before any route sees them.)
  { weight: 1, arbitrary: fc.constantFrom('.', '..', ';x', 'x;y=1', '*', '~', '!', "'") },
);

/** Header values Node can send (no control characters). */
const headerText = fc.oneof(
  fc.string({ maxLength: 60 }).map((text) => text.replace(/[^\x20-\x7e]/g, '')),
  fc.constantFrom('', ' ', 'null', '*', 'x'.repeat(4000), '\u00e9\u00ff'),
);

// ---------------------------------------------------------------------------------------------------
// Query strings, headers, bodies that are noise (never what makes a request refused)

const QUERY_KEYS = [
  'limit',
  'cursor',
  'status',
  'mine',
  'date',
  'id',
  '__proto__',
  'constructor',
  'expires',
  'signature',
];
const cursorValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc
    .jsonValue({ maxDepth: 2 })
    .map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')),
  fc
    .record({
      pk: fc.constantFrom('VOUCHER#x', 'APPLICANT#li.na@lianshang.example', '', 'ENTITY#lianshang-sh'),
      sk: fc.oneof(fc.constant(''), oddText),
      statusPk: fc.option(oddText, { nil: undefined }),
      statusSk: fc.option(fc.constant(42) as fc.Arbitrary<unknown>, { nil: undefined }),
      applicantPk: fc.option(fc.constant('APPLICANT#li.na@lianshang.example'), { nil: undefined }),
      applicantSk: fc.option(oddText, { nil: undefined }),
    })
    .map((key) => Buffer.from(JSON.stringify(key)).toString('base64url')),
  HUGE,
);
/** Real paging cursors of the world, as issued or with one key attribute changed. */
function editedCursor(world: FuzzWorld): fc.Arbitrary<string> {
  if (world.cursors.length === 0) return cursorValue;
  return fc
    .tuple(fc.constantFrom(...world.cursors), fc.option(fc.tuple(fc.nat(), oddText), { nil: undefined }))
    .map(([cursor, edit]) => {
      if (!edit) return cursor;
      const key = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>;
      const names = Object.keys(key);
      key[names[edit[0] % names.length] ?? 'pk'] = edit[1];
      return Buffer.from(JSON.stringify(key)).toString('base64url');
    });
}

const queryValue = (world: FuzzWorld) =>
  fc.oneof(
    oddText,
    cursorValue,
    editedCursor(world),
    fc.constantFrom(
      'true',
      'false',
      '0',
      '-1',
      '1',
      '100',
      '101',
      '1.5',
      '1e2',
      '0x10',
      ' 5',
      'IN_APPROVAL',
      'PAID',
      'BOGUS',
      '2026-11-18',
      '2026-02-30',
    ),
  );
const queryString = (world: FuzzWorld) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant('') },
    {
      weight: 4,
      arbitrary: fc
        .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), oddText), queryValue(world), fc.boolean()), {
          minLength: 1,
          maxLength: 5,
        })
        .map(
          (pairs) =>
            `?${pairs.map(([key, value, raw]) => (raw ? `${percentEncode(key)}=${value.replace(/[^\x21-\x7e]/g, '')}` : `${percentEncode(key)}=${percentEncode(value)}`)).join('&')}`,
        ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('?', '??', '?&&', '?=', '?limit', '?%zz=%zz', '?limit=1&limit=2', '#frag'),
    },
  );

const NOISE_HEADERS = [
  'host',
  'x-forwarded-for',
  'x-request-id',
  'accept',
  'accept-language',
  'origin',
  'referer',
  'user-agent',
  'idempotency-key',
  'sec-fetch-site',
  'x-amz-date',
  'content-encoding',
  'if-none-match',
  'range',
];
const noiseHeaders = fc.dictionary(fc.constantFrom(...NOISE_HEADERS), headerText, { maxKeys: 3 });

const contentTypes = {
  json: 'application/json',
  /** None of these is JSON to middy's parser (`application/…+json` would be). */
  notJson: [
    'text/plain',
    'text/csv',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
    'json',
    'application/javascript',
    '*/*',
    'application/octet-stream',
  ],
};

/** Text that is never JSON (JSON.parse throws on each). */
const NOT_JSON = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '[',
    '{"a":1,}',
    "{'a':1}",
    'NaN',
    '\uFEFF{}',
    '{}}',
    'nul',
    '"',
    '{"a":"\\u12"}',
    '[1,2',
    '--',
    'undefined',
  ),
  fc.string({ minLength: 1, maxLength: 30 }).filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }),
);

/** Any JSON value, with odd strings and keys among them. */
const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    oddText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom('__proto__', 'constructor', 'status', 'reason'), oddText),
      tie('value'),
      {
        maxKeys: 4,
      },
    ),
  ),
})).value;

/** Deeply nested JSON (a parser that recurses would overflow its stack). */
const DEEP = fc.constantFrom(1_000, 20_000).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

// ---------------------------------------------------------------------------------------------------
// Mutations of a valid JSON body that its route's schema refuses

type Json = unknown;

function setPath(value: Json, pathParts: string[], next: Json | undefined): Json {
  if (pathParts.length === 0) return next;
  const [head, ...rest] = pathParts as [string, ...string[]];
  const copy: Record<string, unknown> =
    typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...(value as object) } : {};
  const child = setPath(copy[head], rest, next);
  if (child === undefined) delete copy[head];
  else
    Object.defineProperty(copy, head, { value: child, enumerable: true, writable: true, configurable: true });
  return copy;
}

function leafPaths(value: Json, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...prefix, key]))];
}

/** A JSON body text its schema refuses: a field removed, retyped or out of range, a key added, or no JSON at all. */
function refusedJson(
  valid: Json,
  schema: z.ZodType,
  extraCheck?: (parsed: Json) => boolean,
): fc.Arbitrary<string> {
  const paths = leafPaths(valid);
  const mutated = fc
    .tuple(
      fc.constantFrom(...paths),
      fc.oneof(
        { weight: 2, arbitrary: fc.constant(undefined) },
        { weight: 4, arbitrary: anyJson },
        { weight: 2, arbitrary: oddText },
        { weight: 1, arbitrary: HUGE },
      ),
      fc.option(
        fc.tuple(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'extra', 'isAdmin'), oddText), anyJson),
        {
          nil: undefined,
        },
      ),
    )
    .map(([at, value, extra]) => {
      let body = setPath(valid, at, value);
      if (extra) body = setPath(body, [extra[0]], extra[1]);
      return JSON.stringify(body) ?? '';
    })
    // No body at all is a case of its own (`body:empty`): a job by hand takes it as "today".
    .filter((text) => text !== '');
  const refused = (text: string) => {
    try {
      const parsed: Json = JSON.parse(text);
      return !schema.safeParse(parsed).success || (extraCheck !== undefined && !extraCheck(parsed));
    } catch {
      return true;
    }
  };
  return fc.oneof(
    { weight: 6, arbitrary: mutated.filter(refused) },
    { weight: 2, arbitrary: NOT_JSON },
    { weight: 1, arbitrary: anyJson.map((value) => JSON.stringify(value) ?? 'null').filter(refused) },
    { weight: 1, arbitrary: DEEP },
  );
}

// ---------------------------------------------------------------------------------------------------
// Forms (multipart for the signed-in pages, urlencoded for the email-link pages)

type FormFields = [name: string, value: string | { file: string; type: string; content: Buffer }][];

export function multipart(
  fields: FormFields,
  boundary = 'fuzzBoundary7MA4YWxkTrZu0gW',
): { type: string; body: Buffer } {
  const parts = fields.map(([name, value]) =>
    typeof value === 'string'
      ? Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      : Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${value.file}"\r\nContent-Type: ${value.type}\r\n\r\n`,
          ),
          value.content,
          Buffer.from('\r\n'),
        ]),
  );
  return {
    type: `multipart/form-data; boundary=${boundary}`,
    body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
  };
}

/** The form with one field changed (undefined: left out). */
const withField = (
  fields: FormFields,
  name: string,
  value: FormFields[number][1] | undefined,
): FormFields => {
  const rest = fields.filter(([field]) => field !== name);
  return value === undefined ? rest : [...rest, [name, value]];
};

/** One field's value that its page must refuse (each is refused before anything is stored). */
type FieldDefects = Record<string, fc.Arbitrary<FormFields[number][1] | undefined>>;

function refusedForm(
  fields: FormFields,
  defects: FieldDefects,
): fc.Arbitrary<{ fields: FormFields; defect: string }> {
  return fc
    .constantFrom(...Object.keys(defects))
    .chain((name) =>
      (defects[name] as fc.Arbitrary<FormFields[number][1] | undefined>).map((value) => ({ name, value })),
    )
    .map(({ name, value }) => ({
      fields: withField(fields, name, value),
      defect: `form:${name}=${typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : value ? 'a file' : 'missing'}`,
    }));
}

const SHORT_REASONS = fc.constantFrom(undefined, '', ' ', 'ab', '  a  ', 'x'.repeat(501));

// ---------------------------------------------------------------------------------------------------
// The targets

interface Base {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

type Credential = 'bearer' | 'cookie' | 'link' | 'none';

interface WriteTarget {
  key: string;
  credential: Credential;
  /** Who may send it (their real token or cookie is used unless the credential is the defect). */
  senders: string[];
  /** The path with real values; `params` the segments that name something (replaced by the param defect). */
  path: (world: FuzzWorld) => { template: string; values: Record<string, string> };
  /** A valid body; the body defect replaces it by one its route refuses. */
  body?: (world: FuzzWorld) => {
    type: string;
    valid: Buffer;
    refused: fc.Arbitrary<{ type: string; body: Buffer; defect: string }>;
  };
  /** Other defects only this route has (an Idempotency-Key, a link's signature, a presigned URL's). */
  extra?: (world: FuzzWorld) => fc.Arbitrary<{ change: (request: Base) => Base; defect: string }>;
}

type Change = { change: (request: Base) => Base; defect: string };
type VoucherState = keyof FuzzWorld['vouchers'];

/**
 * A request its route's own rules refuse in this world although its body passes the schema — an
 * unknown supplier, an order not settled, a voucher in another state, a day whose run is not open —,
 * with odd text (control characters, bidi overrides, lone surrogates, emoji) in the fields people type:
 * the refusal is certain, and what reaches the rules is as odd as it gets.
 */
function ruleDefects(
  rules: ((world: FuzzWorld) => [name: string, change: (request: Base) => Base])[],
  freeText: string[][] = [],
): (world: FuzzWorld) => fc.Arbitrary<Change> {
  return (world) =>
    fc
      .record({
        rule: fc.constantFrom(...rules.map((rule) => rule(world))),
        noise: freeText.length
          ? fc.uniqueArray(fc.tuple(fc.constantFrom(...freeText), oddText), {
              maxLength: freeText.length,
              selector: ([at]) => at.join('.'),
            })
          : fc.constant([] as [string[], string][]),
      })
      .map(({ rule: [name, change], noise }) => ({
        change: (request: Base) =>
          editJson(change(request), (body) =>
            noise.reduce((next, [at, text]) => setPath(next, at, text), body),
          ),
        defect: `rule:${name}${noise.length ? ` (odd ${noise.map(([at]) => at.join('.')).join(', ')})` : ''}`,
      }));
}

/** The JSON body edited; a body that is not JSON (another defect) is left as it is. */
function editJson(request: Base, edit: (body: Json) => Json): Base {
  try {
    const body: Json = JSON.parse(request.body?.toString('utf8') ?? '');
    return { ...request, body: Buffer.from(JSON.stringify(edit(body)) ?? '') };
  } catch {
    return request;
  }
}

const bodyRule =
  (name: string, edit: (body: Record<string, unknown>, world: FuzzWorld) => Json) =>
  (world: FuzzWorld): [string, (request: Base) => Base] => [
    name,
    (request) => editJson(request, (body) => edit({ ...(body as Record<string, unknown>) }, world)),
  ];

/** The same request for a voucher of another state (one the route must refuse to act on). */
const voucherRule =
  (from: VoucherState, to: VoucherState) =>
  (world: FuzzWorld): [string, (request: Base) => Base] => [
    `a ${to} voucher`,
    (request) => ({ ...request, path: request.path.replace(world.vouchers[from], world.vouchers[to]) }),
  ];

/** The same request for another day (one whose run the route must refuse). */
const dayRule =
  (day: string, why: string) =>
  (world: FuzzWorld): [string, (request: Base) => Base] => [
    `${why} (${day})`,
    (request) => ({ ...request, path: request.path.replace(world.today, day) }),
  ];

const submitRules = [
  bodyRule('unknown supplier', (body) => ({ ...body, supplierId: 'SUP-NOPE' })),
  bodyRule('order not settled', (body) => ({ ...body, orderIds: ['LS-20261117-0006'] })),
  bodyRule('order disputed', (body) => ({ ...body, orderIds: ['LS-20261117-0008'] })),
  bodyRule('unknown order', (body) => ({ ...body, orderIds: ['LS-NOPE'] })),
  bodyRule('another supplier’s order', (body) => ({ ...body, orderIds: ['LS-20261116-0003'] })),
  bodyRule('more than the order owes', (body) => ({ ...body, amount: '115,000.01' })),
  bodyRule('no evidence', (body) => ({ ...body, evidence: [] })),
  bodyRule('evidence never uploaded', (body) => ({ ...body, evidence: ['evidence/2026-11-18/NOPE/x.png'] })),
  bodyRule('too many orders', (body) => ({
    ...body,
    orderIds: Array.from({ length: 200 }, () => 'LS-20261116-0001'),
  })),
  bodyRule('an amount of three decimals', (body) => ({ ...body, amount: '100.001' })),
];
const voucherText = [['goods'], ['payee', 'name'], ['payee', 'bank'], ['payee', 'account']];

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\+?\}/g, (_, name: string) => values[name] ?? '');

/**
 * `devRoute`: the runtime's own routes read any body as JSON whatever its content type, and a job
 * takes no body as "today": neither the content type nor an empty body is a defect there.
 */
const jsonBody =
  (
    valid: (world: FuzzWorld) => Json,
    schema: z.ZodType,
    options: { extraCheck?: (parsed: Json) => boolean; devRoute?: boolean } = {},
  ) =>
  (world: FuzzWorld) => {
    const value = valid(world);
    const { extraCheck, devRoute = false } = options;
    return {
      type: 'application/json',
      valid: Buffer.from(JSON.stringify(value)),
      refused: fc.oneof(
        {
          weight: 5,
          arbitrary: refusedJson(value, schema, extraCheck).map((text) => ({
            type: 'application/json',
            body: Buffer.from(text),
            defect: `body:${text.slice(0, 60)}`,
          })),
        },
        ...(devRoute
          ? []
          : [
              {
                weight: 1,
                arbitrary: fc.constantFrom(...contentTypes.notJson, '').map((type) => ({
                  type,
                  body: Buffer.from(JSON.stringify(value)),
                  defect: `content-type:${type || 'none'}`,
                })),
              },
              {
                weight: 1,
                arbitrary: fc.constant({
                  type: 'application/json',
                  body: Buffer.alloc(0),
                  defect: 'body:empty',
                }),
              },
            ]),
      ),
    };
  };

/**
 * What a hand-made form adds to its defect: odd text in the fields people type (`freeText`), a field
 * sent twice or as `name[0]`, a field of an odd name, a file of an odd name. None of it can mend the
 * defect (a field sent twice or bracketed reads as a list, which no field of these forms takes).
 */
function formNoise(freeText: string[]): fc.Arbitrary<(fields: FormFields) => FormFields> {
  return fc
    .record({
      text: freeText.length
        ? fc.uniqueArray(fc.tuple(fc.constantFrom(...freeText), oddText), {
            maxLength: 3,
            selector: ([name]) => name,
          })
        : fc.constant([] as [string, string][]),
      shape: fc.option(
        fc.constantFrom(
          'twice',
          'bracketed',
          'odd name',
          'odd file name',
          '__proto__',
          'constructor[prototype]',
        ),
        { nil: undefined, freq: 3 },
      ),
      oddName: oddText,
    })
    .map(({ text, shape, oddName }) => (fields: FormFields) => {
      let next = fields.map(([name, value]): FormFields[number] => {
        const odd = text.find(([field]) => field === name);
        return odd && typeof value === 'string' ? [name, odd[1]] : [name, value];
      });
      const [firstName, firstValue] = next[0] ?? ['x', 'y'];
      if (shape === 'twice') next = [...next, [firstName, firstValue]];
      if (shape === 'bracketed') next = [...next, [`${firstName}[0]`, 'y']];
      if (shape === 'odd name') next = [...next, [oddName.replace(/["\r\n]/g, '') || 'x', 'y']];
      if (shape === '__proto__' || shape === 'constructor[prototype]')
        next = [...next, [shape, '{"isAdmin":true}']];
      if (shape === 'odd file name')
        next = next.map(([name, value]) =>
          typeof value === 'string'
            ? [name, value]
            : [name, { ...value, file: oddName.replace(/["\r\n]/g, '') }],
        );
      return next;
    });
}

const formBody =
  (
    valid: (world: FuzzWorld) => FormFields,
    defects: (world: FuzzWorld) => FieldDefects,
    freeText: string[] = [],
  ) =>
  (world: FuzzWorld) => {
    const fields = valid(world);
    const good = multipart(fields);
    return {
      type: good.type,
      valid: good.body,
      refused: fc.oneof(
        {
          weight: 6,
          arbitrary: fc
            .tuple(formNoise(freeText), refusedForm(fields, defects(world)))
            .map(([noise, { fields: changed, defect }]) => {
              // The noise first, the defect last: nothing the noise does can undo it.
              const defectField = defect.slice('form:'.length).split('=')[0] ?? '';
              const kept = changed.find(([name]) => name === defectField);
              const noisy = noise(changed).filter(([name]) => name !== defectField);
              const form = multipart(kept ? [...noisy, kept] : noisy);
              return { type: form.type, body: form.body, defect };
            }),
        },
        {
          // The form as another kind of body: the page does not parse it, so every field is missing.
          weight: 1,
          arbitrary: fc
            .constantFrom(
              'application/x-www-form-urlencoded',
              'application/json',
              'text/plain',
              '',
              'multipart/form-data',
            )
            .map((type) => ({
              type,
              body:
                type === 'application/json'
                  ? Buffer.from(JSON.stringify(Object.fromEntries(fields)))
                  : good.body,
              defect: `content-type:${type || 'none'}`,
            })),
        },
        {
          // A body that is not the multipart its header announces (no part for any field).
          weight: 1,
          arbitrary: fc
            .constantFrom(
              Buffer.from('garbage'),
              Buffer.from(
                '--otherBoundary\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--otherBoundary--\r\n',
              ),
              Buffer.alloc(0),
              Buffer.from('--fuzzBoundary7MA4YWxkTrZu0gW\r\n\r\n'),
            )
            .map((body) => ({ type: good.type, body, defect: 'body:broken multipart' })),
        },
      ),
    };
  };

const urlencodedBody =
  (
    valid: (world: FuzzWorld) => Record<string, string>,
    defects: (world: FuzzWorld) => Record<string, fc.Arbitrary<string | undefined>>,
  ) =>
  (world: FuzzWorld) => {
    const fields = valid(world);
    const encode = (values: Record<string, string | undefined>) =>
      Buffer.from(
        new URLSearchParams(
          Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ).toString(),
      );
    const perField = defects(world);
    return {
      type: 'application/x-www-form-urlencoded',
      valid: encode(fields),
      refused: fc.oneof(
        {
          weight: 6,
          arbitrary: fc
            .constantFrom(...Object.keys(perField))
            .chain((name) =>
              (perField[name] as fc.Arbitrary<string | undefined>).map((value) => ({ name, value })),
            )
            .map(({ name, value }) => ({
              type: 'application/x-www-form-urlencoded',
              body: encode({ ...fields, [name]: value }),
              defect: `form:${name}=${value === undefined ? 'missing' : JSON.stringify(value.slice(0, 40))}`,
            })),
        },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('multipart/form-data; boundary=x', 'application/json', 'text/plain', '')
            .map((type) => ({
              type,
              body: type === 'application/json' ? Buffer.from(JSON.stringify(fields)) : encode(fields),
              defect: `content-type:${type || 'none'}`,
            })),
        },
      ),
    };
  };

const voucherJson = (world: FuzzWorld) => ({
  supplierId: 'SUP-HZ-TEXTILE',
  payee: {
    name: '杭州织锦服饰有限公司',
    account: '3301 0400 0001 2345 678',
    bank: '中国工商银行杭州西湖支行',
  },
  amount: '100.00',
  orderIds: ['LS-20261116-0001'],
  goods: '秋冬女装',
  evidence: [world.evidenceKey],
});

const idempotencyDefect = () =>
  fc
    .constantFrom(
      undefined,
      '',
      'short',
      'has space in it',
      'ümlaut-key-123',
      'x'.repeat(129),
      '../../etc/passwd',
      'a/b/c/d/e/f/g/h',
    )
    .map((key) => ({
      change: (request: Base) => {
        const headers = { ...request.headers };
        if (key === undefined) delete headers['idempotency-key'];
        else headers['idempotency-key'] = key;
        return { ...request, headers };
      },
      defect: `idempotency-key:${key === undefined ? 'missing' : JSON.stringify(key.slice(0, 20))}`,
    }));

const invalidAmounts = fc.constantFrom(
  '',
  'abc',
  '1.234',
  '-1',
  '0',
  '0.00',
  '1e5',
  '１００',
  '100.001',
  '99999999999999',
  'NaN',
  ' ',
  '1,00,0.0.0',
);
const invalidDates = fc.constantFrom(
  '',
  '2026-02-30',
  '18/11/2026',
  '2026-11-18T00:00',
  '20261118',
  '+02026-11-18',
  '9999-99-99',
  '2026-1-1',
);
const invoiceFields: FormFields = [
  ['type', 'VAT_SPECIAL'],
  ['number', '25442000000999999999'],
  ['code', ''],
  ['issuedOn', '2026-11-18'],
  ['amount', '100.00'],
  ['taxAmount', '11.50'],
];
const htmlFile = {
  file: 'invoice.html',
  type: 'text/html',
  content: Buffer.from('<script>alert(1)</script>'),
};

const dayOf = (world: FuzzWorld) => world.today;

/** A day that is not one (`localDate` refuses it). */
const isDay = (text: string) => localDate.safeParse(text).success;

export const WRITE_TARGETS: WriteTarget[] = [
  {
    key: 'POST /api/suppliers',
    credential: 'bearer',
    senders: [EMAILS.admin, EMAILS.finance],
    path: () => ({ template: '/api/suppliers', values: {} }),
    body: jsonBody(
      () => ({
        id: 'SUP-FUZZ-1',
        name: '苏州模糊测试有限公司',
        bankAccount: '6222 1111 2222 3333',
        bankName: '中国银行苏州分行',
        accountType: 'CORPORATE',
      }),
      createSupplierBody,
    ),
  },
  {
    key: 'POST /api/orders/import',
    credential: 'bearer',
    senders: [EMAILS.tech, EMAILS.admin],
    path: () => ({ template: '/api/orders/import', values: {} }),
    body: () => {
      const header =
        'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus';
      const line =
        'LS-FUZZ-0001,SUP-HZ-TEXTILE,100.00,90.00,2026-11-16T10:12:00+08:00,2026-11-17T09:30:00+08:00,NONE';
      const valid = Buffer.from(`${header}\n${line}\n`);
      return {
        type: 'text/csv',
        valid,
        refused: fc.oneof(
          fc
            .tuple(
              fc.oneof(
                oddText,
                fc.constantFrom('orderId,supplierId', `${header},extra`, header.toUpperCase(), ''),
              ),
              fc.constantFrom(line, ''),
            )
            .filter(([first]) => first.trim() !== header)
            .map(([first, rest]) => ({
              type: 'text/csv',
              body: Buffer.from(`${first}\n${rest}`),
              defect: 'csv:header',
            })),
          fc.constantFrom(`${header}\n"unclosed,quote`, '"', `"${header}`).map((text) => ({
            type: 'text/csv',
            body: Buffer.from(text),
            defect: 'csv:not CSV',
          })),
          fc.constantFrom('application/json', 'text/plain', '', 'application/csv', 'text/cs').map((type) => ({
            type,
            body: valid,
            defect: `content-type:${type || 'none'}`,
          })),
        ),
      };
    },
  },
  {
    key: 'POST /api/uploads',
    credential: 'bearer',
    senders: [EMAILS.merchandiser, EMAILS.service],
    path: () => ({ template: '/api/uploads', values: {} }),
    body: jsonBody(
      () => ({ fileName: 'order.png', contentType: 'image/png', size: TINY_PNG.length }),
      createUploadBody,
    ),
    extra: ruleDefects(
      [
        bodyRule('a type evidence may not be', (body) => ({ ...body, contentType: 'image/svg+xml' })),
        bodyRule('HTML as evidence', (body) => ({ ...body, contentType: 'text/html' })),
        bodyRule('over 4 MiB', (body) => ({ ...body, size: 4 * 1024 * 1024 + 1 })),
        bodyRule('a PNG as a consent email', (body) => ({ ...body, purpose: 'consent-email' })),
      ],
      [['fileName']],
    ),
  },
  {
    key: 'POST /api/vouchers',
    credential: 'bearer',
    senders: [EMAILS.merchandiser],
    path: () => ({ template: '/api/vouchers', values: {} }),
    body: jsonBody(voucherJson, submitVoucherBody),
    extra: (world) => fc.oneof(idempotencyDefect(), ruleDefects(submitRules, voucherText)(world)),
  },
  {
    key: 'PUT /api/vouchers/{id}',
    credential: 'bearer',
    senders: [EMAILS.merchandiser],
    path: (world) => ({ template: '/api/vouchers/{id}', values: { id: world.vouchers.rejected } }),
    body: jsonBody(voucherJson, resubmitVoucherBody),
    extra: (world) =>
      fc.oneof(
        idempotencyDefect(),
        ruleDefects(
          [
            ...submitRules,
            voucherRule('rejected', 'ready'),
            voucherRule('rejected', 'waiting'),
            voucherRule('rejected', 'closed'),
          ],
          voucherText,
        )(world),
      ),
  },
  {
    key: 'POST /api/delegations',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({ template: '/api/delegations', values: {} }),
    body: jsonBody(
      (world) => ({
        from: 'wu.fang@lianshang.example',
        to: EMAILS.tech,
        validFrom: world.today,
        validTo: '2026-11-25',
        reason: '出差 away on business',
      }),
      addDelegationBody,
    ),
    extra: ruleDefects(
      [
        bodyRule('ending before it starts', (body) => ({ ...body, validTo: '2026-11-17' })),
        bodyRule('to oneself', (body) => ({ ...body, to: body.from })),
        bodyRule('from nobody in the directory', (body) => ({ ...body, from: 'nobody@lianshang.example' })),
        bodyRule('from an address longer than mail allows', (body) => ({
          ...body,
          from: `${'a'.repeat(3000)}@lianshang.example`,
        })),
        bodyRule('to an address longer than a key', (body) => ({
          ...body,
          to: `${'b'.repeat(1100)}@lianshang.example`,
        })),
        bodyRule('to an address in other letters', (body) => ({ ...body, to: 'lǐ.nà@lianshang.example' })),
      ],
      [['reason']],
    ),
  },
  {
    key: 'POST /api/people',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({ template: '/api/people', values: {} }),
    body: jsonBody(
      () => ({
        email: 'fuzz.person@lianshang.example',
        name: '模糊 Fuzz',
        entityId: 'lianshang-sh',
        roles: ['CUSTOMER_SERVICE'],
        active: true,
      }),
      personBody,
    ),
    extra: ruleDefects(
      [
        bodyRule('a head without a deputy (D18)', (body) => ({ ...body, roles: ['HEAD_OF_MERCHANDISING'] })),
        bodyRule('a cashier who applies (D18)', (body) => ({ ...body, roles: ['CASHIER', 'MERCHANDISER'] })),
        bodyRule('of another entity', (body) => ({ ...body, entityId: 'lianshang-gz' })),
        bodyRule('someone already in the directory', (body) => ({ ...body, email: EMAILS.tech })),
      ],
      [['name']],
    ),
  },
  {
    key: 'PUT /api/people/{email}',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({ template: '/api/people/{email}', values: { email: EMAILS.service } }),
    body: jsonBody(
      () => ({
        email: EMAILS.service,
        name: '赵敏 Zhao Min',
        entityId: 'lianshang-sh',
        roles: ['CUSTOMER_SERVICE', 'CASHIER'],
        active: true,
      }),
      personBody,
    ),
    extra: ruleDefects(
      [
        bodyRule('two steps of a voucher (D18)', (body) => ({ ...body, roles: ['CEO', 'CASHIER'] })),
        bodyRule('moved to another entity', (body) => ({ ...body, entityId: 'lianshang-gz' })),
        bodyRule('another email than the path', (body) => ({ ...body, email: EMAILS.tech })),
      ],
      [['name']],
    ),
  },
  {
    key: 'POST /api/entities',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({ template: '/api/entities', values: {} }),
    body: jsonBody(
      () => ({
        id: 'lianshang-fuzz',
        name: '链尚模糊测试有限公司',
        taxId: '91110105MA01ABCD27',
        bankAccounts: [],
        invoicing: { itemName: '日用杂品', taxCode: '1060512990000000000', taxRatePercent: 13 },
      }),
      entityBody,
    ),
    extra: ruleDefects(
      [
        bodyRule('a tax number with a wrong check character', (body) => ({
          ...body,
          taxId: '91350100M000100Y44',
        })),
        bodyRule('an entity that exists, differently', (body) => ({
          ...body,
          id: 'lianshang-sh',
          taxId: '91350100M000100Y43',
        })),
      ],
      [['name']],
    ),
  },
  {
    key: 'PUT /api/entities/{id}',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({ template: '/api/entities/{id}', values: { id: 'lianshang-gz' } }),
    body: jsonBody(
      () => ({
        id: 'lianshang-gz',
        name: '链尚网络科技（广州）有限公司',
        taxId: '91110105MA01ABCD26',
        bankAccounts: [],
        invoicing: { itemName: '日用杂品', taxCode: '1060512990000000000', taxRatePercent: 13 },
      }),
      entityBody,
    ),
    extra: ruleDefects(
      [
        bodyRule('a tax number with a wrong check character', (body) => ({
          ...body,
          taxId: '91110105MA01ABCD27',
        })),
        bodyRule('another id than the path', (body) => ({ ...body, id: 'lianshang-sh' })),
      ],
      [['name']],
    ),
  },
  {
    key: 'POST /api/vouchers/{id}/proxy-approvals',
    credential: 'bearer',
    senders: [EMAILS.service, EMAILS.admin],
    path: (world) => ({
      template: '/api/vouchers/{id}/proxy-approvals',
      values: { id: world.vouchers.waiting },
    }),
    body: jsonBody(
      (world) => ({ step: 'HEAD_OF_MERCHANDISING', consentEmail: world.evidenceKey }),
      proxyApprovalBody,
    ),
    extra: ruleDefects([
      bodyRule('finance review by proxy', (body) => ({ ...body, step: 'FINANCE_REVIEW' })),
      bodyRule('payment by proxy', (body) => ({ ...body, step: 'PAYMENT' })),
      bodyRule('no such consent email', (body) => ({
        ...body,
        consentEmail: 'evidence/2026-11-18/NOPE/ok.eml',
      })),
      voucherRule('waiting', 'ready'),
      voucherRule('waiting', 'closed'),
    ]),
  },
  {
    key: 'POST /api/payment-runs/{date}/bank-batch',
    credential: 'bearer',
    senders: [EMAILS.cashier],
    path: (world) => ({ template: '/api/payment-runs/{date}/bank-batch', values: { date: dayOf(world) } }),
    // The route's own schema (functions/payments/runs.ts).
    body: jsonBody(
      () => ({ format: 'csv', includeExported: true }),
      z.strictObject({
        format: z.enum(['csv', 'xlsx']).default('csv'),
        includeExported: z.boolean().default(false),
      }),
    ),
    extra: ruleDefects([
      dayRule('2026-11-19', 'a run not open yet'),
      dayRule('2020-01-06', 'a run with nothing to export'),
    ]),
  },
  {
    key: 'POST /api/payment-runs/{date}/bank-batch/{batchId}/payments',
    credential: 'bearer',
    senders: [EMAILS.cashier],
    path: (world) => ({
      template: '/api/payment-runs/{date}/bank-batch/{batchId}/payments',
      values: { date: dayOf(world), batchId: world.bankFile },
    }),
    body: jsonBody(
      (world) => ({
        rows: [{ voucherId: world.vouchers.ready, bankReference: 'ICBC-FUZZ-BULK-1', paidOn: world.today }],
      }),
      bankFilePaymentsBody,
    ),
    // Only refusals of the whole request: a row refused on its own would leave the others paid.
    extra: ruleDefects([
      bodyRule('a voucher not in the file', (body, world) => ({
        rows: [{ ...((body.rows as Json[])[0] as Record<string, Json>), voucherId: world.vouchers.paid }],
      })),
      bodyRule('one bank reference for two transfers', (body, world) => {
        const [row] = body.rows as Record<string, Json>[];
        return { rows: [row as Json, { ...row, voucherId: world.vouchers.paid }] };
      }),
      bodyRule('the same voucher twice', (body) => {
        const [row] = body.rows as Record<string, Json>[];
        return { rows: [row as Json, { ...row, bankReference: 'ICBC-FUZZ-BULK-2' }] };
      }),
      dayRule('2026-11-19', 'a file of another run'),
      (world) => [
        'a file never exported',
        (request) => ({
          ...request,
          path: request.path.replace(world.bankFile, '01KZZZZZZZZZZZZZZZZZZZZZZZ'),
        }),
      ],
    ]),
  },
  {
    key: 'POST /api/vouchers/{id}/payment',
    credential: 'bearer',
    senders: [EMAILS.cashier],
    path: (world) => ({ template: '/api/vouchers/{id}/payment', values: { id: world.vouchers.ready } }),
    body: jsonBody(
      (world) => ({ status: 'PAID', bankReference: 'ICBC-FUZZ-0001', paidOn: world.today }),
      paymentBody,
    ),
    extra: ruleDefects(
      [
        voucherRule('ready', 'paid'),
        voucherRule('ready', 'afternoon'),
        voucherRule('ready', 'failed'),
        voucherRule('ready', 'waiting'),
        voucherRule('ready', 'closed'),
        voucherRule('ready', 'rejected'),
        bodyRule('paid tomorrow', (body) => ({ ...body, paidOn: '2026-11-19' })),
        bodyRule('paid before it was payable', (body) => ({ ...body, paidOn: '2026-11-17' })),
        (world) => {
          const [, onPaid] = voucherRule('ready', 'paid')(world);
          return [
            'a failure of a paid voucher',
            (request: Base) =>
              editJson(onPaid(request), () => ({ status: 'PAYMENT_FAILED', reason: '账户已冻结 frozen' })),
          ];
        },
      ],
      [['reason']],
    ),
  },
  ...(['pull-forward', 'retry', 'return'] as const).map(
    (action): WriteTarget => ({
      key: `POST /api/vouchers/{id}/payment/${action}`,
      credential: 'bearer',
      senders: action === 'pull-forward' ? [EMAILS.cashier, EMAILS.finance] : [EMAILS.finance],
      path: (world) => ({
        template: `/api/vouchers/{id}/payment/${action}`,
        values: { id: action === 'pull-forward' ? world.vouchers.afternoon : world.vouchers.failed },
      }),
      body: jsonBody(() => ({ reason: '供应商今天急需 the supplier needs it' }), reasonBody),
      extra: ruleDefects(
        action === 'pull-forward'
          ? [
              voucherRule('afternoon', 'ready'),
              voucherRule('afternoon', 'paid'),
              voucherRule('afternoon', 'waiting'),
            ]
          : [
              voucherRule('failed', 'ready'),
              voucherRule('failed', 'paid'),
              voucherRule('failed', 'waiting'),
              voucherRule('failed', 'closed'),
              voucherRule('failed', 'rejected'),
            ],
        [['reason']],
      ),
    }),
  ),
  {
    key: 'POST /api/vouchers/{id}/supplier-invoice',
    credential: 'bearer',
    senders: [EMAILS.merchandiser, EMAILS.finance],
    path: (world) => ({
      template: '/api/vouchers/{id}/supplier-invoice',
      values: { id: world.vouchers.paid },
    }),
    body: jsonBody(
      (world) => ({
        type: 'VAT_SPECIAL',
        number: '25442000000999999999',
        issuedOn: world.today,
        amount: '100.00',
        taxAmount: '11.50',
      }),
      supplierInvoiceBody,
    ),
    extra: ruleDefects(
      [
        voucherRule('paid', 'ready'),
        voucherRule('paid', 'waiting'),
        voucherRule('paid', 'failed'),
        voucherRule('paid', 'closed'),
        bodyRule('an ordinary invoice from a general taxpayer', (body) => ({
          ...body,
          type: 'VAT_ORDINARY',
        })),
        bodyRule('issued tomorrow', (body) => ({ ...body, issuedOn: '2026-11-19' })),
        bodyRule('tax as large as the amount', (body) => ({ ...body, taxAmount: '100.00' })),
        bodyRule('a number of no invoice', (body) => ({ ...body, number: '123' })),
        bodyRule('a copy never uploaded', (body) => ({
          ...body,
          file: 'evidence/2026-11-18/NOPE/invoice.pdf',
        })),
      ],
      [['code']],
    ),
  },
  {
    key: 'POST /api/vouchers/{id}/supplier-invoice/waiver',
    credential: 'bearer',
    senders: [EMAILS.finance],
    path: (world) => ({
      template: '/api/vouchers/{id}/supplier-invoice/waiver',
      values: { id: world.vouchers.paid },
    }),
    body: jsonBody(() => ({ reason: '供应商只能开普票 ordinary invoice only' }), reasonBody),
    extra: ruleDefects([voucherRule('paid', 'closed'), voucherRule('paid', 'rejected')], [['reason']]),
  },
  {
    key: 'POST /approvals/{link}',
    credential: 'link',
    senders: [],
    path: (world) => ({ template: '/approvals/{link}', values: { link: world.approvalLink } }),
    body: urlencodedBody(
      (world) => ({ nonce: world.approvalNonce, confirm: 'yes', decision: 'APPROVE', reason: '' }),
      (world) => ({
        nonce: fc.oneof(
          fc.constantFrom(
            undefined,
            '',
            world.countersignNonce,
            `${world.approvalNonce}x`,
            world.approvalNonce.slice(1),
          ),
          oddText,
        ),
        confirm: fc.constantFrom(undefined, '', 'no', 'YES', 'on', 'true', 'yes '),
        decision: fc.oneof(
          // REJECT too: the form's reason is empty, and a rejection needs one.
          fc.constantFrom(undefined, '', 'approve', 'APPROVED', 'MAYBE', 'REJECT ', 'REJECT'),
          oddText.filter((text) => !['APPROVE', 'REJECT'].includes(text)),
        ),
        reason: fc.constant('x'.repeat(1001)),
      }),
    ),
  },
  {
    key: 'POST /api/proxy-assignments',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({ template: '/api/proxy-assignments', values: {} }),
    body: jsonBody(
      (world) => ({
        approver: 'wang.qiang@lianshang.example',
        proxy: 'sun.hao@lianshang.example',
        from: world.today,
        to: '2026-11-30',
        reason: '出差 away on business',
      }),
      proxyAssignmentBody,
    ),
    extra: ruleDefects([
      bodyRule('starting before today', (body) => ({ ...body, from: '2026-11-17' })),
      bodyRule('ending before it starts', (body, world) => ({
        ...body,
        to: '2026-11-17',
        from: world.today,
      })),
      bodyRule('a year or more long', (body) => ({ ...body, to: '2027-11-18' })),
      bodyRule('for someone who holds no proxy step', (body) => ({ ...body, approver: EMAILS.merchandiser })),
      bodyRule('naming the approver their own proxy', (body) => ({
        ...body,
        proxy: body.approver as string,
      })),
      bodyRule('naming nobody in the directory', (body) => ({ ...body, proxy: 'nobody@lianshang.example' })),
    ]),
  },
  // Revoking or ending names a delegation or assignment that does not exist: refused (404) whatever else.
  {
    key: 'POST /api/delegations/{id}/revoke',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({
      template: '/api/delegations/{id}/revoke',
      values: { id: '01KZZZZZZZZZZZZZZZZZZZZZZZ' },
    }),
    body: jsonBody(() => ({ from: 'wang.qiang@lianshang.example' }), revokeDelegationBody),
  },
  {
    key: 'POST /api/proxy-assignments/{id}/end',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({
      template: '/api/proxy-assignments/{id}/end',
      values: { id: '01KZZZZZZZZZZZZZZZZZZZZZZZ' },
    }),
    body: jsonBody(() => ({ approver: 'wang.qiang@lianshang.example' }), endProxyAssignmentBody),
  },
  {
    key: 'POST /api/suppliers/{id}/changes',
    credential: 'bearer',
    senders: [EMAILS.finance, EMAILS.admin],
    path: () => ({ template: '/api/suppliers/{id}/changes', values: { id: 'SUP-HZ-TEXTILE' } }),
    body: jsonBody(
      () => ({
        name: '杭州织锦服饰有限公司',
        bankAccount: '6222 0505 0000 0001',
        bankName: '中国工商银行杭州滨江支行',
        accountType: 'CORPORATE',
      }),
      supplierChangeBody,
    ),
  },
  // A change that does not exist: D8's review writes only on a pending change of the entity.
  {
    key: 'POST /api/suppliers/{id}/changes/{changeId}/approve',
    credential: 'bearer',
    senders: [EMAILS.finance],
    path: () => ({
      template: '/api/suppliers/{id}/changes/{changeId}/approve',
      values: { id: 'SUP-HZ-TEXTILE', changeId: '01KZZZZZZZZZZZZZZZZZZZZZZZ' },
    }),
  },
  {
    key: 'POST /api/suppliers/{id}/changes/{changeId}/reject',
    credential: 'bearer',
    senders: [EMAILS.finance],
    path: () => ({
      template: '/api/suppliers/{id}/changes/{changeId}/reject',
      values: { id: 'SUP-HZ-TEXTILE', changeId: '01KZZZZZZZZZZZZZZZZZZZZZZZ' },
    }),
    body: jsonBody(() => ({ reason: '供应商未确认 the supplier did not confirm' }), rejectSupplierChangeBody),
  },
  {
    key: 'POST /supplier-changes',
    credential: 'cookie',
    senders: [EMAILS.finance, EMAILS.admin],
    path: () => ({ template: '/supplier-changes', values: {} }),
    body: urlencodedBody(
      () => ({
        supplierId: 'SUP-HZ-TEXTILE',
        name: '杭州织锦服饰有限公司',
        bankAccount: '6222 0404 0000 0001',
        bankName: '中国工商银行杭州滨江支行',
        accountType: 'CORPORATE',
      }),
      () => ({
        supplierId: fc.constantFrom(undefined, '', 'SUP-NOPE', '__proto__', 'SUP-GZ-FOOD'),
        name: fc.constantFrom(undefined, '', 'x', ' x ', 'x'.repeat(201)),
        bankAccount: fc.constantFrom(undefined, '', '12', 'IBAN-NOT', '6'.repeat(41)),
        accountType: fc.constantFrom(undefined, '', 'corporate', 'BOTH'),
      }),
    ),
  },
  // A change that does not exist (D8's review writes only on a pending change of the entity).
  {
    key: 'POST /supplier-changes/{id}/{changeId}/approve',
    credential: 'cookie',
    senders: [EMAILS.finance],
    path: () => ({
      template: '/supplier-changes/{id}/{changeId}/approve',
      values: { id: 'SUP-HZ-TEXTILE', changeId: '01KZZZZZZZZZZZZZZZZZZZZZZZ' },
    }),
  },
  {
    key: 'POST /supplier-changes/{id}/{changeId}/reject',
    credential: 'cookie',
    senders: [EMAILS.finance],
    path: () => ({
      template: '/supplier-changes/{id}/{changeId}/reject',
      values: { id: 'SUP-HZ-TEXTILE', changeId: '01KZZZZZZZZZZZZZZZZZZZZZZZ' },
    }),
    body: urlencodedBody(
      () => ({ reason: '供应商未确认 the supplier did not confirm' }),
      () => ({ reason: fc.constantFrom(undefined, '', ' ', 'x', 'x'.repeat(501)) }),
    ),
  },
  {
    key: 'POST /admin/delegations',
    credential: 'cookie',
    senders: [EMAILS.admin],
    path: () => ({ template: '/admin/delegations', values: {} }),
    body: urlencodedBody(
      (world) => ({
        from: 'wu.fang@lianshang.example',
        to: EMAILS.tech,
        validFrom: world.today,
        validTo: '2026-11-25',
        reason: '出差 away on business',
      }),
      () => ({
        from: fc.constantFrom(undefined, '', 'nobody@lianshang.example', EMAILS.tech, 'not an address'),
        to: fc.constantFrom(undefined, '', 'wu.fang@lianshang.example', 'lǐ.nà@lianshang.example'),
        validFrom: fc.constantFrom(undefined, '', '2020-01-06', '2026-11-31', '0000-01-01'),
        validTo: fc.constantFrom(undefined, '', '2026-11-17', '2030-01-01', '9999-12-31'),
        reason: fc.constantFrom(undefined, '', 'x', 'x'.repeat(501)),
      }),
    ),
  },
  {
    key: 'POST /admin/delegations/{id}/revoke',
    credential: 'cookie',
    senders: [EMAILS.admin],
    path: () => ({
      template: '/admin/delegations/{id}/revoke',
      values: { id: '01KZZZZZZZZZZZZZZZZZZZZZZZ' },
    }),
    body: urlencodedBody(
      () => ({ from: 'wang.qiang@lianshang.example' }),
      () => ({ from: fc.constantFrom(undefined, '', 'nobody@lianshang.example', 'not an address') }),
    ),
  },
  // A well-formed proxy the use case refuses: before today, a year or more, to oneself, nobody.
  {
    key: 'POST /admin/proxy-assignments',
    credential: 'cookie',
    senders: [EMAILS.admin],
    path: () => ({ template: '/admin/proxy-assignments', values: {} }),
    body: urlencodedBody(
      (world) => ({
        approver: 'wang.qiang@lianshang.example',
        proxy: 'sun.hao@lianshang.example',
        from: world.today,
        to: '2026-11-30',
        reason: '出差 away on business',
      }),
      () => ({
        approver: fc.constantFrom(
          undefined,
          '',
          'nobody@lianshang.example',
          EMAILS.merchandiser,
          'not an address',
        ),
        proxy: fc.constantFrom(undefined, '', 'wang.qiang@lianshang.example', 'lǐ.nà@lianshang.example'),
        from: fc.constantFrom(undefined, '', '2020-01-06', '2026-11-31', '0000-01-01'),
        to: fc.constantFrom(undefined, '', '2026-11-17', '2030-01-01', '9999-12-31'),
        reason: fc.constantFrom(undefined, '', 'x', 'x'.repeat(501)),
      }),
    ),
  },
  {
    key: 'POST /admin/proxy-assignments/{id}/end',
    credential: 'cookie',
    senders: [EMAILS.admin],
    path: () => ({
      template: '/admin/proxy-assignments/{id}/end',
      values: { id: '01KZZZZZZZZZZZZZZZZZZZZZZZ' },
    }),
    body: urlencodedBody(
      () => ({ approver: 'wang.qiang@lianshang.example' }),
      () => ({ approver: fc.constantFrom(undefined, '', 'nobody@lianshang.example', 'not an address') }),
    ),
  },
  {
    key: 'POST /proxy-refusal/{link}',
    credential: 'link',
    senders: [],
    path: (world) => ({ template: '/proxy-refusal/{link}', values: { link: world.refusalLink } }),
    body: urlencodedBody(
      (world) => ({ nonce: world.refusalNonce, confirm: 'yes', reason: '' }),
      (world) => ({
        nonce: fc.oneof(
          fc.constantFrom(undefined, '', world.countersignNonce, `${world.refusalNonce}x`),
          oddText,
        ),
        confirm: fc.constantFrom(undefined, '', 'no', 'YES', 'on'),
        reason: fc.constant('x'.repeat(1001)),
      }),
    ),
  },
  {
    key: 'POST /countersign/{link}',
    credential: 'link',
    senders: [],
    path: (world) => ({ template: '/countersign/{link}', values: { link: world.countersignLink } }),
    body: urlencodedBody(
      (world) => ({ nonce: world.countersignNonce, confirm: 'yes', reason: '' }),
      (world) => ({
        nonce: fc.oneof(
          fc.constantFrom(undefined, '', world.approvalNonce, `${world.countersignNonce}x`),
          oddText,
        ),
        confirm: fc.constantFrom(undefined, '', 'no', 'YES', 'on'),
        reason: fc.constant('x'.repeat(1001)),
      }),
    ),
  },
  {
    key: 'POST /vouchers/new',
    credential: 'cookie',
    senders: [EMAILS.merchandiser],
    path: () => ({ template: '/vouchers/new', values: {} }),
    body: formBody(
      () => [
        ['idempotencyKey', 'fuzz-page-key-0001'],
        ['supplierId', 'SUP-HZ-TEXTILE'],
        ['payeeName', '杭州织锦服饰有限公司'],
        ['payeeAccount', '3301 0400 0001 2345 678'],
        ['payeeBank', '中国工商银行杭州西湖支行'],
        ['amount', '100.00'],
        ['orderIds', 'LS-20261116-0001'],
        ['goods', '秋冬女装'],
        ['evidence', { file: 'order.png', type: 'image/png', content: TINY_PNG }],
      ],
      () => ({
        idempotencyKey: fc.constantFrom(undefined, '', 'short', 'x'.repeat(129)),
        amount: invalidAmounts,
        supplierId: fc.constantFrom('', 'SUP-NOPE', '__proto__', 'sup-hz-textile'),
        orderIds: fc.constantFrom(
          '',
          'LS-NOPE',
          'LS-20261117-0006',
          'LS-20261117-0007',
          'LS-20261117-0008',
          'LS-20261116-0003',
        ),
        evidence: fc.constantFrom(undefined, htmlFile, {
          file: 'empty.png',
          type: 'image/png',
          content: Buffer.alloc(0),
        }),
      }),
      ['goods', 'payeeName', 'payeeBank', 'payeeAccount'],
    ),
  },
  {
    key: 'POST /vouchers/{id}/edit',
    credential: 'cookie',
    senders: [EMAILS.merchandiser],
    path: (world) => ({ template: '/vouchers/{id}/edit', values: { id: world.vouchers.rejected } }),
    body: formBody(
      () => [
        ['idempotencyKey', 'fuzz-edit-key-0001'],
        ['version', '1'],
        ['supplierId', 'SUP-HZ-TEXTILE'],
        ['payeeName', '杭州织锦服饰有限公司'],
        ['payeeAccount', '**** **** 5678'],
        ['payeeBank', '中国工商银行杭州西湖支行'],
        ['amount', '100.00'],
        ['orderIds', 'LS-20261116-0001'],
        ['goods', '秋冬女装'],
        ['evidence', { file: 'order.png', type: 'image/png', content: TINY_PNG }],
      ],
      () => ({
        idempotencyKey: fc.constantFrom(undefined, '', 'short', 'x'.repeat(129)),
        version: fc.constantFrom(undefined, '', 'one', '0', '-1'),
        amount: invalidAmounts,
        payeeAccount: fc.constantFrom('**** **** 0000', '****'),
        orderIds: fc.constantFrom('', 'LS-NOPE', 'LS-20261117-0006', 'LS-20261117-0008'),
        evidence: fc.constantFrom(htmlFile, {
          file: 'empty.png',
          type: 'image/png',
          content: Buffer.alloc(0),
        }),
      }),
      ['goods', 'payeeName', 'payeeBank'],
    ),
  },
  {
    key: 'POST /payment-runs/{date}',
    credential: 'cookie',
    senders: [EMAILS.cashier],
    path: (world) => ({ template: '/payment-runs/{date}', values: { date: dayOf(world) } }),
    body: formBody(
      (world) => [
        ['voucherId', world.vouchers.ready],
        ['action', 'paid'],
        ['bankReference', 'ICBC-FUZZ-PAGE-1'],
        ['paidOn', world.today],
      ],
      () => ({
        voucherId: fc.oneof(
          fc.constantFrom(undefined, ''),
          oddText.map((text) => `x${text}`),
        ),
        action: fc.constantFrom(undefined, '', 'PAID', 'delete', 'paid '),
        bankReference: fc.constantFrom('', 'ab', '中文参考号', 'has space', 'x'.repeat(65)),
        paidOn: fc.oneof(invalidDates, fc.constant('2026-11-19')),
      }),
      ['reason'],
    ),
  },
  {
    key: 'POST /payment-runs/{date}/bank-batch',
    credential: 'cookie',
    senders: [EMAILS.cashier],
    path: (world) => ({ template: '/payment-runs/{date}/bank-batch', values: { date: dayOf(world) } }),
    body: formBody(
      () => [
        ['format', 'csv'],
        ['includeExported', 'yes'],
      ],
      () => ({
        format: fc.constantFrom(undefined, '', 'pdf', 'CSV', 'csv '),
        includeExported: fc.constantFrom('no', 'true', 'YES', ''),
      }),
    ),
  },
  {
    key: 'POST /payment-runs/{date}/bank-batch/{batchId}',
    credential: 'cookie',
    senders: [EMAILS.cashier],
    path: (world) => ({
      template: '/payment-runs/{date}/bank-batch/{batchId}',
      values: { date: dayOf(world), batchId: world.bankFile },
    }),
    body: formBody(
      (world) => [
        [`ref-${world.vouchers.ready}`, 'ICBC-FUZZ-BULK-PAGE-1'],
        [`on-${world.vouchers.ready}`, world.today],
      ],
      // A day that parses but is in the future is refused at its row only (a 200 page): not here.
      (world) => ({
        [`ref-${world.vouchers.ready}`]: fc.constantFrom(
          undefined,
          '',
          '   ',
          'ab',
          'has space',
          '中文参考号',
          'x'.repeat(65),
        ),
        [`on-${world.vouchers.ready}`]: invalidDates,
        [`ref-${world.vouchers.paid}`]: fc.constantFrom('ICBC-FUZZ-NOT-IN-FILE'),
      }),
    ),
  },
  {
    key: 'POST /vouchers/{id}/payment',
    credential: 'cookie',
    senders: [EMAILS.finance],
    path: (world) => ({ template: '/vouchers/{id}/payment', values: { id: world.vouchers.failed } }),
    body: formBody(
      () => [
        ['action', 'retry'],
        ['reason', '银行已恢复 the bank is back'],
      ],
      () => ({ action: fc.constantFrom(undefined, '', 'RETRY', 'pay'), reason: SHORT_REASONS }),
      ['reason'],
    ),
  },
  {
    key: 'POST /vouchers/{id}/supplier-invoice',
    credential: 'cookie',
    senders: [EMAILS.merchandiser, EMAILS.finance],
    path: (world) => ({ template: '/vouchers/{id}/supplier-invoice', values: { id: world.vouchers.paid } }),
    body: formBody(
      () => invoiceFields,
      () => ({
        type: fc.constantFrom(undefined, '', 'VAT', 'vat_special'),
        number: fc.constantFrom(undefined, '', 'x'.repeat(33)),
        issuedOn: fc.oneof(invalidDates, fc.constant('2026-11-19')),
        amount: invalidAmounts,
        taxAmount: fc.constantFrom('abc', '1.234', '-1', 'x'.repeat(33)),
      }),
      ['code', 'number'],
    ),
  },
  {
    key: 'POST /vouchers/{id}/supplier-invoice/waiver',
    credential: 'cookie',
    senders: [EMAILS.finance],
    path: (world) => ({
      template: '/vouchers/{id}/supplier-invoice/waiver',
      values: { id: world.vouchers.paid },
    }),
    body: formBody(
      () => [['reason', '供应商只能开普票 ordinary invoice only']],
      () => ({ reason: SHORT_REASONS }),
    ),
  },
  {
    key: 'POST /api/dev/clock',
    credential: 'none',
    senders: [],
    path: () => ({ template: '/api/dev/clock', values: {} }),
    body: jsonBody(() => ({ now: '2026-11-18T14:00:00+08:00' }), z.strictObject({ now: z.string().min(1) }), {
      devRoute: true,
      extraCheck: (parsed) => {
        try {
          parseInstant((parsed as { now: string }).now);
          return true;
        } catch {
          return false;
        }
      },
    }),
  },
  {
    key: 'POST /api/dev/jobs/{job}',
    credential: 'none',
    senders: [],
    path: () => ({ template: '/api/dev/jobs/{job}', values: { job: 'cashier-reminders' } }),
    body: jsonBody(() => ({ date: '2026-11-18' }), z.strictObject({ date: localDate.optional() }), {
      devRoute: true,
    }),
  },
  {
    key: 'PUT /local-s3/{key+}',
    credential: 'none',
    senders: [],
    path: (world) => {
      const [pathname = '', query = ''] = world.s3Put.split('?');
      return { template: `/local-s3/{key+}?${query}`, values: { key: pathname.slice('/local-s3/'.length) } };
    },
    body: () => ({
      type: 'image/png',
      valid: TINY_PNG,
      refused: fc.oneof(
        fc.constantFrom('image/jpeg', 'text/html', '', 'image/png; charset=x').map((type) => ({
          type,
          body: TINY_PNG,
          defect: `content-type:${type || 'none'}`,
        })),
        fc
          .constantFrom(Buffer.alloc(0), TINY_PNG.subarray(1), Buffer.concat([TINY_PNG, Buffer.from('x')]))
          .map((body) => ({
            type: 'image/png',
            body,
            defect: `body:${body.length} bytes`,
          })),
      ),
    }),
    extra: (world) =>
      fc
        .constantFrom(
          ['signature', (query: URLSearchParams) => query.set('signature', `${query.get('signature')}x`)],
          ['no signature', (query: URLSearchParams) => query.delete('signature')],
          ['size', (query: URLSearchParams) => query.set('size', '68')],
          ['contentType', (query: URLSearchParams) => query.set('contentType', 'text/html')],
          [
            'expires',
            (query: URLSearchParams) => query.set('expires', String(Number(query.get('expires')) + 1)),
          ],
          ['expired', () => undefined],
        )
        .map(([name, edit]) => ({
          change: (request: Base) => {
            if (name === 'expired') return { ...request, path: world.s3PutExpired };
            const [pathname = '', search = ''] = request.path.split('?');
            const query = new URLSearchParams(search);
            (edit as (query: URLSearchParams) => void)(query);
            return { ...request, path: `${pathname}?${query}` };
          },
          defect: `presigned url:${name}`,
        })),
  },
  {
    // The local bucket's form POST (the week page's upload): every drawn defect is refused before
    // anything is stored — a field the policy fixes changed, one it does not name, no file or an empty
    // one, a tampered signature, an expired policy.
    key: 'POST /local-s3/',
    credential: 'none',
    senders: [],
    path: () => ({ template: '/local-s3/', values: {} }),
    body: (world) => {
      const sheet = { file: 'summary.csv', type: 'text/csv', content: Buffer.from('orderId\n') };
      const form = (fields: Record<string, string>, file: FormFields[number][1] | null = sheet) =>
        multipart([...Object.entries(fields), ...(file ? [['file', file] as FormFields[number]] : [])]);
      const valid = form(world.s3Post);
      return {
        type: valid.type,
        valid: valid.body,
        refused: fc
          .constantFrom(
            ['key', form({ ...world.s3Post, key: `${world.s3Post.key}x` })],
            ['redirect', form({ ...world.s3Post, success_action_redirect: 'https://elsewhere.example/' })],
            ['unnamed field', form({ ...world.s3Post, acl: 'public-read' })],
            ['signature', form({ ...world.s3Post, 'x-amz-signature': '0'.repeat(64) })],
            ['expired', form(world.s3PostExpired)],
            ['no file', form(world.s3Post, null)],
            ['empty file', form(world.s3Post, { ...sheet, content: Buffer.alloc(0) })],
            ['oversized file', form(world.s3Post, { ...sheet, content: Buffer.alloc(1025, 0x61) })],
          )
          .map(([defect, { type, body }]) => ({ type, body, defect: `post policy:${defect}` })),
      };
    },
  },
  // Invoice requests (POLICY 4): aimed at with no body, so every defect drawn is refused before a
  // rule is asked (a bad credential, a bad id or day, another method or path, a missing body).
  ...(
    [
      ['POST /api/invoice-requests', 'bearer', EMAILS.service, '/api/invoice-requests', {}],
      ['POST /api/invoice-requests/import', 'bearer', EMAILS.service, '/api/invoice-requests/import', {}],
      [
        'PUT /api/invoice-requests/{id}',
        'bearer',
        EMAILS.service,
        '/api/invoice-requests/{id}',
        { id: 'INVREQ-FUZZ' },
      ],
      [
        'POST /api/invoice-requests/{id}/issue',
        'bearer',
        EMAILS.finance,
        '/api/invoice-requests/{id}/issue',
        { id: 'INVREQ-FUZZ' },
      ],
      [
        'POST /api/invoice-requests/{id}/return',
        'bearer',
        EMAILS.finance,
        '/api/invoice-requests/{id}/return',
        { id: 'INVREQ-FUZZ' },
      ],
      [
        'POST /api/invoice-requests/{id}/red-letter',
        'bearer',
        EMAILS.finance,
        '/api/invoice-requests/{id}/red-letter',
        { id: 'INVREQ-FUZZ' },
      ],
      [
        'POST /api/invoice-requests/{id}/red-letter/dismiss',
        'bearer',
        EMAILS.finance,
        '/api/invoice-requests/{id}/red-letter/dismiss',
        { id: 'INVREQ-FUZZ' },
      ],
      [
        'POST /api/invoice-requests/{id}/delivery',
        'bearer',
        EMAILS.service,
        '/api/invoice-requests/{id}/delivery',
        { id: 'INVREQ-FUZZ' },
      ],
      [
        'POST /api/invoice-batches/{batchDate}/issued',
        'bearer',
        EMAILS.finance,
        '/api/invoice-batches/{batchDate}/issued',
        { batchDate: '2026-11-10' },
      ],
      // The weekly reconciliation (POLICY 3.2, D11), on a week with nothing registered: a run there is
      // refused by its rule (no inputs), a sign-off too (no results); the others need a body.
      [
        'POST /api/reconciliations/{week}/inputs',
        'bearer',
        EMAILS.finance,
        '/api/reconciliations/{week}/inputs',
        { week: '2026-11-09' },
      ],
      [
        'POST /api/reconciliations/{week}/run',
        'bearer',
        EMAILS.finance,
        '/api/reconciliations/{week}/run',
        { week: '2026-11-09' },
      ],
      [
        'POST /api/reconciliations/{week}/differences/{id}',
        'bearer',
        EMAILS.finance,
        '/api/reconciliations/{week}/differences/{id}',
        { week: '2026-11-09', id: 'NOT_IN_PLATFORM:FUZZ-1' },
      ],
      [
        'POST /api/reconciliations/{week}/sign-off',
        'bearer',
        EMAILS.finance,
        '/api/reconciliations/{week}/sign-off',
        { week: '2026-11-09' },
      ],
      [
        'POST /api/reconciliations/{week}/reopen',
        'bearer',
        EMAILS.finance,
        '/api/reconciliations/{week}/reopen',
        { week: '2026-11-09' },
      ],
      ['POST /invoice-requests/new', 'cookie', EMAILS.service, '/invoice-requests/new', {}],
      [
        'POST /invoice-requests/{id}',
        'cookie',
        EMAILS.finance,
        '/invoice-requests/{id}',
        { id: 'INVREQ-FUZZ' },
      ],
      // The batch page's inline forms (issue, return, the bureau's result): with no form, nothing to do.
      [
        'POST /invoice-batches/{batchDate}',
        'cookie',
        EMAILS.finance,
        '/invoice-batches/{batchDate}',
        { batchDate: '2026-11-10' },
      ],
      // The reconciliation week's page forms, on the same empty week: refused as the API's are (a
      // missing file or note, no inputs to run, no results to sign off, no reason to reopen).
      [
        'POST /reconciliations/{week}/run',
        'cookie',
        EMAILS.finance,
        '/reconciliations/{week}/run',
        { week: '2026-11-09' },
      ],
      [
        'POST /reconciliations/{week}/differences/{id}',
        'cookie',
        EMAILS.finance,
        '/reconciliations/{week}/differences/{id}',
        { week: '2026-11-09', id: 'NOT_IN_PLATFORM:FUZZ-1' },
      ],
      [
        'POST /reconciliations/{week}/sign-off',
        'cookie',
        EMAILS.finance,
        '/reconciliations/{week}/sign-off',
        { week: '2026-11-09' },
      ],
      [
        'POST /reconciliations/{week}/reopen',
        'cookie',
        EMAILS.finance,
        '/reconciliations/{week}/reopen',
        { week: '2026-11-09' },
      ],
    ] as const
  ).map(
    ([key, credential, sender, template, values]): WriteTarget => ({
      key,
      credential,
      senders: [sender],
      path: () => ({ template, values: { ...values } }),
    }),
  ),
  // ——— Administration: policy versions and the calendar (issue 14 §3, §4) ———
  {
    key: 'POST /api/entities/{id}/policy',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({ template: '/api/entities/{id}/policy', values: { id: 'lianshang-sh' } }),
    body: jsonBody(
      () => ({
        ...Object.fromEntries(EDITABLE_POLICY_SETTINGS.map((key) => [key, DEFAULT_POLICY[key]])),
        effectiveFrom: '2027-06-01',
      }),
      newPolicyVersionBody,
    ),
  },
  {
    key: 'POST /api/calendar/overrides',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({ template: '/api/calendar/overrides', values: {} }),
    body: jsonBody(
      () => ({ date: '2027-12-26', working: true, reason: '盘点 stocktaking' }),
      calendarOverrideBody,
    ),
  },
  // A day without an override: removing it is a 404, and nothing is written.
  {
    key: 'DELETE /api/calendar/overrides/{date}',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({ template: '/api/calendar/overrides/{date}', values: { date: '2030-12-31' } }),
  },
  {
    key: 'POST /api/calendar/years/{year}',
    credential: 'bearer',
    senders: [EMAILS.admin],
    path: () => ({ template: '/api/calendar/years/{year}', values: { year: '2029' } }),
    body: jsonBody(
      () => ({ source: '国务院办公厅通知 State Council notice', holidays: ['2029-01-01'], workdays: [] }),
      calendarYearBody,
    ),
  },
  {
    key: 'POST /admin/policy',
    credential: 'cookie',
    senders: [EMAILS.admin],
    path: () => ({ template: '/admin/policy', values: {} }),
    body: urlencodedBody(
      () => ({
        ...Object.fromEntries(EDITABLE_POLICY_SETTINGS.map((key) => [key, String(DEFAULT_POLICY[key])])),
        ceoThresholdFen: '500000.00',
        amountCeilingFen: '100000000.00',
        invoiceBatchDays: '10, 25',
        effectiveFrom: '2027-07-01',
      }),
      () => ({
        effectiveFrom: fc.constantFrom(undefined, '', '2020-01-01', '2027-02-30', 'next week'),
        ceoThresholdFen: fc.constantFrom(undefined, '', 'abc', '-1', '1.001'),
        invoiceBatchDays: fc.constantFrom('', '32', 'ten, 25'),
      }),
    ),
  },
  {
    key: 'POST /admin/calendar/{year}',
    credential: 'cookie',
    senders: [EMAILS.admin],
    path: () => ({ template: '/admin/calendar/{year}', values: { year: '2027' } }),
    body: urlencodedBody(
      () => ({ date: '2027-12-19', working: 'true', reason: '盘点 stocktaking' }),
      () => ({
        date: fc.constantFrom(undefined, '', '2027-02-30', '27-12-19'),
        reason: fc.constantFrom(undefined, '', 'x', 'a\u0000b'),
      }),
    ),
  },
  // ——— Administration: people and the own entity from the pages (issue 14 §1, §2) ———
  {
    key: 'POST /admin/people/new',
    credential: 'cookie',
    senders: [EMAILS.admin],
    path: () => ({ template: '/admin/people/new', values: {} }),
    body: urlencodedBody(
      () => ({
        email: 'fuzz.page@lianshang.example',
        name: '模糊 Fuzz',
        roles: 'CUSTOMER_SERVICE',
        active: 'yes',
      }),
      () => ({
        email: fc.constantFrom(undefined, '', 'not an address', EMAILS.tech),
        name: fc.constantFrom(undefined, 'x'.repeat(81), 'a\u0000b'),
      }),
    ),
  },
  {
    key: 'POST /admin/people/{email}/edit',
    credential: 'cookie',
    senders: [EMAILS.admin],
    path: () => ({ template: '/admin/people/{email}/edit', values: { email: EMAILS.service } }),
    body: urlencodedBody(
      () => ({ name: '赵敏 Zhao Min', roles: 'CUSTOMER_SERVICE', active: 'yes' }),
      () => ({
        name: fc.constantFrom(undefined, 'x'.repeat(81), 'a\u0000b'),
        roles: fc.constantFrom('WIZARD', 'customer_service'),
      }),
    ),
  },
  {
    key: 'POST /admin/entities/{id}/edit',
    credential: 'cookie',
    senders: [EMAILS.admin],
    path: () => ({ template: '/admin/entities/{id}/edit', values: { id: 'lianshang-sh' } }),
    body: urlencodedBody(
      () => ({
        name: '链尚网络科技（上海）有限公司',
        taxId: '91350100M000100Y43',
        'bankName.0': '招商银行上海分行',
        'account.0': '1219 0000 0001 0001',
        primaryAccount: '0',
        itemName: '日用杂品',
        taxCode: '1060512990000000000',
        taxRatePercent: '13',
      }),
      () => ({
        name: fc.constantFrom(undefined, '', 'x', 'a\u0000b'),
        taxId: fc.constantFrom(undefined, '', '91350100M000100Y44', 'not a code'),
        taxCode: fc.constantFrom('123', 'abcdefghijklmnopqrs'),
      }),
    ),
  },
];

/** Names of scheduled jobs and odd ones: inherited object keys among them (`constructor`, `to-string`). */
const oddJobNames = fc.constantFrom(
  'constructor',
  'to-string',
  'value-of',
  'has-own-property',
  'is-prototype-of',
  'proto',
  '-',
  '--',
  'cashier-reminders-',
  'cashier',
  'x',
  'countersign-reminder',
);

// ---------------------------------------------------------------------------------------------------
// Credentials

function bearerCredential(world: FuzzWorld, senders: string[]) {
  const real = Object.entries(world.tokens);
  return {
    valid: fc
      .constantFrom(...senders)
      .map((email) => ({ header: `Bearer ${world.tokens[email]}`, what: email })),
    forged: fc.oneof(
      fc.constant({ header: undefined as string | undefined, what: 'no token' }),
      fc
        .constantFrom(...Object.entries(world.forgedTokens))
        .map(([what, token]) => ({ header: `Bearer ${token}`, what: `token:${what}` })),
      fc
        .constantFrom(...real)
        .chain(([email, token]) =>
          fc.constantFrom(
            { header: `Bearer  ${token}`, what: `two spaces:${email}` },
            { header: `Basic ${token}`, what: `basic:${email}` },
            { header: `Bearer ${token}x`, what: `suffix:${email}` },
            { header: `Bearer ${token.split('.').slice(0, 2).join('.')}`, what: `no signature:${email}` },
            { header: token, what: `no scheme:${email}` },
          ),
        ),
      headerText.map((text) => ({ header: `Bearer ${text}`, what: 'garbage' })),
      fc
        .constantFrom(
          'Bearer',
          'Bearer ',
          'bearer',
          'Bearer null',
          'Bearer undefined',
          'Bearer a.b.c',
          'Bearer ...',
        )
        .map((header) => ({
          header,
          what: 'empty',
        })),
    ),
  };
}

function cookieCredential(world: FuzzWorld, senders: string[]) {
  return {
    valid: fc
      .constantFrom(...senders)
      .map((email) => ({ header: `fundflow_session=${world.tokens[email]}`, what: email })),
    forged: fc.oneof(
      fc.constant({ header: undefined as string | undefined, what: 'no cookie' }),
      fc
        .constantFrom(...Object.entries(world.forgedTokens))
        .map(([what, token]) => ({ header: `fundflow_session=${token}`, what: `cookie:${what}` })),
      fc
        .constantFrom(...Object.values(world.tokens))
        .chain((token) =>
          fc.constantFrom(
            { header: `fundflow_session=; fundflow_session=${token}`, what: 'empty cookie first' },
            { header: `session=${token}`, what: 'wrong cookie name' },
            { header: `fundflow_session=${token.slice(0, -2)}`, what: 'truncated cookie' },
            { header: `fundflow_session="${token}"`, what: 'quoted cookie' },
          ),
        ),
      headerText.map((text) => ({
        header: `fundflow_session=${text.replace(/;/g, '')}`,
        what: 'garbage cookie',
      })),
      fc
        .constantFrom(
          ';;;',
          '=',
          'fundflow_session',
          'fundflow_session==',
          `fundflow_session=${'x'.repeat(6000)}`,
        )
        .map((header) => ({
          header,
          what: 'odd cookie',
        })),
    ),
  };
}

// ---------------------------------------------------------------------------------------------------
// Assembling requests

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'];

/** Path changes that leave no route (checked by `routeOf`); the dot-segment ones may resolve back. */
const structureChange = fc.constantFrom(
  ['trailing slash', (path: string) => path.replace(/(\?|$)/, '/$1')],
  ['extra segment', (path: string) => path.replace(/(\?|$)/, '/x$1')],
  ['double slash', (path: string) => path.replace(/^\/([^/?]+)\//, '/$1//')],
  ['upper case', (path: string) => path.replace(/^\/([a-z])/, (_, char: string) => `/${char.toUpperCase()}`)],
  [
    'escaped literal',
    (path: string) => path.replace(/^\/([a-z])/, (_, char: string) => `/%${char.charCodeAt(0).toString(16)}`),
  ],
  ['matrix parameter', (path: string) => path.replace(/^(\/[^/?]+)/, '$1;jsessionid=1')],
  ['dot segment', (path: string) => path.replace(/^(\/[^/?]+)/, '$1/.')],
  ['dot-dot segment', (path: string) => path.replace(/^(\/[^/?]+)/, '$1/x/..')],
  ['absolute form', (path: string) => `//evil.example${path}`],
) as fc.Arbitrary<[string, (path: string) => string]>;

type Defect = 'credential' | 'method' | 'structure' | 'param' | 'body' | 'extra';
const DEFECT_WEIGHTS: Record<Defect, number> = {
  body: 5,
  extra: 5,
  credential: 3,
  param: 2,
  method: 1,
  structure: 1,
};

function writeRequest(target: WriteTarget, world: FuzzWorld): fc.Arbitrary<HostileRequest> {
  const { template, values } = target.path(world);
  const body = target.body?.(world);
  const kinds: Defect[] = [
    ...(target.credential === 'bearer' || target.credential === 'cookie' ? (['credential'] as const) : []),
    'method',
    'structure',
    ...(Object.keys(values).length > 0 ? (['param'] as const) : []),
    ...(body ? (['body'] as const) : []),
    ...(target.extra ? (['extra'] as const) : []),
  ];
  const credential =
    target.credential === 'bearer'
      ? bearerCredential(world, target.senders)
      : target.credential === 'cookie'
        ? cookieCredential(world, target.senders)
        : undefined;
  const realValues = new Set([
    ...Object.values(world.vouchers),
    world.evidenceKey,
    'cashier-reminders',
    'countersign-reminders',
  ]);
  const linkForgeries = target.key.startsWith('POST /approvals')
    ? world.forgedApprovalLinks
    : world.forgedCountersignLinks;
  const forgedParam = (name: string): fc.Arbitrary<string> => {
    if (name === 'link') {
      return fc.oneof(
        fc.constantFrom(...Object.values(linkForgeries)),
        oddSegment,
        fc.constant(`${values.link}x`),
        fc.constant((values.link ?? '').replace(/\.[^.]*$/, '.')),
      );
    }
    if (name === 'job') return oddJobNames;
    return oddSegment;
  };
  const paramValue = (name: string, value: string) =>
    fc
      .tuple(forgedParam(name), fc.constant(name))
      .filter(([odd]) => {
        let decoded = odd;
        try {
          decoded = decodeURIComponent(odd);
        } catch {
          return true;
        }
        return !realValues.has(decoded) && decoded !== value && !(name === 'date' && isDay(decoded));
      })
      .map(([odd]) => odd);

  return fc
    .record({
      // Mostly one defect, so each reaches as far into its route as it can; sometimes several.
      defects: fc
        .tuple(
          fc.oneof(...kinds.map((kind) => ({ weight: DEFECT_WEIGHTS[kind], arbitrary: fc.constant(kind) }))),
          fc.oneof(
            { weight: 4, arbitrary: fc.constant([] as Defect[]) },
            { weight: 1, arbitrary: fc.subarray(kinds) },
          ),
        )
        .map(([first, more]) => [...new Set([first, ...more])]),
      sender: credential ? credential.valid : fc.constant(undefined),
      forgedCredential: credential ? credential.forged : fc.constant(undefined),
      method: fc.constantFrom(...METHODS),
      structure: structureChange,
      param: fc
        .constantFrom(...(Object.keys(values).length ? Object.keys(values) : ['none']))
        .chain((name) =>
          name === 'none'
            ? fc.constant({ name, value: '' })
            : paramValue(name, values[name] ?? '').map((value) => ({ name, value })),
        ),
      body: body ? body.refused : fc.constant(undefined),
      extra: target.extra ? target.extra(world) : fc.constant(undefined),
      query: queryString(world),
      noise: noiseHeaders,
      sessionNoise: fc.option(fc.constantFrom(...Object.values(world.tokens)), { nil: undefined }),
    })
    .map((choice) => {
      const applied = new Set(choice.defects);
      const targetMethod = target.key.split(' ')[0] ?? 'POST';
      const pathValues = { ...values };
      if (applied.has('param')) pathValues[choice.param.name] = choice.param.value;
      const [templatePath = '', templateQuery] = template.split('?');
      let path = fill(templatePath, pathValues);
      if (applied.has('structure')) path = choice.structure[1](path);
      path += templateQuery !== undefined ? `?${templateQuery}` : choice.query;
      const headers: Record<string, string> = { ...choice.noise };
      const defects: string[] = [];
      // The credential: the allowed sender's, or the forged one.
      const cred = applied.has('credential') ? choice.forgedCredential : choice.sender;
      if (applied.has('credential')) defects.push(`credential:${cred?.what}`);
      if (target.credential === 'bearer' && cred?.header) headers.authorization = cred.header;
      if (target.credential === 'cookie' && cred?.header) headers.cookie = cred.header;
      // Link pages take no session; a signed-in browser sends its cookie anyway.
      if (target.credential === 'link' && choice.sessionNoise)
        headers.cookie = `fundflow_session=${choice.sessionNoise}`;
      if (target.credential === 'cookie' || target.credential === 'link') {
        headers.origin = world.origin;
        headers['sec-fetch-site'] = 'same-origin';
      }
      let request: Base = { method: targetMethod, path, headers };
      if (body) {
        const sent =
          applied.has('body') && choice.body
            ? choice.body
            : { type: body.type, body: body.valid, defect: '' };
        if (sent.type) request.headers['content-type'] = sent.type;
        request.body = sent.body;
        if (applied.has('body')) defects.push(sent.defect);
      }
      if (target.key.endsWith('/api/vouchers') || target.key.startsWith('PUT /api/vouchers/')) {
        request.headers['idempotency-key'] = 'fuzz-idempotency-0001';
      }
      if (applied.has('extra') && choice.extra) {
        request = choice.extra.change(request);
        defects.push(choice.extra.defect);
      }
      if (applied.has('method')) {
        request.method = choice.method;
        defects.push(`method:${choice.method}`);
      }
      if (applied.has('param')) defects.push(`param:${choice.param.name}=${choice.param.value.slice(0, 40)}`);
      if (applied.has('structure')) defects.push(`path:${choice.structure[0]}`);
      const served = routeOf(request.method, request.path);
      const expect: Expectation = served !== undefined && isRead(served) ? 'harmless' : 'refused';
      return {
        target: target.key,
        ...request,
        expect,
        defects,
        served,
        onlyNoise:
          request.method === targetMethod &&
          served === target.key &&
          !applied.has('credential') &&
          !applied.has('body') &&
          !applied.has('extra') &&
          !applied.has('param'),
      };
    })
    .filter(
      // Still aimed at its own route with nothing wrong (a dot segment resolved back, or the same
      // method drawn), or moved onto another write route: not a request of known outcome.
      (request) =>
        !request.onlyNoise &&
        (request.served === undefined || request.served === target.key || isRead(request.served)),
    )
    .map(({ served: _served, onlyNoise: _onlyNoise, ...request }) => request);
}

/** Every GET and HEAD route (and the runtime's own), and the sign-in and sign-out that write nothing. */
const READ_TARGETS = [
  ...routes.map((route) => `${route.method} ${route.path}`).filter(isRead),
  ...DEV_ROUTES.filter(isRead),
  'GET /local-s3/{key+}',
];

/** Every route the requests aim at, by name (`METHOD /template`). */
export const TARGETS: readonly string[] = [...WRITE_TARGETS.map((target) => target.key), ...READ_TARGETS];

function readRequest(world: FuzzWorld): fc.Arbitrary<HostileRequest> {
  const realParams: Record<string, string[]> = {
    id: [...Object.values(world.vouchers), 'SUP-HZ-TEXTILE', 'LS-20261116-0001'],
    date: [world.today, '2026-11-19', '2026-11-17'],
    batchId: [world.bankFile, '01KZZZZZZZZZZZZZZZZZZZZZZZ'],
    link: [world.approvalLink, world.countersignLink, ...Object.values(world.forgedApprovalLinks)],
    key: [world.evidenceKey.split('/').map(percentEncode).join('/')],
  };
  return fc
    .record({
      key: fc.constantFrom(...READ_TARGETS),
      params: fc.dictionary(
        fc.constantFrom('id', 'date', 'link', 'key', 'batchId'),
        fc
          .boolean()
          .chain((real) => (real ? fc.constant('real') : oddSegment.map((segment) => `odd:${segment}`))),
      ),
      pickReal: fc.nat(),
      s3: fc.oneof(
        fc.constantFrom(world.s3Get, world.s3GetExpired, world.s3Put, `${world.s3Get}x`),
        // Another key under the download's signature (odd escapes among them).
        fc
          .array(oddSegment, { minLength: 1, maxLength: 3 })
          .map((segments) => `/local-s3/${segments.join('/')}?${world.s3Get.split('?')[1] ?? ''}`),
      ),
      query: queryString(world),
      noise: noiseHeaders,
      auth: bearerCredential(world, Object.keys(world.tokens)).valid,
      forged: bearerCredential(world, Object.keys(world.tokens)).forged,
      cookie: fc.oneof(
        cookieCredential(world, Object.keys(world.tokens)).valid,
        cookieCredential(world, Object.keys(world.tokens)).forged,
      ),
      realAuth: fc.boolean(),
      body: fc.option(
        fc.oneof(
          NOT_JSON,
          anyJson.map((value) => JSON.stringify(value) ?? ''),
          // What the sign-ins take: an address, as JSON and as the sign-in page's form.
          fc
            .oneof(oddEmail, fc.constantFrom(...Object.keys(world.tokens)))
            .chain((email) =>
              fc.constantFrom(JSON.stringify({ email }), new URLSearchParams({ email }).toString()),
            ),
        ),
        { nil: undefined },
      ),
      contentType: fc.constantFrom(
        'application/json',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=q',
        'text/plain',
      ),
    })
    .map((choice) => {
      const [method = 'GET', template = '/'] = choice.key.split(' ');
      let path: string;
      if (template.startsWith('/local-s3/')) path = choice.s3;
      else {
        path = template.replace(/\{(\w+)\+?\}/g, (_, name: string) => {
          const picked = choice.params[name];
          if (picked?.startsWith('odd:')) return picked.slice(4);
          const real = realParams[name] ?? [''];
          return real[choice.pickReal % real.length] ?? '';
        });
        path += choice.query;
      }
      const headers: Record<string, string> = { ...choice.noise };
      const auth = choice.realAuth ? choice.auth : choice.forged;
      if (auth.header) headers.authorization = auth.header;
      if (choice.cookie.header) headers.cookie = choice.cookie.header;
      const body = choice.body !== undefined && method !== 'HEAD' ? Buffer.from(choice.body) : undefined;
      if (body) headers['content-type'] = choice.contentType;
      return {
        target: choice.key,
        method,
        path,
        headers,
        ...(body ? { body } : {}),
        expect: 'harmless' as const,
        defects: [],
      };
    });
}

const UNROUTED_PREFIXES = [
  '',
  '/api',
  '/api/vouchers',
  '/vouchers',
  '/evidence',
  '/local-s3',
  '/approvals',
  '/countersign',
  '/api/dev',
  '/dev',
  '/payment-runs',
  '/api/dev/jobs',
];

/** Paths no route serves (checked), any method, any body: a 404 (or another 4xx). */
function unroutedRequest(world: FuzzWorld): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      method: fc.constantFrom(...METHODS),
      prefix: fc.constantFrom(...UNROUTED_PREFIXES),
      segments: fc.array(oddSegment, { minLength: 1, maxLength: 4 }),
      query: queryString(world),
      noise: noiseHeaders,
      token: fc.option(fc.constantFrom(...Object.values(world.tokens)), { nil: undefined }),
      body: fc.option(
        fc.oneof(
          NOT_JSON,
          anyJson.map((value) => JSON.stringify(value) ?? ''),
          fc.constant('x'.repeat(70_000)),
        ),
        { nil: undefined },
      ),
      huge: fc.oneof(
        { weight: 200, arbitrary: fc.constant(false) },
        { weight: 1, arbitrary: fc.constant(true) },
      ),
    })
    .map((choice) => {
      const path = `${choice.prefix}/${choice.segments.join('/')}${choice.query}`;
      const headers: Record<string, string> = { ...choice.noise };
      if (choice.token) headers.authorization = `Bearer ${choice.token}`;
      const withBody = choice.method !== 'HEAD' && (choice.huge || choice.body !== undefined);
      return {
        target: 'unrouted',
        method: choice.method,
        path,
        headers: withBody ? { ...headers, 'content-type': 'application/json' } : headers,
        // Over the local body limit (12 MiB): a 413.
        ...(withBody
          ? { body: choice.huge ? { repeat: 'x', bytes: 13 * 1024 * 1024 } : Buffer.from(choice.body ?? '') }
          : {}),
        expect: READ_METHODS.has(choice.method) ? ('harmless' as const) : ('refused' as const),
        defects: ['path:no route'],
      };
    })
    .filter((request) => routeOf(request.method, request.path) === undefined);
}

/**
 * Node's HTTP server answers a request line and headers over 16 KB itself (431) and drops the
 * connection before the application sees it (API Gateway's limit is 10 KB): such requests test nothing
 * of ours, so every request stays under 12 KB of them.
 */
const MAX_HEAD_BYTES = 12 * 1024;

/** The run's requests: mostly writes that must be refused, then reads, then paths no route serves. */
export function hostileRequest(world: FuzzWorld): fc.Arbitrary<HostileRequest> {
  return fc
    .oneof(
      { weight: 6, arbitrary: fc.oneof(...WRITE_TARGETS.map((target) => writeRequest(target, world))) },
      { weight: 3, arbitrary: readRequest(world) },
      { weight: 1, arbitrary: unroutedRequest(world) },
    )
    .filter(
      (request) =>
        request.path.length +
          Object.entries(request.headers).reduce(
            (sum, [name, value]) => sum + name.length + value.length,
            0,
          ) <
        MAX_HEAD_BYTES,
    );
}

/**
 * The typed router behind every web function (STYLE: a handler is event → use case → response). A
 * capability's web module (lib/<capability>/web.ts, its pages' pages.ts) declares a route table — one entry per handler key
 * its routes name in lib/http/routes.ts, each with its zod schemas beside it and a typed handler — and
 * `apiFunction` / `pageFunction` turn it into the Lambda handler. The route is found by the event's
 * `routeKey`, looked up whole in the catalogue; nothing cuts a path apart, nothing dispatches on an
 * error's code.
 *
 * Nothing of a route is built before its first request: its middy chain is built then, and its
 * schemas — module constants made with `lazySchema` (./lazy-schema.ts) — on their first parse; the
 * page kit (preact, the error pages) loads with a page function's first request.
 *
 * Every route gets, in this order (middy: middleware first, handler last):
 *  1. its errors mapped in one place (lib/http/errors.ts): the JSON error shape for the API, a page
 *     with the status for pages (the link pages' own outcome page behind email links);
 *  2. header normalisation; for a page's POST, the browser's word on where the form came from
 *     (lib/http/same-origin.ts) before anything is read;
 *  3. its body parsed as it declares (JSON, raw text, a multipart or urlencoded form);
 *  4. who is calling (lib/http/session.ts): the bearer's person for `jwt`, the session's for `session`
 *     (no session: a redirect to sign in), the link and its form's nonce for `link`;
 *  5. path, query and JSON body checked by their zod schemas (a 400 naming each issue, or for a page
 *     whose path names nothing, a 404);
 *  6. the handler.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpUrlEncodeBodyParser from '@middy/http-urlencode-body-parser';
import type { VNode } from 'preact';
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { formNonce, verifyFormNonce } from '../domain/approval-links.ts';
import { MissingRoleError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import type { ApiEvent, ApiHandler, ApiResult } from './api-handler.ts';
import { jsonErrorResponse, mapError, validationErrorFrom } from './errors.ts';
import { multipartFormBody } from './form-body.ts';
import type { PageKind, PageOptions } from './pages.ts';
import {
  type AuthOf,
  type FunctionName,
  type HandlerKey,
  type RouteAuth,
  type RouteSpec,
  routeKeyOf,
} from './routes.ts';
import { assertSameOrigin } from './same-origin.ts';
import { personFromBearer, sessionOf } from './session.ts';
import './zod-messages.ts';

/** A session whose token expires within this is refreshed on the next page view (lib/identity). */
const REFRESH_AHEAD_MS = 5 * 60 * 1000;
/** The route that refreshes a session (lib/home/pages.ts). */
const REFRESH_PATH = '/auth/refresh';

/**
 * What only pages need — the UI kit's error pages and the HTML answer, with preact and its renderer —
 * loaded by `await import()` when a page function first runs, so a JSON function's bundle never
 * carries it (infra/constructs/bundling.ts splits at dynamic imports). A page function's own web
 * module imports the kit anyway: there it is the same module, already loaded.
 */
let pageKit:
  | Promise<{ pages: typeof import('./pages.ts'); ui: typeof import('../ui/pages.tsx') }>
  | undefined;
const loadPageKit = () => {
  pageKit ??= Promise.all([import('./pages.ts'), import('../ui/pages.tsx')]).then(
    ([pages, ui]) => ({ pages, ui }),
    (error: unknown) => {
      // Tried again by the next request, never kept as a failure.
      pageKit = undefined;
      throw error;
    },
  );
  return pageKit;
};

/** The page's own path and query, to come back to. */
function pathAndQuery(event: ApiEvent): string {
  return event.rawQueryString ? `${event.rawPath}?${event.rawQueryString}` : event.rawPath;
}

const anything = z.object({}).loose();
type Anything = typeof anything;

/**
 * What a route's body is: a zod schema for JSON, `text` for a raw text body (the order CSV), a form
 * (`multipart` — with files — or `urlencoded`) whose fields the handler reads itself, to show a
 * refusal in the form as typed; or nothing.
 */
export type BodyKind = z.ZodType | 'text' | 'multipart' | 'urlencoded' | undefined;
type BodyOf<B extends BodyKind> = B extends z.ZodType
  ? z.output<B>
  : B extends 'text'
    ? string
    : B extends 'multipart' | 'urlencoded'
      ? unknown
      : undefined;

export interface RouteSchemas<P extends z.ZodType, Q extends z.ZodType, B extends BodyKind> {
  params?: P;
  query?: Q;
  body?: B;
  /** A page whose path does not parse names nothing there: a 404 with this message, not a 400. */
  pathNotFound?: string;
}

export interface RequestBase<P extends z.ZodType, Q extends z.ZodType, B extends BodyKind> {
  params: z.output<P>;
  query: z.output<Q>;
  body: BodyOf<B>;
  headers: Record<string, string | undefined>;
  event: ApiEvent;
}

/** The credential of a `link` route: the signed link itself, and the nonce its page's forms carry. */
export interface LinkCredential {
  token: string;
  nonce: string;
}

/** What the router knows of the caller, by the route's auth. */
export type CallerOf<A extends RouteAuth> = A extends 'jwt' | 'session'
  ? { caller: Person }
  : A extends 'link'
    ? { link: LinkCredential }
    : Record<never, never>;

/** A page handler answers with HTML in its route's kind of page (headers, error page). */
export interface PageHelpers {
  html(statusCode: number, page: VNode, options?: PageOptions): ApiResult;
}

export type RequestOf<
  A extends RouteAuth,
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends BodyKind,
> = RequestBase<P, Q, B> & CallerOf<A> & PageHelpers;

/** One route of a table: its auth (checked against the catalogue), its schemas and its handler. */
export interface Route<A extends RouteAuth> {
  readonly auth: A;
  readonly schemas: RouteSchemas<z.ZodType, z.ZodType, BodyKind>;
  readonly handle: (request: RequestOf<A, z.ZodType, z.ZodType, BodyKind>) => Promise<ApiResult>;
}

function define<A extends RouteAuth>(auth: A) {
  return <P extends z.ZodType = Anything, Q extends z.ZodType = Anything, B extends BodyKind = undefined>(
    schemas: RouteSchemas<P, Q, B>,
    handle: (request: RequestOf<A, P, Q, B>) => Promise<ApiResult>,
  ): Route<A> => ({ auth, schemas, handle: handle as Route<A>['handle'] });
}

/** A JSON API route behind the JWT authorizer: `request.caller` is the person from the directory. */
export const jwt = define('jwt');
/** A signed-in page: `request.caller` is the session's person (no session: sent to sign in). */
export const session = define('session');
/** A page behind an email link: `request.link` is the signed link and its forms' nonce. */
export const link = define('link');
/** A public route. */
export const open = define('none');

/** A web function's route table: exactly the handler keys its routes name, each with their auth. */
export type RouteTable<F extends FunctionName> = { [K in HandlerKey<F>]: Route<AuthOf<F, K>> };

/**
 * A web function's routes as the catalogue lists them (lib/http/routes.ts, `<function>Routes`): its web
 * module hands them over, so its bundle carries its own routes, not the whole catalogue.
 */
export type FunctionRoutes<F extends FunctionName> = readonly (RouteSpec & { readonly function: F })[];

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationErrorFrom(result.error, where);
  return result.data;
}

function rawBody(event: ApiEvent): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

interface Checked {
  params: unknown;
  query: unknown;
  body: unknown;
}

/** Step 5: path and query (and a JSON body) by their schemas. */
function checked(route: Route<RouteAuth>, event: ApiEvent): Checked {
  const { schemas } = route;
  let params: unknown;
  try {
    params = parse(schemas.params ?? anything, event.pathParameters ?? {}, 'path');
  } catch (error) {
    if (schemas.pathNotFound !== undefined) throw new NotFoundError(schemas.pathNotFound);
    throw error;
  }
  const query = parse(schemas.query ?? anything, event.queryStringParameters ?? {}, 'query');
  let body: unknown = event.body;
  if (schemas.body === 'text') body = rawBody(event);
  else if (schemas.body === undefined) body = undefined;
  else if (typeof schemas.body === 'object') {
    if (event.body === undefined) throw new ValidationError('需要 JSON 内容。A JSON body is required.');
    body = parse(schemas.body, event.body, 'body');
  }
  return { params, query, body };
}

/** The routes of one function, each compiled into its own middy chain, found by `routeKey`. */
function dispatcher(
  routes: FunctionRoutes<FunctionName>,
  table: Record<string, Route<RouteAuth>>,
  compile: (route: Route<RouteAuth>, auth: RouteAuth) => ApiHandler,
  unknownRoute: (event: ApiEvent) => ApiResult | Promise<ApiResult>,
): ApiHandler {
  // Each route's chain is built on the route's first request: a container serves a few of its
  // function's routes, and builds (and checks the schemas of) only those.
  const byRouteKey = new Map<string, () => ApiHandler>();
  for (const spec of routes) {
    const name = spec.function;
    const route = table[spec.handler];
    // The types make these impossible; a table built around them still fails loudly at cold start.
    if (!route) throw new Error(`${name} has no handler ${spec.handler} for ${routeKeyOf(spec)}`);
    if (route.auth !== spec.auth) {
      throw new Error(`${name}.${spec.handler} is a ${route.auth} route; the catalogue says ${spec.auth}`);
    }
    let compiled: ApiHandler | undefined;
    byRouteKey.set(routeKeyOf(spec), () => {
      compiled ??= compile(route, spec.auth);
      return compiled;
    });
  }
  return async (event, context) => {
    const handler = byRouteKey.get(event.routeKey);
    return handler ? handler()(event, context) : unknownRoute(event);
  };
}

const noPages: PageHelpers = {
  html: () => {
    throw new Error('a JSON API route answers JSON');
  },
};

/** A function of JSON API routes (`jwt`, or `none`). */
export function apiFunction<F extends FunctionName>(
  deps: AppDeps,
  routes: FunctionRoutes<F>,
  table: RouteTable<F>,
): ApiHandler {
  return dispatcher(
    routes,
    table as Record<string, Route<RouteAuth>>,
    (route) => {
      const chain = middy<ApiEvent, ApiResult>()
        .use({
          // Registered first so it runs last: every error leaves as the one error shape (errors.ts).
          onError: (request) => {
            request.response = jsonErrorResponse(request.error);
          },
        })
        .use(httpHeaderNormalizer());
      if (typeof route.schemas.body === 'object') {
        chain.use(httpJsonBodyParser({ disableContentTypeError: false }));
      }
      return chain.handler(async (event) => {
        // The shape first: API Gateway has checked the token already; then the person it names.
        const { params, query, body } = checked(route, event);
        const caller = route.auth === 'jwt' ? { caller: await personFromBearer(deps, event) } : {};
        return route.handle({
          params,
          query,
          body,
          headers: event.headers ?? {},
          event,
          ...caller,
          ...noPages,
        } as RequestOf<RouteAuth, z.ZodType, z.ZodType, BodyKind>);
      }) as unknown as ApiHandler;
    },
    (event) =>
      jsonErrorResponse(new NotFoundError(`没有这个接口 ${event.routeKey}。No route ${event.routeKey}.`)),
  );
}

/** A function of pages (`session`, `link`, or `none`): HTML answers, errors as pages. */
export function pageFunction<F extends FunctionName>(
  deps: AppDeps,
  routes: FunctionRoutes<F>,
  table: RouteTable<F>,
): ApiHandler {
  const errorPage = async (kind: PageKind, error: unknown): Promise<ApiResult> => {
    const mapped = mapError(error);
    const { pages, ui } = await loadPageKit();
    const { ErrorPage, LinkErrorPage } = ui;
    const page =
      kind === 'link'
        ? LinkErrorPage({ status: mapped.statusCode, message: mapped.body.error.message })
        : ErrorPage({
            status: mapped.statusCode,
            message: mapped.body.error.message,
            roles: error instanceof MissingRoleError ? error.roles : undefined,
          });
    return pages.htmlResponse(mapped.statusCode, page, kind);
  };
  return dispatcher(
    routes,
    table as Record<string, Route<RouteAuth>>,
    (route, auth) => {
      const kind: PageKind = auth === 'link' ? 'link' : 'session';
      const chain = middy<ApiEvent, ApiResult>()
        .use({
          onError: async (request) => {
            request.response = await errorPage(kind, request.error);
          },
        })
        .use(httpHeaderNormalizer())
        .use({
          // Only what changes something: GET and HEAD show pages and change nothing.
          before: (request) => {
            if (request.event.requestContext.http.method === 'POST') {
              assertSameOrigin(request.event.headers ?? {}, deps.publicBaseUrl, {
                // The link pages' no-referrer policy makes browsers send `Origin: null` on their own form.
                nullOrigin: kind === 'link' ? 'unknown' : 'refuse',
              });
            }
          },
        });
      if (route.schemas.body === 'multipart') {
        // Node's own form parser: middy's throws uncaught on `x` then `x[0]` and kills the process.
        chain.use(multipartFormBody());
      } else if (route.schemas.body === 'urlencoded') {
        chain.use(httpUrlEncodeBodyParser({ disableContentTypeError: true }));
      }
      return chain.handler(async (event) => {
        const { pages } = await loadPageKit();
        const { redirect } = pages;
        const html = (statusCode: number, page: VNode, options?: PageOptions) =>
          pages.htmlResponse(statusCode, page, kind, options);
        let caller: Record<string, unknown> = {};
        if (auth === 'session') {
          const found = await sessionOf(deps, event);
          const get = event.requestContext.http.method !== 'POST';
          // With the provider's sign-in (AWS): through the refresh token first, then back to this
          // page (a form's POST to home). Locally: the demo picker.
          const refresh = `${REFRESH_PATH}?next=${encodeURIComponent(get ? pathAndQuery(event) : '/')}`;
          if (!found) return redirect(deps.signIn ? refresh : deps.signInUrl);
          // Refreshed before it runs out, on a page view — never in the middle of a form's POST.
          if (get && found.expiresAt && found.expiresAt.getTime() - Date.now() < REFRESH_AHEAD_MS) {
            return redirect(refresh);
          }
          caller = { caller: found.person };
        } else if (auth === 'link') {
          caller = { link: linkCredential(deps, event) };
        }
        const { params, query, body } = checked(route, event);
        return route.handle({
          params,
          query,
          body,
          headers: event.headers ?? {},
          event,
          html,
          ...caller,
        } as RequestOf<RouteAuth, z.ZodType, z.ZodType, BodyKind>);
      }) as unknown as ApiHandler;
    },
    (event) =>
      errorPage('session', new NotFoundError(`没有这个页面 ${event.rawPath}。No page ${event.rawPath}.`)),
  );
}

const nonceForm = z.object({ nonce: z.string().min(1, '请重新打开链接 open the link again') }).loose();

/**
 * A link page's credential: the link (checked by the use case it opens) and its forms' nonce. A
 * posted form must carry the nonce of this very link — the page that rendered it — or nothing is read.
 */
function linkCredential(deps: AppDeps, event: ApiEvent): LinkCredential {
  const token = event.pathParameters?.link ?? '';
  if (event.requestContext.http.method === 'POST') {
    const form = nonceForm.safeParse(event.body);
    if (!form.success) throw validationErrorFrom(form.error, 'form');
    if (!verifyFormNonce(token, form.data.nonce, deps.linkKey)) {
      throw new ValidationError(
        '此表单不是来自这个链接，请重新打开链接。This form did not come from this link; open the link again.',
      );
    }
  }
  return { token, nonce: formNonce(token, deps.linkKey) };
}

/**
 * The local stand-in for API Gateway's HTTP API: matches a request to a route of lib/http/routes.ts
 * the way API Gateway does (literal segments beat `{param}`, `{proxy+}` takes the rest), builds the
 * same payload-format-2.0 event, runs the JWT check for `jwt` routes, and writes the handler's result
 * back (status, headers, `cookies`, base64 bodies).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { SessionVerifier } from '../app.ts';
import { UnauthorizedError, ValidationError } from '../domain/errors.ts';
import type { ApiEvent, ApiHandler } from '../http/api-handler.ts';
import { JSON_HEADERS, jsonErrorResponse } from '../http/errors.ts';
import type { RouteAuth } from '../http/routes.ts';

export interface LocalRoute {
  method: string;
  path: string;
  auth: RouteAuth;
  handler: ApiHandler;
}

interface CompiledRoute extends LocalRoute {
  pattern: RegExp;
  params: string[];
  specificity: number;
}

function compile(route: LocalRoute): CompiledRoute {
  const params: string[] = [];
  let specificity = 0;
  const source = route.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy?.[1]) {
        params.push(greedy[1]);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param?.[1]) {
        params.push(param[1]);
        specificity += 1;
        return '([^/]+)';
      }
      specificity += 100;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}$`), params, specificity };
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml))/;

/**
 * The request's target as API Gateway reads it: a path is a path — `//evil.example/x` is the path
 * `//evil.example/x`, not a host and `/x` (a URL reference would read it so, and throw on one that is
 * no host at all) —, or an absolute URL (a proxy's absolute form). Null for anything else.
 */
export function requestTarget(target: string | undefined): URL | null {
  const raw = target ?? '/';
  try {
    return raw.startsWith('/') ? new URL(`http://localhost${raw}`) : new URL(raw);
  } catch {
    return null;
  }
}

/** Path parameters as API Gateway passes them (percent-decoded); a broken escape is the caller's error. */
function decodedParameters(
  names: string[],
  match: RegExpExecArray,
): Record<string, string> | ValidationError {
  try {
    return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
  } catch {
    return new ValidationError('The address has a broken percent-escape.', {
      issues: [{ path: 'path', message: 'not a valid percent-encoded path' }],
    });
  }
}

export class LocalApiGateway {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: LocalRoute[],
    private readonly bearer: SessionVerifier,
  ) {
    this.routes = routes.map(compile).sort((a, b) => b.specificity - a.specificity);
  }

  /** Handles the request when a route matches; false otherwise (the caller serves a 404). */
  async handle(request: IncomingMessage, response: ServerResponse, body: Buffer): Promise<boolean> {
    const url = requestTarget(request.url);
    if (!url) return false;
    const method = request.method ?? 'GET';
    for (const route of this.routes) {
      // Like API Gateway, a HEAD request may be served by the GET route.
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const pathParameters = decodedParameters(route.params, match);
      if (pathParameters instanceof Error) {
        write(response, jsonErrorResponse(pathParameters), request.method === 'HEAD');
        return true;
      }
      const event = this.event(request, url, route, pathParameters, body);
      let result: APIGatewayProxyResultV2;
      if (route.auth === 'jwt') {
        const claims = await this.claims(request.headers.authorization);
        if (claims instanceof Error) {
          write(response, jsonErrorResponse(claims), request.method === 'HEAD');
          return true;
        }
        event.requestContext.authorizer = {
          principalId: '',
          integrationLatency: 0,
          jwt: { claims, scopes: [] },
        };
      }
      try {
        result = await route.handler(event, lambdaContext(route.path));
      } catch (error) {
        result = jsonErrorResponse(error);
      }
      write(response, result, request.method === 'HEAD');
      return true;
    }
    return false;
  }

  private async claims(authorization: string | undefined): Promise<Record<string, string> | Error> {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return new UnauthorizedError('Send Authorization: Bearer <token>; sign in first.');
    try {
      const claims = await this.bearer.verify(token);
      return { email: claims.email, sub: claims.sub, token_use: 'id' };
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  private event(
    request: IncomingMessage,
    url: URL,
    route: CompiledRoute,
    pathParameters: Record<string, string>,
    body: Buffer,
  ): ApiEvent {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && name !== 'cookie')
        headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams)
      query[name] = name in query ? `${query[name]},${value}` : value;
    const contentType = headers['content-type'] ?? '';
    const text = body.length === 0 || TEXT_TYPES.test(contentType);
    const cookies = request.headers.cookie?.split(';').map((cookie) => cookie.trim());
    const now = new Date();
    return {
      version: '2.0',
      routeKey: `${route.method} ${route.path}`,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      ...(cookies ? { cookies } : {}),
      headers,
      ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
      ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
      ...(body.length > 0 ? { body: text ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: !text,
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        http: {
          method: route.method,
          path: url.pathname,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey: `${route.method} ${route.path}`,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: {}, scopes: [] } },
      },
    } as ApiEvent;
  }
}

function lambdaContext(name: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `local ${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:local',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function write(response: ServerResponse, result: APIGatewayProxyResultV2, headOnly: boolean): void {
  const structured: APIGatewayProxyStructuredResultV2 =
    typeof result === 'object' && result !== null && 'statusCode' in result
      ? result
      : { statusCode: 200, headers: { ...JSON_HEADERS }, body: JSON.stringify(result) };
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name] = String(value);
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  response.writeHead(structured.statusCode ?? 200, headers);
  const body = structured.body ?? '';
  response.end(headOnly ? undefined : structured.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/**
 * The one factory behind every JSON API function (STYLE: a handler is event → use case → response).
 * Middleware first, handler last: header normalisation, JSON body parsing, then zod validation of
 * path, query and body, then the caller from the directory (roles come from the table, never from the
 * token alone — DESIGN.md decision 12). Errors are mapped in one place (errors.ts).
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import { JSON_HEADERS, jsonErrorResponse, validationErrorFrom } from './errors.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyResultV2;
export type ApiHandler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

type BodyKind = z.ZodType | 'text' | undefined;
type BodyOf<B extends BodyKind> = B extends z.ZodType ? z.output<B> : B extends 'text' ? string : undefined;

export interface ApiRequest<B extends BodyKind, P extends z.ZodType, Q extends z.ZodType> {
  body: BodyOf<B>;
  params: z.output<P>;
  query: z.output<Q>;
  headers: Record<string, string | undefined>;
  /** The signed-in person, from the directory. */
  caller: Person;
}

export interface ApiHandlerOptions<B extends BodyKind, P extends z.ZodType, Q extends z.ZodType> {
  /** A zod schema for a JSON body, 'text' for a raw text body (e.g. CSV), or nothing. */
  body?: B;
  params?: P;
  query?: Q;
}

const emptyObject = z.object({}).loose();

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return {
    statusCode,
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

/** A file to download (a bank batch): never cached, never sniffed, saved under its own name. */
export function attachment(file: { contentType: string; fileName: string; body: Buffer }): ApiResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: file.body.toString('base64'),
    isBase64Encoded: true,
  };
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationErrorFrom(result.error, where);
  return result.data;
}

async function callerFrom(deps: AppDeps, event: ApiEvent): Promise<Person> {
  const email = event.requestContext.authorizer?.jwt?.claims?.email;
  if (typeof email !== 'string' || email === '') throw new UnauthorizedError('Sign in first.');
  const person = await deps.store.people.get(email.toLowerCase());
  if (!person) throw new ForbiddenError(`${email} is not in fundflow's directory.`);
  return person;
}

function rawBody(event: ApiEvent): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function apiHandler<
  B extends BodyKind = undefined,
  P extends z.ZodType = typeof emptyObject,
  Q extends z.ZodType = typeof emptyObject,
>(
  deps: AppDeps,
  options: ApiHandlerOptions<B, P, Q>,
  action: (request: ApiRequest<B, P, Q>) => Promise<ApiResult>,
): ApiHandler {
  const handler = middy<ApiEvent, ApiResult>()
    .use({
      // Registered first so it runs last: every error leaves as the one error shape (errors.ts).
      onError: (request) => {
        request.response = jsonErrorResponse(request.error);
      },
    })
    .use(httpHeaderNormalizer());
  if (options.body !== undefined && options.body !== 'text') {
    handler.use(httpJsonBodyParser({ disableContentTypeError: false }));
  }
  return handler.handler(async (event) => {
    let body: unknown;
    if (options.body === 'text') body = rawBody(event);
    else if (options.body !== undefined) {
      if (event.body === undefined) throw new ValidationError('A JSON body is required.');
      body = parse(options.body, event.body, 'body');
    }
    const params = parse(options.params ?? emptyObject, event.pathParameters ?? {}, 'path') as z.output<P>;
    const query = parse(
      options.query ?? emptyObject,
      event.queryStringParameters ?? {},
      'query',
    ) as z.output<Q>;
    const caller = await callerFrom(deps, event);
    return action({ body: body as BodyOf<B>, params, query, headers: event.headers ?? {}, caller });
  }) as unknown as ApiHandler;
}

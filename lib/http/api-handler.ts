/**
 * The HTTP edge's event and result types (API Gateway's payload format 2.0) and the JSON API's
 * answers: JSON, or a file to download. The routes themselves are built by lib/http/router.ts.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { JSON_HEADERS } from './errors.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyResultV2;
export type ApiHandler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult {
  return {
    statusCode,
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

/** A file to download (a bank batch): never cached, never sniffed, saved under its own name. */
export function attachment(
  file: { contentType: string; fileName: string; body: Buffer },
  /** More facts about the file, as headers (e.g. the id of the bank file's record). */
  headers: Record<string, string> = {},
): ApiResult {
  return {
    statusCode: 200,
    headers: {
      ...headers,
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: file.body.toString('base64'),
    isBase64Encoded: true,
  };
}

/** 303 See Other: after a form, the browser GETs the answer (a reload does not post again). */
export function redirect(location: string, cookies?: string[]): ApiResult {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store' },
    ...(cookies ? { cookies } : {}),
  };
}

/**
 * The one place where errors become HTTP responses (STYLE: typed errors, mapped by instanceof):
 * AppError → its 4xx status with `{ error: { code, message, issues } }`; a middy HttpError with a 4xx
 * status (e.g. unparseable JSON) → the same shape; anything else → a generic 500 that is logged and
 * never leaks its details.
 */
import { HttpError } from '@middy/util';
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { AppError, type Issue, ValidationError } from '../domain/errors.ts';
import { logger } from '../observability/logger.ts';

/**
 * Every JSON answer's headers: never cached (answers carry vouchers, accounts and people; a shared or
 * browser cache must not keep them), never sniffed into another type (a JSON body read as HTML).
 */
export const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export interface ErrorBody {
  error: { code: string; message: string; issues: Issue[] };
}

export function errorBody(code: string, message: string, issues: Issue[] = []): ErrorBody {
  return { error: { code, message, issues } };
}

/** zod issues → our `{ path, message }` issues (paths dotted: `payee.account`, `orderIds.2`). */
export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

export function validationErrorFrom(error: z.ZodError, where: string): ValidationError {
  const issues = zodIssues(error);
  const first = issues[0];
  const summary = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : '输入有误 invalid input';
  return new ValidationError(`填写有误 There is invalid input in the ${where} — ${summary}`, {
    issues,
    cause: error,
  });
}

export interface MappedError {
  statusCode: number;
  body: ErrorBody;
}

export function mapError(error: unknown): MappedError {
  if (error instanceof AppError) {
    return { statusCode: error.statusCode, body: errorBody(error.code, error.message, error.issues) };
  }
  if (error instanceof HttpError && error.statusCode === 422) {
    // middy's body parsers: a body that is not JSON (or a form) at all is a shape error like any other.
    return {
      statusCode: 400,
      body: errorBody(
        'VALIDATION_FAILED',
        `请求内容无法读取。The request body could not be read: ${error.message}`,
        [{ path: 'body', message: '不是所声明格式的内容 not a well-formed body of its content type' }],
      ),
    };
  }
  if (error instanceof HttpError && error.statusCode >= 400 && error.statusCode < 500) {
    const code = error.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
    return { statusCode: error.statusCode, body: errorBody(code, error.message) };
  }
  logger.error('unhandled error', { error: error instanceof Error ? error : String(error) });
  return {
    statusCode: 500,
    body: errorBody(
      'INTERNAL',
      '我们这边出了问题；您发送的内容并没有被拒绝，请稍后再试。Something went wrong on our side; nothing you sent was refused.',
    ),
  };
}

export function jsonErrorResponse(error: unknown): APIGatewayProxyResultV2 {
  const mapped = mapError(error);
  return {
    statusCode: mapped.statusCode,
    headers: { ...JSON_HEADERS },
    body: JSON.stringify(mapped.body),
  };
}

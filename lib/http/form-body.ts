/**
 * The signed-in pages' form bodies (`multipart/form-data`), read by the platform's own parser (undici's
 * `Request.formData()`, part of Node). It stands in for @middy/http-multipart-body-parser, which a
 * hand-made form takes down: a field `x` followed by `x[0]` makes its busboy handler throw outside any
 * promise — an uncaught TypeError, a request never answered, a process that dies.
 *
 * The body keeps the shape the pages read (page-handler.ts): a field's value (the last sent), a file
 * as `{ filename, mimetype, content }`, several parts of one name as a list, newest first. A body that is
 * not the multipart its header announces is a 400, as are more parts or longer names than a form of
 * ours ever has; a body of another content type is left as it is (the page then finds no form in it).
 */
import type { MiddlewareObj } from '@middy/core';
import { ValidationError } from '../domain/errors.ts';
import type { ApiEvent, ApiResult } from './api-handler.ts';

const MULTIPART = /^multipart\/form-data; boundary=[a-zA-Z0-9-]{1,70}(; ?charset=[\w-]+)?$/i;
const MAX_PARTS = 1000;
const MAX_NAME_LENGTH = 100;

export interface UploadedPart {
  filename: string;
  mimetype: string;
  content: Buffer;
}

function unreadable(message: string, cause?: unknown): ValidationError {
  return new ValidationError(`表单无法读取 The form could not be read: ${message}.`, {
    issues: [{ path: 'body', message: '不是格式正确的表单 not a well-formed multipart/form-data body' }],
    cause,
  });
}

export async function parseMultipartForm(
  contentType: string,
  body: Buffer,
): Promise<Record<string, string | UploadedPart | (string | UploadedPart)[]>> {
  let form: FormData;
  try {
    form = await new Request('http://localhost/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: new Uint8Array(body),
    }).formData();
  } catch (error) {
    throw unreadable('it is not the multipart its header announces', error);
  }
  // No prototype: a part named `__proto__` or `constructor` is a field like any other.
  const fields: Record<string, string | UploadedPart | (string | UploadedPart)[]> = Object.create(null);
  let parts = 0;
  // (tsconfig's DOM library has no iterable FormData; Node's is.)
  for (const [name, value] of form as unknown as Iterable<[string, FormDataEntryValue]>) {
    parts += 1;
    if (parts > MAX_PARTS) throw unreadable(`more than ${MAX_PARTS} parts`);
    if (name.length > MAX_NAME_LENGTH) throw unreadable(`a part name over ${MAX_NAME_LENGTH} characters`);
    if (typeof value === 'string') {
      fields[name] = value;
      continue;
    }
    const file: UploadedPart = {
      filename: value.name,
      mimetype: value.type,
      content: Buffer.from(await value.arrayBuffer()),
    };
    const current = fields[name];
    fields[name] =
      current === undefined ? file : Array.isArray(current) ? [file, ...current] : [file, current];
  }
  return fields;
}

/** The middy step before a page's handler (html-handler.ts). */
export function multipartFormBody(): MiddlewareObj<ApiEvent, ApiResult> {
  return {
    before: async (request) => {
      const event = request.event;
      const contentType = event.headers?.['content-type'];
      if (contentType === undefined || !MULTIPART.test(contentType)) return;
      if (event.body === undefined) throw unreadable('there is no body');
      const bytes = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
      (event as { body: unknown }).body = await parseMultipartForm(contentType, bytes);
    },
  };
}

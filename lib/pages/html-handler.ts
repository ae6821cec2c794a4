/**
 * The one factory behind every HTML function (the signed-in pages and the pages behind email links):
 * security headers, a posted form refused when the browser says another site sent it
 * (lib/http/same-origin.ts), form-body parsing, and errors rendered as a page with their 4xx (or a
 * generic 500).
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpMultipartBodyParser from '@middy/http-multipart-body-parser';
import httpUrlEncodeBodyParser from '@middy/http-urlencode-body-parser';
import type { VNode } from 'preact';
import type { ApiEvent, ApiHandler, ApiResult } from '../http/api-handler.ts';
import { mapError } from '../http/errors.ts';
import { assertSameOrigin } from '../http/same-origin.ts';
import { renderPage } from '../ui/layout.tsx';
import { CONTENT_SECURITY_POLICY } from '../ui/styles.ts';

/** `link`: pages opened from an email link, whose URL is a credential. */
export type PageKind = 'session' | 'link';

const HEADERS: Record<PageKind, Record<string, string>> = {
  session: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
  },
  link: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    // The link is a credential: never send it on as a Referer, never index it.
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'x-robots-tag': 'noindex',
  },
};

export function htmlResponse(statusCode: number, page: VNode, kind: PageKind = 'session'): ApiResult {
  return { statusCode, headers: HEADERS[kind], body: renderPage(page) };
}

export function htmlHandler(
  route: (event: ApiEvent) => Promise<ApiResult>,
  options: {
    kind: PageKind;
    body: 'multipart' | 'urlencoded';
    errorPage: (status: number, message: string) => VNode;
    /** The app's public base URL (read per request: the local runtime learns its port late). */
    publicBaseUrl: () => string;
  },
): ApiHandler {
  return middy<ApiEvent, ApiResult>()
    .use({
      onError: (request) => {
        const mapped = mapError(request.error);
        request.response = htmlResponse(
          mapped.statusCode,
          options.errorPage(mapped.statusCode, mapped.body.error.message),
          options.kind,
        );
      },
    })
    .use(httpHeaderNormalizer())
    .use({
      // Only what changes something: GET and HEAD show pages and change nothing.
      before: (request) => {
        if (request.event.requestContext.http.method === 'POST') {
          assertSameOrigin(request.event.headers ?? {}, options.publicBaseUrl(), {
            // The link pages' no-referrer policy makes browsers send `Origin: null` on their own form.
            nullOrigin: options.kind === 'link' ? 'unknown' : 'refuse',
          });
        }
      },
    })
    .use(
      options.body === 'multipart'
        ? httpMultipartBodyParser({ disableContentTypeError: true })
        : httpUrlEncodeBodyParser({ disableContentTypeError: true }),
    )
    .handler(route) as unknown as ApiHandler;
}

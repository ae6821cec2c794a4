/**
 * How a page answers: HTML with a strict Content-Security-Policy (the kit's one stylesheet, no script
 * at all), never cached, never framed; a redirect after a form (so a reload never sends it again).
 * Pages behind email links (`link`) also never pass their URL — a credential — on as a Referer.
 */
import type { VNode } from 'preact';
import { renderPage } from '../ui/layout.tsx';
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy } from '../ui/styles.ts';
import type { ApiResult } from './api-handler.ts';

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

/** What one page adds to the headers: the exact origins it shows images from (the CSP's img-src). */
export interface PageOptions {
  imageOrigins?: readonly string[];
  /** The exact origins its forms post to besides the app's (the CSP's form-action): the bucket's. */
  formOrigins?: readonly string[];
}

export function htmlResponse(
  statusCode: number,
  page: VNode,
  kind: PageKind = 'session',
  options: PageOptions = {},
): ApiResult {
  const headers =
    options.imageOrigins?.length || options.formOrigins?.length
      ? {
          ...HEADERS[kind],
          'content-security-policy': contentSecurityPolicy(options.imageOrigins, options.formOrigins),
        }
      : HEADERS[kind];
  return { statusCode, headers, body: renderPage(page) };
}

// A redirect is no HTML: it lives with the JSON answers, so a web module that sends one does not
// carry the page renderer into its JSON function's bundle.
export { redirect } from './api-handler.ts';

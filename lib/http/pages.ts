/**
 * How a page answers: HTML with a strict Content-Security-Policy (the kit's one stylesheet, no script
 * at all), never cached, never framed; a redirect after a form (so a reload never sends it again).
 * Pages behind email links (`link`) also never pass their URL — a credential — on as a Referer.
 */
import type { VNode } from 'preact';
import { renderPage } from '../ui/layout.tsx';
import { CONTENT_SECURITY_POLICY } from '../ui/styles.ts';
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

export function htmlResponse(statusCode: number, page: VNode, kind: PageKind = 'session'): ApiResult {
  return { statusCode, headers: HEADERS[kind], body: renderPage(page) };
}

/** 303 See Other: after a form, the browser GETs the answer (a reload does not post again). */
export function redirect(location: string, cookies?: string[]): ApiResult {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store' },
    ...(cookies ? { cookies } : {}),
  };
}

/**
 * Defence in depth for the forms people post (the signed-in pages, the pages behind approval and
 * countersign links, the local dev sign-in): besides each form's own proof — the link form's nonce, the
 * session cookie's SameSite=Lax — the browser's own word on where the form was sent from.
 *
 * - `Sec-Fetch-Site` (sent by every current browser): `same-origin` passes, and `none` (the person
 *   themselves, e.g. resending a form from the address bar); `same-site` (a sibling subdomain) and
 *   `cross-site` are refused.
 * - `Origin`: must be the app's own — scheme, host and port of its public base URL (PUBLIC_BASE_URL
 *   in AWS; the runtime's own URL locally); with no public base URL configured, any Origin is refused.
 *   `Origin: null` (a sandboxed frame, a privacy-stripped sender) is refused — except on the pages
 *   behind email links, whose `Referrer-Policy: no-referrer` makes browsers send `null` on their own
 *   form's POST too: there `null` says nothing, and Sec-Fetch-Site or the nonce decides.
 * - Neither header (old browsers, curl, scripts): passes on the form's own proof alone. Browsers that
 *   send neither are too old to be sent fundflow links; refusing them would refuse curl too, for
 *   nothing a cross-site page could exploit (it cannot suppress these headers in a browser that has them).
 */
import { ForbiddenError } from '../domain/errors.ts';

const PASSING_FETCH_SITES: ReadonlySet<string> = new Set(['same-origin', 'none']);

export interface SameOriginOptions {
  /** `unknown` where the page's own referrer policy makes browsers send `Origin: null` (link pages). */
  nullOrigin?: 'refuse' | 'unknown';
}

/** The origin of a base URL (`https://host[:port]`), or null when it is not an http(s) URL. */
export function originOf(baseUrl: string): string | null {
  try {
    const url = new URL(baseUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** Why a posted form is refused as sent from another site, or null when it may go on. */
export function crossSiteProblem(
  headers: Readonly<Record<string, string | undefined>>,
  publicBaseUrl: string,
  options: SameOriginOptions = {},
): string | null {
  const fetchSite = headers['sec-fetch-site']?.trim().toLowerCase();
  if (fetchSite !== undefined && !PASSING_FETCH_SITES.has(fetchSite)) {
    return `the browser says the form was sent from ${fetchSite === 'same-site' ? 'another part of this site' : 'another site'} (Sec-Fetch-Site: ${fetchSite})`;
  }
  const origin = headers.origin?.trim();
  if (origin === 'null' && options.nullOrigin === 'unknown') return null;
  if (origin !== undefined && origin !== originOf(publicBaseUrl)) {
    return `the form was sent from ${origin}, not from fundflow`;
  }
  return null;
}

/** Refuses (403) a form posted from another site; the person is told what to do instead. */
export function assertSameOrigin(
  headers: Readonly<Record<string, string | undefined>>,
  publicBaseUrl: string,
  options: SameOriginOptions = {},
): void {
  const problem = crossSiteProblem(headers, publicBaseUrl, options);
  if (problem) {
    throw new ForbiddenError(
      `此表单来自其他网站，未做任何处理；请在 fundflow 中打开页面后再提交。This form came from another site, so nothing was done: ${problem}. Open the page in fundflow (or the link in your email) and send it from there.`,
    );
  }
}

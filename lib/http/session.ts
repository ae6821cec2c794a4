/**
 * Who is calling — one layer for the JSON API and the pages alike: a bearer token (verified by API
 * Gateway's JWT authorizer in AWS, by the local gateway locally) or the session cookie (verified here:
 * a JWT authorizer reads only the Authorization header), and then the person from the directory —
 * roles come from the table, never from the token alone (DESIGN.md decision 12).
 */
import type { AppDeps } from '../app.ts';
import { ForbiddenError, UnauthorizedError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import type { ApiEvent } from './api-handler.ts';

export const SESSION_COOKIE = 'fundflow_session';

/**
 * The session cookie (or its removal, `maxAgeSeconds` 0): HttpOnly, SameSite=Lax, and Secure wherever
 * the site is HTTPS — always in AWS — judged from the public base URL's scheme. Only a plain `http:`
 * base URL (the local runtime on this machine) leaves Secure out: browsers would drop a Secure cookie
 * set over http.
 */
export function sessionCookie(value: string, maxAgeSeconds: number, publicBaseUrl: string): string {
  return setCookie(SESSION_COOKIE, value, { maxAge: maxAgeSeconds, sameSite: 'Lax', publicBaseUrl });
}

/** Any of fundflow's cookies (session, sign-in flow, refresh): HttpOnly always, Secure as above. */
export function setCookie(
  name: string,
  value: string,
  options: { path?: string; maxAge: number; sameSite: 'Lax' | 'Strict'; publicBaseUrl: string },
): string {
  const secure = !options.publicBaseUrl.toLowerCase().startsWith('http:');
  return `${name}=${value}; Path=${options.path ?? '/'}; HttpOnly; SameSite=${options.sameSite}; Max-Age=${options.maxAge}${secure ? '; Secure' : ''}`;
}

/** The value of a request's cookie, or undefined. */
export function cookieOf(event: ApiEvent, name: string): string | undefined {
  const cookie = (event.cookies ?? []).find((entry) => entry.startsWith(`${name}=`));
  return cookie?.slice(name.length + 1);
}

/** The caller of a `jwt` route: the token's email (already verified), then the directory. */
export async function personFromBearer(deps: Pick<AppDeps, 'store'>, event: ApiEvent): Promise<Person> {
  const email = event.requestContext.authorizer?.jwt?.claims?.email;
  if (typeof email !== 'string' || email === '') throw new UnauthorizedError('请先登录。Sign in first.');
  const person = await deps.store.people.get(email.toLowerCase());
  if (!person)
    throw new ForbiddenError(`fundflow 的人员名录中没有 ${email}。${email} is not in fundflow's directory.`);
  // A deactivated person acts no more, whatever token they still hold (lib/admin/people.ts).
  if (person.active === false)
    throw new ForbiddenError(`${email} 已停用。${email} has been deactivated in fundflow's directory.`);
  return person;
}

/**
 * The caller of a `session` page: the cookie's token verified, then the directory — the person and
 * when the token expires (where the verifier knows it); null when there is no valid session (the page
 * sends them to sign in). Anything but an expired or forged token is a failure of ours and is not
 * hidden.
 * A session whose token runs out within minutes is refreshed before the page is shown (router).
 */
export async function sessionOf(
  deps: Pick<AppDeps, 'store' | 'sessions'>,
  event: ApiEvent,
): Promise<{ person: Person; expiresAt?: Date } | null> {
  const token = cookieOf(event, SESSION_COOKIE);
  if (!token) return null;
  try {
    const claims = await deps.sessions.verify(token);
    const person = await deps.store.people.get(claims.email.toLowerCase());
    // A deactivated person's session ends at once (lib/admin/people.ts).
    if (!person || person.active === false) return null;
    return claims.expiresAt ? { person, expiresAt: claims.expiresAt } : { person };
  } catch (error) {
    if (error instanceof UnauthorizedError) return null;
    throw error;
  }
}

/**
 * Signing people in to the pages through the provider's own login page (Cognito's managed login in
 * AWS): the authorization code flow with PKCE (S256), by `openid-client`.
 *
 *  1. `/login` makes a state, a nonce and a PKCE verifier, keeps them in a short-lived, encrypted,
 *     HttpOnly cookie scoped to the callback, and sends the browser to the provider;
 *  2. `/auth/callback` refuses a missing, expired or forged flow cookie or a state that is not its
 *     own (a 400 page, never a 5xx), exchanges the code with the verifier, checks that the person is
 *     in fundflow's directory, and sets the session cookie (the ID token, until it expires) and the
 *     refresh cookie;
 *  3. `/auth/refresh` (where a page sends a session about to expire, or gone) trades the refresh
 *     token for a new ID token, or starts a sign-in when it cannot;
 *  4. `/logout` revokes the refresh token, clears every cookie and ends the provider's own session
 *     (Cognito's `/logout`, or the provider's `end_session_endpoint`).
 *
 * The refresh token is kept in its own cookie, encrypted (AES-256-GCM, a key only the sign-in
 * function holds), HttpOnly, Secure, SameSite=Strict — rather than in the table: the table is read by
 * nearly every function, so tokens there would be readable by all of them, while the cookie is of no
 * use to anyone without the key and is revoked at the provider on sign-out. Path is `/` so sign-out
 * can revoke it (a cookie's path is no boundary within one origin anyway).
 */
import { hkdfSync } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import * as oidc from 'openid-client';
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { ForbiddenError, SignInError } from '../domain/errors.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { SESSION_COOKIE, setCookie } from '../http/session.ts';
import { logger } from '../observability/logger.ts';
import type { SignInProvider } from './provider.ts';

export const FLOW_COOKIE = 'fundflow_signin';
export const REFRESH_COOKIE = 'fundflow_refresh';
/** The callback's path: the flow cookie is sent nowhere else. */
export const CALLBACK_PATH = '/auth/callback';
/** Where the provider sends people back after signing out (registered as the app client's logout URL). */
export const SIGNED_OUT_PATH = '/login';
/** A sign-in started and not finished within ten minutes starts again. */
const FLOW_SECONDS = 600;
/** The refresh token's life at the user pool (infra/constructs/identity.ts): one working day. */
export const REFRESH_TOKEN_HOURS = 12;

/** Where a browser is sent next, and the cookies it is given on the way. */
export interface SignInStep {
  location: string;
  cookies: string[];
}

export interface SignInOptions {
  provider: SignInProvider;
  /** The pages' public base URL (no trailing slash); https in AWS, so every cookie is Secure. */
  publicBaseUrl: string;
  /** The secret the cookies' encryption key is derived from (Secrets Manager in AWS). */
  cookieSecret: string;
  /** Cognito's managed-login `/logout`; absent: the provider's `end_session_endpoint`, if any. */
  logoutEndpoint?: string | undefined;
}

/** A path of this site to return to after signing in: never another site (`//x`, `/\x`, `https:`). */
export const returnPath = lazySchema(() =>
  z
    .string()
    .max(2000)
    .regex(/^\/(?![/\\])[^\s]*$/)
    .catch('/'),
);

const flowCookie = lazySchema(() =>
  z.object({ state: z.string(), verifier: z.string(), nonce: z.string(), next: z.string() }),
);
const refreshCookie = lazySchema(() => z.object({ token: z.string().min(1) }));

const EXPIRED =
  '登录请求已失效（超过十分钟，或在另一个浏览器中开始），请重新登录。This sign-in has expired or was started in another browser; sign in again.';
const REFUSED = '登录未完成，请重新登录。The sign-in did not complete; sign in again.';

/** Seconds until an instant, at least 0. */
const secondsUntil = (epochSeconds: number) => Math.max(0, Math.floor(epochSeconds - Date.now() / 1000));

export class OidcSignIn {
  private readonly key: Uint8Array;
  private readonly base: string;

  constructor(private readonly options: SignInOptions) {
    if (options.cookieSecret.length < 16) throw new Error('the sign-in cookie secret is too short');
    this.key = new Uint8Array(
      hkdfSync('sha256', options.cookieSecret, '', 'fundflow sign-in cookies v1', 32),
    );
    this.base = options.publicBaseUrl.replace(/\/$/, '');
  }

  get callbackUrl(): string {
    return `${this.base}${CALLBACK_PATH}`;
  }

  get signedOutUrl(): string {
    return `${this.base}${SIGNED_OUT_PATH}`;
  }

  /** Step 1: to the provider's login page, with the flow's secrets in the callback's cookie. */
  async begin(next: string): Promise<SignInStep> {
    const config = await this.options.provider.config();
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const location = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.callbackUrl,
      scope: 'openid email',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const sealed = await this.seal(
      'flow',
      { state, verifier, nonce, next: returnPath.parse(next) },
      FLOW_SECONDS,
    );
    return {
      location: location.href,
      cookies: [
        this.cookie(FLOW_COOKIE, sealed, { path: CALLBACK_PATH, maxAge: FLOW_SECONDS, sameSite: 'Lax' }),
      ],
    };
  }

  /** Step 2: the provider's answer, checked against this browser's flow cookie, traded for tokens. */
  async complete(
    deps: Pick<AppDeps, 'store'>,
    query: Record<string, string | undefined>,
    sealedFlow: string | undefined,
  ): Promise<SignInStep> {
    const flow = sealedFlow ? await this.open('flow', flowCookie, sealedFlow) : undefined;
    if (!flow) throw new SignInError(EXPIRED);
    if (query.state !== flow.state) throw new SignInError(EXPIRED);
    if (query.error !== undefined || query.code === undefined) throw new SignInError(REFUSED);
    const config = await this.options.provider.config();
    const callback = new URL(this.callbackUrl);
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) callback.searchParams.set(name, value);
    const tokens = await this.fromProvider(() =>
      oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      }),
    );
    const session = await this.sessionOf(deps, tokens);
    return {
      location: flow.next,
      cookies: [
        ...session,
        // The flow is used up: a second callback with the same answer finds no cookie.
        this.cookie(FLOW_COOKIE, '', { path: CALLBACK_PATH, maxAge: 0, sameSite: 'Lax' }),
      ],
    };
  }

  /** Step 3: a new ID token for the refresh token, or a sign-in when there is none or it is refused. */
  async refresh(deps: Pick<AppDeps, 'store'>, sealed: string | undefined, next: string): Promise<SignInStep> {
    const refresh = sealed ? await this.open('refresh', refreshCookie, sealed) : undefined;
    if (!refresh) return this.begin(next);
    const config = await this.options.provider.config();
    let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
    try {
      tokens = await oidc.refreshTokenGrant(config, refresh.token);
    } catch (error) {
      // Expired or revoked (invalid_grant): sign in again. Anything else is ours to see.
      if (!(error instanceof oidc.ResponseBodyError)) throw error;
      const step = await this.begin(next);
      return {
        ...step,
        cookies: [...step.cookies, this.cookie(REFRESH_COOKIE, '', { maxAge: 0, sameSite: 'Strict' })],
      };
    }
    // Cognito keeps the refresh token (no rotation): the cookie stays as it is unless a new one came.
    return { location: returnPath.parse(next), cookies: await this.sessionOf(deps, tokens, refresh.token) };
  }

  /** Step 4: the refresh token revoked, every cookie cleared, then the provider's own sign-out. */
  async signOut(sealed: string | undefined): Promise<SignInStep> {
    const config = await this.options.provider.config();
    const refresh = sealed ? await this.open('refresh', refreshCookie, sealed) : undefined;
    if (refresh && config.serverMetadata().revocation_endpoint) {
      // A revocation that fails does not keep anyone signed in here: the cookies go regardless.
      await oidc.tokenRevocation(config, refresh.token).catch((error: unknown) => {
        logger.warn('the refresh token could not be revoked at sign-out', { error });
      });
    }
    const cookies = [
      this.cookie(SESSION_COOKIE, '', { maxAge: 0, sameSite: 'Lax' }),
      this.cookie(REFRESH_COOKIE, '', { maxAge: 0, sameSite: 'Strict' }),
      this.cookie(FLOW_COOKIE, '', { path: CALLBACK_PATH, maxAge: 0, sameSite: 'Lax' }),
    ];
    const clientId = this.options.provider.settings.clientId;
    if (this.options.logoutEndpoint) {
      // Cognito's logout takes its own parameters, not RP-initiated logout's.
      const location = new URL(this.options.logoutEndpoint);
      location.searchParams.set('client_id', clientId);
      location.searchParams.set('logout_uri', this.signedOutUrl);
      return { location: location.href, cookies };
    }
    if (config.serverMetadata().end_session_endpoint) {
      const location = oidc.buildEndSessionUrl(config, {
        client_id: clientId,
        post_logout_redirect_uri: this.signedOutUrl,
      });
      return { location: location.href, cookies };
    }
    return { location: SIGNED_OUT_PATH, cookies };
  }

  /** The session and refresh cookies of a token response, for a person of fundflow's directory. */
  private async sessionOf(
    deps: Pick<AppDeps, 'store'>,
    tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers,
    currentRefreshToken?: string,
  ): Promise<string[]> {
    const claims = tokens.claims();
    if (!tokens.id_token || !claims) throw new SignInError(REFUSED);
    const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
    // Roles come from the directory (DESIGN.md decision 12); without a person there is no session —
    // and no loop of sign-ins for someone the pool knows and fundflow does not.
    if (!email || !(await deps.store.people.get(email))) {
      throw new ForbiddenError(
        `${email || '此账号'} 不在 fundflow 的人员名单中，请联系管理员。${email || 'This account'} is not in fundflow's directory; ask an administrator.`,
      );
    }
    const cookies = [
      this.cookie(SESSION_COOKIE, tokens.id_token, { maxAge: secondsUntil(claims.exp), sameSite: 'Lax' }),
    ];
    const refreshToken = tokens.refresh_token ?? currentRefreshToken;
    if (refreshToken && refreshToken !== currentRefreshToken) {
      const seconds = REFRESH_TOKEN_HOURS * 3600;
      cookies.push(
        this.cookie(REFRESH_COOKIE, await this.seal('refresh', { token: refreshToken }, seconds), {
          maxAge: seconds,
          sameSite: 'Strict',
        }),
      );
    }
    return cookies;
  }

  /** The provider's refusals (a used or expired code, a wrong verifier, a bad ID token) are a 400. */
  private async fromProvider<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (
        error instanceof oidc.ResponseBodyError ||
        error instanceof oidc.AuthorizationResponseError ||
        // …but not the provider timing out (a DOMException from the request's signal): that is ours.
        (error instanceof oidc.ClientError && !(error.cause instanceof DOMException))
      ) {
        throw new SignInError(REFUSED, { cause: error });
      }
      throw error;
    }
  }

  private cookie(
    name: string,
    value: string,
    options: { path?: string; maxAge: number; sameSite: 'Lax' | 'Strict' },
  ): string {
    return setCookie(name, value, { ...options, publicBaseUrl: this.base });
  }

  private seal(
    purpose: 'flow' | 'refresh',
    payload: Record<string, string>,
    seconds: number,
  ): Promise<string> {
    return new EncryptJWT(payload)
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setAudience(`fundflow:${purpose}`)
      .setIssuedAt()
      .setExpirationTime(`${seconds}s`)
      .encrypt(this.key);
  }

  /** The cookie's content, or undefined when it is not one of ours, is for another purpose or expired. */
  private async open<T extends z.ZodType>(
    purpose: string,
    schema: T,
    sealed: string,
  ): Promise<z.output<T> | undefined> {
    try {
      const { payload } = await jwtDecrypt(sealed, this.key, { audience: `fundflow:${purpose}` });
      const parsed = schema.safeParse(payload);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

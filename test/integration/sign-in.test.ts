/**
 * Sign-in through a Cognito-shaped provider (a stand-in on this machine, test/support/oidc-provider.ts),
 * over real HTTP: the home pages' function behind the local API gateway, the people from DynamoDB
 * Local, the flow by openid-client, as in AWS (lib/runtime/adapters/sessions.ts and sign-in.ts wire the same pieces).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../functions/home/pages.ts';
import type { AppDeps } from '../../lib/app.ts';
import { routes } from '../../lib/http/routes.ts';
import { SignInProvider } from '../../lib/identity/provider.ts';
import { OidcSignIn } from '../../lib/identity/sign-in.ts';
import { LocalApiGateway } from '../../lib/local/api-gateway.ts';
import { testApp } from '../support/app.ts';
import { type StandInProvider, startStandInProvider } from '../support/oidc-provider.ts';

const HTTPS_BASE = 'https://fundflow.test';
const HTTP_BASE = 'http://fundflow.local';
const PERSON = 'li.na@lianshang.example';

interface Site {
  url: string;
  base: string;
  server: Server;
}

let provider: StandInProvider;
let deps: AppDeps;
const sites: Site[] = [];

async function startSite(base: string): Promise<Site> {
  const identity = new SignInProvider({ issuer: provider.issuer, clientId: provider.clientId });
  const siteDeps: AppDeps = {
    ...deps,
    publicBaseUrl: base,
    sessions: identity.sessions(),
    signIn: new OidcSignIn({
      provider: identity,
      publicBaseUrl: base,
      cookieSecret: 'a test secret of the sign-in cookies',
      logoutEndpoint: `${new URL(provider.issuer).origin}/logout`,
    }),
  };
  const handler = createHandler(siteDeps);
  const gateway = new LocalApiGateway(
    routes
      .filter((route) => route.function === 'homePages')
      .map((route) => ({ method: route.method, path: route.path, auth: route.auth, handler })),
    siteDeps.sessions,
  );
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      if (!(await gateway.handle(request, response, Buffer.concat(chunks)))) {
        response.writeHead(404);
        response.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const site = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, base, server };
  sites.push(site);
  return site;
}

/** A browser's cookies for one site, as its Set-Cookie headers left them. */
class Browser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header seen, by cookie name (the last one). */
  readonly set = new Map<string, string>();

  constructor(private readonly site: Site) {}

  /** A request to the site (a URL of its public base is sent to the local server). */
  async go(target: string, init: RequestInit = {}): Promise<Response> {
    const url = target.startsWith(this.site.base) ? target.slice(this.site.base.length) : target;
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.site.url}${url}`, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      this.set.set(name, header);
      if (/Max-Age=0(;|$)/.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(name.length + 1));
    }
    return response;
  }

  /** Through the provider and back: `/login`, the provider's answer, the callback. */
  async signIn(next = '/'): Promise<Response> {
    const login = await this.go(`/login?next=${encodeURIComponent(next)}`);
    const answer = await fetch(login.headers.get('location') ?? '', { redirect: 'manual' });
    return this.go(answer.headers.get('location') ?? '');
  }
}

/** The attributes of a Set-Cookie header. */
function attributes(header: string | undefined): Record<string, string | true> {
  const [, ...parts] = (header ?? '').split(';').map((part) => part.trim());
  return Object.fromEntries(
    parts.map((part) => {
      const at = part.indexOf('=');
      return at === -1 ? [part, true] : [part.slice(0, at), part.slice(at + 1)];
    }),
  );
}

beforeAll(async () => {
  provider = await startStandInProvider({
    clientId: 'fundflow-web',
    redirectUris: [`${HTTPS_BASE}/auth/callback`, `${HTTP_BASE}/auth/callback`],
    logoutUris: [`${HTTPS_BASE}/login`, `${HTTP_BASE}/login`],
  });
  deps = (await testApp()).deps;
});

afterAll(async () => {
  for (const site of sites) site.server.close();
  await provider.close();
});

describe('signing in through the provider', () => {
  it('sends /login to the provider with a PKCE S256 challenge and a state, kept in an HttpOnly cookie for the callback only', async () => {
    const browser = new Browser(await startSite(HTTPS_BASE));

    const login = await browser.go('/login');
    const authorize = new URL(login.headers.get('location') ?? '');

    expect(login.status).toBe(303);
    expect(authorize.pathname).toBe('/oauth2/authorize');
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'fundflow-web',
      redirect_uri: `${HTTPS_BASE}/auth/callback`,
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')?.length).toBeGreaterThanOrEqual(32);
    expect(authorize.searchParams.get('scope')?.split(' ')).toContain('openid');
    const flow = attributes(browser.set.get('fundflow_signin'));
    expect(flow).toMatchObject({ Path: '/auth/callback', HttpOnly: true, Secure: true, SameSite: 'Lax' });
    expect(Number(flow['Max-Age'])).toBeLessThanOrEqual(600);
    // The verifier is nowhere in the cookie in clear.
    expect(browser.set.get('fundflow_signin')).not.toContain(authorize.searchParams.get('state'));
  });

  it('signs a person in: a Secure, HttpOnly, SameSite=Lax session cookie for the token’s life, then the page they asked for', async () => {
    const browser = new Browser(await startSite(HTTPS_BASE));
    provider.signInAs(PERSON);
    provider.idTokenSeconds = 3600;

    const callback = await browser.signIn('/?welcome=1');

    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/?welcome=1');
    const session = attributes(browser.set.get('fundflow_session'));
    expect(session).toMatchObject({ Path: '/', HttpOnly: true, Secure: true, SameSite: 'Lax' });
    expect(Number(session['Max-Age'])).toBeGreaterThan(3500);
    expect(Number(session['Max-Age'])).toBeLessThanOrEqual(3600);
    expect(attributes(browser.set.get('fundflow_refresh'))).toMatchObject({
      Path: '/',
      HttpOnly: true,
      Secure: true,
      SameSite: 'Strict',
    });
    const home = await browser.go('/');
    expect(home.status).toBe(200);
    // The home page greets the person signed in, by the name the directory has for them.
    expect(await home.text()).toContain('李娜 Li Na');
  });

  it('leaves Secure out only where the site itself is plain http', async () => {
    const browser = new Browser(await startSite(HTTP_BASE));
    provider.signInAs(PERSON);

    await browser.signIn();

    expect(attributes(browser.set.get('fundflow_session'))).toMatchObject({
      HttpOnly: true,
      SameSite: 'Lax',
    });
    expect(attributes(browser.set.get('fundflow_session')).Secure).toBeUndefined();
  });

  it('refuses a callback whose state is not this browser’s own with a 400 page, and signs nobody in', async () => {
    const browser = new Browser(await startSite(HTTPS_BASE));
    provider.signInAs(PERSON);
    const login = await browser.go('/login');
    const answer = await fetch(login.headers.get('location') ?? '', { redirect: 'manual' });
    const forged = new URL(answer.headers.get('location') ?? '');
    forged.searchParams.set('state', 'a-state-of-someone-else');

    const refused = await browser.go(forged.href);

    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('text/html');
    const page = await refused.text();
    expect(page).toContain('重新登录');
    expect(page).toContain('sign in again');
    expect(browser.cookies.has('fundflow_session')).toBe(false);
  });

  it('refuses a callback with no flow cookie, or a forged one, with a 400 page', async () => {
    const browser = new Browser(await startSite(HTTPS_BASE));

    const none = await browser.go('/auth/callback?code=x&state=y');
    browser.cookies.set('fundflow_signin', 'not.a.sealed.cookie.value');
    const forged = await browser.go('/auth/callback?code=x&state=y');

    expect(none.status).toBe(400);
    expect(forged.status).toBe(400);
  });

  it('does not let the same answer sign in twice (the flow is used up)', async () => {
    const browser = new Browser(await startSite(HTTPS_BASE));
    provider.signInAs(PERSON);
    const login = await browser.go('/login');
    const flowCookie = browser.cookies.get('fundflow_signin') ?? '';
    const answer = await fetch(login.headers.get('location') ?? '', { redirect: 'manual' });
    const callback = answer.headers.get('location') ?? '';
    await browser.go(callback);

    browser.cookies.set('fundflow_signin', flowCookie);
    const again = await browser.go(callback);

    expect(again.status).toBe(400);
  });

  it('gives someone the provider knows and fundflow’s directory does not a 403 page and no session', async () => {
    const browser = new Browser(await startSite(HTTPS_BASE));
    provider.signInAs('stranger@lianshang.example');

    const callback = await browser.signIn();

    expect(callback.status).toBe(403);
    expect(browser.cookies.has('fundflow_session')).toBe(false);
  });
});

describe('keeping and ending a session', () => {
  it('refreshes a session about to expire with the refresh token before showing the page', async () => {
    const browser = new Browser(await startSite(HTTPS_BASE));
    provider.signInAs(PERSON);
    provider.idTokenSeconds = 120;
    await browser.signIn();
    const before = browser.cookies.get('fundflow_session');
    provider.idTokenSeconds = 3600;

    const page = await browser.go('/?tab=1');
    const refresh = await browser.go(page.headers.get('location') ?? '');
    const after = await browser.go(refresh.headers.get('location') ?? '');

    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/auth/refresh?next=%2F%3Ftab%3D1');
    expect(refresh.headers.get('location')).toBe('/?tab=1');
    expect(browser.cookies.get('fundflow_session')).not.toBe(before);
    expect(Number(attributes(browser.set.get('fundflow_session'))['Max-Age'])).toBeGreaterThan(3500);
    expect(after.status).toBe(200);
  });

  it('sends a browser whose session is gone through the refresh token, and without one to the provider', async () => {
    const browser = new Browser(await startSite(HTTPS_BASE));
    provider.signInAs(PERSON);
    await browser.signIn();
    browser.cookies.delete('fundflow_session');

    const page = await browser.go('/');
    const refreshed = await browser.go(page.headers.get('location') ?? '');
    browser.cookies.clear();
    const gone = await browser.go('/auth/refresh?next=%2F');

    expect(refreshed.headers.get('location')).toBe('/');
    expect(browser.set.get('fundflow_session')).toBeDefined();
    expect(new URL(gone.headers.get('location') ?? '').pathname).toBe('/oauth2/authorize');
  });

  it('signs out: revokes the refresh token, clears every cookie, and ends the session at the provider’s logout', async () => {
    const site = await startSite(HTTPS_BASE);
    const browser = new Browser(site);
    provider.signInAs(PERSON);
    await browser.signIn();
    const sealedRefresh = browser.cookies.get('fundflow_refresh') ?? '';

    const signOut = await browser.go('/logout', { method: 'POST', headers: { origin: HTTPS_BASE } });
    const logout = new URL(signOut.headers.get('location') ?? '');
    const back = await fetch(logout, { redirect: 'manual' });

    expect(signOut.status).toBe(303);
    expect(logout.pathname).toBe('/logout');
    expect(logout.searchParams.get('client_id')).toBe('fundflow-web');
    expect(logout.searchParams.get('logout_uri')).toBe(`${HTTPS_BASE}/login`);
    expect(back.headers.get('location')).toBe(`${HTTPS_BASE}/login`);
    expect(provider.revoked).toHaveLength(1);
    expect([...browser.cookies.keys()]).toEqual([]);
    // A copy of the refresh cookie kept from before signs nobody in again: it was revoked.
    browser.cookies.set('fundflow_refresh', sealedRefresh);
    const replay = await browser.go('/auth/refresh?next=%2F');
    expect(new URL(replay.headers.get('location') ?? '').pathname).toBe('/oauth2/authorize');
  });
});

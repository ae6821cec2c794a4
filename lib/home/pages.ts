/** The start of the pages: the home page, sign-in (with its callback and refresh) and sign-out. */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { NotFoundError } from '../domain/errors.ts';
import { redirect } from '../http/api-handler.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { open, pageFunction, session } from '../http/router.ts';
import { homePagesRoutes } from '../http/routes.ts';
import { cookieOf, sessionCookie } from '../http/session.ts';
import { FLOW_COOKIE, REFRESH_COOKIE, returnPath, type SignInStep } from '../identity/sign-in.ts';
import { waitingFor } from './waiting.ts';

/**
 * The screens, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen.
 */
const screens = () => import('./screens.tsx');

/** `?next=`: where to return after signing in; anything but a path of this site means home. */
const nextQuery = lazySchema(() => z.object({ next: returnPath.optional() }).loose());
/** The provider's answer: strings, each once (a repeated parameter is not an answer of its). */
const callbackQuery = lazySchema(() => z.record(z.string(), z.string().max(4096)));

const step = ({ location, cookies }: SignInStep) => redirect(location, cookies);

export const homePages = (deps: AppDeps) =>
  pageFunction(deps, homePagesRoutes, {
    /** "待我处理 Waiting for me": what waits for this person, by role (lib/home/waiting.ts). */
    home: session({}, async ({ caller, html }) =>
      html(200, (await screens()).HomePage({ person: caller, waiting: await waitingFor(deps, caller) })),
    ),
    /** In AWS the provider's login page; locally the demo directory to pick from. */
    signIn: open({ query: nextQuery }, async ({ html, query }) => {
      if (deps.signIn) return step(await deps.signIn.begin(query.next ?? '/'));
      if (!deps.devSignIn) return html(200, (await screens()).SignInPage({}));
      const people = await deps.store.people.listByEntity(deps.devSignIn.entityId);
      return html(200, (await screens()).SignInPage({ people, action: deps.devSignIn.action }));
    }),
    signInCallback: open({ query: callbackQuery }, async ({ event, query }) => {
      if (!deps.signIn) throw new NotFoundError('这里没有外部登录。There is no provider sign-in here.');
      return step(await deps.signIn.complete(deps, query, cookieOf(event, FLOW_COOKIE)));
    }),
    refreshSession: open({ query: nextQuery }, async ({ event, query }) => {
      if (!deps.signIn) return redirect(deps.signInUrl);
      return step(await deps.signIn.refresh(deps, cookieOf(event, REFRESH_COOKIE), query.next ?? '/'));
    }),
    signOut: open({}, async ({ event }) => {
      if (deps.signIn) return step(await deps.signIn.signOut(cookieOf(event, REFRESH_COOKIE)));
      return redirect('/login', [sessionCookie('', 0, deps.publicBaseUrl)]);
    }),
  });

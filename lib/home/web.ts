/** The start of the pages: the home page, the sign-in page and sign-out. */
import type { AppDeps } from '../app.ts';
import { redirect } from '../http/pages.ts';
import { open, pageFunction, session } from '../http/router.ts';
import { sessionCookie } from '../http/session.ts';
import { HomePage, SignInPage } from './screens.tsx';
import { waitingFor } from './waiting.ts';

export const homePages = (deps: AppDeps) =>
  pageFunction(deps, 'homePages', {
    /** "待我处理 Waiting for me": what waits for this person, by role (lib/home/waiting.ts). */
    home: session({}, async ({ caller, html }) =>
      html(200, HomePage({ person: caller, waiting: await waitingFor(deps, caller) })),
    ),
    /** Locally the demo directory to pick from; in AWS the company's sign-in. */
    signIn: open({}, async ({ html }) => {
      if (!deps.devSignIn) return html(200, SignInPage({}));
      const people = await deps.store.people.listByEntity(deps.devSignIn.entityId);
      return html(200, SignInPage({ people, action: deps.devSignIn.action }));
    }),
    signOut: open({}, async () => redirect('/login', [sessionCookie('', 0, deps.publicBaseUrl)])),
  });

/**
 * The administration's web edge (issue 14 §1, §2, §8): people and roles, legal entities, the audit
 * view — the JSON API and the pages, for administrators of the caller's entity. (Policy versions, the
 * calendar and supplier-change review have their own edge.)
 */
import type { AppDeps } from '../app.ts';
import { ADMINISTRATION_ROLES, requireRole } from '../domain/access.ts';
import { json } from '../http/api-handler.ts';
import { apiFunction, jwt, pageFunction, session } from '../http/router.ts';
import { auditTrail } from './audit.ts';
import { createEntity, entityView, getEntity, listEntities, updateEntity } from './entities.ts';
import { createPerson, getPerson, listPeople, personView, updatePerson } from './people.ts';
import {
  auditPageQuery,
  auditQuery,
  delegationsQuery,
  entityBody,
  entityParams,
  personBody,
  personParams,
} from './schemas.ts';
import { AuditPage, EntitiesPage, PeoplePage } from './screens.tsx';

export const adminApi = (deps: AppDeps) =>
  apiFunction(deps, 'adminApi', {
    listPeople: jwt({}, async ({ caller }) =>
      json(200, { items: (await listPeople(deps, caller)).map(personView) }),
    ),
    createPerson: jwt({ body: personBody }, async ({ body, caller }) => {
      const { person, created } = await createPerson(deps, caller, body);
      return json(created ? 201 : 200, personView(person));
    }),
    getPerson: jwt({ params: personParams }, async ({ params, caller }) =>
      json(200, personView(await getPerson(deps, caller, params.email))),
    ),
    updatePerson: jwt({ params: personParams, body: personBody }, async ({ params, body, caller }) =>
      json(200, personView(await updatePerson(deps, caller, params.email, body))),
    ),
    /** A person's delegations (POLICY D18), every one ever given, beside POST /api/delegations. */
    listDelegations: jwt({ query: delegationsQuery }, async ({ query, caller }) => {
      await getPerson(deps, caller, query.from);
      requireRole(caller, ...ADMINISTRATION_ROLES);
      return json(200, { items: await deps.store.approvals.delegationsFrom(query.from) });
    }),
    listEntities: jwt({}, async ({ caller }) =>
      json(200, { items: (await listEntities(deps, caller)).map((entity) => entityView(entity, caller)) }),
    ),
    createEntity: jwt({ body: entityBody }, async ({ body, caller }) => {
      const { entity, created } = await createEntity(deps, caller, body);
      return json(created ? 201 : 200, entityView(entity, caller));
    }),
    getEntity: jwt({ params: entityParams }, async ({ params, caller }) =>
      json(200, entityView(await getEntity(deps, caller, params.id), caller)),
    ),
    updateEntity: jwt({ params: entityParams, body: entityBody }, async ({ params, body, caller }) =>
      json(200, entityView(await updateEntity(deps, caller, params.id, body), caller)),
    ),
    /** Everything one person did, newest first (from the `auditByActor` index). */
    auditTrail: jwt({ query: auditQuery }, async ({ query, caller }) =>
      json(200, await auditTrail(deps, caller, query)),
    ),
  });

export const adminPages = (deps: AppDeps) =>
  pageFunction(deps, 'adminPages', {
    peoplePage: session({}, async ({ caller, html }) =>
      html(200, PeoplePage({ person: caller, people: await listPeople(deps, caller) })),
    ),
    entitiesPage: session({}, async ({ caller, html }) =>
      html(200, EntitiesPage({ person: caller, entities: await listEntities(deps, caller) })),
    ),
    auditPage: session({ query: auditPageQuery }, async ({ query, caller, html }) => {
      const people = await listPeople(deps, caller);
      const page = query.actor
        ? await auditTrail(deps, caller, query as typeof query & { actor: string })
        : null;
      const next =
        page?.nextCursor && query.actor
          ? `/admin/audit?${new URLSearchParams({
              actor: query.actor,
              ...(query.from ? { from: query.from } : {}),
              ...(query.to ? { to: query.to } : {}),
              cursor: page.nextCursor,
            }).toString()}`
          : null;
      return html(
        200,
        AuditPage({
          person: caller,
          people,
          actor: query.actor,
          from: query.from,
          to: query.to,
          events: page?.items ?? [],
          nextPage: next,
        }),
      );
    }),
  });

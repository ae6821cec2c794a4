/**
 * The administration's JSON API (issue 14 §1, §2, §8): people and roles, legal entities, the audit
 * view, for administrators of the caller's entity; its pages are lib/admin/pages.ts. (Policy versions,
 * the calendar and supplier-change review have their own edge, settings-web.ts.) Apart, so the
 * JSON function never carries the pages (their screens, lib/ui, preact).
 */

import type { AppDeps } from '../app.ts';
import { ADMINISTRATION_ROLES, requireRole } from '../domain/access.ts';
import { json } from '../http/api-handler.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { adminApiRoutes } from '../http/routes.ts';
import { auditTrail } from './audit.ts';
import { createEntity, entityView, getEntity, listEntities, updateEntity } from './entities.ts';
import { createPerson, getPerson, listPeople, personView, updatePerson } from './people.ts';
import {
  auditQuery,
  delegationsQuery,
  entityBody,
  entityParams,
  personBody,
  personParams,
} from './schemas.ts';

export const adminApi = (deps: AppDeps) =>
  apiFunction(deps, adminApiRoutes, {
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

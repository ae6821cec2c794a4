/**
 * The administration's pages (issue 14 §1, §2, §8): people and roles, legal entities, the audit view,
 * for administrators of the caller's entity — the same use cases and checks as the JSON API
 * (lib/admin/web.ts).
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { ADMINISTRATION_ROLES, requireRole } from '../domain/access.ts';
import { AppError, ForbiddenError } from '../domain/errors.ts';
import type { LegalEntity, Person } from '../domain/model.ts';
import { isActivePerson } from '../domain/people.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { redirect } from '../http/pages.ts';
import { pageFunction, session } from '../http/router.ts';
import { adminPagesRoutes } from '../http/routes.ts';
import { type FormError, formErrorOf } from '../ui/controls.tsx';
import { auditTrail } from './audit.ts';
import { getEntity, listEntities, updateEntity } from './entities.ts';
import { createPerson, getPerson, listPeople, updatePerson } from './people.ts';
import { auditPageQuery, entityBody, entityParams, personBody, personParams } from './schemas.ts';
import type { Confirmation, EntityFormValues, PersonFormValues } from './screens.tsx';

/**
 * The screens, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen.
 */
const screens = () => import('./screens.tsx');

/** A form field as posted: a repeated name is a list (checkboxes), a missing one is empty. */
type Posted = Record<string, string | string[] | undefined>;
const one = (form: Posted, name: string): string => {
  const value = form[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).slice(0, 2000);
};
const many = (form: Posted, name: string): string[] => {
  const value = form[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).slice(0, 40);
};

function personFormFrom(form: Posted): PersonFormValues {
  return {
    email: one(form, 'email').trim(),
    name: one(form, 'name'),
    roles: many(form, 'roles'),
    managerEmail: one(form, 'managerEmail'),
    deputyEmail: one(form, 'deputyEmail'),
    // An unticked box is not sent at all: unticked is deactivated.
    active: one(form, 'active') === 'yes',
  };
}

/** The form as the API's body (the same zod schema, the same use cases). */
function personBodyOf(values: PersonFormValues, entityId: string) {
  const parsed = personBody.safeParse({
    email: values.email,
    name: values.name,
    entityId,
    roles: values.roles,
    ...(values.managerEmail ? { managerEmail: values.managerEmail } : {}),
    ...(values.deputyEmail ? { deputyEmail: values.deputyEmail } : {}),
    active: values.active,
  });
  if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
  return parsed.data;
}

const ACCOUNT_ROWS = 20;

function entityFormFrom(form: Posted): EntityFormValues {
  const accounts = Array.from({ length: ACCOUNT_ROWS }, (_, row) => ({
    bankName: one(form, `bankName.${row}`),
    account: one(form, `account.${row}`),
  }));
  const lastTyped = accounts.findLastIndex((account) => account.bankName || account.account);
  return {
    name: one(form, 'name'),
    taxId: one(form, 'taxId'),
    // The rows up to the last one typed in, and room for one more.
    accounts: [...accounts.slice(0, lastTyped + 1), { bankName: '', account: '' }],
    primaryAccount: one(form, 'primaryAccount'),
    itemName: one(form, 'itemName'),
    taxCode: one(form, 'taxCode').trim(),
    taxRatePercent: one(form, 'taxRatePercent'),
  };
}

function entityBodyOf(values: EntityFormValues, id: string) {
  // A row left empty is no account; the rows' numbers stay those of the form, so issues land on them.
  const rows = values.accounts
    .map((account, row) => ({ ...account, row }))
    .filter((account) => account.bankName.trim() || account.account.trim());
  const parsed = entityBody.safeParse({
    id,
    name: values.name,
    taxId: values.taxId,
    bankAccounts: rows.map((account) => ({
      bankName: account.bankName,
      account: account.account,
      primary: String(account.row) === values.primaryAccount,
    })),
    invoicing: {
      itemName: values.itemName,
      taxCode: values.taxCode,
      taxRatePercent: values.taxRatePercent === '' ? Number.NaN : Number(values.taxRatePercent),
    },
  });
  if (!parsed.success) {
    const error = validationErrorFrom(parsed.error, 'form');
    // Issues of bankAccounts.<i> name the form's row, not the i-th non-empty one.
    for (const issue of error.issues) {
      const match = /^bankAccounts\.(\d+)(\..*)?$/.exec(issue.path);
      const row = match ? rows[Number(match[1])]?.row : undefined;
      if (match && row !== undefined) issue.path = `bankAccounts.${row}${match[2] ?? ''}`;
    }
    throw error;
  }
  return parsed.data;
}

/** The outcome a page confirms, from its query: only a code it knows, only if the record agrees. */
const outcomeQuery = lazySchema(() =>
  z.object({
    done: z.enum(['created', 'saved', 'deactivated', 'entitySaved']).optional().catch(undefined),
    person: z.string().max(320).optional().catch(undefined),
    entity: z.string().max(64).optional().catch(undefined),
  }),
);

function personConfirmation(
  query: z.output<typeof outcomeQuery>,
  people: Person[],
): Confirmation | undefined {
  if (!query.done || query.done === 'entitySaved' || !query.person) return undefined;
  const person = people.find((candidate) => candidate.email === query.person?.toLowerCase());
  if (!person) return undefined;
  if ((query.done === 'deactivated') === isActivePerson(person)) return undefined;
  return { outcome: query.done, name: person.name };
}

function entityConfirmation(
  query: z.output<typeof outcomeQuery>,
  caller: Person,
  entities: LegalEntity[],
): Confirmation | undefined {
  if (query.done !== 'entitySaved' || query.entity !== caller.entityId) return undefined;
  const entity = entities.find((candidate) => candidate.id === query.entity);
  return entity ? { outcome: 'entitySaved', name: entity.name } : undefined;
}

const personPageParams = { params: personParams, pathNotFound: 'No such person.' } as const;
const entityPageParams = { params: entityParams, pathNotFound: 'No such legal entity.' } as const;

export const adminPages = (deps: AppDeps) => {
  async function personForm(caller: Person, values: PersonFormValues, editing?: Person, error?: FormError) {
    const colleagues = await listPeople(deps, caller);
    return (await screens()).PersonFormPage({
      person: caller,
      colleagues,
      values,
      ...(editing ? { editing } : {}),
      ...(error ? { error } : {}),
    });
  }

  /** D17: the form is for the administrator's own entity only (the use case refuses the save too). */
  async function ownEntity(caller: Person, id: string): Promise<LegalEntity> {
    const entity = await getEntity(deps, caller, id);
    if (entity.id !== caller.entityId) {
      throw new ForbiddenError('您只能修改本单位的信息。You can change only your own entity.');
    }
    return entity;
  }

  return pageFunction(deps, adminPagesRoutes, {
    peoplePage: session({ query: outcomeQuery }, async ({ caller, query, html }) => {
      const people = await listPeople(deps, caller);
      const confirmation = personConfirmation(query, people);
      return html(
        200,
        (await screens()).PeoplePage({ person: caller, people, ...(confirmation ? { confirmation } : {}) }),
      );
    }),
    newPersonForm: session({}, async ({ caller, html }) => {
      requireRole(caller, ...ADMINISTRATION_ROLES);
      return html(200, await personForm(caller, (await screens()).emptyPersonForm()));
    }),
    submitNewPerson: session({ body: 'urlencoded' }, async ({ caller, body, html }) => {
      requireRole(caller, ...ADMINISTRATION_ROLES);
      const values = personFormFrom((body ?? {}) as Posted);
      try {
        // The administrator's own entity: the same use case as POST /api/people.
        const { person } = await createPerson(deps, caller, personBodyOf(values, caller.entityId));
        return redirect(`/admin/people?done=created&person=${encodeURIComponent(person.email)}`);
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode === 403) throw error;
        return html(error.statusCode, await personForm(caller, values, undefined, formErrorOf(error)));
      }
    }),
    editPersonForm: session(personPageParams, async ({ caller, params, html }) => {
      const person = await getPerson(deps, caller, params.email);
      return html(200, await personForm(caller, (await screens()).personFormOf(person), person));
    }),
    submitPerson: session(
      { ...personPageParams, body: 'urlencoded' },
      async ({ caller, params, body, html }) => {
        const existing = await getPerson(deps, caller, params.email);
        // The email is the record's own: the address names the person, whatever the form says.
        const values = { ...personFormFrom((body ?? {}) as Posted), email: existing.email };
        try {
          const person = await updatePerson(
            deps,
            caller,
            existing.email,
            personBodyOf(values, existing.entityId),
          );
          const done = isActivePerson(existing) && !isActivePerson(person) ? 'deactivated' : 'saved';
          return redirect(`/admin/people?done=${done}&person=${encodeURIComponent(person.email)}`);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode === 403 || error.statusCode === 404)
            throw error;
          return html(error.statusCode, await personForm(caller, values, existing, formErrorOf(error)));
        }
      },
    ),
    entitiesPage: session({ query: outcomeQuery }, async ({ caller, query, html }) => {
      const entities = await listEntities(deps, caller);
      const confirmation = entityConfirmation(query, caller, entities);
      return html(
        200,
        (await screens()).EntitiesPage({
          person: caller,
          entities,
          ...(confirmation ? { confirmation } : {}),
        }),
      );
    }),
    editEntityForm: session(entityPageParams, async ({ caller, params, html }) => {
      const entity = await ownEntity(caller, params.id);
      return html(
        200,
        (await screens()).EntityFormPage({
          person: caller,
          entity,
          values: (await screens()).entityFormOf(entity),
        }),
      );
    }),
    submitEntity: session(
      { ...entityPageParams, body: 'urlencoded' },
      async ({ caller, params, body, html }) => {
        const entity = await ownEntity(caller, params.id);
        const values = entityFormFrom((body ?? {}) as Posted);
        try {
          // The same use case as PUT /api/entities/:id.
          await updateEntity(deps, caller, entity.id, entityBodyOf(values, entity.id));
          return redirect(`/admin/entities?done=entitySaved&entity=${encodeURIComponent(entity.id)}`);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode === 403 || error.statusCode === 404)
            throw error;
          return html(
            error.statusCode,
            (await screens()).EntityFormPage({ person: caller, entity, values, error: formErrorOf(error) }),
          );
        }
      },
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
        (await screens()).AuditPage({
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
};

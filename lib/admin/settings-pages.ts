/**
 * The administration's settings pages (issue 14 §3–§4): policy versions (POLICY D17), the working-day
 * calendar (D16), supplier-change review, delegations and proxy assignments — each form checked by the
 * JSON API's schema (lib/admin/settings-web.ts).
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { addDelegation, revokeDelegation } from '../approvals/delegations.ts';
import {
  addProxyAssignment,
  endProxyAssignment,
  listProxyAssignments,
} from '../approvals/proxy-assignments.ts';
import {
  addDelegationBody,
  delegationParams,
  endProxyAssignmentBody,
  proxyAssignmentBody,
  proxyAssignmentParams,
  revokeDelegationBody,
} from '../approvals/web.ts';
import { requireRole } from '../domain/access.ts';
import { AppError, CalendarChangeAffectsDocumentsError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import { parseYuan } from '../domain/money.ts';
import {
  SUPPLIER_CHANGE_REQUESTER_ROLES,
  SUPPLIER_CHANGE_REVIEWER_ROLES,
  type SupplierChange,
} from '../domain/supplier-change.ts';
import { shanghaiDate } from '../domain/time.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { localDate, recordId } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { redirect } from '../http/pages.ts';
import { pageFunction, session } from '../http/router.ts';
import { settingsPagesRoutes } from '../http/routes.ts';
import { pendingSupplierChanges, requestSupplierChange, reviewSupplierChange } from '../suppliers/changes.ts';
import { changeView, rejectBody, supplierChangeBody } from '../suppliers/web.ts';
import { formErrorOf } from '../ui/controls.tsx';
import { calendarYear, removeCalendarOverride, setCalendarOverride } from './calendar.ts';
import type { DelegationFormValues } from './delegation-screens.tsx';
import { listPeople } from './people.ts';
import { addPolicyVersion, policyVersions } from './policy.ts';
import type { ProxyAssignmentFormValues } from './proxy-screens.tsx';
import { calendarOverrideBody, newPolicyVersionBody, yearParam } from './settings-web.ts';

/**
 * The screens, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen.
 */
const screens = () => import('./settings-screens.tsx');
const changeScreens = () => import('./supplier-change-screens.tsx');
const delegationScreens = () => import('./delegation-screens.tsx');
const proxyScreens = () => import('./proxy-screens.tsx');

/** The policy form's fields as the API's body: yuan to fen, numbers from text, the batch days' list. */
function policyBodyOf(form: Record<string, string>): Record<string, unknown> {
  const number = (text: string | undefined) =>
    text !== undefined && /^\d+$/.test(text.trim()) ? Number(text) : text;
  const yuan = (text: string | undefined) => {
    try {
      return parseYuan(text ?? '', { ceilingFen: 1_000_000_000_000 });
    } catch {
      return text;
    }
  };
  return {
    ...Object.fromEntries(Object.entries(form).map(([key, value]) => [key, number(value)])),
    effectiveFrom: form.effectiveFrom,
    dailyExportTime: form.dailyExportTime,
    reconciliationReminderTime: form.reconciliationReminderTime,
    reconciliationDueWeekday: form.reconciliationDueWeekday,
    ceoThresholdFen: yuan(form.ceoThresholdFen),
    amountCeilingFen: yuan(form.amountCeilingFen),
    invoiceBatchDays: (form.invoiceBatchDays ?? '')
      .split(/[,，\s]+/)
      .filter(Boolean)
      .map((day) => number(day)),
  };
}

const formFields = lazySchema(() => z.record(z.string(), z.string()));

/**
 * A form's fields as the parser read them: a urlencoded form only. A body sent as another type (text/
 * plain) is left as text by the parser and refused here with a 400 — never read as a form behind its
 * declared type's back (the fuzz test sent one, and it wrote a policy version).
 */
function fieldsOf(body: unknown): Record<string, string> {
  const parsed = formFields.safeParse(typeof body === 'object' ? body : undefined);
  if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
  return parsed.data;
}
const yearPageParams = lazySchema(() => z.object({ year: yearParam }));
const pageQuery = lazySchema(() => z.strictObject({ done: z.literal('1').optional() }));

/** The supplier-change page's outcome, from its query: only a code it knows, only if the record agrees. */
const changesPageQuery = lazySchema(() =>
  z.object({
    done: z.enum(['requested', 'approved', 'rejected']).optional().catch(undefined),
    supplier: z.string().max(64).optional().catch(undefined),
    change: z.string().max(64).optional().catch(undefined),
  }),
);
const STATUS_OF_OUTCOME = { requested: 'PENDING', approved: 'APPROVED', rejected: 'REJECTED' } as const;
const changePageParams = {
  params: lazySchema(() => z.object({ id: recordId('supplier id'), changeId: recordId('change id') })),
  pathNotFound: 'No such supplier change.',
} as const;
/** The delegations page's query: whose list, and the outcome it confirms if the list agrees. */
const delegationsPageQuery = lazySchema(() =>
  z.object({
    from: z.string().max(320).optional().catch(undefined),
    done: z.enum(['added', 'revoked']).optional().catch(undefined),
    delegation: z.string().max(64).optional().catch(undefined),
  }),
);
/** The proxy assignments page's query: whose list, and the outcome it confirms if the list agrees. */
const proxyAssignmentsPageQuery = lazySchema(() =>
  z.object({
    approver: z.string().max(320).optional().catch(undefined),
    done: z.enum(['added', 'ended']).optional().catch(undefined),
    assignment: z.string().max(64).optional().catch(undefined),
  }),
);
const requestedSupplier = lazySchema(() => z.object({ supplierId: recordId('supplier id') }));

export const settingsPages = (deps: AppDeps) => {
  /** The review page (POLICY D8; issue 14 §5): the same use cases as the JSON API's, accounts as it masks them. */
  async function supplierChangesPage(
    caller: Person,
    extra: Omit<
      Parameters<Awaited<ReturnType<typeof changeScreens>>['SupplierChangesPage']>[0],
      'person' | 'changes' | 'suppliers'
    > = {},
  ) {
    const changes = (await pendingSupplierChanges(deps, caller)).map(
      (change) => changeView(change, caller) as SupplierChange,
    );
    const suppliers = await deps.store.suppliers.listByEntity(caller.entityId);
    return (await changeScreens()).SupplierChangesPage({ person: caller, changes, suppliers, ...extra });
  }

  /** A confirmation only for a change of the caller's entity whose stored status says so. */
  async function changeConfirmation(caller: Person, query: z.output<typeof changesPageQuery>) {
    if (!query.done || !query.supplier || !query.change) return undefined;
    const change = await deps.store.supplierChanges.get(query.supplier, query.change);
    if (!change || change.entityId !== caller.entityId) return undefined;
    if (change.status !== STATUS_OF_OUTCOME[query.done]) return undefined;
    const supplier = await deps.store.suppliers.get(change.supplierId);
    return { outcome: query.done, supplier: supplier?.name ?? change.supplierId };
  }

  const doneAt = (outcome: keyof typeof STATUS_OF_OUTCOME, change: SupplierChange) =>
    redirect(
      `/supplier-changes?done=${outcome}&supplier=${encodeURIComponent(change.supplierId)}&change=${encodeURIComponent(change.id)}`,
    );

  /** POLICY D18: a person's delegations, every one ever given, as GET /api/delegations lists them. */
  async function delegationsPage(
    caller: Person,
    from: string | undefined,
    extra: {
      values?: DelegationFormValues;
      error?: ReturnType<typeof formErrorOf>;
      delegation?: string;
      done?: 'added' | 'revoked';
      revokeError?: ReturnType<typeof formErrorOf>;
    } = {},
  ) {
    requireRole(caller, 'ADMIN');
    const people = await listPeople(deps, caller);
    const person = from ? people.find((candidate) => candidate.email === from.toLowerCase()) : undefined;
    const delegations = person ? await deps.store.approvals.delegationsFrom(person.email) : [];
    // A confirmation only for what the stored delegation says happened.
    const confirmed = extra.delegation
      ? delegations.find(
          (delegation) =>
            delegation.id === extra.delegation &&
            (extra.done === 'revoked') === Boolean(delegation.revokedAt),
        )
      : undefined;
    return (await delegationScreens()).DelegationsPage({
      person: caller,
      people,
      today: shanghaiDate(deps.clock.now()),
      delegations: [...delegations].sort((a, b) => b.validFrom.localeCompare(a.validFrom)),
      ...(person ? { from: person } : {}),
      ...(extra.values ? { values: extra.values } : {}),
      ...(extra.error ? { error: extra.error } : {}),
      ...(confirmed ? { confirmation: { to: confirmed.to, outcome: extra.done ?? 'added' } } : {}),
      ...(extra.revokeError ? { revokeError: extra.revokeError } : {}),
    });
  }

  /** POLICY D6, D18: an approver's proxies, every one ever named, as GET /api/proxy-assignments lists them. */
  async function proxyAssignmentsPage(
    caller: Person,
    approver: string | undefined,
    extra: {
      values?: ProxyAssignmentFormValues;
      error?: ReturnType<typeof formErrorOf>;
      assignment?: string;
      done?: 'added' | 'ended';
      endError?: ReturnType<typeof formErrorOf>;
    } = {},
  ) {
    requireRole(caller, 'ADMIN');
    const people = await listPeople(deps, caller);
    const person = approver
      ? people.find((candidate) => candidate.email === approver.toLowerCase())
      : undefined;
    const assignments = person ? await listProxyAssignments(deps, caller, person.email) : [];
    const confirmed = extra.assignment
      ? assignments.find(
          (assignment) =>
            assignment.id === extra.assignment && (extra.done === 'ended') === Boolean(assignment.endedAt),
        )
      : undefined;
    return (await proxyScreens()).ProxyAssignmentsPage({
      person: caller,
      people,
      today: shanghaiDate(deps.clock.now()),
      // Newest first, as the delegations page lists them.
      assignments: [...assignments].reverse(),
      ...(person ? { approver: person } : {}),
      ...(extra.values ? { values: extra.values } : {}),
      ...(extra.error ? { error: extra.error } : {}),
      ...(confirmed ? { confirmation: { proxy: confirmed.proxy, outcome: extra.done ?? 'added' } } : {}),
      ...(extra.endError ? { endError: extra.endError } : {}),
    });
  }

  return pageFunction(deps, settingsPagesRoutes, {
    delegationsPage: session({ query: delegationsPageQuery }, async ({ caller, query, html }) =>
      html(
        200,
        await delegationsPage(
          caller,
          query.from,
          query.done && query.delegation ? { delegation: query.delegation, done: query.done } : {},
        ),
      ),
    ),
    delegationForm: session({ body: 'urlencoded' }, async ({ caller, body, html }) => {
      requireRole(caller, 'ADMIN');
      const values: DelegationFormValues = { from: '', to: '', validFrom: '', validTo: '', reason: '' };
      try {
        const fields = fieldsOf(body);
        for (const key of Object.keys(values) as (keyof DelegationFormValues)[])
          values[key] = fields[key] ?? '';
        // The same schema and use case as POST /api/delegations.
        const parsed = addDelegationBody.safeParse(values);
        if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
        const delegation = await addDelegation(deps, caller, parsed.data);
        return redirect(
          `/admin/delegations?from=${encodeURIComponent(delegation.from)}&done=added&delegation=${encodeURIComponent(delegation.id)}`,
        );
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode === 403) throw error;
        return html(
          error.statusCode,
          await delegationsPage(caller, values.from || undefined, { values, error: formErrorOf(error) }),
        );
      }
    }),
    /** Issue 14 §1: the delegation ends now (the same schema and use case as POST /api/delegations/:id/revoke). */
    revokeDelegationForm: session(
      { params: delegationParams, body: 'urlencoded', pathNotFound: 'No such delegation.' },
      async ({ caller, params, body, html }) => {
        requireRole(caller, 'ADMIN');
        let from = '';
        try {
          from = fieldsOf(body).from ?? '';
          const parsed = revokeDelegationBody.safeParse({ from });
          if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
          // A second click answers the first one's revocation: the same confirmation, nothing written.
          const delegation = await revokeDelegation(deps, caller, { from: parsed.data.from, id: params.id });
          return redirect(
            `/admin/delegations?from=${encodeURIComponent(delegation.from)}&done=revoked&delegation=${encodeURIComponent(delegation.id)}`,
          );
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode === 403) throw error;
          return html(
            error.statusCode,
            await delegationsPage(caller, from || undefined, { revokeError: formErrorOf(error) }),
          );
        }
      },
    ),
    proxyAssignmentsPage: session({ query: proxyAssignmentsPageQuery }, async ({ caller, query, html }) =>
      html(
        200,
        await proxyAssignmentsPage(
          caller,
          query.approver,
          query.done && query.assignment ? { assignment: query.assignment, done: query.done } : {},
        ),
      ),
    ),
    proxyAssignmentForm: session({ body: 'urlencoded' }, async ({ caller, body, html }) => {
      requireRole(caller, 'ADMIN');
      const values: ProxyAssignmentFormValues = { approver: '', proxy: '', from: '', to: '', reason: '' };
      try {
        const fields = fieldsOf(body);
        for (const key of Object.keys(values) as (keyof ProxyAssignmentFormValues)[])
          values[key] = fields[key] ?? '';
        // The same schema and use case as POST /api/proxy-assignments.
        const parsed = proxyAssignmentBody.safeParse(values);
        if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
        const assignment = await addProxyAssignment(deps, caller, parsed.data);
        return redirect(
          `/admin/proxy-assignments?approver=${encodeURIComponent(assignment.approver)}&done=added&assignment=${encodeURIComponent(assignment.id)}`,
        );
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode === 403) throw error;
        return html(
          error.statusCode,
          await proxyAssignmentsPage(caller, values.approver || undefined, {
            values,
            error: formErrorOf(error),
          }),
        );
      }
    }),
    /** Issue 14 §1: the assignment ends now (the same schema and use case as POST /api/proxy-assignments/:id/end). */
    endProxyAssignmentForm: session(
      { params: proxyAssignmentParams, body: 'urlencoded', pathNotFound: 'No such proxy assignment.' },
      async ({ caller, params, body, html }) => {
        requireRole(caller, 'ADMIN');
        let approver = '';
        try {
          approver = fieldsOf(body).approver ?? '';
          const parsed = endProxyAssignmentBody.safeParse({ approver });
          if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
          // A second click answers the first one's end: the same confirmation, nothing written.
          const assignment = await endProxyAssignment(deps, caller, {
            approver: parsed.data.approver,
            id: params.id,
          });
          return redirect(
            `/admin/proxy-assignments?approver=${encodeURIComponent(assignment.approver)}&done=ended&assignment=${encodeURIComponent(assignment.id)}`,
          );
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode === 403) throw error;
          return html(
            error.statusCode,
            await proxyAssignmentsPage(caller, approver || undefined, { endError: formErrorOf(error) }),
          );
        }
      },
    ),
    supplierChangesPage: session({ query: changesPageQuery }, async ({ caller, query, html }) => {
      const confirmation = await changeConfirmation(caller, query);
      return html(200, await supplierChangesPage(caller, confirmation ? { confirmation } : {}));
    }),
    requestSupplierChangeForm: session({ body: 'urlencoded' }, async ({ caller, body, html }) => {
      requireRole(caller, ...SUPPLIER_CHANGE_REQUESTER_ROLES);
      const request = (await changeScreens()).emptyRequestForm();
      try {
        const values = fieldsOf(body);
        Object.assign(request, {
          supplierId: values.supplierId ?? '',
          name: values.name ?? '',
          bankAccount: values.bankAccount ?? '',
          bankName: values.bankName ?? '',
          accountType: values.accountType ?? '',
          taxId: values.taxId ?? '',
        });
        const supplier = requestedSupplier.safeParse({ supplierId: request.supplierId });
        if (!supplier.success) throw validationErrorFrom(supplier.error, 'form');
        // The same schema and use case as POST /api/suppliers/:id/changes.
        const parsed = supplierChangeBody.safeParse({
          name: request.name,
          bankAccount: request.bankAccount,
          bankName: request.bankName,
          accountType: request.accountType,
          ...(request.taxId.trim() ? { taxId: request.taxId } : {}),
        });
        if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
        const change = await requestSupplierChange(deps, caller, supplier.data.supplierId, parsed.data);
        return doneAt('requested', change);
      } catch (error) {
        // A supplier picked that is not the entity's (404) is the form's problem, shown on it.
        if (!(error instanceof AppError) || error.statusCode === 403) throw error;
        return html(
          error.statusCode,
          await supplierChangesPage(caller, { request, error: { at: 'request', error: formErrorOf(error) } }),
        );
      }
    }),
    approveSupplierChangeForm: session(
      { ...changePageParams, body: 'urlencoded' },
      async ({ caller, params, html }) => {
        // POLICY D8: finance reviews (the use case checks it again, with who asked).
        requireRole(caller, ...SUPPLIER_CHANGE_REVIEWER_ROLES);
        try {
          const change = await reviewSupplierChange(deps, caller, {
            supplierId: params.id,
            changeId: params.changeId,
            decision: 'APPROVE',
          });
          return doneAt('approved', change);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode === 403 || error.statusCode === 404)
            throw error;
          return html(
            error.statusCode,
            await supplierChangesPage(caller, { error: { at: params.changeId, error: formErrorOf(error) } }),
          );
        }
      },
    ),
    rejectSupplierChangeForm: session(
      { ...changePageParams, body: 'urlencoded' },
      async ({ caller, params, body, html }) => {
        requireRole(caller, ...SUPPLIER_CHANGE_REVIEWER_ROLES);
        let reason = '';
        try {
          reason = fieldsOf(body).reason ?? '';
          const parsed = rejectBody.safeParse({ reason });
          if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
          const change = await reviewSupplierChange(deps, caller, {
            supplierId: params.id,
            changeId: params.changeId,
            decision: 'REJECT',
            reason: parsed.data.reason,
          });
          return doneAt('rejected', change);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode === 403 || error.statusCode === 404)
            throw error;
          return html(
            error.statusCode,
            await supplierChangesPage(caller, {
              reason,
              error: { at: params.changeId, error: formErrorOf(error) },
            }),
          );
        }
      },
    ),
    policyPage: session({ query: pageQuery }, async ({ caller, query, html }) =>
      html(
        200,
        (await screens()).PolicyPage({
          person: caller,
          view: await policyVersions(deps, caller, caller.entityId),
          today: shanghaiDate(deps.clock.now()),
          done: query.done === '1',
        }),
      ),
    ),
    policyForm: session({ body: 'urlencoded' }, async ({ caller, body, html }) => {
      requireRole(caller, 'ADMIN');
      const values = fieldsOf(body);
      try {
        const parsed = newPolicyVersionBody.safeParse(policyBodyOf(values));
        if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
        await addPolicyVersion(deps, caller, caller.entityId, parsed.data);
        return redirect('/admin/policy?done=1');
      } catch (error) {
        if (!(error instanceof AppError) || error.statusCode === 403 || error.statusCode === 404) throw error;
        return html(
          error.statusCode,
          (await screens()).PolicyPage({
            person: caller,
            view: await policyVersions(deps, caller, caller.entityId),
            today: shanghaiDate(deps.clock.now()),
            values,
            error: formErrorOf(error),
          }),
        );
      }
    }),
    calendarPage: session(
      { params: yearPageParams, query: pageQuery },
      async ({ caller, params, query, html }) =>
        html(
          200,
          (await screens()).CalendarPage({
            person: caller,
            view: await calendarYear(deps, caller, params.year),
            done: query.done === '1',
          }),
        ),
    ),
    calendarForm: session(
      { params: yearPageParams, body: 'urlencoded' },
      async ({ caller, params, body, html }) => {
        requireRole(caller, 'ADMIN');
        const values = fieldsOf(body);
        const confirmed = values.confirm === 'true';
        try {
          if (values.remove !== undefined) {
            const date = localDate.safeParse(values.remove);
            if (!date.success) throw validationErrorFrom(date.error, 'form');
            await removeCalendarOverride(deps, caller, { date: date.data, confirm: confirmed });
          } else {
            const parsed = calendarOverrideBody.safeParse({
              date: values.date,
              working: values.working === 'true',
              reason: values.reason,
              confirm: confirmed,
            });
            if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
            await setCalendarOverride(deps, caller, parsed.data);
          }
          return redirect(`/admin/calendar/${params.year}?done=1`);
        } catch (error) {
          if (!(error instanceof AppError) || error.statusCode === 403) throw error;
          return html(
            error.statusCode,
            (await screens()).CalendarPage({
              person: caller,
              view: await calendarYear(deps, caller, params.year),
              values,
              error: formErrorOf(error),
              // D16: the dates it moves are listed above the form; a tick saves it anyway.
              needsConfirm: error instanceof CalendarChangeAffectsDocumentsError,
            }),
          );
        }
      },
    ),
  });
};

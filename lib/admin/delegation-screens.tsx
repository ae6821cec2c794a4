/**
 * The administrator's delegations page (POLICY D18; issue 14 §1): a person's delegations — every one
 * ever given, as `GET /api/delegations` lists them — and the form of a new one (dated, from today, for
 * at most a year; the same use case as `POST /api/delegations`).
 */
import type { Delegation } from '../domain/approval-rules.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import { Banner, Button, Buttons, ErrorSummary, type FormError, SelectField } from '../ui/controls.tsx';
import { DELEGATION_FIELD_LABELS } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { fieldLabels, personOptions, StandInFields, StandInTable } from './stand-ins.tsx';

export interface DelegationFormValues {
  from: string;
  to: string;
  validFrom: string;
  validTo: string;
  reason: string;
}

const FIELD_LABELS = fieldLabels(DELEGATION_FIELD_LABELS);

export function DelegationsPage(props: {
  person: Person;
  people: Person[];
  today: LocalDate;
  /** The person whose delegations are listed (none chosen: no list). */
  from?: Person;
  delegations: Delegation[];
  values?: DelegationFormValues;
  error?: FormError;
  confirmation?: { to: string; outcome: 'added' | 'revoked' };
  /** A revocation refused (a delegation already over), shown above the list. */
  revokeError?: FormError;
}) {
  const { error, today } = props;
  const nameOf = (email: string) =>
    props.people.find((candidate) => candidate.email === email)?.name ?? email;
  const options = personOptions(props.people);
  const values = props.values ?? {
    from: props.from?.email ?? '',
    to: '',
    validFrom: today,
    validTo: today,
    reason: '',
  };
  return (
    <Layout title="授权 Delegations" person={props.person}>
      <h1>授权 Delegations</h1>
      {props.confirmation?.outcome === 'added' && (
        <Banner kind="success" role="status" class="confirmation">
          已授权 Delegation added：{nameOf(props.confirmation.to)}
        </Banner>
      )}
      {props.confirmation?.outcome === 'revoked' && props.from && (
        <Banner kind="success" role="status" class="confirmation">
          已撤销授权：{nameOf(props.confirmation.to)} 不能再代替 {props.from.name} 审批，待审批的事项仍由{' '}
          {props.from.name} 处理。Delegation revoked: {nameOf(props.confirmation.to)} no longer decides for{' '}
          {props.from.name}; open approvals stay with {props.from.name}.
        </Banner>
      )}
      <p>
        授权期间，被授权人可以代替授权人审批，审批记录注明代谁审批。A delegate decides the delegating person’s
        approvals between the two days (Beijing time, both included); each decision records on whose behalf.
      </p>
      <p>
        撤销后授权立即结束：被授权人手中的审批链接失效，待审批的事项由授权人本人处理。Revoking ends a
        delegation at once: the delegate’s approval links stop working and open approvals stay with the
        delegating person.
      </p>
      <form method="get" action="/admin/delegations" class="delegations-of">
        <SelectField
          name="from"
          id="list-from"
          label="查看谁的授权 Whose delegations"
          value={props.from?.email ?? ''}
          options={options}
        />
        <Buttons>
          <Button kind="secondary">查看 Show</Button>
        </Buttons>
      </form>
      {props.from && (
        <>
          <h2>
            {props.from.name} 的授权 Delegations of {props.from.name}
          </h2>
          {props.revokeError && <ErrorSummary error={props.revokeError} labels={FIELD_LABELS} />}
          {props.delegations.length === 0 ? (
            <p class="empty">还没有授权。No delegation yet.</p>
          ) : (
            <StandInTable
              rows={props.delegations.map((delegation) => ({
                ...delegation,
                standIn: delegation.to,
                from: delegation.validFrom,
                to: delegation.validTo,
                endedAt: delegation.revokedAt,
                endedBy: delegation.revokedBy,
              }))}
              today={today}
              nameOf={nameOf}
              standInLabel="被授权人 Delegate"
              rowAttribute="delegation"
              end={{
                ended: '已撤销 Revoked',
                heading: '撤销 Revoke',
                button: '立即撤销 Revoke now',
                action: (id) => `/admin/delegations/${encodeURIComponent(id)}/revoke`,
                class: 'revoke-delegation',
                hidden: { from: props.from.email },
              }}
            />
          )}
        </>
      )}
      <h2>新授权 New delegation</h2>
      {error && <ErrorSummary error={error} labels={FIELD_LABELS} />}
      <form method="post" action="/admin/delegations" class="delegation-form">
        <StandInFields
          names={{ principal: 'from', standIn: 'to', from: 'validFrom', to: 'validTo' }}
          labels={FIELD_LABELS}
          values={{ ...values }}
          options={options}
          error={error}
          hints={{ to: '最长一年 at most a year on' }}
        />
        <Buttons>
          <Button>授权 Add the delegation</Button>
        </Buttons>
      </form>
    </Layout>
  );
}

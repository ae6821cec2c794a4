/**
 * The administrator's delegations page (POLICY D18; issue 14 §1): a person's delegations — every one
 * ever given, as `GET /api/delegations` lists them — and the form of a new one (dated, from today, for
 * at most a year; the same use case as `POST /api/delegations`).
 */
import type { Delegation } from '../domain/approval-rules.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import {
  Banner,
  Button,
  Buttons,
  ErrorSummary,
  type FormError,
  issuesAt,
  SelectField,
  TextArea,
  TextField,
} from '../ui/controls.tsx';
import { shanghaiTime } from '../ui/format.ts';
import { DELEGATION_FIELD_LABELS, labelText } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';

export interface DelegationFormValues {
  from: string;
  to: string;
  validFrom: string;
  validTo: string;
  reason: string;
}

const FIELD_LABELS: Record<string, string> = Object.fromEntries(
  Object.entries(DELEGATION_FIELD_LABELS).map(([field, label]) => [field, labelText(label)]),
);

/** Where a delegation stands on the day (Asia/Shanghai days, inclusive). */
function stateOf(delegation: Delegation, today: LocalDate): string {
  if (delegation.revokedAt)
    return `已撤销 Revoked ${shanghaiTime(delegation.revokedAt)}${delegation.revokedBy ? ` · ${delegation.revokedBy}` : ''}`;
  if (delegation.validTo < today) return '已结束 Ended';
  if (delegation.validFrom > today) return '未开始 Not started';
  return '生效中 In effect';
}

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
  const options = [
    { value: '', label: '请选择 Choose a person' },
    ...props.people.map((candidate) => ({
      value: candidate.email,
      label: `${candidate.name} (${candidate.email})`,
    })),
  ];
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
            <CardTable
              rows={props.delegations}
              rowAttributes={(delegation) => ({ 'data-delegation': delegation.id })}
              columns={[
                { label: '被授权人 Delegate', cell: (delegation) => nameOf(delegation.to) },
                {
                  label: '期间 Days',
                  cell: (delegation) => `${delegation.validFrom} – ${delegation.validTo}`,
                },
                { label: '状态 State', cell: (delegation) => stateOf(delegation, today) },
                { label: '理由 Reason', cell: (delegation) => delegation.reason },
                {
                  label: '设置 Set by',
                  cell: (delegation) => `${delegation.createdBy} · ${shanghaiTime(delegation.createdAt)}`,
                },
                {
                  label: '撤销 Revoke',
                  class: 'actions',
                  // Only what can still end: not revoked, last day not past (POLICY D18).
                  cell: (delegation) =>
                    !delegation.revokedAt && delegation.validTo >= today ? (
                      <form
                        method="post"
                        action={`/admin/delegations/${encodeURIComponent(delegation.id)}/revoke`}
                        class="revoke-delegation"
                      >
                        <input type="hidden" name="from" value={delegation.from} />
                        <Buttons>
                          <Button kind="secondary">立即撤销 Revoke now</Button>
                        </Buttons>
                      </form>
                    ) : (
                      '—'
                    ),
                },
              ]}
            />
          )}
        </>
      )}
      <h2>新授权 New delegation</h2>
      {error && <ErrorSummary error={error} labels={FIELD_LABELS} />}
      <form method="post" action="/admin/delegations" class="delegation-form">
        <SelectField
          name="from"
          label={FIELD_LABELS.from ?? ''}
          value={values.from}
          options={options}
          required
          errors={issuesAt(error, 'from')}
        />
        <SelectField
          name="to"
          label={FIELD_LABELS.to ?? ''}
          value={values.to}
          options={options}
          required
          errors={issuesAt(error, 'to')}
        />
        <TextField
          type="date"
          name="validFrom"
          label={FIELD_LABELS.validFrom ?? ''}
          hint="今天或以后 today or later"
          value={values.validFrom}
          required
          errors={issuesAt(error, 'validFrom')}
        />
        <TextField
          type="date"
          name="validTo"
          label={FIELD_LABELS.validTo ?? ''}
          hint="最长一年 at most a year on"
          value={values.validTo}
          required
          errors={issuesAt(error, 'validTo')}
        />
        <TextArea
          name="reason"
          label={FIELD_LABELS.reason ?? ''}
          value={values.reason}
          errors={issuesAt(error, 'reason')}
        />
        <Buttons>
          <Button>授权 Add the delegation</Button>
        </Buttons>
      </form>
    </Layout>
  );
}

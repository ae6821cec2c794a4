/**
 * The administrator's proxy assignments page (POLICY D6, D18; issue 14 §1): a travelling approver's
 * named proxies — every one ever named, as `GET /api/proxy-assignments` lists them, with their days —,
 * the form of a new one (the same use case as `POST /api/proxy-assignments`: from today, for less than a
 * year, two people of the entity, an approver who holds a step a proxy may record) and, on each one
 * that still runs, a button that ends it now (`POST /api/proxy-assignments/:id/end`).
 */
import type { ProxyAssignment } from '../domain/approval-rules.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import { Banner, Button, Buttons, ErrorSummary, type FormError, SelectField } from '../ui/controls.tsx';
import { PROXY_ASSIGNMENT_FIELD_LABELS } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { fieldLabels, personOptions, StandInFields, StandInTable } from './stand-ins.tsx';

export interface ProxyAssignmentFormValues {
  approver: string;
  proxy: string;
  from: string;
  to: string;
  reason: string;
}

const FIELD_LABELS = fieldLabels(PROXY_ASSIGNMENT_FIELD_LABELS);

export function ProxyAssignmentsPage(props: {
  person: Person;
  people: Person[];
  today: LocalDate;
  /** The approver whose assignments are listed (none chosen: no list). */
  approver?: Person;
  assignments: ProxyAssignment[];
  values?: ProxyAssignmentFormValues;
  error?: FormError;
  confirmation?: { proxy: string; outcome: 'added' | 'ended' };
  /** Ending one refused (its days already over), shown above the list. */
  endError?: FormError;
}) {
  const { error, today } = props;
  const nameOf = (email: string) =>
    props.people.find((candidate) => candidate.email === email)?.name ?? email;
  const options = personOptions(props.people);
  const values = props.values ?? {
    approver: props.approver?.email ?? '',
    proxy: '',
    from: today,
    to: today,
    reason: '',
  };
  return (
    <Layout title="代录人 Proxies" person={props.person}>
      <h1>出差审批人的代录人 Proxies for travelling approvers</h1>
      {props.confirmation?.outcome === 'added' && (
        <Banner kind="success" role="status" class="confirmation">
          已指定代录人 Proxy named：{nameOf(props.confirmation.proxy)}
        </Banner>
      )}
      {props.confirmation?.outcome === 'ended' && props.approver && (
        <Banner kind="success" role="status" class="confirmation">
          已提前结束：{nameOf(props.confirmation.proxy)} 不能再代 {props.approver.name}{' '}
          记录审批；已记录的仍待本人补签。 Ended early: {nameOf(props.confirmation.proxy)} no longer records
          approvals for {props.approver.name}; those already recorded still await their countersign.
        </Banner>
      )}
      <p>
        审批人出差时，代录人可以凭审批人的原始同意邮件，代其记录商品部负责人或 CEO 的审批，审批人回来后补签。A
        proxy records a travelling approver’s head-of-merchandising or CEO approval from the approver’s own
        consent email, between the two days (Beijing time, both included); the approver countersigns on
        return.
      </p>
      <form method="get" action="/admin/proxy-assignments" class="proxies-of">
        <SelectField
          name="approver"
          id="list-approver"
          label="查看谁的代录人 Whose proxies"
          value={props.approver?.email ?? ''}
          options={options}
        />
        <Buttons>
          <Button kind="secondary">查看 Show</Button>
        </Buttons>
      </form>
      {props.approver && (
        <>
          <h2>
            {props.approver.name} 的代录人 Proxies of {props.approver.name}
          </h2>
          {props.endError && <ErrorSummary error={props.endError} labels={FIELD_LABELS} />}
          {props.assignments.length === 0 ? (
            <p class="empty">还没有代录人。No proxy yet.</p>
          ) : (
            <StandInTable
              rows={props.assignments.map((assignment) => ({ ...assignment, standIn: assignment.proxy }))}
              today={today}
              nameOf={nameOf}
              standInLabel="代录人 Proxy"
              rowAttribute="proxy-assignment"
              end={{
                ended: '已提前结束 Ended early',
                heading: '提前结束 End early',
                button: '立即结束 End now',
                action: (id) => `/admin/proxy-assignments/${encodeURIComponent(id)}/end`,
                class: 'end-proxy-assignment',
                hidden: { approver: props.approver.email },
              }}
            />
          )}
        </>
      )}
      <h2>新代录人 New proxy</h2>
      {error && <ErrorSummary error={error} labels={FIELD_LABELS} />}
      <form method="post" action="/admin/proxy-assignments" class="proxy-assignment-form">
        <StandInFields
          names={{ principal: 'approver', standIn: 'proxy', from: 'from', to: 'to' }}
          labels={FIELD_LABELS}
          values={{ ...values }}
          options={options}
          error={error}
          hints={{
            principal: '商品部负责人、其代理或 CEO a head of merchandising, their deputy or the CEO',
            to: '不足一年 less than a year on',
          }}
        />
        <Buttons>
          <Button>指定代录人 Name the proxy</Button>
        </Buttons>
      </form>
    </Layout>
  );
}

/**
 * The administration's pages (issue 14): the people of the administrator's entity, the company's
 * legal entities, and the audit view of one person. Changes are made through the JSON API
 * (docs/api.md "People and roles", "Legal entities"); these pages show what the directory holds.
 */
import type { LegalEntity, Person } from '../domain/model.ts';
import { isActivePerson } from '../domain/people.ts';
import type { AuditRecord } from '../platform/store.ts';
import { Button, Buttons, SelectField, TextField } from '../ui/controls.tsx';
import { shanghaiDayAndTime } from '../ui/format.ts';
import { eventLabel, labelText, ROLE_LABELS } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';

const roleWords = (person: Person) => person.roles.map((role) => labelText(ROLE_LABELS[role])).join('、');

export function PeoplePage(props: { person: Person; people: Person[] }) {
  const names = new Map(props.people.map((person) => [person.email, person.name]));
  const nameOf = (email: string | undefined) => (email ? (names.get(email) ?? email) : '—');
  return (
    <Layout title="人员与角色 People and roles" person={props.person}>
      <h1>人员与角色 People and roles</h1>
      <p>
        本单位的人员名录：角色决定谁审批、谁付款。新增或修改人员请用管理接口。 Your entity’s directory: roles
        decide who approves and who pays. Add or change people through the administration API.
      </p>
      <CardTable
        rows={props.people}
        rowAttributes={(person) => ({ 'data-person': person.email })}
        columns={[
          { label: '姓名 Name', cell: (person) => person.name },
          { label: '邮箱 Email', cell: (person) => person.email },
          { label: '角色 Roles', cell: roleWords },
          { label: '代理人 Deputy', cell: (person) => nameOf(person.deputy) },
          { label: '上级 Manager', cell: (person) => nameOf(person.manager) },
          {
            label: '状态 Status',
            cell: (person) => (isActivePerson(person) ? '在职 Active' : '已停用 Deactivated'),
          },
          {
            label: '记录 Trail',
            cell: (person) => (
              <a href={`/admin/audit?actor=${encodeURIComponent(person.email)}`}>审计 Audit</a>
            ),
          },
        ]}
      />
    </Layout>
  );
}

export function EntitiesPage(props: { person: Person; entities: LegalEntity[] }) {
  return (
    <Layout title="法人单位 Legal entities" person={props.person}>
      <h1>法人单位 Legal entities</h1>
      <p>
        公司的各法人单位：各自的银行账户、税号、开票设置和审批人。 The company’s legal entities: each has its
        own bank accounts, tax number, invoicing settings and approvers.
      </p>
      <CardTable
        rows={props.entities}
        rowAttributes={(entity) => ({ 'data-entity': entity.id })}
        columns={[
          {
            label: '名称 Name',
            cell: (entity) =>
              entity.id === props.person.entityId ? `${entity.name}（本单位 yours）` : entity.name,
          },
          { label: '统一社会信用代码 USCC', cell: (entity) => entity.taxId },
          {
            label: '付款账户 Paying account',
            cell: (entity) => {
              const primary = (entity.bankAccounts ?? []).find((account) => account.primary);
              return primary ? `${primary.bankName} ${primary.account}` : '—';
            },
          },
          {
            label: '开票 Invoicing',
            cell: (entity) =>
              entity.invoicing ? `${entity.invoicing.itemName} ${entity.invoicing.taxRatePercent}%` : '—',
          },
        ]}
      />
    </Layout>
  );
}

export function AuditPage(props: {
  person: Person;
  people: Person[];
  actor: string | undefined;
  from: string | undefined;
  to: string | undefined;
  events: AuditRecord[];
  nextPage: string | null;
}) {
  return (
    <Layout title="审计记录 Audit trail" person={props.person}>
      <h1>审计记录 Audit trail</h1>
      <form method="get" action="/admin/audit" class="card">
        <SelectField
          name="actor"
          label="人员 Person"
          value={props.actor}
          options={props.people.map((person) => ({
            value: person.email,
            label: `${person.name} ${person.email}`,
          }))}
        />
        <TextField name="from" type="date" label="从 From" value={props.from ?? ''} />
        <TextField name="to" type="date" label="到 To" value={props.to ?? ''} />
        <Buttons>
          <Button>查看 Show</Button>
        </Buttons>
      </form>
      {props.actor === undefined ? (
        <p class="card">请选择一个人。Choose a person.</p>
      ) : props.events.length === 0 ? (
        <p class="card">这段时间没有记录。Nothing in these days.</p>
      ) : (
        <CardTable
          rows={props.events}
          rowAttributes={(event) => ({ 'data-event': event.type })}
          columns={[
            {
              label: '时间 When',
              cell: (event) => {
                const { day, time } = shanghaiDayAndTime(event.at);
                return `${day} ${time}`;
              },
            },
            { label: '操作 What', cell: (event) => labelText(eventLabel(event.type)) },
            { label: '对象 About', cell: (event) => subjectLink(event) },
          ]}
        />
      )}
      {props.nextPage && <a href={props.nextPage}>更早的记录 Earlier</a>}
    </Layout>
  );
}

const SUBJECT_WORDS: Record<AuditRecord['subject']['kind'], string> = {
  voucher: '付款凭单 Voucher',
  supplier: '供应商 Supplier',
  person: '人员 Person',
  entity: '法人单位 Legal entity',
  order: '订单 Order',
  invoiceRequest: '开票申请 Invoice request',
  invoiceBatch: '开票批次 Invoice batch',
  other: '其他 Other',
};

function subjectLink(event: AuditRecord) {
  const words = `${SUBJECT_WORDS[event.subject.kind]} ${event.subject.id}`;
  if (event.subject.kind === 'voucher') return <a href={`/vouchers/${event.subject.id}`}>{words}</a>;
  if (event.subject.kind === 'invoiceRequest')
    return <a href={`/invoice-requests/${event.subject.id}`}>{words}</a>;
  return words;
}

/**
 * The administration's pages (issue 14): the people of the administrator's entity, the company's
 * legal entities, and the audit view of one person — and the forms that change them, which call the
 * same use cases as the JSON API (docs/api.md "People and roles", "Legal entities").
 */
import { type LegalEntity, type Person, ROLES } from '../domain/model.ts';
import { isActivePerson } from '../domain/people.ts';
import { TAX_RATES_PERCENT } from '../invoicing/schemas.ts';
import type { AuditRecord } from '../platform/store.ts';
import {
  Banner,
  Button,
  Buttons,
  Checkbox,
  ErrorSummary,
  type FormError,
  issuesAt,
  SelectField,
  TextField,
} from '../ui/controls.tsx';
import { shanghaiDayAndTime } from '../ui/format.ts';
import {
  ADMIN_FIELD_LABELS,
  ADMIN_OUTCOME_LABELS,
  eventLabel,
  labelText,
  ROLE_LABELS,
} from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';

const roleWords = (person: Person) => person.roles.map((role) => labelText(ROLE_LABELS[role])).join('、');

/** A confirmation banner: its words from the label table and the record read again, never the URL. */
export interface Confirmation {
  outcome: keyof typeof ADMIN_OUTCOME_LABELS;
  /** The person's or entity's name as stored. */
  name: string;
}

function Confirmed(props: { confirmation: Confirmation | undefined }) {
  if (!props.confirmation) return null;
  return (
    <Banner kind="success" role="status" class="confirmation">
      <p>
        {ADMIN_OUTCOME_LABELS[props.confirmation.outcome].zh}：{props.confirmation.name}。
        {ADMIN_OUTCOME_LABELS[props.confirmation.outcome].en}: {props.confirmation.name}.
      </p>
    </Banner>
  );
}

const FIELD_WORDS = Object.fromEntries(
  Object.entries(ADMIN_FIELD_LABELS).map(([path, label]) => [path, labelText(label)]),
);

export function PeoplePage(props: { person: Person; people: Person[]; confirmation?: Confirmation }) {
  const names = new Map(props.people.map((person) => [person.email, person.name]));
  const nameOf = (email: string | undefined) => (email ? (names.get(email) ?? email) : '—');
  return (
    <Layout title="人员与角色 People and roles" person={props.person}>
      <h1>人员与角色 People and roles</h1>
      <Confirmed confirmation={props.confirmation} />
      <p>
        本单位的人员名录：角色决定谁审批、谁付款。 Your entity’s directory: roles decide who approves and who
        pays.
      </p>
      <p>
        <a class="btn btn-primary" href="/admin/people/new">
          新增人员 Add a person
        </a>
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
          {
            label: '修改 Change',
            cell: (person) => (
              <a href={`/admin/people/${encodeURIComponent(person.email)}/edit`}>修改 Edit</a>
            ),
          },
        ]}
      />
    </Layout>
  );
}

export function EntitiesPage(props: {
  person: Person;
  entities: LegalEntity[];
  confirmation?: Confirmation;
}) {
  return (
    <Layout title="法人单位 Legal entities" person={props.person}>
      <h1>法人单位 Legal entities</h1>
      <Confirmed confirmation={props.confirmation} />
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
          {
            label: '修改 Change',
            // D17: an administrator changes only their own entity.
            cell: (entity) =>
              entity.id === props.person.entityId ? (
                <a href={`/admin/entities/${encodeURIComponent(entity.id)}/edit`}>修改 Edit</a>
              ) : (
                '—'
              ),
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

/** The person form as typed (a refused form shows it again). */
export interface PersonFormValues {
  email: string;
  name: string;
  roles: string[];
  managerEmail: string;
  deputyEmail: string;
  active: boolean;
}

export const emptyPersonForm = (): PersonFormValues => ({
  email: '',
  name: '',
  roles: [],
  managerEmail: '',
  deputyEmail: '',
  active: true,
});

export function personFormOf(person: Person): PersonFormValues {
  return {
    email: person.email,
    name: person.name,
    roles: [...person.roles],
    managerEmail: person.manager ?? '',
    deputyEmail: person.deputy ?? '',
    active: isActivePerson(person),
  };
}

/** The new-person form (`editing` absent) or the edit of one person (their email fixed). */
export function PersonFormPage(props: {
  person: Person;
  colleagues: Person[];
  values: PersonFormValues;
  editing?: Person;
  error?: FormError;
}) {
  const { values, error, editing } = props;
  const at = (...paths: string[]) => issuesAt(error, ...paths);
  const title = editing ? `修改人员 Edit a person: ${editing.name}` : '新增人员 Add a person';
  const others = props.colleagues.filter((colleague) => colleague.email !== editing?.email);
  const choices = [
    { value: '', label: '— 无 None' },
    ...others.map((colleague) => ({
      value: colleague.email,
      label: `${colleague.name} ${colleague.email}${isActivePerson(colleague) ? '' : '（已停用 deactivated）'}`,
    })),
  ];
  const activeErrors = [
    ...at('active'),
    ...(error?.code === 'PERSON_HOLDS_OPEN_STEPS'
      ? ['请先把其待审批的凭单授权给他人 Delegate their open approvals first']
      : []),
    ...(error?.code === 'PERSON_IS_DEPUTY'
      ? ['请先为其代理的负责人指定新代理人 Give the heads they stand in for another deputy first']
      : []),
  ];
  const action = editing ? `/admin/people/${encodeURIComponent(editing.email)}/edit` : '/admin/people/new';
  return (
    <Layout title={title} person={props.person}>
      <h1>{title}</h1>
      {error && <ErrorSummary error={error} labels={FIELD_WORDS} title="未保存 Not saved" />}
      <form method="post" action={action} class="card">
        {editing ? (
          <>
            <input type="hidden" name="email" value={editing.email} />
            <p>
              邮箱 Email: <strong>{editing.email}</strong>
            </p>
          </>
        ) : (
          <TextField
            name="email"
            type="email"
            label="邮箱 Email"
            hint="登录用的邮箱，保存后不能修改 The email they sign in with; it cannot change later"
            value={values.email}
            required
            errors={at('email')}
          />
        )}
        <TextField name="name" label="姓名 Name" value={values.name} required errors={at('name')} />
        <fieldset aria-describedby={at('roles').length > 0 ? 'roles-error' : undefined}>
          <legend>角色 Roles</legend>
          {ROLES.map((role) => (
            <Checkbox
              name="roles"
              value={role}
              id={`role-${role}`}
              label={labelText(ROLE_LABELS[role])}
              checked={values.roles.includes(role)}
            />
          ))}
          {at('roles').length > 0 && (
            <span class="field-error" id="roles-error">
              {at('roles').join(' ')}
            </span>
          )}
        </fieldset>
        <SelectField
          name="managerEmail"
          label="上级 Manager"
          value={values.managerEmail}
          options={choices}
          errors={at('managerEmail')}
        />
        <SelectField
          name="deputyEmail"
          label="代理人 Deputy"
          hint="商品部负责人必须有代理人，且不能是本人 A head of merchandising needs a deputy other than themselves"
          value={values.deputyEmail}
          options={choices}
          errors={at('deputyEmail')}
        />
        <fieldset aria-describedby={activeErrors.length > 0 ? 'active-error' : undefined}>
          <legend>状态 Status</legend>
          <Checkbox
            name="active"
            value="yes"
            id="active"
            label="在职（去掉勾选即停用，停用后不能登录） Active (untick to deactivate: they can no longer sign in)"
            checked={values.active}
          />
          {activeErrors.length > 0 && (
            <span class="field-error" id="active-error">
              {activeErrors.join(' ')}
            </span>
          )}
        </fieldset>
        <Buttons>
          <Button>保存 Save</Button>
        </Buttons>
      </form>
      <p>
        <a href="/admin/people">返回人员名录 Back to the people</a>
      </p>
    </Layout>
  );
}

/** The entity form as typed: its bank accounts as rows (an empty row is dropped), the primary by row. */
export interface EntityFormValues {
  name: string;
  taxId: string;
  accounts: { bankName: string; account: string }[];
  /** The row (from 0) of the primary account, as typed. */
  primaryAccount: string;
  itemName: string;
  taxCode: string;
  taxRatePercent: string;
}

/** Room for one more account than the entity has. */
export function entityFormOf(entity: LegalEntity): EntityFormValues {
  const accounts = entity.bankAccounts ?? [];
  const primary = accounts.findIndex((account) => account.primary);
  return {
    name: entity.name,
    taxId: entity.taxId,
    accounts: [
      ...accounts.map((account) => ({ bankName: account.bankName, account: account.account })),
      { bankName: '', account: '' },
    ],
    primaryAccount: String(Math.max(primary, 0)),
    itemName: entity.invoicing?.itemName ?? '',
    taxCode: entity.invoicing?.taxCode ?? '',
    taxRatePercent: String(entity.invoicing?.taxRatePercent ?? ''),
  };
}

export function EntityFormPage(props: {
  person: Person;
  entity: LegalEntity;
  values: EntityFormValues;
  error?: FormError;
}) {
  const { values, error, entity } = props;
  const at = (...paths: string[]) => issuesAt(error, ...paths);
  const title = `修改单位 Edit the entity: ${entity.name}`;
  return (
    <Layout title={title} person={props.person}>
      <h1>{title}</h1>
      {error && <ErrorSummary error={error} labels={FIELD_WORDS} title="未保存 Not saved" />}
      <form method="post" action={`/admin/entities/${encodeURIComponent(entity.id)}/edit`} class="card">
        <TextField
          name="name"
          label="全称 Full legal name"
          value={values.name}
          required
          errors={at('name')}
        />
        <TextField
          name="taxId"
          label="统一社会信用代码 Unified social credit code"
          hint="营业执照上的 18 位代码 The 18 characters on the business licence"
          value={values.taxId}
          required
          maxLength={18}
          errors={at('taxId')}
        />
        <fieldset>
          <legend>银行账户 Bank accounts</legend>
          <small class="hint">留空的一行不保存 A row left empty is not saved</small>
          {values.accounts.map((account, row) => (
            <>
              <TextField
                name={`bankName.${row}`}
                label={`开户银行 ${row + 1} Bank ${row + 1}`}
                value={account.bankName}
                errors={at(`bankAccounts.${row}.bankName`)}
              />
              <TextField
                name={`account.${row}`}
                label={`账号 ${row + 1} Account number ${row + 1}`}
                inputMode="numeric"
                value={account.account}
                errors={at(`bankAccounts.${row}.account`)}
              />
            </>
          ))}
          <SelectField
            name="primaryAccount"
            label="付款主账户 The account that pays suppliers"
            value={values.primaryAccount}
            options={values.accounts.map((_, row) => ({
              value: String(row),
              label: `第 ${row + 1} 个账户 Account ${row + 1}`,
            }))}
            errors={issuesAt(error, 'bankAccounts').filter(
              (message) => !values.accounts.some((_, row) => at(`bankAccounts.${row}`).includes(message)),
            )}
          />
        </fieldset>
        <fieldset>
          <legend>开票设置 Invoicing settings</legend>
          <TextField
            name="itemName"
            label="开票项目名称 Item name on invoices"
            value={values.itemName}
            required
            errors={at('invoicing.itemName')}
          />
          <TextField
            name="taxCode"
            label="税收分类编码 Tax classification code"
            hint="19 位数字 19 digits"
            inputMode="numeric"
            value={values.taxCode}
            required
            errors={at('invoicing.taxCode')}
          />
          <SelectField
            name="taxRatePercent"
            label="税率 VAT rate"
            value={values.taxRatePercent}
            options={TAX_RATES_PERCENT.map((rate) => ({ value: String(rate), label: `${rate}%` }))}
            errors={at('invoicing.taxRatePercent')}
          />
        </fieldset>
        <Buttons>
          <Button>保存 Save</Button>
        </Buttons>
      </form>
      <p>
        <a href="/admin/entities">返回单位列表 Back to the entities</a>
      </p>
    </Layout>
  );
}

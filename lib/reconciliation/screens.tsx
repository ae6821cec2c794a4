/**
 * The weekly reconciliation's pages (POLICY 3.2, D11): the entity's recent weeks, and one week — its
 * files and the forms that register them, the run, the differences with finance's resolve form, the
 * sign-off and reopening. Each form is shown only to the roles that may send it.
 */
import { hasRole, RECONCILIATION_ROLES, RECONCILIATION_SIGN_OFF_ROLES } from '../domain/access.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import { addDays } from '../domain/time.ts';
import type { Reconciliation, ReconciliationInputKind, StoredDifference } from '../platform/store.ts';
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
import { shanghaiTime, yuan } from '../ui/format.ts';
import {
  DIFFERENCE_STATUS_LABELS,
  labelText,
  RECONCILIATION_CATEGORY_LABELS,
  RECONCILIATION_INPUT_KIND_LABELS,
  RECONCILIATION_OUTCOME_LABELS,
  RECONCILIATION_STATUS_LABELS,
} from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';
import { uploadRolesOf } from '../uploads/create-upload.ts';
import { INPUT_KINDS, PURPOSE_OF } from './weeks.ts';

const KIND_LABELS: Record<string, string> = Object.fromEntries(
  Object.entries(RECONCILIATION_INPUT_KIND_LABELS).map(([kind, label]) => [kind, labelText(label)]),
);

/** Which of the page's forms a refusal belongs to, with what was typed (a file input never refills). */
export interface ReconciliationFormError {
  form: 'input' | 'run' | 'resolve' | 'signOff' | 'reopen';
  /** The difference whose resolve form was refused. */
  differenceId?: string | undefined;
  values?: Record<string, string> | undefined;
  error: FormError;
}

/** What a form just did, as read again from the record (never from the URL). */
export interface ReconciliationConfirmation {
  outcome: keyof typeof RECONCILIATION_OUTCOME_LABELS;
  lines: string[];
}

/** A file input's id in its kind's form (the page has one form per kind). */
const fileId = (kind: string) => `file-${kind.toLowerCase().replaceAll('_', '-')}`;

const FIELD_LABELS: Record<string, string> = {
  kind: '类别 Kind',
  file: '文件 File',
  resolution: '处理方式 Resolution',
  note: '说明 Note',
  reason: '原因 Reason',
  form: '表单 Form',
  ...Object.fromEntries(
    ['SALES_SUMMARY', 'MASTER_DATA', 'ALIPAY_STATEMENT'].map((kind) => [fileId(kind), '文件 File']),
  ),
};

/** The kinds this person may register: merchandising its sheets, finance the statements. */
const kindsFor = (person: Person) =>
  INPUT_KINDS.filter((kind) => {
    const roles = uploadRolesOf(PURPOSE_OF[kind]);
    return roles === undefined || hasRole(person, ...roles);
  });

function Refusal(props: {
  refusal: ReconciliationFormError | undefined;
  form: ReconciliationFormError['form'];
  differenceId?: string;
}) {
  const { refusal } = props;
  if (!refusal || refusal.form !== props.form) return null;
  if (props.differenceId !== undefined && refusal.differenceId !== props.differenceId) return null;
  return <ErrorSummary error={refusal.error} labels={FIELD_LABELS} />;
}

const errorsAt = (
  refusal: ReconciliationFormError | undefined,
  form: ReconciliationFormError['form'],
  path: string,
  differenceId?: string,
) =>
  refusal && refusal.form === form && (differenceId === undefined || refusal.differenceId === differenceId)
    ? issuesAt(refusal.error, path)
    : [];

const valueAt = (
  refusal: ReconciliationFormError | undefined,
  form: ReconciliationFormError['form'],
  name: string,
  differenceId?: string,
) =>
  refusal && refusal.form === form && (differenceId === undefined || refusal.differenceId === differenceId)
    ? refusal.values?.[name]
    : undefined;

const sideText = (side: StoredDifference['sides'][number] | undefined) => {
  if (!side || side.value === null) return '—';
  const value = typeof side.value === 'number' ? yuan(side.value) : side.value;
  return side.at ? `${value}（${side.at.file} 第 ${side.at.line} 行 line ${side.at.line}）` : value;
};

const weekHref = (week: string) => `/reconciliations/${week}`;

/** The confirmation after a form, in words from the record. */
function Confirmation({ confirmation }: { confirmation: ReconciliationConfirmation | undefined }) {
  if (!confirmation) return null;
  return (
    <Banner
      kind="success"
      role="status"
      class="confirmation"
      title={labelText(RECONCILIATION_OUTCOME_LABELS[confirmation.outcome])}
    >
      {confirmation.lines.map((line) => (
        <p>{line}</p>
      ))}
    </Banner>
  );
}

/**
 * The week page's upload forms, one per kind the person may upload: each posts its file straight to
 * the bucket (S3 POST; `fields` are the signed policy's hidden inputs), which sends the browser back
 * to the page that registers it (pages.ts `reconciliationInputUploaded`).
 */
export type UploadForms = { kind: ReconciliationInputKind; url: string; fields: Record<string, string> }[];

/** Register a file: one form per kind, the file sent to the bucket, never through the app. */
function UploadForm(props: {
  week: Reconciliation;
  form: UploadForms[number];
  refusal: ReconciliationFormError | undefined;
}) {
  const { form, week } = props;
  const id = fileId(form.kind);
  // The refusal of this kind's registration, its file issues under this form's file input.
  const refusal =
    props.refusal?.form === 'input' && props.refusal.values?.kind === form.kind
      ? {
          ...props.refusal,
          error: {
            ...props.refusal.error,
            issues: props.refusal.error.issues.map((issue) =>
              issue.path === 'file' ? { ...issue, path: id } : issue,
            ),
          },
        }
      : undefined;
  const label = KIND_LABELS[form.kind] ?? form.kind;
  return (
    <form
      method="post"
      enctype="multipart/form-data"
      action={form.url}
      class="card"
      aria-label={`上传并登记 Upload and register: ${label}`}
      data-form="input"
      data-kind={form.kind}
      data-week={week.week}
    >
      <h3>{`登记文件 Register a file：${label}`}</h3>
      <Refusal refusal={refusal} form="input" />
      {Object.entries(form.fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      {/* The file goes after the policy's fields: S3 reads no field that follows it. */}
      <TextField
        name="file"
        id={id}
        type="file"
        label={FIELD_LABELS.file}
        accept={
          form.kind === 'ALIPAY_STATEMENT'
            ? '.csv,.zip,text/csv,application/zip'
            : '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        }
        hint={
          form.kind === 'ALIPAY_STATEMENT'
            ? 'CSV 或 .csv.zip，最大 1 GB；文件直接上传到存储，不经过本站。CSV or .csv.zip, up to 1 GB; the file goes straight to storage, not through this site.'
            : 'CSV 或 XLSX，最大 1 GB；文件直接上传到存储，不经过本站。CSV or XLSX, up to 1 GB; the file goes straight to storage, not through this site.'
        }
        errors={errorsAt(refusal, 'input', id)}
        required
      />
      <Buttons>
        <Button>上传并登记 Upload and register</Button>
      </Buttons>
    </form>
  );
}

/**
 * Run the week once its files are in (finance or merchandising). A READY week's results stand until
 * a file changes (registering one makes it wait for a run again), so it offers no run.
 */
function RunForm(props: {
  person: Person;
  week: Reconciliation;
  refusal: ReconciliationFormError | undefined;
}) {
  const { week } = props;
  if (!hasRole(props.person, ...RECONCILIATION_ROLES)) return null;
  if (week.inputs.length === 0 || week.status !== 'AWAITING_INPUTS') return null;
  return (
    <form
      method="post"
      enctype="multipart/form-data"
      action={`${weekHref(week.week)}/run`}
      class="card"
      aria-label="开始对账 Run"
      data-form="run"
    >
      <Refusal refusal={props.refusal} form="run" />
      <Buttons>
        <Button>开始对账 Run the reconciliation</Button>
      </Buttons>
    </form>
  );
}

/** Finance resolves one open difference: explained or corrected, with a note. */
function ResolveForm(props: {
  week: Reconciliation;
  difference: StoredDifference;
  refusal: ReconciliationFormError | undefined;
}) {
  const { difference, refusal } = props;
  const id = difference.id;
  return (
    <details class="more" open={refusal?.form === 'resolve' && refusal.differenceId === id}>
      <summary>处理 Resolve</summary>
      <form
        method="post"
        enctype="multipart/form-data"
        action={`${weekHref(props.week.week)}/differences/${encodeURIComponent(id)}`}
        aria-label={`处理差异 Resolve ${difference.orderId ?? difference.supplierId ?? ''}`}
        data-form="resolve"
      >
        <Refusal refusal={refusal} form="resolve" differenceId={id} />
        <SelectField
          name="resolution"
          id={`resolution-${id}`}
          label={FIELD_LABELS.resolution}
          options={[
            { value: 'EXPLAINED', label: labelText(DIFFERENCE_STATUS_LABELS.EXPLAINED) },
            { value: 'CORRECTED', label: labelText(DIFFERENCE_STATUS_LABELS.CORRECTED) },
          ]}
          value={valueAt(refusal, 'resolve', 'resolution', id)}
          errors={errorsAt(refusal, 'resolve', 'resolution', id)}
          required
        />
        <TextArea
          name="note"
          id={`note-${id}`}
          label={FIELD_LABELS.note}
          value={valueAt(refusal, 'resolve', 'note', id) ?? ''}
          errors={errorsAt(refusal, 'resolve', 'note', id)}
          maxLength={2000}
          required
        />
        <Buttons>
          <Button>保存 Save</Button>
        </Buttons>
      </form>
    </details>
  );
}

/** Finance signs the week off (refused while a difference is open) or reopens a signed-off week. */
function SignOffForms(props: {
  person: Person;
  week: Reconciliation;
  refusal: ReconciliationFormError | undefined;
}) {
  const { week, refusal } = props;
  if (!hasRole(props.person, ...RECONCILIATION_SIGN_OFF_ROLES)) return null;
  if (week.status === 'READY') {
    return (
      <form
        method="post"
        enctype="multipart/form-data"
        action={`${weekHref(week.week)}/sign-off`}
        class="card"
        aria-label="签核 Sign off"
        data-form="sign-off"
      >
        <Refusal refusal={refusal} form="signOff" />
        <p>
          {week.open > 0
            ? `还有 ${week.open} 条差异未处理。${week.open} difference(s) still open.`
            : '所有差异都已处理。Every difference is resolved.'}
        </p>
        <Buttons>
          <Button>签核这一周 Sign the week off</Button>
        </Buttons>
      </form>
    );
  }
  if (week.status !== 'SIGNED_OFF') return null;
  return (
    <form
      method="post"
      enctype="multipart/form-data"
      action={`${weekHref(week.week)}/reopen`}
      class="card"
      aria-label="重新打开 Reopen"
      data-form="reopen"
    >
      <Refusal refusal={refusal} form="reopen" />
      <TextArea
        name="reason"
        label={FIELD_LABELS.reason}
        value={valueAt(refusal, 'reopen', 'reason') ?? ''}
        errors={errorsAt(refusal, 'reopen', 'reason')}
        maxLength={2000}
        required
      />
      <Buttons>
        <Button kind="secondary">重新打开这一周 Reopen the week</Button>
      </Buttons>
    </form>
  );
}

export function ReconciliationPage(props: {
  person: Person;
  week: Reconciliation;
  differences: StoredDifference[];
  category: string | undefined;
  nextCursor: string | null;
  confirmation?: ReconciliationConfirmation | undefined;
  refusal?: ReconciliationFormError | undefined;
  /** The upload forms (none while the week runs). */
  uploads?: UploadForms;
}) {
  const { week, refusal } = props;
  const title = `周对账 Weekly reconciliation ${week.week}`;
  const categories = Object.entries(week.counts).filter(([, count]) => count > 0);
  const resolves = hasRole(props.person, ...RECONCILIATION_SIGN_OFF_ROLES) && week.status === 'READY';
  return (
    <Layout title={title} person={props.person}>
      <p class="no-print">
        <a href="/reconciliations">← 所有对账周 All weeks</a>
      </p>
      <h1>{title}</h1>
      <Confirmation confirmation={props.confirmation} />
      <p>
        {`${shanghaiTime(week.periodStart)} – ${shanghaiTime(week.periodEnd)}`}；截止 {week.dueOn} due.{' '}
        <strong data-status={week.status.toLowerCase()}>
          {labelText(RECONCILIATION_STATUS_LABELS[week.status])}
        </strong>
      </p>
      {week.signedOff && (
        <p class="card">
          {`已由 ${week.signedOff.by} 于 ${shanghaiTime(week.signedOff.at)} 签核。Signed off by ${week.signedOff.by} at ${shanghaiTime(week.signedOff.at)}.`}
        </p>
      )}
      <h2>文件 Files</h2>
      {week.inputs.length === 0 ? (
        <p class="card">还没有登记文件。No file registered yet.</p>
      ) : (
        <CardTable
          rows={week.inputs}
          rowAttributes={(input) => ({ 'data-input': input.kind })}
          columns={[
            { label: '类别 Kind', cell: (input) => KIND_LABELS[input.kind] ?? input.kind },
            { label: '文件 File', cell: (input) => input.fileName },
            { label: '版本 Version', class: 'amount', cell: (input) => String(input.version) },
            {
              label: '登记 Registered',
              cell: (input) => `${input.registeredBy} ${shanghaiTime(input.registeredAt)}`,
            },
          ]}
        />
      )}
      {kindsFor(props.person).includes('SALES_SUMMARY') && (
        <p class="no-print">
          {'预填的销售情况汇总表 The pre-filled sales summary: '}
          <a href={`${weekHref(week.week)}/sales-summary-template?format=xlsx`} data-template="xlsx">
            Excel
          </a>
          {' · '}
          <a href={`${weekHref(week.week)}/sales-summary-template?format=csv`} data-template="csv">
            CSV
          </a>
        </p>
      )}
      {(props.uploads ?? []).map((form) => (
        <UploadForm week={week} form={form} refusal={refusal} />
      ))}
      <RunForm person={props.person} week={week} refusal={refusal} />
      {(week.status === 'READY' || week.status === 'SIGNED_OFF') && (
        <p>
          <a href={`/reconciliations/${week.week}/report`} data-report="xlsx">
            下载对账报告（Excel） Download the report (Excel)
          </a>
        </p>
      )}
      <h2>差异 Differences</h2>
      {categories.length > 0 && (
        <nav aria-label="差异类别 Categories" class="no-print">
          <a href={`/reconciliations/${week.week}`}>全部 All</a>
          {categories.map(([category, count]) => (
            <>
              {' · '}
              <a href={`/reconciliations/${week.week}?category=${category}`} data-category={category}>
                {`${labelText(RECONCILIATION_CATEGORY_LABELS[category] ?? { zh: '其他', en: 'Other' })} (${count})`}
              </a>
            </>
          ))}
        </nav>
      )}
      {props.differences.length === 0 ? (
        <p class="card">没有差异。No differences.</p>
      ) : (
        <CardTable
          rows={props.differences}
          rowAttributes={(d) => ({ 'data-difference': d.orderId ?? d.supplierId ?? '' })}
          columns={[
            {
              label: '类别 Category',
              cell: (d) =>
                labelText(RECONCILIATION_CATEGORY_LABELS[d.category] ?? { zh: '其他', en: 'Other' }),
            },
            { label: '订单/供应商 Order / supplier', cell: (d) => d.orderId ?? d.supplierId ?? '—' },
            { label: '一方 One side', cell: (d) => sideText(d.sides[0]) },
            { label: '另一方 Other side', cell: (d) => sideText(d.sides[1]) },
            { label: '说明 Note', cell: (d) => d.note },
            {
              label: '状态 Status',
              cell: (d) => (
                <>
                  {`${labelText(DIFFERENCE_STATUS_LABELS[d.status])}${d.resolution ? `：${d.resolution.note}` : ''}`}
                  {resolves && d.status === 'OPEN' && (
                    <ResolveForm week={week} difference={d} refusal={refusal} />
                  )}
                </>
              ),
            },
          ]}
        />
      )}
      {props.nextCursor && (
        <p>
          <a
            href={`/reconciliations/${week.week}?${new URLSearchParams({ ...(props.category ? { category: props.category } : {}), cursor: props.nextCursor }).toString()}`}
          >
            更多 More
          </a>
        </p>
      )}
      <SignOffForms person={props.person} week={week} refusal={refusal} />
    </Layout>
  );
}

/** The entity's recent weeks, newest first: each with its state and due day, a link to its page. */
export function ReconciliationWeeksPage(props: {
  person: Person;
  weeks: Reconciliation[];
  current: LocalDate;
  previous: LocalDate;
  error?: FormError | undefined;
  date?: string | undefined;
}) {
  const title = '周对账 Weekly reconciliations';
  return (
    <Layout title={title} person={props.person}>
      <h1>{title}</h1>
      <p class="no-print">
        <a href={weekHref(props.previous)} data-week-link="previous">
          {`上周（今天要交） Last week (${props.previous})`}
        </a>
        {' · '}
        <a href={weekHref(props.current)} data-week-link="current">
          {`本周 This week (${props.current})`}
        </a>
      </p>
      <form
        method="get"
        action="/reconciliations"
        class="card inline no-print"
        aria-label="打开某一周 Open a week"
      >
        {props.error && <ErrorSummary error={props.error} labels={{ date: '日期 Day' }} />}
        <TextField
          name="date"
          type="date"
          label="这一周中的任意一天 Any day of the week"
          value={props.date}
          errors={props.error ? issuesAt(props.error, 'date') : []}
          required
        />
        <Buttons>
          <Button kind="secondary">打开 Open</Button>
        </Buttons>
      </form>
      <CardTable
        rows={props.weeks}
        rowAttributes={(week) => ({ 'data-week': week.week })}
        columns={[
          {
            label: '对账周 Week',
            cell: (week) => <a href={weekHref(week.week)}>{`${week.week} – ${addDays(week.week, 6)}`}</a>,
          },
          { label: '截止 Due', cell: (week) => week.dueOn },
          { label: '状态 Status', cell: (week) => labelText(RECONCILIATION_STATUS_LABELS[week.status]) },
          { label: '待处理差异 Open differences', class: 'amount', cell: (week) => String(week.open) },
          { label: '文件 Files', class: 'amount', cell: (week) => String(week.inputs.length) },
        ]}
      />
    </Layout>
  );
}

/**
 * The supplier-change review page (POLICY D8, second sentence; issue 14 §5): the entity's pending
 * changes as cards — what changes from → to, who asked, when, where it came from — with Approve and
 * Reject forms for a finance person other than the one who asked, and the form to ask for a change.
 * Accounts are shown as the API shows them to the viewer (masked where D8 masks them).
 */
import { hasRole } from '../domain/access.ts';
import type { Person, Supplier } from '../domain/model.ts';
import {
  SUPPLIER_CHANGE_REQUESTER_ROLES,
  SUPPLIER_CHANGE_REVIEWER_ROLES,
  type SupplierChange,
  type SupplierChangeField,
} from '../domain/supplier-change.ts';
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
import {
  ACCOUNT_TYPE_LABELS,
  labelText,
  SUPPLIER_CHANGE_FIELD_LABELS,
  SUPPLIER_CHANGE_OUTCOME_LABELS,
} from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';

export type SupplierChangeOutcome = keyof typeof SUPPLIER_CHANGE_OUTCOME_LABELS;

export interface SupplierChangeRequestValues {
  supplierId: string;
  name: string;
  bankAccount: string;
  bankName: string;
  accountType: string;
  taxId: string;
}

export const emptyRequestForm = (): SupplierChangeRequestValues => ({
  supplierId: '',
  name: '',
  bankAccount: '',
  bankName: '',
  accountType: 'CORPORATE',
  taxId: '',
});

const FIELD_LABELS: Record<string, string> = Object.fromEntries(
  Object.entries(SUPPLIER_CHANGE_FIELD_LABELS).map(([field, label]) => [field, labelText(label)]),
);

/** A detail as a person reads it: an account type in words, nothing as a dash. */
function detailText(field: SupplierChangeField, value: string | undefined): string {
  if (!value) return '—';
  if (field === 'accountType') {
    const label = ACCOUNT_TYPE_LABELS[value as keyof typeof ACCOUNT_TYPE_LABELS];
    return label ? labelText(label) : value;
  }
  return value;
}

function sourceText(change: SupplierChange): string {
  return change.source.kind === 'RECONCILIATION'
    ? `周对账 ${change.source.week} 的供应商主数据表（${change.source.file} 第 ${change.source.line} 行）The master-data sheet of reconciliation week ${change.source.week} (${change.source.file}, line ${change.source.line})`
    : '人工提出 Asked for by a person';
}

export function SupplierChangesPage(props: {
  person: Person;
  changes: SupplierChange[];
  suppliers: Supplier[];
  request?: SupplierChangeRequestValues;
  /** A refused form: the request form's (`request`) or one change's review (its id). */
  error?: { at: string; error: FormError };
  /** The reason typed into a refused rejection, shown again. */
  reason?: string;
  confirmation?: { outcome: SupplierChangeOutcome; supplier: string };
}) {
  const { person, error } = props;
  const reviewer = hasRole(person, ...SUPPLIER_CHANGE_REVIEWER_ROLES);
  const requester = hasRole(person, ...SUPPLIER_CHANGE_REQUESTER_ROLES);
  const nameOf = (supplierId: string) =>
    props.suppliers.find((supplier) => supplier.id === supplierId)?.name ?? supplierId;
  const request = props.request ?? emptyRequestForm();
  const requestError = error?.at === 'request' ? error.error : undefined;
  return (
    <Layout title="供应商资料变更 Supplier changes" person={person}>
      <h1>供应商资料变更 Supplier changes</h1>
      {props.confirmation && (
        <Banner kind="success" role="status" class="confirmation">
          {labelText(SUPPLIER_CHANGE_OUTCOME_LABELS[props.confirmation.outcome])}：
          {props.confirmation.supplier}
        </Banner>
      )}
      <p>
        供应商的银行信息等主数据变更须由提出人以外的财务人员审核，批准后才生效。A change of a supplier’s
        master data (its bank details among them) takes effect only once a finance person other than the one
        who asked for it approves it.
      </p>
      <h2>待审核 Waiting for review</h2>
      {props.changes.length === 0 ? (
        <p class="empty">没有待审核的变更。No change is waiting for review.</p>
      ) : (
        <CardTable
          rows={props.changes}
          rowAttributes={(change) => ({ 'data-change': change.id, 'data-supplier': change.supplierId })}
          columns={[
            {
              label: '供应商 Supplier',
              cell: (change) => `${nameOf(change.supplierId)} (${change.supplierId})`,
            },
            {
              label: '变更 What changes',
              cell: (change) => (
                <ul class="changes">
                  {change.fields.map((field) => (
                    <li data-field={field}>
                      {FIELD_LABELS[field]}：{detailText(field, change.current[field])} →{' '}
                      <strong>{detailText(field, change.proposed[field])}</strong>
                    </li>
                  ))}
                </ul>
              ),
            },
            { label: '提出人 Asked by', cell: (change) => change.openedBy },
            { label: '提出时间 When', cell: (change) => shanghaiTime(change.openedAt) },
            { label: '来源 Why', cell: sourceText },
            {
              label: '审核 Review',
              cell: (change) => (
                <ReviewForms
                  change={change}
                  viewer={person}
                  reviewer={reviewer}
                  {...(error?.at === change.id ? { error: error.error } : {})}
                  {...(error?.at === change.id && props.reason !== undefined ? { reason: props.reason } : {})}
                />
              ),
            },
          ]}
        />
      )}
      {requester && (
        <>
          <h2>提出变更 Ask for a change</h2>
          <p>
            填写供应商的全部新资料（不是只填改动的部分）。Type the supplier’s details as they should be, all
            of them, not only what changes.
          </p>
          {requestError && (
            <ErrorSummary error={requestError} labels={{ supplierId: '供应商 Supplier', ...FIELD_LABELS }} />
          )}
          <form method="post" action="/supplier-changes" class="supplier-change-request">
            <SelectField
              name="supplierId"
              label="供应商 Supplier"
              value={request.supplierId}
              required
              options={[
                { value: '', label: '请选择 Choose a supplier' },
                ...props.suppliers.map((supplier) => ({
                  value: supplier.id,
                  label: `${supplier.name} (${supplier.id})`,
                })),
              ]}
              errors={issuesAt(requestError, 'supplierId')}
            />
            <TextField
              name="name"
              label={FIELD_LABELS.name ?? ''}
              value={request.name}
              required
              errors={issuesAt(requestError, 'name')}
            />
            <TextField
              name="bankAccount"
              label={FIELD_LABELS.bankAccount ?? ''}
              value={request.bankAccount}
              required
              errors={issuesAt(requestError, 'bankAccount')}
            />
            <TextField
              name="bankName"
              label={FIELD_LABELS.bankName ?? ''}
              value={request.bankName}
              required
              errors={issuesAt(requestError, 'bankName')}
            />
            <SelectField
              name="accountType"
              label={FIELD_LABELS.accountType ?? ''}
              value={request.accountType}
              options={Object.entries(ACCOUNT_TYPE_LABELS).map(([value, label]) => ({
                value,
                label: labelText(label),
              }))}
              errors={issuesAt(requestError, 'accountType')}
            />
            <TextField
              name="taxId"
              label={FIELD_LABELS.taxId ?? ''}
              hint="可不填 optional"
              value={request.taxId}
              errors={issuesAt(requestError, 'taxId')}
            />
            <Buttons>
              <Button>提交审核 Ask for review</Button>
            </Buttons>
          </form>
        </>
      )}
    </Layout>
  );
}

function ReviewForms(props: {
  change: SupplierChange;
  viewer: Person;
  reviewer: boolean;
  error?: FormError;
  reason?: string;
}) {
  const { change, viewer, error } = props;
  // POLICY D8: the one who asked does not review it (the use case refuses it too).
  if (change.openedBy === viewer.email)
    return (
      <p class="own-change">
        这是您提出的变更，须由另一位财务人员审核。You asked for this change; another finance person must
        review it.
      </p>
    );
  if (!props.reviewer)
    return <p class="not-reviewer">由财务人员审核。A finance person reviews this change.</p>;
  const base = `/supplier-changes/${encodeURIComponent(change.supplierId)}/${encodeURIComponent(change.id)}`;
  const reasonId = `reason-${change.id}`;
  return (
    <div class="review">
      {error && <ErrorSummary error={error} labels={{ reason: '驳回理由 Reason' }} />}
      <form method="post" action={`${base}/approve`}>
        <Buttons>
          <Button>批准 Approve</Button>
        </Buttons>
      </form>
      <form method="post" action={`${base}/reject`}>
        <TextArea
          name="reason"
          id={reasonId}
          label="驳回理由 Reason for rejecting"
          value={props.reason ?? ''}
          errors={issuesAt(error, 'reason')}
        />
        <Buttons>
          <Button kind="danger">驳回 Reject</Button>
        </Buttons>
      </form>
    </div>
  );
}

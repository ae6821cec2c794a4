/**
 * The vouchers' screens: pure functions from data to markup in the UI kit (lib/ui); the web edge
 * (lib/vouchers/web.ts) fetches, these render. The voucher page takes the sections of the capabilities
 * above it (the payment part, lib/payments) as a slot, so vouchers never import them.
 */
import type { ComponentChildren } from 'preact';
import type { AuditEvent, Person, RouteStep } from '../domain/model.ts';
import { Badge, FlagBadge, StatusBadge } from '../ui/badges.tsx';
import {
  Banner,
  Button,
  Buttons,
  ErrorSummary,
  type FormError,
  issuesAt,
  TextArea,
  TextField,
} from '../ui/controls.tsx';
import { plainMessage, shanghaiDayAndTime, shanghaiTime, yuan } from '../ui/format.ts';
import { DECISION_LABELS, eventLabel, labelText, STEP_LABELS } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { type Names, nameOf, Who } from '../ui/people.tsx';
import { CardTable } from '../ui/table.tsx';
import { fileHref, fileNameOf } from '../uploads/file-links.ts';
import type { VoucherView } from './voucher-view.ts';

export function VoucherListPage({ person, vouchers }: { person: Person; vouchers: VoucherView[] }) {
  return (
    <Layout title="我的付款凭单 My vouchers" person={person}>
      <h1>我的付款凭单 My vouchers</h1>
      {vouchers.length === 0 ? (
        <p class="card">还没有付款凭单。No vouchers yet.</p>
      ) : (
        <CardTable
          rows={vouchers}
          rowAttributes={(voucher) => ({ 'data-voucher': voucher.id })}
          columns={[
            {
              label: '提交 Submitted',
              cell: (voucher) => <a href={`/vouchers/${voucher.id}`}>{shanghaiTime(voucher.submittedAt)}</a>,
            },
            { label: '供应商 Supplier', cell: (voucher) => voucher.supplierName },
            { label: '金额 Amount', class: 'amount', cell: (voucher) => yuan(voucher.amountFen) },
            {
              label: '状态 Status',
              cell: (voucher) => (
                <>
                  <StatusBadge status={voucher.status} />
                  {voucher.flags.map((flag) => (
                    <FlagBadge code={flag.code} />
                  ))}
                </>
              ),
            },
          ]}
        />
      )}
    </Layout>
  );
}

/** The voucher form as typed (every field text), to fill it again after a refusal. */
export interface VoucherFormValues {
  supplierId: string;
  payeeName: string;
  payeeAccount: string;
  payeeBank: string;
  amount: string;
  orderIds: string;
  goods: string;
}

export const EMPTY_FORM: VoucherFormValues = {
  supplierId: '',
  payeeName: '',
  payeeAccount: '',
  payeeBank: '',
  amount: '',
  orderIds: '',
  goods: '',
};

/** The voucher form's fields as its labels name them, for the error summary. */
const VOUCHER_FIELD_LABELS: Record<string, string> = {
  supplierId: '供应商编号 Supplier id',
  payee: '收款人 Payee',
  amount: '金额 Amount',
  orderIds: '平台订单号 Order ids',
  goods: '商品 Goods',
  evidence: '订单详情截图 Order screenshot',
  // A chosen file's declared type and size are checked as an upload's (lib/uploads/create-upload.ts).
  contentType: '订单详情截图 Order screenshot',
  size: '订单详情截图 Order screenshot',
};

export function NewVoucherPage(props: {
  person: Person;
  values: VoucherFormValues;
  idempotencyKey: string;
  error?: FormError | undefined;
}) {
  const { values, error } = props;
  return (
    <Layout title="提交付款凭单 Submit a voucher" person={props.person}>
      <h1>提交付款凭单 Submit a payment voucher</h1>
      {error && <ErrorSummary error={error} labels={VOUCHER_FIELD_LABELS} />}
      <form method="post" action="/vouchers/new" enctype="multipart/form-data" class="card">
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        <TextField
          name="supplierId"
          label="供应商编号 Supplier id"
          required
          value={values.supplierId}
          placeholder="SUP-HZ-TEXTILE"
          errors={issuesAt(error, 'supplierId')}
        />
        <TextField
          name="payeeName"
          label="收款人全称 Payee full legal name"
          required
          value={values.payeeName}
          errors={issuesAt(error, 'payee.name')}
        />
        <TextField
          name="payeeAccount"
          label="收款账号 Account number"
          required
          value={values.payeeAccount}
          inputMode="numeric"
          errors={issuesAt(error, 'payee.account')}
        />
        <TextField
          name="payeeBank"
          label="开户行 Bank of the account"
          required
          value={values.payeeBank}
          errors={issuesAt(error, 'payee.bank')}
        />
        <TextField
          name="amount"
          label="金额（元）Amount (yuan)"
          required
          value={values.amount}
          placeholder="500,000.00"
          inputMode="decimal"
          errors={issuesAt(error, 'amount')}
        />
        <TextArea
          name="orderIds"
          label="平台订单号 Platform order ids"
          hint="每行一个，或用逗号分隔。One per line, or separated by commas."
          required
          placeholder="LS-20261116-0001"
          value={values.orderIds}
          errors={issuesAt(error, 'orderIds')}
        />
        <TextField
          name="goods"
          label="商品 Goods"
          required
          value={values.goods}
          errors={issuesAt(error, 'goods')}
        />
        <TextField
          name="evidence"
          type="file"
          label="订单详情截图 Order screenshot"
          hint="PNG、JPEG、WebP、GIF 或 PDF。PNG, JPEG, WebP, GIF or PDF."
          accept="image/png,image/jpeg,image/webp,image/gif,application/pdf"
          multiple
          required
          errors={issuesAt(error, 'evidence', 'contentType', 'size')}
        />
        <Buttons>
          <Button>提交 Submit</Button>
        </Buttons>
      </form>
    </Layout>
  );
}

/** The chain's progress for the current version: who decided what, and who is next. */
function RouteSteps(props: { steps: RouteStep[]; approvals: VoucherView['approvals']; names: Names }) {
  return (
    <ol class="steps">
      {props.steps.map((step) => {
        // The decision that counts now: a withdrawn one (POLICY D6) is in the history, not here.
        const approval = props.approvals.findLast(
          (candidate) => candidate.step === step.step && candidate.withdrawn === undefined,
        );
        return (
          <li>
            <strong>{labelText(STEP_LABELS[step.step])}</strong>
            <br />
            <Who email={step.assignee} names={props.names} />
            {step.deputyFor && (
              <small>
                {' '}
                (代理 deputy for <Who email={step.deputyFor} names={props.names} />)
              </small>
            )}
            <br />
            {approval ? (
              <span class={`badge ${approval.decision === 'APPROVE' ? 'status-paid' : 'status-rejected'}`}>
                {labelText(DECISION_LABELS[approval.decision])} — {nameOf(approval.decidedBy, props.names)}{' '}
                {shanghaiTime(approval.decidedAt)}
                {approval.reason ? `: ${approval.reason}` : ''}
              </span>
            ) : (
              <Badge kind="pending">待定 Pending</Badge>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** What an event was about, when it says: the step it concerns and the reason given. */
function EventDetails({ details }: { details: AuditEvent['details'] }) {
  const stepCode = details?.step;
  const step =
    typeof stepCode === 'string' && stepCode in STEP_LABELS
      ? labelText(STEP_LABELS[stepCode as keyof typeof STEP_LABELS])
      : null;
  const reason = typeof details?.reason === 'string' ? details.reason : null;
  if (!step && !reason) return null;
  return (
    <>
      <br />
      <small>
        {step}
        {step && reason ? ': ' : ''}
        {reason}
      </small>
    </>
  );
}

function History({ events, names }: { events: AuditEvent[]; names: Names }) {
  return (
    <CardTable
      class="history"
      rows={events}
      rowAttributes={(event) => ({ 'data-event': event.type })}
      columns={[
        {
          label: '时间 Time',
          class: 'when',
          cell: (event) => {
            const { day, time } = shanghaiDayAndTime(event.at);
            return (
              <>
                {day}
                <br />
                {time}
              </>
            );
          },
        },
        {
          label: '人员 By',
          cell: (event) => (event.actor === 'fundflow' ? '系统 fundflow' : nameOf(event.actor, names)),
        },
        {
          label: '事件 Event',
          cell: (event) => (
            <>
              {labelText(eventLabel(event.type))}
              <EventDetails details={event.details} />
            </>
          ),
        },
      ]}
    />
  );
}

export function VoucherDetailPage(props: {
  person: Person;
  voucher: VoucherView;
  history: AuditEvent[];
  names: Names;
  /** The parts of the capabilities above vouchers (the payment part, lib/payments), in order. */
  sections?: ComponentChildren;
}) {
  const { voucher, names } = props;
  return (
    <Layout title={`付款凭单 Voucher ${voucher.id}`} person={props.person}>
      <h1>
        付款凭单 Voucher <small>{voucher.id}</small>
      </h1>
      <p>
        <StatusBadge status={voucher.status} />
        {voucher.route.requiresCeo && <Badge>需 CEO 审批 CEO approval</Badge>}
      </p>
      {voucher.flags.length > 0 && (
        <Banner kind="warning" role="note" class="flags" title="提示 Flags for finance">
          <ul>
            {voucher.flags.map((flag) => (
              <li>
                <FlagBadge code={flag.code} /> {plainMessage(flag.message)}
              </li>
            ))}
          </ul>
        </Banner>
      )}
      <div class="card">
        <dl>
          <dt>金额 Amount</dt>
          <dd class="amount">{yuan(voucher.amountFen)}</dd>
          <dt>供应商 Supplier</dt>
          <dd>
            {voucher.supplierName} <small>({voucher.supplierId})</small>
          </dd>
          <dt>收款人 Payee</dt>
          <dd>{voucher.payee.name}</dd>
          <dt>收款账号 Account</dt>
          <dd class="account">{voucher.payee.account}</dd>
          <dt>开户行 Bank</dt>
          <dd>{voucher.payee.bank}</dd>
          <dt>商品 Goods</dt>
          <dd>{voucher.goods}</dd>
          <dt>申请人 Applicant</dt>
          <dd>
            <Who email={voucher.applicant} names={names} />
          </dd>
          <dt>提交 Submitted</dt>
          <dd>{shanghaiTime(voucher.submittedAt)}</dd>
        </dl>
      </div>
      <h2>订单 Orders</h2>
      <CardTable
        rows={voucher.allocations}
        columns={[
          { label: '订单 Order', cell: (allocation) => allocation.orderId },
          { label: '金额 Amount', class: 'amount', cell: (allocation) => yuan(allocation.amountFen) },
        ]}
      />
      <h2>附件 Evidence</h2>
      <ul>
        {voucher.evidence.map((key) => (
          <li>
            <a href={fileHref(key)}>{fileNameOf(key)}</a>
          </li>
        ))}
      </ul>
      {props.sections}
      <h2>审批流程 Approval route</h2>
      <RouteSteps
        steps={voucher.route.steps}
        approvals={voucher.approvals.filter((approval) => approval.version === voucher.version)}
        names={names}
      />
      <h2>记录 History</h2>
      <History events={props.history} names={names} />
    </Layout>
  );
}

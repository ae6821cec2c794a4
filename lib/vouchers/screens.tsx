/**
 * The vouchers' screens: pure functions from data to markup in the UI kit (lib/ui); the web edge
 * (lib/vouchers/pages.ts) fetches, these render. The voucher page takes the sections of the capabilities
 * above it (the payment part, lib/payments) as a slot, so vouchers never import them.
 */
import type { ComponentChildren } from 'preact';
import {
  type ApprovalStep,
  type AuditEvent,
  type Person,
  type RouteStep,
  VOUCHER_STATUSES,
} from '../domain/model.ts';
import { Badge, FlagBadge, StatusBadge } from '../ui/badges.tsx';
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
import { plainMessage, shanghaiDayAndTime, shanghaiTime, yuan } from '../ui/format.ts';
import { DECISION_LABELS, eventLabel, labelText, STEP_LABELS, VOUCHER_STATUS_LABELS } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { ListFilters, ListTotals } from '../ui/lists.tsx';
import { type Names, nameOf, Who } from '../ui/people.tsx';
import { CardTable } from '../ui/table.tsx';
import { fileHref, fileNameOf } from '../uploads/file-links.ts';
import type { ListSort } from './read-vouchers.ts';
import type { VoucherView } from './voucher-view.ts';

/** The list's filters as the page's form holds them (every field text). */
export interface ListFormValues {
  scope: 'mine' | 'entity';
  status: string;
  from: string;
  to: string;
  sort: ListSort;
}

const SORT_LABELS: Record<ListSort, string> = {
  newest: '最新提交在前 Newest first',
  oldest: '最早提交在前 Oldest first',
  'amount-desc': '金额从大到小 Largest amount first',
  'amount-asc': '金额从小到大 Smallest amount first',
};

export function VoucherListPage(props: {
  person: Person;
  vouchers: VoucherView[];
  values: ListFormValues;
  /** The roles that oversee vouchers may list the entity's, by status. */
  mayListEntity: boolean;
  truncated: boolean;
  /** The export's address: the same filters. */
  exportHref: string;
  /** A number searched for that names no voucher this person may see. */
  notFound?: string | undefined;
  error?: FormError | undefined;
}) {
  const { vouchers, values, error } = props;
  const entity = values.scope === 'entity';
  const title = entity ? '本公司的付款凭单 The entity’s vouchers' : '我的付款凭单 My vouchers';
  const totalFen = vouchers.reduce((sum, voucher) => sum + voucher.amountFen, 0);
  return (
    <Layout title={title} person={props.person}>
      <h1>{title}</h1>
      <form method="get" action="/vouchers" class="card inline search">
        <TextField name="number" label="按凭单号查找 Find by number" placeholder="FK-20261118-0001" />
        <Buttons>
          <Button kind="secondary">查找 Find</Button>
        </Buttons>
      </form>
      {props.notFound && (
        <Banner kind="info" role="status" class="not-found">
          <p>
            没有您可以查看的凭单 {props.notFound}。No voucher {props.notFound} that you may see.
          </p>
        </Banner>
      )}
      <ListFilters
        action="/vouchers"
        fromLabel="提交日期从 Submitted from"
        values={values}
        sorts={SORT_LABELS}
        exportHref={props.exportHref}
        error={error}
      >
        {props.mayListEntity && (
          <SelectField
            name="scope"
            label="范围 Whose"
            value={values.scope}
            options={[
              { value: 'mine', label: '我的 Mine' },
              { value: 'entity', label: '本公司（按状态）The entity’s, by status' },
            ]}
          />
        )}
        <SelectField
          name="status"
          label="状态 Status"
          value={values.status}
          options={[
            ...(entity ? [] : [{ value: '', label: '全部 All' }]),
            ...VOUCHER_STATUSES.map((status) => ({
              value: status,
              label: labelText(VOUCHER_STATUS_LABELS[status]),
            })),
          ]}
        />
      </ListFilters>
      <ListTotals
        count={vouchers.length}
        amountFen={totalFen}
        unit={{ zh: '张', en: ['voucher', 'vouchers'] }}
        truncated={props.truncated}
        narrow={{ zh: '日期或状态', en: 'the days or the status' }}
      />
      {vouchers.length === 0 ? (
        <p class="card">没有符合条件的付款凭单。No vouchers match.</p>
      ) : (
        <CardTable
          rows={vouchers}
          rowAttributes={(voucher) => ({ 'data-voucher': voucher.id })}
          columns={[
            {
              label: '凭单号 Number',
              cell: (voucher) => (
                <a href={`/vouchers/${voucher.id}`} class="number">
                  {voucher.number ?? voucher.id}
                </a>
              ),
            },
            { label: '提交 Submitted', cell: (voucher) => shanghaiTime(voucher.submittedAt) },
            ...(entity
              ? [{ label: '申请人 Applicant', cell: (voucher: VoucherView) => voucher.applicant }]
              : []),
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
          footer={[
            `合计 Total: ${vouchers.length}`,
            undefined,
            ...(entity ? [undefined] : []),
            undefined,
            yuan(totalFen),
            undefined,
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
  /** The supplier's orders ticked in the list. */
  pickedOrders: string[];
  /** Order ids typed (orders the list does not show). */
  orderIds: string;
  goods: string;
}

export const EMPTY_FORM: VoucherFormValues = {
  supplierId: '',
  payeeName: '',
  payeeAccount: '',
  payeeBank: '',
  amount: '',
  pickedOrders: [],
  orderIds: '',
  goods: '',
};

/** A supplier to pick, as the first step of the form shows it. */
export interface SupplierChoice {
  id: string;
  name: string;
}

/** One of the chosen supplier's orders, with what it still owes (POLICY 2.1(1), D7). */
export interface OrderChoice {
  orderId: string;
  supplierPayableFen: number;
  claimedFen: number;
  remainingFen: number;
  receiptConfirmedAt: string | null;
  fundsCreditedAt: string | null;
  disputed: boolean;
}

/** A file the form keeps from an earlier sending (or the edited voucher's), cited again when sent. */
export interface KeptFile {
  key: string;
  name: string;
}

/** The voucher form's fields as its labels name them, for the error summary. */
const VOUCHER_FIELD_LABELS: Record<string, string> = {
  supplierId: '供应商 Supplier',
  payee: '收款人 Payee',
  amount: '金额 Amount',
  orderIds: '平台订单 Orders',
  goods: '商品 Goods',
  evidence: '订单详情截图 Order screenshot',
  // A chosen file's declared type and size are checked as an upload's (lib/uploads/create-upload.ts).
  contentType: '订单详情截图 Order screenshot',
  size: '订单详情截图 Order screenshot',
};

/** Why an order of the list cannot be paid now, in words (POLICY 2.1(1), D7); null when it can. */
function orderProblem(order: OrderChoice): string | null {
  if (order.receiptConfirmedAt === null) return '客户尚未确认收货 Receipt not confirmed yet';
  if (order.fundsCreditedAt === null) return '货款尚未到账 Funds not credited yet';
  if (order.disputed) return '有未结退款或纠纷 Open refund or dispute';
  if (order.remainingFen === 0) return '已全部申请 Nothing left to claim';
  return null;
}

/** The supplier's orders, each with what it still owes: a box to tick for those that can be paid. */
function OrderPicker(props: { orders: OrderChoice[]; picked: readonly string[]; errors: string[] }) {
  if (props.orders.length === 0) {
    return <p class="muted">该供应商还没有导入的订单。No orders of this supplier are imported yet.</p>;
  }
  return (
    <fieldset class="orders" aria-describedby={props.errors.length > 0 ? 'orders-error' : undefined}>
      <legend>平台订单 Platform orders</legend>
      <CardTable
        class="order-choices"
        rows={props.orders}
        rowAttributes={(order) => ({ 'data-order': order.orderId })}
        columns={[
          {
            label: '订单 Order',
            cell: (order) =>
              orderProblem(order) === null ? (
                <label class="check">
                  <input
                    type="checkbox"
                    name={`order.${order.orderId}`}
                    value="yes"
                    checked={props.picked.includes(order.orderId)}
                  />{' '}
                  <span>{order.orderId}</span>
                </label>
              ) : (
                <span>{order.orderId}</span>
              ),
          },
          {
            label: '尚欠 Still owes',
            class: 'amount',
            cell: (order) => yuan(order.remainingFen),
          },
          {
            label: '应付 / 已申请 Payable / claimed',
            class: 'amount',
            cell: (order) => (
              <>
                {yuan(order.supplierPayableFen)} / {yuan(order.claimedFen)}
              </>
            ),
          },
          {
            label: '状态 State',
            cell: (order) => orderProblem(order) ?? '可申请 Can be claimed',
          },
        ]}
      />
      {props.errors.length > 0 && (
        <span class="field-error" id="orders-error">
          {props.errors.join(' ')}
        </span>
      )}
    </fieldset>
  );
}

/** Step one of a new voucher: whom it pays, picked from the entity's suppliers. */
function SupplierStep(props: { suppliers: SupplierChoice[]; message?: string | undefined }) {
  return (
    <form method="get" action="/vouchers/new" class="card">
      {props.message && <p class="field-error">{props.message}</p>}
      {props.suppliers.length === 0 ? (
        <p>供应商档案中还没有供应商，请联系财务。The supplier records are empty; ask finance.</p>
      ) : (
        <>
          <SelectField
            name="supplier"
            label="供应商 Supplier"
            hint="从供应商档案中选择。From the supplier records."
            required
            options={props.suppliers.map((supplier) => ({
              value: supplier.id,
              label: `${supplier.name}（${supplier.id}）`,
            }))}
          />
          <Buttons>
            <Button>下一步 Next</Button>
          </Buttons>
        </>
      )}
    </form>
  );
}

export interface VoucherFormProps {
  person: Person;
  /** New: pick the supplier first (no `supplier` yet); edit: the rejected voucher being edited. */
  mode: { kind: 'new'; suppliers: SupplierChoice[]; message?: string } | EditMode;
  supplier?: SupplierChoice | undefined;
  orders: OrderChoice[];
  values: VoucherFormValues;
  kept: KeptFile[];
  idempotencyKey: string;
  error?: FormError | undefined;
  /** The same voucher was sent already (the form again after Back): which one. */
  already?: { id: string; number: string | null; resubmitted?: boolean } | undefined;
  /** The form's key made that voucher: no form, only the way to it (and to a new one). */
  done?: boolean;
}

interface EditMode {
  kind: 'edit';
  voucherId: string;
  number: string | null;
  version: number;
  /** Why it came back, and from whom (the banner above the form). */
  reason: RejectionView | null;
}

/** The voucher form: a new voucher (supplier first, then the rest) or the edit of a rejected one (D19). */
export function VoucherFormPage(props: VoucherFormProps) {
  const { values, error, mode } = props;
  const editing = mode.kind === 'edit';
  const title = editing ? '修改并重新提交 Edit and resubmit' : '提交付款凭单 Submit a payment voucher';
  const action = editing ? `/vouchers/${mode.voucherId}/edit` : '/vouchers/new';
  return (
    <Layout title={title} person={props.person}>
      <h1>
        {title}
        {editing && mode.number && <small> {mode.number}</small>}
      </h1>
      {editing && mode.reason && <RejectionBanner reason={mode.reason} />}
      {props.already && (
        <Banner kind="info" role="status" class="already" title="已经提交过 Already submitted">
          <p>
            {props.already.resubmitted
              ? '您已经重新提交过这张凭单，不必再提交。You already resubmitted this voucher; there is nothing more to send.'
              : '您已经提交过这张凭单，不必再提交。You already submitted this voucher; there is nothing more to send.'}
          </p>
          <p>
            <a href={`/vouchers/${props.already.id}`}>
              打开凭单 Open voucher {props.already.number ?? props.already.id}
            </a>
          </p>
        </Banner>
      )}
      {error && <ErrorSummary error={error} labels={VOUCHER_FIELD_LABELS} />}
      {props.done ? (
        !editing && (
          <p>
            <a href="/vouchers/new">提交另一张凭单 Submit another voucher</a>
          </p>
        )
      ) : !editing && !props.supplier ? (
        <SupplierStep
          suppliers={mode.kind === 'new' ? mode.suppliers : []}
          message={mode.kind === 'new' ? mode.message : undefined}
        />
      ) : (
        <form method="post" action={action} enctype="multipart/form-data" class="card">
          <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
          <input type="hidden" name="supplierId" value={values.supplierId} />
          {editing && <input type="hidden" name="version" value={String(mode.version)} />}
          <p class="supplier">
            <span class="muted">供应商 Supplier</span>
            <br />
            <strong>{props.supplier?.name ?? values.supplierId}</strong>{' '}
            <small>（{values.supplierId}）</small>
            {!editing && (
              <>
                {' '}
                <a href="/vouchers/new">换一个 Change</a>
              </>
            )}
          </p>
          {issuesAt(error, 'supplierId').length > 0 && (
            <span class="field-error">{issuesAt(error, 'supplierId').join(' ')}</span>
          )}
          <TextField
            name="payeeName"
            label="收款人全称 Payee full legal name"
            hint="已按供应商档案填写，可修改；与档案不符时会提示财务。Filled from the supplier records; a difference is flagged for finance."
            required
            value={values.payeeName}
            errors={issuesAt(error, 'payee.name')}
          />
          <TextField
            name="payeeAccount"
            label="收款账号 Account number"
            hint={
              values.payeeAccount.includes('*')
                ? '账号只显示后四位；保持不变即沿用已存账号，或输入完整的新账号。Shown by its last four digits: leave it to keep the stored account, or type a whole new one.'
                : undefined
            }
            required
            value={values.payeeAccount}
            errors={issuesAt(error, 'payee.account')}
          />
          <TextField
            name="payeeBank"
            label="开户行 Bank of the account"
            required
            value={values.payeeBank}
            errors={issuesAt(error, 'payee.bank')}
          />
          <OrderPicker
            orders={props.orders}
            picked={values.pickedOrders}
            errors={issuesAt(error, 'orderIds')}
          />
          <TextArea
            name="orderIds"
            label="其他订单号 Other order ids"
            hint="列表中没有的订单：每行一个，或用逗号分隔。Orders the list does not show: one per line, or separated by commas."
            placeholder="LS-20261116-0001"
            value={values.orderIds}
          />
          <TextField
            name="amount"
            label="金额（元）Amount (yuan)"
            hint="不超过所选订单尚欠的金额。At most what the ticked orders still owe."
            required
            value={values.amount}
            placeholder="10,000.00"
            inputMode="decimal"
            errors={issuesAt(error, 'amount')}
          />
          <TextField
            name="goods"
            label="商品 Goods"
            required
            value={values.goods}
            errors={issuesAt(error, 'goods')}
          />
          {props.kept.length > 0 && (
            <fieldset class="kept">
              <legend>已附文件 Files attached</legend>
              {props.kept.map((file, index) => (
                <label class="check">
                  <input type="checkbox" name={`kept.${index}`} value={file.key} checked />{' '}
                  <span>
                    <a href={fileHref(file.key)}>{file.name}</a> — 保留 keep
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          <TextField
            name="evidence"
            type="file"
            label={props.kept.length > 0 ? '再附文件 More files' : '订单详情截图 Order screenshot'}
            hint="PNG、JPEG、WebP、GIF 或 PDF。PNG, JPEG, WebP, GIF or PDF."
            accept="image/png,image/jpeg,image/webp,image/gif,application/pdf"
            multiple
            required={props.kept.length === 0}
            errors={issuesAt(error, 'evidence', 'contentType', 'size')}
          />
          <Buttons>
            <Button>{editing ? '重新提交 Resubmit' : '提交 Submit'}</Button>
          </Buttons>
        </form>
      )}
    </Layout>
  );
}

/** Why a voucher came back to its applicant: who, when, from which step, their words (POLICY D19). */
export interface RejectionView {
  step: ApprovalStep;
  by: string;
  at: string;
  reason: string;
}

function RejectionBanner({ reason }: { reason: RejectionView }) {
  const returned = reason.step === 'PAYMENT';
  return (
    <Banner
      kind="warning"
      role="note"
      class="rejection"
      title={returned ? '付款失败后退回 Returned after a failed payment' : '已退回 Rejected'}
    >
      <p>
        {labelText(STEP_LABELS[reason.step])} — {reason.by}，{shanghaiTime(reason.at)}
      </p>
      <p class="reason">
        原因 Reason: <strong>{reason.reason}</strong>
      </p>
    </Banner>
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
  /** Why it came back to its applicant (a rejected voucher), shown as a banner. */
  rejection?: RejectionView | null;
  /** The applicant may edit it and send it again (POLICY D19). */
  mayEdit?: boolean;
}) {
  const { voucher, names } = props;
  return (
    <Layout title={`付款凭单 Voucher ${voucher.number ?? voucher.id}`} person={props.person}>
      <h1>
        付款凭单 Voucher {voucher.number && <span class="number">{voucher.number}</span>}{' '}
        <small class="ulid">{voucher.id}</small>
      </h1>
      <p>
        <StatusBadge status={voucher.status} />
        {voucher.route.requiresCeo && <Badge>需 CEO 审批 CEO approval</Badge>}
      </p>
      {props.rejection && <RejectionBanner reason={props.rejection} />}
      <div class="buttons">
        {props.mayEdit && (
          <a class="btn btn-primary" href={`/vouchers/${voucher.id}/edit`}>
            修改后重新提交 Edit and resubmit
          </a>
        )}
        <a class="btn btn-secondary" href={`/vouchers/${voucher.id}/print`}>
          打印《付款凭单》 Print the voucher
        </a>
      </div>
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

/** Whose signature a printed voucher has a place for: the applicant and each step of its route. */
const SIGNATURE_PLACES: { step: ApprovalStep | 'APPLICANT'; label: string }[] = [
  { step: 'APPLICANT', label: '申请人 Applicant' },
  { step: 'HEAD_OF_MERCHANDISING', label: '商品部负责人 Head of merchandising' },
  { step: 'CEO', label: 'CEO' },
  { step: 'FINANCE_REVIEW', label: '财务复核 Finance review' },
  { step: 'PAYMENT', label: '出纳 Cashier' },
];

/**
 * The printable 《付款凭单》 (POLICY 2.1(2)): the supplier's full legal name, the receiving account and
 * its bank, the goods, the amount in figures and in capitals (大写), the orders, the approval trail
 * with names and times, and a place for each signature — the countersigns (补签) of approvals a proxy
 * recorded from an email (POLICY 2.2 note, D6) among them. One page of A4 when printed.
 */
export function PrintableVoucherPage(props: {
  person: Person;
  voucher: VoucherView;
  entityName: string;
  capitals: string;
  names: Names;
}) {
  const { voucher, names } = props;
  const approvals = voucher.approvals.filter((approval) => approval.version === voucher.version);
  const onRoute = new Set<string>(voucher.route.steps.map((step) => step.step));
  const countersigns = approvals.filter((approval) => approval.via === 'email-proxy' && !approval.withdrawn);
  return (
    <Layout title={`付款凭单 ${voucher.number ?? voucher.id}`} person={props.person}>
      <p class="no-print muted">
        用浏览器的“打印”打印本页（Ctrl+P 或 ⌘P）。Print this page with your browser’s Print (Ctrl+P or ⌘P).{' '}
        <a href={`/vouchers/${voucher.id}`}>返回凭单 Back to the voucher</a>
      </p>
      <article class="voucher-print">
        <h1 class="print-title">《付款凭单》 Payment voucher</h1>
        <p class="print-meta">
          <span>
            凭单号 No. <strong class="number">{voucher.number ?? '—'}</strong>
          </span>
          <span>
            日期 Date <strong>{voucher.submittedOn}</strong>
          </span>
          <span>{props.entityName}</span>
        </p>
        <table class="print-grid">
          <tbody>
            <tr>
              <th>收款单位全称 Supplier’s full legal name</th>
              <td colspan={3}>{voucher.payee.name}</td>
            </tr>
            <tr>
              <th>收款账号 Account</th>
              <td class="account">{voucher.payee.account}</td>
              <th>开户行 Bank</th>
              <td>{voucher.payee.bank}</td>
            </tr>
            <tr>
              <th>商品 Goods</th>
              <td colspan={3}>{voucher.goods}</td>
            </tr>
            <tr>
              <th>金额（小写）Amount in figures</th>
              <td class="amount" data-testid="figures">
                {yuan(voucher.amountFen)}
              </td>
              <th>金额（大写）Amount in words</th>
              <td data-testid="capitals">人民币{props.capitals}</td>
            </tr>
            <tr>
              <th>订单 Orders</th>
              <td colspan={3}>
                {voucher.allocations
                  .map((allocation) => `${allocation.orderId}（${yuan(allocation.amountFen)}）`)
                  .join('；')}
              </td>
            </tr>
            <tr>
              <th>附件 Evidence</th>
              <td>{voucher.evidence.length} 个文件 file(s)</td>
              <th>申请人 Applicant</th>
              <td>
                {nameOf(voucher.applicant, names)} {shanghaiTime(voucher.submittedAt)}
              </td>
            </tr>
          </tbody>
        </table>
        <h2>审批记录 Approval trail</h2>
        <table class="print-grid trail">
          <thead>
            <tr>
              <th>审批 Step</th>
              <th>审批人 By</th>
              <th>决定 Decision</th>
              <th>时间 Time</th>
            </tr>
          </thead>
          <tbody>
            {approvals.length === 0 ? (
              <tr>
                <td colspan={4}>尚无审批 No decision yet</td>
              </tr>
            ) : (
              approvals.map((approval) => (
                <tr>
                  <td>{labelText(STEP_LABELS[approval.step])}</td>
                  <td>
                    {nameOf(approval.decidedBy, names)}
                    {approval.onBehalfOf && `（代 for ${nameOf(approval.onBehalfOf, names)}）`}
                    {approval.proxy &&
                      `（邮件同意，${nameOf(approval.proxy, names)} 代录 by email, recorded by ${nameOf(approval.proxy, names)}）`}
                  </td>
                  <td>
                    {labelText(DECISION_LABELS[approval.decision])}
                    {approval.withdrawn && ' — 已撤回 withdrawn'}
                    {approval.reason ? `：${approval.reason}` : ''}
                  </td>
                  <td>{shanghaiTime(approval.decidedAt)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
        <h2>签字 Signatures</h2>
        <div class="signatures">
          {SIGNATURE_PLACES.filter((place) => place.step === 'APPLICANT' || onRoute.has(place.step)).map(
            (place) => (
              <div class="signature">
                <span>{place.label}</span>
                <span class="line" />
              </div>
            ),
          )}
          {countersigns.map((approval) => (
            <div class="signature" data-countersign={approval.step}>
              <span>
                补签 Countersign — {labelText(STEP_LABELS[approval.step])} {nameOf(approval.decidedBy, names)}
                {approval.countersign === 'COUNTERSIGNED' && approval.countersignedAt
                  ? `（已于 ${shanghaiTime(approval.countersignedAt)} 补签 countersigned）`
                  : ''}
              </span>
              <span class="line" />
            </div>
          ))}
        </div>
        <p class="print-foot muted">
          凭单 ID {voucher.id} · 版本 version {voucher.version}
        </p>
      </article>
    </Layout>
  );
}

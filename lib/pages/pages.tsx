/** The pages themselves: pure functions from data to markup (the handler fetches, these render). */
import type { VNode } from 'preact';
import { hasRole } from '../domain/access.ts';
import type { Issue } from '../domain/errors.ts';
import type { AuditEvent, Person, Role, RouteStep } from '../domain/model.ts';
import { formatFen } from '../domain/money.ts';
import { toShanghaiIso } from '../domain/time.ts';
import type { VoucherView } from '../vouchers/voucher-view.ts';
import { Layout } from './layout.tsx';

const STATUS_LABELS: Record<string, string> = {
  SUBMITTED: '已提交 Submitted',
  IN_APPROVAL: '审批中 In approval',
  REJECTED: '已退回 Rejected',
  READY_FOR_PAYMENT: '待付款 Ready for payment',
  PAID: '已付款 Paid',
  PAYMENT_FAILED: '付款失败 Payment failed',
  CLOSED: '已关闭 Closed',
};

const STEP_LABELS: Record<string, string> = {
  HEAD_OF_MERCHANDISING: '商品部负责人 Head of merchandising',
  CEO: 'CEO 审批 CEO',
  FINANCE_REVIEW: '财务部复核 Finance review',
  PAYMENT: '出纳付款 Cashier',
};

/** What each audit event means to the people reading the history (the code stays in the title). */
const EVENT_LABELS: Record<string, string> = {
  VOUCHER_SUBMITTED: '提交 Submitted',
  VOUCHER_RESUBMITTED: '修改后重新提交 Resubmitted',
  ROUTE_ESCALATED_SPLIT: '疑似拆分，升至 CEO 审批 Escalated: possible split',
  APPROVAL_STARTED: '审批开始 Approval started',
  APPROVAL_REQUESTED: '已发审批邮件 Approval requested',
  APPROVAL_REMINDED: '已催办 Reminder sent',
  APPROVAL_ESCALATED: '已上报 Escalated',
  STEP_APPROVED: '批准 Approved',
  STEP_REJECTED: '退回 Rejected',
  COUNTERSIGNED: '已补签 Countersigned',
  COUNTERSIGN_REFUSED: '拒绝补签 Countersign refused',
  CLAIMS_RELEASED: '释放订单额度 Order claims released',
  READY_FOR_PAYMENT: '待付款 Ready for payment',
  PULLED_INTO_TODAYS_RUN: '拉入今日付款批次 Pulled into today’s run',
  BANK_BATCH_EXPORTED: '已导出银行批量文件 In a bank batch file',
  PAID: '已付款 Paid',
  PAYMENT_FAILED: '付款失败 Payment failed',
  PAYMENT_FAILURE_NOTIFIED: '已通知财务 Finance told of the failed payment',
  PAYMENT_RESCHEDULED: '重新安排付款 Payment rescheduled',
  RETURNED_AFTER_FAILED_PAYMENT: '付款失败后退回 Returned after a failed payment',
  PAYMENT_OVERDUE_REMINDED: '催付款 Unpaid at end of day: reminded',
  SUPPLIER_INVOICE_REQUESTED: '请登记发票 Invoice requested',
  SUPPLIER_INVOICE_REMINDED: '发票催办 Invoice reminder',
  SUPPLIER_INVOICE_ESCALATED: '发票已上报 Invoice escalated',
  SPECIAL_INVOICE_WAIVED: '免专票 Special invoice waived',
  SUPPLIER_INVOICE_RECORDED: '已登记发票，关闭 Invoice recorded, closed',
};

export const yuan = (fen: number) => `¥${formatFen(fen)}`;
/** Any stored instant, shown as Asia/Shanghai wall-clock time (POLICY D15): `2026-11-22 21:10`. */
export const shanghaiTime = (instant: string) =>
  toShanghaiIso(new Date(instant)).slice(0, 16).replace('T', ' ');
/** Each segment escaped, so a key always stays one path under /evidence/. */
export const evidenceHref = (key: string) => `/evidence/${key.split('/').map(encodeURIComponent).join('/')}`;

/** Email → display name, for the people a page mentions (missing names fall back to the email). */
export type Names = ReadonlyMap<string, string>;

/** A person as the pages show them: the directory name, the email beside it in small type. */
export function Who({ email, names }: { email: string; names: Names }) {
  const name = names.get(email);
  if (!name) return <>{email}</>;
  return (
    <>
      {name} <small>{email}</small>
    </>
  );
}

export function Status({ status }: { status: string }) {
  return <span class="badge status">{STATUS_LABELS[status] ?? status}</span>;
}

export function SignInPage(props: { people?: Person[]; action?: string; message?: string }) {
  return (
    <Layout title="登录 Sign in">
      <h1>登录 Sign in</h1>
      {props.message && <p class="errors">{props.message}</p>}
      {props.people && props.action ? (
        <form method="post" action={props.action} class="card">
          <p class="muted">
            本地演示：选择一位演示人员登录。Local demo: pick a person of the demo directory.
          </p>
          <label for="email">人员 Person</label>
          <select id="email" name="email" required>
            {props.people.map((person) => (
              <option value={person.email}>
                {person.name} — {person.roles.join(', ')} ({person.email})
              </option>
            ))}
          </select>
          <button type="submit">登录 Sign in</button>
        </form>
      ) : (
        <p class="card">请使用公司账号登录。Sign in with your company account.</p>
      )}
    </Layout>
  );
}

const ROLE_LABELS: Record<Role, string> = {
  MERCHANDISER: '商品部专人 Merchandiser',
  HEAD_OF_MERCHANDISING: '商品部负责人 Head of merchandising',
  CEO: 'CEO',
  FINANCE_REVIEWER: '财务部复核 Finance reviewer',
  CASHIER: '出纳 Cashier',
  CUSTOMER_SERVICE: '客服 Customer service',
  FINANCE_INVOICING: '财务开票 Finance invoicing',
  TECH: '技术部 Tech',
  ADMIN: '管理员 Administrator',
};

/** Roles whose work in fundflow reaches them as email links (DESIGN: human steps are callbacks). */
const APPROVING_ROLES: Role[] = ['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEWER'];

export function HomePage({ person }: { person: Person }) {
  const merchandiser = hasRole(person, 'MERCHANDISER');
  return (
    <Layout title="首页 Home" person={person}>
      <h1>您好，{person.name}</h1>
      <div class="card">
        <dl>
          <dt>邮箱 Email</dt>
          <dd>{person.email}</dd>
          <dt>角色 Roles</dt>
          <dd>{person.roles.map((role) => ROLE_LABELS[role]).join('、')}</dd>
        </dl>
      </div>
      {merchandiser && (
        <ul>
          <li>
            <a href="/vouchers/new">提交付款凭单 Submit a payment voucher</a>
          </li>
          <li>
            <a href="/vouchers">我的付款凭单 My vouchers</a>
          </li>
        </ul>
      )}
      {hasRole(person, ...APPROVING_ROLES) && (
        <p class="card">
          待您审批的付款凭单会通过邮件链接发给您。Vouchers awaiting your decision reach you as email links.
        </p>
      )}
    </Layout>
  );
}

export function VoucherListPage({ person, vouchers }: { person: Person; vouchers: VoucherView[] }) {
  return (
    <Layout title="我的付款凭单 My vouchers" person={person}>
      <h1>我的付款凭单 My vouchers</h1>
      {vouchers.length === 0 ? (
        <p class="card">还没有付款凭单。No vouchers yet.</p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>提交 Submitted</th>
                <th>供应商 Supplier</th>
                <th>金额 Amount</th>
                <th>状态 Status</th>
              </tr>
            </thead>
            <tbody>
              {vouchers.map((voucher) => (
                <tr>
                  <td>
                    <a href={`/vouchers/${voucher.id}`}>{shanghaiTime(voucher.submittedAt)}</a>
                  </td>
                  <td>{voucher.supplierName}</td>
                  <td class="amount">{yuan(voucher.amountFen)}</td>
                  <td>
                    <Status status={voucher.status} />
                    {voucher.flags.map((flag) => (
                      <span class="badge flag">{flag.code}</span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}

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

/**
 * Every issue of a refusal, each named by the field it concerns (`labels`, keyed by the issue path's
 * first segment) when the page knows it; the lead message is not repeated as the only issue.
 */
export function ErrorSummary(props: {
  message: string;
  issues: Issue[];
  labels?: Record<string, string>;
  title?: string;
}) {
  const { message, issues } = props;
  const repeatsMessage = issues.length === 1 && issues[0]?.message === message;
  return (
    <div class="errors" role="alert">
      <h2>{props.title ?? '未提交 Not submitted'}</h2>
      <p>{message}</p>
      {issues.length > 0 && !repeatsMessage && (
        <ul>
          {issues.map((issue) => {
            const field = props.labels?.[issue.path.split('.')[0] ?? ''];
            return (
              <li>
                {field ? <strong>{field}: </strong> : issue.path && <code>{issue.path}</code>} {issue.message}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

/** The voucher form's fields as its labels name them, for the error summary. */
const VOUCHER_FIELD_LABELS: Record<string, string> = {
  supplierId: '供应商编号 Supplier id',
  payee: '收款人 Payee',
  amount: '金额 Amount',
  orderIds: '平台订单号 Order ids',
  goods: '商品 Goods',
  evidence: '订单详情截图 Order screenshot',
};

export function NewVoucherPage(props: {
  person: Person;
  values: VoucherFormValues;
  idempotencyKey: string;
  error?: { message: string; issues: Issue[] } | undefined;
}) {
  const { values } = props;
  return (
    <Layout title="提交付款凭单 Submit a voucher" person={props.person}>
      <h1>提交付款凭单 Submit a payment voucher</h1>
      {props.error && (
        <ErrorSummary
          message={props.error.message}
          issues={props.error.issues}
          labels={VOUCHER_FIELD_LABELS}
        />
      )}
      <form method="post" action="/vouchers/new" enctype="multipart/form-data" class="card">
        <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} />
        <label for="supplierId">供应商编号 Supplier id</label>
        <input
          id="supplierId"
          name="supplierId"
          required
          value={values.supplierId}
          placeholder="SUP-HZ-TEXTILE"
        />
        <label for="payeeName">收款人全称 Payee full legal name</label>
        <input id="payeeName" name="payeeName" required value={values.payeeName} />
        <label for="payeeAccount">收款账号 Account number</label>
        <input
          id="payeeAccount"
          name="payeeAccount"
          required
          value={values.payeeAccount}
          inputMode="numeric"
        />
        <label for="payeeBank">开户行 Bank of the account</label>
        <input id="payeeBank" name="payeeBank" required value={values.payeeBank} />
        <label for="amount">金额（元）Amount (yuan)</label>
        <input
          id="amount"
          name="amount"
          required
          value={values.amount}
          placeholder="500,000.00"
          inputMode="decimal"
        />
        <label for="orderIds">平台订单号 Platform order ids</label>
        <textarea id="orderIds" name="orderIds" required placeholder="LS-20261116-0001">
          {values.orderIds}
        </textarea>
        <small>每行一个，或用逗号分隔。One per line, or separated by commas.</small>
        <label for="goods">商品 Goods</label>
        <input id="goods" name="goods" required value={values.goods} />
        <label for="evidence">订单详情截图 Order screenshot (PNG, JPEG, WebP, GIF or PDF)</label>
        <input
          id="evidence"
          name="evidence"
          type="file"
          accept="image/png,image/jpeg,image/webp,image/gif,application/pdf"
          multiple
          required
        />
        <button type="submit">提交 Submit</button>
      </form>
    </Layout>
  );
}

const DECISION_LABELS = { APPROVE: '已批准 approved', REJECT: '已退回 rejected' } as const;

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
            <strong>{STEP_LABELS[step.step] ?? step.step}</strong>
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
              <span class="badge status">
                {DECISION_LABELS[approval.decision]} —{' '}
                {props.names.get(approval.decidedBy) ?? approval.decidedBy} {shanghaiTime(approval.decidedAt)}
                {approval.reason ? `: ${approval.reason}` : ''}
              </span>
            ) : (
              <span class="badge">待定 pending</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** What an event was about, when it says: the step it concerns and the reason given. */
function EventDetails({ details }: { details: AuditEvent['details'] }) {
  const step = typeof details?.step === 'string' ? (STEP_LABELS[details.step] ?? details.step) : null;
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
    <table class="history">
      <thead>
        <tr>
          <th>时间 Time</th>
          <th>人员 By</th>
          <th>事件 Event</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => {
          const [day, time] = shanghaiTime(event.at).split(' ');
          return (
            <tr>
              <td class="when">
                {day}
                <br />
                {time}
              </td>
              <td>
                {event.actor === 'fundflow' ? '系统 fundflow' : (names.get(event.actor) ?? event.actor)}
              </td>
              <td title={event.type}>
                {EVENT_LABELS[event.type] ?? event.type}
                <EventDetails details={event.details} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function VoucherDetailPage(props: {
  person: Person;
  voucher: VoucherView;
  history: AuditEvent[];
  names: Names;
  /** The payment and invoice part (payment-pages.tsx), once the voucher is payable. */
  payment?: VNode | null;
}) {
  const { voucher, names } = props;
  return (
    <Layout title={`付款凭单 Voucher ${voucher.id}`} person={props.person}>
      <h1>
        付款凭单 Voucher <small>{voucher.id}</small>
      </h1>
      <p>
        <Status status={voucher.status} />
        {voucher.route.requiresCeo && <span class="badge">需 CEO 审批 CEO approval</span>}
      </p>
      {voucher.flags.length > 0 && (
        <div class="card flags" role="note">
          <h2>提示 Flags for finance</h2>
          <ul>
            {voucher.flags.map((flag) => (
              <li>
                <span class="badge flag">{flag.code}</span> {flag.message}
              </li>
            ))}
          </ul>
        </div>
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
          <dd>{voucher.payee.account}</dd>
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
      <table>
        <tbody>
          {voucher.allocations.map((allocation) => (
            <tr>
              <td>{allocation.orderId}</td>
              <td class="amount">{yuan(allocation.amountFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>附件 Evidence</h2>
      <ul>
        {voucher.evidence.map((key) => (
          <li>
            <a href={evidenceHref(key)}>{key.split('/').pop()}</a>
          </li>
        ))}
      </ul>
      {props.payment}
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

const ERROR_TITLES: Record<number, string> = {
  403: '没有权限 Not allowed',
  404: '找不到 Not found',
  500: '出错了 Something went wrong',
};

export function ErrorPage(props: { status: number; message: string; person?: Person | undefined }) {
  return (
    <Layout title={`${props.status}`} person={props.person}>
      <h1>{ERROR_TITLES[props.status] ?? '无法完成 Cannot do that'}</h1>
      <p class="card">{props.message}</p>
      <p>
        <a href="/">返回首页 Back to the start</a>
      </p>
    </Layout>
  );
}

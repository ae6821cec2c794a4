/**
 * The screens behind email links, in the UI kit (lib/ui): the approval page, the refusal of a proxy
 * approval and the countersign page (POLICY D6). No session: the signed link is the credential, so
 * they show no navigation; every form carries the link's nonce.
 */
import type { ApprovalStep, PlatformOrder } from '../domain/model.ts';
import { remainingPayableFen } from '../domain/orders.ts';
import { FlagBadge } from '../ui/badges.tsx';
import {
  Button,
  Buttons,
  Checkbox,
  ErrorSummary,
  type FormError,
  issuesAt,
  SelectField,
  TextArea,
} from '../ui/controls.tsx';
import { plainMessage, shanghaiTime, yuan } from '../ui/format.ts';
import { DECISION_LABELS, labelText, STEP_LABELS } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { OutcomePage } from '../ui/pages.tsx';
import { type Names, nameOf, Who } from '../ui/people.tsx';
import { CardTable } from '../ui/table.tsx';
import type { FilePreview } from '../uploads/stored-files.ts';
import type { VoucherView } from '../vouchers/voucher-view.ts';
import type { CountersignItem, ProxyRefusalContext } from './travelling-approver.ts';

const stepName = (step: ApprovalStep) => labelText(STEP_LABELS[step]);

/** An order the voucher claims on, as it is now: its settlement (POLICY 2.1(1), D7) and what it owes. */
export interface OrderFacts {
  allocation: { orderId: string; amountFen: number };
  /** Null: no such order any more (a voucher cites only imported orders; shown as missing). */
  order: PlatformOrder | null;
}

const DISPUTE_LABELS: Record<PlatformOrder['disputeStatus'], string> = {
  NONE: '无 None',
  OPEN: '有未结退款或纠纷 Open refund or dispute',
  CLOSED: '已结 Closed',
};

const when = (instant: string | null) => (instant ? shanghaiTime(instant) : '未 Not yet');

function Settlement({ orders }: { orders: OrderFacts[] }) {
  return (
    <>
      <h2>订单结算 Orders and their settlement</h2>
      <CardTable
        class="settlement"
        rows={orders}
        rowAttributes={(row) => ({ 'data-order': row.allocation.orderId })}
        columns={[
          { label: '订单 Order', cell: (row) => row.allocation.orderId },
          { label: '确认收货 Receipt confirmed', cell: (row) => when(row.order?.receiptConfirmedAt ?? null) },
          { label: '货款到账 Funds credited', cell: (row) => when(row.order?.fundsCreditedAt ?? null) },
          {
            label: '退款或纠纷 Dispute',
            cell: (row) => (row.order ? DISPUTE_LABELS[row.order.disputeStatus] : '—'),
          },
          { label: '本凭单 This voucher', class: 'amount', cell: (row) => yuan(row.allocation.amountFen) },
          {
            label: '尚欠 Still owes',
            class: 'amount',
            cell: (row) => (row.order ? yuan(remainingPayableFen(row.order)) : '—'),
          },
        ]}
      />
    </>
  );
}

function Evidence({ files }: { files: FilePreview[] }) {
  const images = files.filter((file) => file.image);
  const others = files.filter((file) => !file.image);
  return (
    <>
      {images.length > 0 && (
        <ul class="thumbs">
          {images.map((file) => (
            <li>
              <a href={file.url}>
                <img src={file.url} alt={file.name} loading="lazy" />
              </a>
            </li>
          ))}
        </ul>
      )}
      {others.map((file) => (
        <a href={file.url}>{file.name} </a>
      ))}
    </>
  );
}

export function ApprovalPage(props: {
  voucher: VoucherView;
  step: ApprovalStep;
  approver: string;
  names: Names;
  orders: OrderFacts[];
  action: string;
  nonce: string;
  evidence: FilePreview[];
  error?: FormError | undefined;
}) {
  const { voucher, error, names } = props;
  return (
    <Layout title="审批 Approval">
      <h1>{stepName(props.step)}</h1>
      <p class="muted">
        <Who email={props.approver} names={names} /> · 付款凭单 voucher{' '}
        {voucher.number && <span class="number">{voucher.number}</span>} <small>{voucher.id}</small> · 版本
        version {voucher.version}
      </p>
      {error && <ErrorSummary error={error} title="未审批 Not decided" />}
      {voucher.flags.length > 0 && (
        <div class="card flags">
          {voucher.flags.map((flag) => (
            <p>
              <FlagBadge code={flag.code} /> {plainMessage(flag.message)}
            </p>
          ))}
        </div>
      )}
      <div class="card">
        <dl>
          <dt>金额 Amount</dt>
          <dd class="amount">{yuan(voucher.amountFen)}</dd>
          <dt>供应商 Supplier</dt>
          <dd>{voucher.supplierName}</dd>
          <dt>收款人 Payee</dt>
          <dd>{voucher.payee.name}</dd>
          <dt>账号 Account</dt>
          <dd class="account">{voucher.payee.account}</dd>
          <dt>开户行 Bank</dt>
          <dd>{voucher.payee.bank}</dd>
          <dt>商品 Goods</dt>
          <dd>{voucher.goods}</dd>
          <dt>申请人 Applicant</dt>
          <dd>
            <Who email={voucher.applicant} names={names} />
          </dd>
          <dt>附件 Evidence</dt>
          <dd>
            <Evidence files={props.evidence} />
          </dd>
        </dl>
      </div>
      <Settlement orders={props.orders} />
      <EarlierApprovals
        approvals={voucher.approvals.filter((approval) => approval.version === voucher.version)}
        names={names}
      />
      <form method="post" action={props.action} class="card">
        <input type="hidden" name="nonce" value={props.nonce} />
        <Checkbox
          id="confirm"
          name="confirm"
          value="yes"
          required
          label="我已核对以上信息 I have checked the facts above"
        />
        {issuesAt(error, 'confirm').length > 0 && (
          <span class="field-error">{issuesAt(error, 'confirm').join(' ')}</span>
        )}
        <TextArea
          name="reason"
          label="退回原因 Reason"
          hint="退回时必填 Required to reject"
          errors={issuesAt(error, 'reason')}
        />
        <Buttons>
          <Button kind="primary" name="decision" value="APPROVE">
            批准 Approve
          </Button>
          <Button kind="danger" name="decision" value="REJECT">
            退回 Reject
          </Button>
        </Buttons>
      </form>
    </Layout>
  );
}

function EarlierApprovals({ approvals, names }: { approvals: VoucherView['approvals']; names: Names }) {
  if (approvals.length === 0) return null;
  return (
    <>
      <h2>已审批 Earlier decisions</h2>
      <ul class="earlier">
        {approvals.map((approval) => (
          <li>
            {stepName(approval.step)}: {labelText(DECISION_LABELS[approval.decision])} —{' '}
            {nameOf(approval.decidedBy, names)}
            {approval.onBehalfOf && ` (代 for ${nameOf(approval.onBehalfOf, names)})`}
            {approval.proxy && ` (代录 recorded by ${nameOf(approval.proxy, names)})`} (
            {shanghaiTime(approval.decidedAt)})
            {approval.withdrawn && ' — 已撤回，需重新审批 withdrawn, decided again'}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * After a decision: what happened, in both languages, and the next voucher waiting for this approver
 * (a link freshly signed for them; its page asks for its own click).
 */
export function DecisionOutcomePage(props: {
  decision: 'APPROVE' | 'REJECT';
  voucher: { id: string; number: string | null };
  next: { link: string; number: string; supplierName: string; amountFen: number; step: ApprovalStep } | null;
}) {
  const approved = props.decision === 'APPROVE';
  const name = props.voucher.number ?? props.voucher.id;
  return (
    <OutcomePage
      title={approved ? '已批准 Approved' : '已退回 Rejected'}
      message={
        approved
          ? `谢谢，凭单 ${name} 进入下一步。Thank you. Voucher ${name} moves to its next step.`
          : `已把您的原因告诉申请人，凭单 ${name} 退回修改。The applicant has been told your reason; voucher ${name} goes back to them.`
      }
    >
      {props.next ? (
        <div class="card next" data-testid="next-approval">
          <p>下一张待您审批的凭单 Next voucher waiting for you:</p>
          <p>
            <a href={props.next.link}>
              <span class="number">{props.next.number}</span> · {stepName(props.next.step)} ·{' '}
              {props.next.supplierName} · {yuan(props.next.amountFen)}
            </a>
          </p>
        </div>
      ) : (
        <p class="muted" data-testid="no-next-approval">
          没有其他等您审批的凭单。No other voucher waits for your decision.
        </p>
      )}
    </OutcomePage>
  );
}

/** The refusal of one proxy approval: the facts, and one form (a GET changes nothing). */
export function ProxyRefusalPage(props: { context: ProxyRefusalContext; action: string; nonce: string }) {
  const { voucher, approval, step, approver } = props.context;
  return (
    <Layout title="拒绝代录的审批 Refuse an approval recorded for you">
      <h1>拒绝代录的审批 Refuse an approval recorded for you</h1>
      <p class="muted">{approver}</p>
      <div class="card">
        <dl>
          <dt>审批 Step</dt>
          <dd>{stepName(step)}</dd>
          <dt>金额 Amount</dt>
          <dd class="amount">{yuan(voucher.amountFen)}</dd>
          <dt>收款人 Payee</dt>
          <dd>{voucher.payee.name}</dd>
          <dt>凭单 Voucher</dt>
          <dd>{voucher.id}</dd>
          <dt>代录人 Recorded by</dt>
          <dd>{approval.proxy}</dd>
          <dt>时间 When</dt>
          <dd>{shanghaiTime(approval.decidedAt)}</dd>
        </dl>
      </div>
      <form method="post" action={props.action} class="card">
        <input type="hidden" name="nonce" value={props.nonce} />
        <p>
          如果您没有同意这笔付款，请拒绝：付款前，凭单会退回到您这一步重新审批，财务会收到通知；已付款的，财务和
          CEO 会收到通知。 If you did not agree to this payment, refuse it: before payment the voucher goes
          back to your step to be decided again and finance is told; once paid, finance and the CEO are told.
        </p>
        <TextArea name="reason" label="原因 Reason" />
        <SelectField
          name="confirm"
          label="我确认拒绝 I confirm the refusal"
          required
          options={[
            { value: '', label: '—' },
            { value: 'yes', label: '是 Yes' },
          ]}
        />
        <Buttons>
          <Button kind="danger">拒绝 Refuse</Button>
        </Buttons>
      </form>
    </Layout>
  );
}

export function CountersignPage(props: {
  approver: string;
  items: CountersignItem[];
  action: string;
  nonce: string;
}) {
  return (
    <Layout title="补签 Countersign">
      <h1>补签 Countersign</h1>
      <p class="muted">{props.approver}</p>
      {props.items.length === 0 ? (
        <p class="card">没有待补签的审批。Nothing is waiting for your countersign.</p>
      ) : (
        <form method="post" action={props.action} class="card">
          <input type="hidden" name="nonce" value={props.nonce} />
          <p>这些审批是根据您的同意邮件代为记录的。These approvals were recorded from your consent emails:</p>
          <ul>
            {props.items.map(({ pending, voucher }) => (
              <li>
                {stepName(pending.step)}: {yuan(voucher.amountFen)} → {voucher.supplierName} ({voucher.id}),
                代录人 recorded by {pending.proxy}
                <Checkbox name="refuse" value={voucher.id} label="拒绝补签 Refuse" />
              </li>
            ))}
          </ul>
          <Checkbox name="confirm" value="yes" required label="我确认 I confirm" />
          <TextArea name="reason" label="拒绝原因 Reason for any refusal" />
          <Buttons>
            <Button>补签 Countersign</Button>
          </Buttons>
        </form>
      )}
    </Layout>
  );
}

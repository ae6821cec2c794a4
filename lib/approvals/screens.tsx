/**
 * The screens behind email links, in the UI kit (lib/ui): the approval page, the refusal of a proxy
 * approval and the countersign page (POLICY D6). No session: the signed link is the credential, so
 * they show no navigation; every form carries the link's nonce.
 */
import type { ApprovalStep } from '../domain/model.ts';
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
import type { VoucherView } from '../vouchers/voucher-view.ts';
import type { CountersignItem, ProxyRefusalContext } from './travelling-approver.ts';

const stepName = (step: ApprovalStep) => labelText(STEP_LABELS[step]);

export function ApprovalPage(props: {
  voucher: VoucherView;
  step: ApprovalStep;
  approver: string;
  action: string;
  nonce: string;
  evidence: { name: string; url: string }[];
  error?: FormError | undefined;
}) {
  const { voucher, error } = props;
  return (
    <Layout title="审批 Approval">
      <h1>{stepName(props.step)}</h1>
      <p class="muted">
        {props.approver} · 付款凭单 voucher {voucher.id} · 版本 version {voucher.version}
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
          <dt>订单 Orders</dt>
          <dd>{voucher.orderIds.join(', ')}</dd>
          <dt>申请人 Applicant</dt>
          <dd>{voucher.applicant}</dd>
          <dt>附件 Evidence</dt>
          <dd>
            {props.evidence.map((file) => (
              <a href={file.url}>{file.name} </a>
            ))}
          </dd>
        </dl>
      </div>
      <EarlierApprovals
        approvals={voucher.approvals.filter((approval) => approval.version === voucher.version)}
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

function EarlierApprovals({ approvals }: { approvals: VoucherView['approvals'] }) {
  if (approvals.length === 0) return null;
  return (
    <>
      <h2>已审批 Earlier decisions</h2>
      <ul>
        {approvals.map((approval) => (
          <li>
            {stepName(approval.step)}: {labelText(DECISION_LABELS[approval.decision])} — {approval.decidedBy}{' '}
            ({shanghaiTime(approval.decidedAt)})
            {approval.withdrawn && ' — 已撤回，需重新审批 withdrawn, decided again'}
          </li>
        ))}
      </ul>
    </>
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

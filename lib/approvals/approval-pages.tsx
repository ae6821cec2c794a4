/** The pages behind email approval links. */
import type { Issue } from '../domain/errors.ts';
import type { ApprovalStep } from '../domain/model.ts';
import { formatFen } from '../domain/money.ts';
import { Layout } from '../pages/layout.tsx';
import { ErrorSummary } from '../pages/pages.tsx';
import type { VoucherView } from '../vouchers/voucher-view.ts';
import { STEP_NAMES } from './emails.tsx';

export function ApprovalPage(props: {
  voucher: VoucherView;
  step: ApprovalStep;
  approver: string;
  action: string;
  nonce: string;
  evidence: { name: string; url: string }[];
  error?: { message: string; issues: Issue[] } | undefined;
}) {
  const { voucher } = props;
  return (
    <Layout title="审批 Approval">
      <h1>{STEP_NAMES[props.step]}</h1>
      <p class="muted">
        {props.approver} · 付款凭单 voucher {voucher.id} · 版本 version {voucher.version}
      </p>
      {props.error && <ErrorSummary message={props.error.message} issues={props.error.issues} />}
      {voucher.flags.length > 0 && (
        <div class="card flags">
          {voucher.flags.map((flag) => (
            <p>
              <span class="badge flag">{flag.code}</span> {flag.message}
            </p>
          ))}
        </div>
      )}
      <div class="card">
        <dl>
          <dt>金额 Amount</dt>
          <dd class="amount">¥{formatFen(voucher.amountFen)}</dd>
          <dt>供应商 Supplier</dt>
          <dd>{voucher.supplierName}</dd>
          <dt>收款人 Payee</dt>
          <dd>{voucher.payee.name}</dd>
          <dt>账号 Account</dt>
          <dd>{voucher.payee.account}</dd>
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
        <label>
          <input type="checkbox" name="confirm" value="yes" required style="width:auto" /> 我已核对以上信息 I
          have checked the facts above
        </label>
        <label for="reason">退回原因 Reason (required to reject)</label>
        <textarea id="reason" name="reason" />
        <button type="submit" name="decision" value="APPROVE">
          批准 Approve
        </button>{' '}
        <button type="submit" name="decision" value="REJECT" style="background:#cf222e">
          退回 Reject
        </button>
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
            {STEP_NAMES[approval.step]}: {approval.decision} — {approval.decidedBy} (
            {approval.decidedAt.slice(0, 16).replace('T', ' ')})
            {approval.withdrawn && ' — 已撤回，需重新审批 withdrawn, decided again'}
          </li>
        ))}
      </ul>
    </>
  );
}

export function ApprovalOutcomePage(props: { title: string; message: string }) {
  return (
    <Layout title={props.title}>
      <h1>{props.title}</h1>
      <p class="card">{props.message}</p>
    </Layout>
  );
}

/**
 * `/countersign/<link>`: GET (and HEAD) lists the approver's pending proxy approvals and changes
 * nothing; POST countersigns them all in one action, except any ticked as refused (POLICY D6).
 * `/proxy-refusal/<link>`: GET (and HEAD) shows the one approval a proxy recorded in the approver's
 * name; POST refuses it — before payment the voucher goes back to that step (POLICY D6).
 */
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { formNonce, verifyFormNonce } from '../domain/approval-links.ts';
import { ValidationError } from '../domain/errors.ts';
import { formatFen } from '../domain/money.ts';
import type { ApiEvent, ApiHandler, ApiResult } from '../http/api-handler.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { recordId, typedText } from '../http/input.ts';
import { htmlHandler } from '../pages/html-handler.ts';
import { Layout } from '../pages/layout.tsx';
import { html, linkErrorPage } from './approval-page-handler.ts';
import { ApprovalOutcomePage } from './approval-pages.tsx';
import { STEP_NAMES } from './emails.tsx';
import {
  type CountersignItem,
  countersignAll,
  openCountersign,
  openProxyRefusal,
  type ProxyRefusalContext,
  refuseByLink,
} from './travelling-approver.ts';

/** The refusal of one proxy approval: the facts, and one form (a GET changes nothing). */
function ProxyRefusalPage(props: { context: ProxyRefusalContext; action: string; nonce: string }) {
  const { voucher, approval, step, approver } = props.context;
  return (
    <Layout title="拒绝代录的审批 Refuse an approval recorded for you">
      <h1>拒绝代录的审批 Refuse an approval recorded for you</h1>
      <p class="muted">{approver}</p>
      <div class="card">
        <dl>
          <dt>审批 Step</dt>
          <dd>{STEP_NAMES[step]}</dd>
          <dt>金额 Amount</dt>
          <dd class="amount">¥{formatFen(voucher.amountFen)}</dd>
          <dt>收款人 Payee</dt>
          <dd>{voucher.payee.name}</dd>
          <dt>凭单 Voucher</dt>
          <dd>{voucher.id}</dd>
          <dt>代录人 Recorded by</dt>
          <dd>{approval.proxy}</dd>
          <dt>时间 When</dt>
          <dd>{approval.decidedAt.slice(0, 16).replace('T', ' ')}</dd>
        </dl>
      </div>
      <form method="post" action={props.action} class="card">
        <input type="hidden" name="nonce" value={props.nonce} />
        <p>
          如果您没有同意这笔付款，请拒绝：付款前，凭单会退回到您这一步重新审批，财务会收到通知；已付款的，财务和
          CEO 会收到通知。 If you did not agree to this payment, refuse it: before payment the voucher goes
          back to your step to be decided again and finance is told; once paid, finance and the CEO are told.
        </p>
        <label for="reason">原因 Reason</label>
        <textarea id="reason" name="reason" />
        <label for="confirm">我确认拒绝 I confirm the refusal</label>
        <select id="confirm" name="confirm" required>
          <option value="">—</option>
          <option value="yes">是 Yes</option>
        </select>
        <button type="submit" class="secondary">
          拒绝 Refuse
        </button>
      </form>
    </Layout>
  );
}

const refusalForm = z.object({
  nonce: z.string().min(1, 'open the link again'),
  confirm: z.literal('yes', { message: '请确认 confirm the refusal' }),
  reason: z.string().max(1000).default(''),
});

function CountersignPage(props: {
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
                {STEP_NAMES[pending.step]}: ¥{formatFen(voucher.amountFen)} → {voucher.supplierName} (
                {voucher.id}), recorded by {pending.proxy}{' '}
                <label>
                  <input type="checkbox" name="refuse" value={voucher.id} style="width:auto" /> 拒绝补签
                  refuse
                </label>
              </li>
            ))}
          </ul>
          <label>
            <input type="checkbox" name="confirm" value="yes" required style="width:auto" /> 我确认 I confirm
          </label>
          <label for="reason">拒绝原因 Reason for any refusal</label>
          <textarea id="reason" name="reason" />
          <button type="submit">补签 Countersign</button>
        </form>
      )}
    </Layout>
  );
}

const form = z.object({
  nonce: z.string().min(1),
  confirm: z.literal('yes', { message: 'tick the box to confirm' }),
  refuse: z.union([recordId('voucher id'), z.array(recordId('voucher id'))]).optional(),
  reason: typedText({ what: 'reason', min: 0, max: 1000, multiline: true }).default(''),
});

export function createCountersignPagesHandler(deps: AppDeps): ApiHandler {
  async function refusal(event: ApiEvent): Promise<ApiResult> {
    const token = event.pathParameters?.link ?? '';
    if (event.requestContext.http.method !== 'POST') {
      const context = await openProxyRefusal(deps, token);
      return html(
        200,
        ProxyRefusalPage({
          context,
          action: `/proxy-refusal/${token}`,
          nonce: formNonce(token, deps.linkKey),
        }),
      );
    }
    const parsed = refusalForm.safeParse(event.body);
    if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
    if (!verifyFormNonce(token, parsed.data.nonce, deps.linkKey)) {
      throw new ValidationError(
        '此表单不是来自这个链接，请重新打开链接。This form did not come from this link; open the link again.',
      );
    }
    const { outcome } = await refuseByLink(deps, token, parsed.data.reason);
    return html(
      200,
      ApprovalOutcomePage({
        title: '已拒绝 Refused',
        message:
          outcome === 'PULLED_BACK'
            ? '凭单已退回到您这一步，您会收到新的审批邮件；财务已收到通知。The voucher is back at your step — you will get a new approval email — and finance has been told.'
            : '该凭单已无法退回（已付款、已在付款文件中、已被退回或已修改），财务和 CEO 已收到通知。The voucher can no longer go back (it is paid, in a bank file, rejected or edited since); finance and the CEO have been told.',
      }),
    );
  }

  async function route(event: ApiEvent): Promise<ApiResult> {
    if (event.routeKey.includes('/proxy-refusal/')) return refusal(event);
    const token = event.pathParameters?.link ?? '';
    if (event.requestContext.http.method !== 'POST') {
      const { approver, items } = await openCountersign(deps, token);
      return html(
        200,
        CountersignPage({
          approver,
          items,
          action: `/countersign/${token}`,
          nonce: formNonce(token, deps.linkKey),
        }),
      );
    }
    const parsed = form.safeParse(event.body);
    if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
    if (!verifyFormNonce(token, parsed.data.nonce, deps.linkKey)) {
      throw new ValidationError('This form did not come from this link; open the link again.');
    }
    const refuse = parsed.data.refuse === undefined ? [] : [parsed.data.refuse].flat();
    const result = await countersignAll(deps, token, { refuse, reason: parsed.data.reason });
    return html(
      200,
      ApprovalOutcomePage({
        title: '已补签 Countersigned',
        message: `已补签 ${result.countersigned} 项，拒绝 ${result.refused} 项（财务会收到每项拒绝的通知；未付款的凭单退回到您这一步）。${result.countersigned} countersigned, ${result.refused} refused (finance is told of each refusal; a voucher not yet paid goes back to your step).`,
      }),
    );
  }

  return htmlHandler(route, {
    kind: 'link',
    body: 'urlencoded',
    errorPage: linkErrorPage,
    publicBaseUrl: () => deps.publicBaseUrl,
  });
}

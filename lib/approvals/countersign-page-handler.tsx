/**
 * `/countersign/<link>`: GET (and HEAD) lists the approver's pending proxy approvals and changes
 * nothing; POST countersigns them all in one action, except any ticked as refused (POLICY D6).
 */
import { z } from 'zod';
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
import { type CountersignItem, countersignAll, openCountersign } from './travelling-approver.ts';

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
  async function route(event: ApiEvent): Promise<ApiResult> {
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
        message: `${result.countersigned} countersigned, ${result.refused} refused (finance and the CEO are told of refusals).`,
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

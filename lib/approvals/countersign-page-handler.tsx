/**
 * `/countersign/<link>`: GET (and HEAD) lists the approver's pending proxy approvals and changes
 * nothing; POST countersigns them all in one action, except any ticked as refused (POLICY D6).
 * `/proxy-refusal/<link>`: GET (and HEAD) shows the one approval a proxy recorded in the approver's
 * name; POST refuses it — before payment the voucher goes back to that step (POLICY D6).
 */
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { formNonce, verifyFormNonce } from '../domain/approval-links.ts';
import { ValidationError } from '../domain/errors.ts';
import type { ApiEvent, ApiHandler, ApiResult } from '../http/api-handler.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { recordId, typedText } from '../http/input.ts';
import { htmlHandler } from '../pages/html-handler.ts';
import { OutcomePage } from '../ui/pages.tsx';
import { html, linkErrorPage } from './approval-page-handler.ts';
import { CountersignPage, ProxyRefusalPage } from './screens.tsx';
import { countersignAll, openCountersign, openProxyRefusal, refuseByLink } from './travelling-approver.ts';

const refusalForm = z.object({
  nonce: z.string().min(1, 'open the link again'),
  confirm: z.literal('yes', { message: '请确认 confirm the refusal' }),
  reason: z.string().max(1000).default(''),
});

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
      OutcomePage({
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
      OutcomePage({
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

/**
 * GET (and HEAD) `/approvals/<link>` shows the voucher and a form, and changes nothing — mail
 * scanners fetch links and even submit auto-posting forms. POST decides, once: it needs the form's
 * nonce, the ticked confirmation and a pressed button.
 */
import type { VNode } from 'preact';
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { formNonce, verifyFormNonce } from '../domain/approval-links.ts';
import { ValidationError } from '../domain/errors.ts';
import type { ApiEvent, ApiHandler, ApiResult } from '../http/api-handler.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { typedText } from '../http/input.ts';
import { htmlHandler, htmlResponse } from '../pages/html-handler.ts';
import { downloadUrl } from '../uploads/stored-files.ts';
import { voucherView } from '../vouchers/voucher-view.ts';
import { ApprovalOutcomePage, ApprovalPage } from './approval-pages.tsx';
import { decide, openApproval } from './decide.ts';

export const html = (statusCode: number, page: VNode): ApiResult => htmlResponse(statusCode, page, 'link');

const decisionForm = z.object({
  nonce: z.string().min(1, 'open the link again'),
  confirm: z.literal('yes', { message: 'tick the box to confirm you checked the facts' }),
  decision: z.enum(['APPROVE', 'REJECT'], { message: 'press Approve or Reject' }),
  reason: typedText({ what: 'reason', min: 0, max: 1000, multiline: true }).default(''),
});

export function createApprovalPagesHandler(deps: AppDeps): ApiHandler {
  async function page(
    token: string,
    error?: { message: string; issues: { path: string; message: string }[] },
  ) {
    const { voucher, link } = await openApproval(deps, token);
    const approver = (await deps.store.people.get(link.approver)) ?? {
      email: link.approver,
      name: link.approver,
      entityId: voucher.entityId,
      roles: [],
    };
    // Each file served as its bytes' kind, a download unless a raster image (lib/uploads/stored-files.ts).
    const evidence = (
      await Promise.all(
        voucher.evidence.map(async (key) => ({
          name: key.split('/').pop() ?? key,
          url: await downloadUrl(deps, key),
        })),
      )
    ).flatMap((file) => (file.url === null ? [] : [{ name: file.name, url: file.url }]));
    return ApprovalPage({
      voucher: voucherView(voucher, approver),
      step: link.step,
      approver: link.approver,
      action: `/approvals/${token}`,
      nonce: formNonce(token, deps.linkKey),
      evidence,
      error,
    });
  }

  async function route(event: ApiEvent): Promise<ApiResult> {
    const token = event.pathParameters?.link ?? '';
    if (event.requestContext.http.method !== 'POST') return html(200, await page(token));
    const parsed = decisionForm.safeParse(event.body);
    try {
      if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
      if (!verifyFormNonce(token, parsed.data.nonce, deps.linkKey)) {
        throw new ValidationError('This form did not come from this link; open the link again.');
      }
      const { approval } = await decide(deps, token, {
        decision: parsed.data.decision,
        reason: parsed.data.reason,
      });
      return html(
        200,
        ApprovalOutcomePage(
          approval.decision === 'APPROVE'
            ? { title: '已批准 Approved', message: 'Thank you. The voucher moves to its next step.' }
            : { title: '已退回 Rejected', message: 'The applicant has been told your reason.' },
        ),
      );
    } catch (error) {
      if (error instanceof ValidationError)
        return html(400, await page(token, { message: error.message, issues: error.issues }));
      throw error;
    }
  }

  return htmlHandler(route, {
    kind: 'link',
    body: 'urlencoded',
    errorPage: linkErrorPage,
    publicBaseUrl: () => deps.publicBaseUrl,
  });
}

/** The page for a link that cannot be used: what happened, in words. */
export function linkErrorPage(status: number, message: string): VNode {
  const title = status < 500 ? '无法完成 Cannot do that' : '出错了 Something went wrong';
  return ApprovalOutcomePage({ title, message });
}

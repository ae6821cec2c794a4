/**
 * GET (and HEAD) `/approvals/<link>` shows the voucher and a form, and changes nothing — mail
 * scanners fetch links and even submit auto-posting forms. POST decides, once: it needs the form's
 * nonce, the ticked confirmation and a pressed button.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpUrlEncodeBodyParser from '@middy/http-urlencode-body-parser';
import type { VNode } from 'preact';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { formNonce, verifyFormNonce } from '../domain/approval-links.ts';
import { AppError, ValidationError } from '../domain/errors.ts';
import type { ApiEvent, ApiHandler, ApiResult } from '../http/api-handler.ts';
import { mapError, validationErrorFrom } from '../http/errors.ts';
import { CONTENT_SECURITY_POLICY, renderPage } from '../pages/layout.tsx';
import { voucherView } from '../vouchers/voucher-view.ts';
import { ApprovalOutcomePage, ApprovalPage } from './approval-pages.tsx';
import { decide, openApproval } from './decide.ts';

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // The link is a credential: never send it on as a Referer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex',
};

export const html = (statusCode: number, page: VNode): ApiResult => ({
  statusCode,
  headers: HEADERS,
  body: renderPage(page),
});

const decisionForm = z.object({
  nonce: z.string().min(1, 'open the link again'),
  confirm: z.literal('yes', { message: 'tick the box to confirm you checked the facts' }),
  decision: z.enum(['APPROVE', 'REJECT'], { message: 'press Approve or Reject' }),
  reason: z.string().max(1000).default(''),
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
    const evidence = await Promise.all(
      voucher.evidence.map(async (key) => ({
        name: key.split('/').pop() ?? key,
        url: await deps.evidence.presignDownload(key),
      })),
    );
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

  return middy<ApiEvent, ApiResult>()
    .use({
      onError: (request) => {
        const mapped = mapError(request.error);
        const title =
          request.error instanceof AppError ? '无法完成 Cannot do that' : '出错了 Something went wrong';
        request.response = html(
          mapped.statusCode,
          ApprovalOutcomePage({ title, message: mapped.body.error.message }),
        );
      },
    })
    .use(httpHeaderNormalizer())
    .use(httpUrlEncodeBodyParser({ disableContentTypeError: true }))
    .handler(route) as unknown as ApiHandler;
}

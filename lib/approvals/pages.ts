/**
 * The approvals' pages behind email links. A link page's GET (and HEAD: mail scanners fetch links,
 * even submit auto-posting forms) shows the facts and a form and changes nothing; its POST needs the
 * form's nonce (checked by the router), the ticked confirmation and a pressed button, and decides once.
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { ValidationError } from '../domain/errors.ts';
import { validationErrorFrom } from '../http/errors.ts';
import { recordId, typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { type LinkCredential, link, pageFunction } from '../http/router.ts';
import { approvalsPagesRoutes } from '../http/routes.ts';
import { formErrorOf } from '../ui/controls.tsx';
import { OutcomePage } from '../ui/pages.tsx';
import { filePreview } from '../uploads/stored-files.ts';
import { namesOf } from '../vouchers/names.ts';
import { voucherView } from '../vouchers/voucher-view.ts';
import { nextApprovalFor } from './awaiting.ts';
import { decide, openApproval } from './decide.ts';
import { countersignAll, openCountersign, openProxyRefusal, refuseByLink } from './travelling-approver.ts';

/**
 * The screens, loaded by `await import()` when a page is first drawn: the function's bundle splits
 * there (infra/constructs/bundling.ts), so its cold start parses no screen.
 */
const screens = () => import('./screens.tsx');

const decisionForm = lazySchema(() =>
  z.object({
    confirm: z.literal('yes', {
      message: '请勾选确认您已核对以上信息 tick the box to confirm you checked the facts',
    }),
    decision: z.enum(['APPROVE', 'REJECT'], { message: '请按“批准”或“退回” press Approve or Reject' }),
    reason: typedText({ what: 'reason', min: 0, max: 1000, multiline: true }).default(''),
  }),
);

const countersignForm = lazySchema(() =>
  z.object({
    confirm: z.literal('yes', { message: '请勾选确认 tick the box to confirm' }),
    refuse: z.union([recordId('voucher id'), z.array(recordId('voucher id'))]).optional(),
    reason: typedText({ what: 'reason', min: 0, max: 1000, multiline: true }).default(''),
  }),
);

const refusalForm = lazySchema(() =>
  z.object({
    confirm: z.literal('yes', { message: '请确认 confirm the refusal' }),
    reason: z.string().max(1000).default(''),
  }),
);

function parsedForm<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw validationErrorFrom(parsed.error, 'form');
  return parsed.data;
}

export const approvalsPages = (deps: AppDeps) => {
  /**
   * The approval page: the voucher as the link's approver may see it, the people by name, each
   * order's settlement facts as they are now (POLICY 2.1(1), D7), each file a short-lived link —
   * raster images shown as thumbnails, from origins the page's CSP names exactly.
   */
  async function approvalPage(credential: LinkCredential, error?: ValidationError) {
    const { voucher, link: signed } = await openApproval(deps, credential.token);
    const approver = (await deps.store.people.get(signed.approver)) ?? {
      email: signed.approver,
      name: signed.approver,
      entityId: voucher.entityId,
      roles: [],
    };
    // Each file served as its bytes' kind, a download unless a raster image (lib/uploads/stored-files.ts).
    const evidence = (await Promise.all(voucher.evidence.map((key) => filePreview(deps, key)))).filter(
      (file) => file !== null,
    );
    const orders = await deps.store.orders.getMany(voucher.orderIds);
    const names = await namesOf(deps, [
      voucher.applicant,
      signed.approver,
      ...(voucher.approvals ?? []).flatMap((approval) => [
        approval.decidedBy,
        ...(approval.onBehalfOf ? [approval.onBehalfOf] : []),
        ...(approval.proxy ? [approval.proxy] : []),
      ]),
    ]);
    const page = (await screens()).ApprovalPage({
      voucher: voucherView(voucher, approver),
      step: signed.step,
      approver: signed.approver,
      names,
      orders: voucher.allocations.map((allocation) => ({
        allocation,
        order: orders.get(allocation.orderId) ?? null,
      })),
      action: `/approvals/${credential.token}`,
      nonce: credential.nonce,
      evidence,
      error: error && formErrorOf(error),
    });
    const imageOrigins = evidence.filter((file) => file.image).map((file) => new URL(file.url).origin);
    return { page, imageOrigins };
  }

  return pageFunction(deps, approvalsPagesRoutes, {
    approvalPage: link({}, async ({ link, html }) => {
      const { page, imageOrigins } = await approvalPage(link);
      return html(200, page, { imageOrigins });
    }),
    decide: link({ body: 'urlencoded' }, async ({ link, body, html }) => {
      try {
        const form = parsedForm(decisionForm, body);
        const { voucher, approval } = await decide(deps, link.token, {
          decision: form.decision,
          reason: form.reason,
        });
        // The next step this approver holds that waits for them, by a link freshly signed for them.
        const next = await nextApprovalFor(deps, approval.decidedBy, voucher.id);
        return html(
          200,
          (await screens()).DecisionOutcomePage({
            decision: approval.decision,
            voucher: { id: voucher.id, number: voucher.number ?? null },
            next: next && {
              link: next.link,
              number: next.voucher.number ?? next.voucher.id,
              supplierName: next.voucher.supplierName,
              amountFen: next.voucher.amountFen,
              step: next.step,
            },
          }),
        );
      } catch (error) {
        // The page again, with what was missing (the box, a button, the reason to reject).
        if (!(error instanceof ValidationError)) throw error;
        const { page, imageOrigins } = await approvalPage(link, error);
        return html(400, page, { imageOrigins });
      }
    }),
    countersignPage: link({}, async ({ link, html }) => {
      const { approver, items } = await openCountersign(deps, link.token);
      return html(
        200,
        (await screens()).CountersignPage({
          approver,
          items,
          action: `/countersign/${link.token}`,
          nonce: link.nonce,
        }),
      );
    }),
    /** POLICY D6: every pending proxy approval countersigned in one action, except any ticked as refused. */
    countersign: link({ body: 'urlencoded' }, async ({ link, body, html }) => {
      const form = parsedForm(countersignForm, body);
      const refuse = form.refuse === undefined ? [] : [form.refuse].flat();
      const result = await countersignAll(deps, link.token, { refuse, reason: form.reason });
      return html(
        200,
        OutcomePage({
          title: '已补签 Countersigned',
          message: `已补签 ${result.countersigned} 项，拒绝 ${result.refused} 项（财务会收到每项拒绝的通知；未付款的凭单退回到您这一步）。${result.countersigned} countersigned, ${result.refused} refused (finance is told of each refusal; a voucher not yet paid goes back to your step).`,
        }),
      );
    }),
    refusalPage: link({}, async ({ link, html }) => {
      const context = await openProxyRefusal(deps, link.token);
      return html(
        200,
        (await screens()).ProxyRefusalPage({
          context,
          action: `/proxy-refusal/${link.token}`,
          nonce: link.nonce,
        }),
      );
    }),
    /** POLICY D6: the approver refuses a proxy approval: before payment the voucher goes back to that step. */
    refuse: link({ body: 'urlencoded' }, async ({ link, body, html }) => {
      const form = parsedForm(refusalForm, body);
      const { outcome } = await refuseByLink(deps, link.token, form.reason);
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
    }),
  });
};

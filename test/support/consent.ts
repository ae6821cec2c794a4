/**
 * A travelling approver's consent email as the tests use it (POLICY D6): written by the approver,
 * signed by their domain's (test) key, uploaded by the proxy, recorded through the use case.
 */
import { recordProxyApproval } from '../../lib/approvals/travelling-approver.ts';
import type { ApprovalStep, Person, Voucher } from '../../lib/domain/model.ts';
import { formatFen } from '../../lib/domain/money.ts';
import { storeUploadedFile } from '../../lib/uploads/create-upload.ts';
import type { TestApp } from './app.ts';
import { eml, signed, testKey } from './dkim.ts';

/** The demo directory's named proxies (lib/local/seed.ts). */
export const PROXY_OF: Record<'HEAD_OF_MERCHANDISING' | 'CEO', string> = {
  HEAD_OF_MERCHANDISING: 'sun.hao',
  CEO: 'wu.fang',
};
export const APPROVER_OF: Record<'HEAD_OF_MERCHANDISING' | 'CEO', string> = {
  HEAD_OF_MERCHANDISING: 'wang.qiang',
  CEO: 'zhang.wei',
};

/** What an approver writes: the voucher, the payee and the amount. */
export const consentText = (voucher: Pick<Voucher, 'id' | 'payee' | 'amountFen'>) =>
  `我同意支付凭单 ${voucher.id}：¥${formatFen(voucher.amountFen)}，收款人 ${voucher.payee.name}。\nOK to pay.`;

/** Stores a raw .eml as `uploader`'s consent-email upload; its key. */
export function uploadConsent(app: TestApp, uploader: Person, raw: Buffer): Promise<string> {
  return storeUploadedFile(app.deps, uploader, {
    fileName: 'consent.eml',
    contentType: 'message/rfc822',
    body: raw,
    purpose: 'consent-email',
  });
}

/** The approver's consent email, signed by lianshang.example's test key. */
export function signedConsent(from: string, body: string): Promise<Buffer> {
  return signed(eml({ from, body }), testKey('lianshang.example'));
}

/** The named proxy records the step's approval from the approver's genuine, signed consent email. */
export async function proxyApprove(
  app: TestApp,
  voucher: Voucher,
  step: 'HEAD_OF_MERCHANDISING' | 'CEO',
  options: { proxy?: string; body?: string } = {},
): Promise<Voucher> {
  const proxy = app.person(options.proxy ?? PROXY_OF[step]);
  const raw = await signedConsent(
    `${APPROVER_OF[step]}@lianshang.example`,
    options.body ?? consentText(voucher),
  );
  const consentEmail = await uploadConsent(app, proxy, raw);
  const result = await recordProxyApproval(app.deps, proxy, voucher.id, {
    step: step as ApprovalStep,
    consentEmail,
  });
  await app.engine.settled();
  return result;
}

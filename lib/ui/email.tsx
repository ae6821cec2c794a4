/**
 * The emails' frame: text and HTML from the same lines, HTML through preact (every value escaped),
 * no inline styles (a mail client shows them its own way; the pages' rule holds here too), and the
 * facts every email names in the same words. No task token ever appears in an email — only links.
 */
import { render } from 'preact-render-to-string';
import { accountFor } from '../domain/access.ts';
import type { Voucher } from '../domain/model.ts';
import { yuan } from './format.ts';

/** A rendered email, ready for the mailer (the shape of lib/mail's MailMessage). */
export interface Email {
  to: string[];
  cc?: string[];
  subject: string;
  text: string;
  html: string;
  /** The absolute links the message carries (the outbox shows them; tests follow them). */
  links: string[];
}

export interface EmailLink {
  href: string;
  label: string;
}

/** Lines of text, then each link (its label, then the address in the text part). */
export function email(input: {
  to: string[];
  cc?: string[] | undefined;
  subject: string;
  lines: string[];
  links?: EmailLink[];
}): Email {
  const links = input.links ?? [];
  const text = [
    ...input.lines,
    ...(links.length === 1 ? ['', links[0]?.href ?? ''] : []),
    ...(links.length > 1 ? ['', ...links.flatMap((link) => [link.label, link.href])] : []),
  ].join('\n');
  const html = render(
    <div>
      {input.lines.map((line) => (
        <p>{line}</p>
      ))}
      {links.map((link) => (
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      ))}
    </div>,
  );
  return {
    to: input.to,
    ...(input.cc?.length ? { cc: input.cc } : {}),
    subject: input.subject,
    text,
    html,
    links: links.map((link) => link.href),
  };
}

/**
 * What the voucher is, in one line, with the short number people say on the phone:
 * `FK-20261118-0001 ¥1,000.00 → 杭州织锦服饰有限公司（秋冬女装）`.
 */
export const voucherFacts = (voucher: Voucher): string =>
  `${voucher.number ? `${voucher.number} ` : ''}${yuan(voucher.amountFen)} → ${voucher.supplierName}（${voucher.goods}）`;

/** The voucher's short number and its id, as a line of an email or a page names it. */
export const voucherName = (voucher: Pick<Voucher, 'id' | 'number'>): string =>
  voucher.number ? `${voucher.number}（${voucher.id}）` : voucher.id;

/** The payee as an email shows it: the account masked for every reader (lib/domain/access.ts). */
export const payeeLine = (voucher: Voucher): string =>
  `收款人 Payee: ${voucher.payee.name} · ${voucher.payee.bank} · 账号 account ${accountFor(null, 'email', voucher.payee.account)}`;

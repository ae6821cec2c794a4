/**
 * The travelling approver's consent email (POLICY 2.2 note, D6; DESIGN.md decision 15). A `From:`
 * line is typed by whoever wrote the file, so it proves nothing: the email counts only with a DKIM
 * signature of the approver's own mail domain that passes, aligned strictly with a `From:` that is
 * exactly the approver's address, covering that `From:`, the headers that decide how the body is read,
 * and the whole body. Only the signed body is read for the facts: it must name the voucher (its id, or
 * every one of its orders), the payee and the exact amount, so one "OK" cannot be used for another
 * payment. Pure: the DKIM verification itself (keys from DNS) happens in lib/mail/dkim.ts, which hands
 * over what it found as a `DkimReport`.
 */
import { type Issue, RuleViolationError } from './errors.ts';
import type { Voucher } from './model.ts';
import { fenToYuanString, formatFen } from './money.ts';

/** What DKIM verification found on one signature. */
export interface DkimSignatureReport {
  /** Stable identity of the signature (a hash of its b= value). */
  id: string;
  /** d= */
  domain: string;
  /** `pass` is the only good result. */
  result: string;
  comment?: string | undefined;
  /** Lower-case names of the header fields the signature covers. */
  signedHeaders: string[];
  /** The signature has an l= tag … */
  bodyLengthLimited: boolean;
  /** … leaving this many bytes of the (canonical) body unsigned. */
  unsignedBodyBytes: number;
  /** The key record says the domain is only testing DKIM (t=y). */
  testing: boolean;
}

export interface DkimReport {
  /** The addresses of every `From:` field. */
  fromAddresses: string[];
  /** How many `From:` fields the message has. */
  fromFields: number;
  /** How many times each top-level header field occurs (lower-case names). */
  headerCounts: Record<string, number>;
  signatures: DkimSignatureReport[];
}

/** Header fields that change how the body is read: the signature must cover each one present. */
const BODY_HEADERS = ['content-type', 'content-transfer-encoding'];

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

function notAuthentic(message: string, issues: Issue[]): RuleViolationError {
  return new RuleViolationError('CONSENT_EMAIL_NOT_AUTHENTIC', message, { issues });
}

/**
 * Refuses a consent email that is not provably the approver's own (422, saying why); returns the
 * signature that proves it.
 */
export function assertAuthenticConsent(report: DkimReport, approver: string): DkimSignatureReport {
  const approverDomain = domainOf(approver);
  if (report.signatures.length === 0) {
    throw new RuleViolationError(
      'CONSENT_EMAIL_UNSIGNED',
      `这封邮件没有 DKIM 签名：发件人一栏谁都能填写，无法证明它来自 ${approver}。请上传从邮箱中另存的原始邮件（.eml）。` +
        ` The email carries no DKIM signature: anyone can type a From: line, so nothing shows it came from ${approver}. Upload the original email as saved from the mailbox (.eml).`,
      { issues: [{ path: 'consentEmail', message: '没有 DKIM 签名 no DKIM signature' }] },
    );
  }
  const [from, ...more] = report.fromAddresses;
  if (report.fromFields !== 1 || from === undefined || more.length > 0) {
    throw notAuthentic(
      `这封邮件应当只有一个发件人，实际有 ${report.fromAddresses.length} 个。The email must have exactly one sender; it has ${report.fromAddresses.length}.`,
      [
        {
          path: 'consentEmail',
          message: `发件人栏 ${report.fromFields} 个、地址 ${report.fromAddresses.length} 个 ${report.fromFields} From: fields, ${report.fromAddresses.length} addresses`,
        },
      ],
    );
  }
  const repeated = BODY_HEADERS.filter((name) => (report.headerCounts[name] ?? 0) > 1);
  if (repeated.length > 0) {
    throw notAuthentic(
      `邮件头 ${repeated.join(', ')} 出现了不止一次，无法确定正文内容。The header ${repeated.join(', ')} appears more than once, so what the body says is ambiguous.`,
      [{ path: 'consentEmail', message: `重复的邮件头 repeated headers: ${repeated.join(', ')}` }],
    );
  }
  const fromDomain = domainOf(from);
  const issues: Issue[] = [];
  for (const signature of report.signatures) {
    const why = problemsOf(signature, { approverDomain, fromDomain, headerCounts: report.headerCounts });
    if (why.length === 0) return signature;
    for (const message of why) issues.push({ path: 'consentEmail', message });
  }
  throw notAuthentic(
    `这封邮件的签名不能证明它来自 ${approver}：${issues[0]?.message}。The email\u2019s signature does not show it came from ${approver}: ${issues[0]?.message}.`,
    issues,
  );
}

function problemsOf(
  signature: DkimSignatureReport,
  context: { approverDomain: string; fromDomain: string; headerCounts: Record<string, number> },
): string[] {
  const domain = signature.domain.toLowerCase();
  const problems: string[] = [];
  if (signature.result !== 'pass') {
    problems.push(
      `the signature of ${domain || 'an unnamed domain'} does not verify (${signature.result}${signature.comment ? `: ${signature.comment}` : ''})`,
    );
  }
  if (domain !== context.approverDomain) {
    problems.push(
      `it is signed by ${domain || 'no domain'}, not by the approver\u2019s own domain ${context.approverDomain}`,
    );
  }
  // Strict alignment (DMARC adkim=s): the signing domain is exactly the From: domain.
  if (domain !== context.fromDomain) {
    problems.push(`it is signed by ${domain || 'no domain'} but its From: is at ${context.fromDomain}`);
  }
  if (!signature.signedHeaders.includes('from')) problems.push('the signature does not cover the From: line');
  for (const name of BODY_HEADERS) {
    if ((context.headerCounts[name] ?? 0) > 0 && !signature.signedHeaders.includes(name)) {
      problems.push(`the signature does not cover the ${name} header, which decides how the body is read`);
    }
  }
  if (signature.bodyLengthLimited && signature.unsignedBodyBytes > 0) {
    problems.push(
      `the signature covers only the start of the body (l= tag): ${signature.unsignedBodyBytes} bytes after it are unsigned and could have been added by anyone`,
    );
  }
  if (signature.testing) problems.push(`${domain} publishes its DKIM key in test mode (t=y)`);
  return problems;
}

/**
 * The signed body must be from the approver and name this voucher (its id, or every one of its
 * orders), its payee and its exact amount (two decimals, with or without thousands separators or ¥).
 */
export function assertConsentNamesVoucher(
  email: { from: string; text: string },
  approver: string,
  voucher: Pick<Voucher, 'id' | 'orderIds' | 'amountFen'> & { payee: { name: string } },
): void {
  const issues: Issue[] = [];
  if (email.from.toLowerCase() !== approver.toLowerCase()) {
    issues.push({
      path: 'consentEmail',
      message: `发件人是 ${email.from || '（无）'}，不是 ${approver} it is from ${email.from || 'nobody'}, not from ${approver}`,
    });
  }
  // NFKC: full-width digits, punctuation and ￥ read as their plain forms.
  const body = email.text.normalize('NFKC');
  const namesVoucher =
    containsToken(body, voucher.id) ||
    (voucher.orderIds.length > 0 && voucher.orderIds.every((orderId) => containsToken(body, orderId)));
  if (!namesVoucher) {
    issues.push({
      path: 'consentEmail',
      message: `没有写明凭单 ${voucher.id} 或其订单 it names neither voucher ${voucher.id} nor its orders ${voucher.orderIds.join(', ')}`,
    });
  }
  const payee = voucher.payee.name.normalize('NFKC').trim();
  if (!body.includes(payee))
    issues.push({
      path: 'consentEmail',
      message: `没有写明收款人 ${payee} it does not name the payee ${payee}`,
    });
  if (!statesAmount(body, voucher.amountFen)) {
    issues.push({
      path: 'consentEmail',
      message: `没有准确写明金额 ${formatFen(voucher.amountFen)} it does not state the amount ${formatFen(voucher.amountFen)} exactly`,
    });
  }
  const first = issues[0];
  if (first) {
    throw new RuleViolationError(
      'CONSENT_EMAIL_MISMATCH',
      `同意邮件与此凭单不符：${first.message}。The consent email does not fit this voucher: ${first.message}.`,
      { issues },
    );
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An id as a whole word: `LS-20261116-0001` is not in `LS-20261116-00012`. */
function containsToken(body: string, token: string): boolean {
  return new RegExp(`(?<![0-9A-Za-z_-])${escapeRegExp(token.normalize('NFKC'))}(?![0-9A-Za-z_-])`).test(body);
}

/** `500,000.00` or `500000.00` as a whole number: not inside `1,500,000.00`, nor `500,000.001`. */
export function statesAmount(body: string, amountFen: number): boolean {
  const forms = [formatFen(amountFen), fenToYuanString(amountFen)].map(escapeRegExp).join('|');
  return new RegExp(`(?<![0-9.,])(?:${forms})(?![0-9]|[.,][0-9])`).test(body);
}

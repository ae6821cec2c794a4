/**
 * The travelling approver's consent email (POLICY 2.2 note, D6): it must come from the approver and
 * name the voucher (its id or the supplier) and the amount, so one "OK" cannot be reused for another
 * payment.
 */
import { type Issue, RuleViolationError } from './errors.ts';
import type { Voucher } from './model.ts';
import { fenToYuanString, formatFen } from './money.ts';

export interface ConsentEmail {
  from: string;
  subject: string;
  text: string;
}

export function assertConsentNamesVoucher(email: ConsentEmail, approver: string, voucher: Voucher): void {
  const body = `${email.subject}\n${email.text}`.normalize('NFKC');
  const issues: Issue[] = [];
  if (email.from.toLowerCase() !== approver.toLowerCase()) {
    issues.push({
      path: 'consentEmail',
      message: `it is from ${email.from || 'nobody'}, not from ${approver}`,
    });
  }
  if (!body.includes(voucher.id) && !body.includes(voucher.supplierName)) {
    issues.push({
      path: 'consentEmail',
      message: `it names neither voucher ${voucher.id} nor ${voucher.supplierName}`,
    });
  }
  const amounts = [formatFen(voucher.amountFen), fenToYuanString(voucher.amountFen)];
  if (!amounts.some((amount) => body.includes(amount))) {
    issues.push({ path: 'consentEmail', message: `it does not state the amount ${amounts[0]}` });
  }
  const first = issues[0];
  if (first) {
    throw new RuleViolationError(
      'CONSENT_EMAIL_MISMATCH',
      `The consent email does not fit this voucher: ${first.message}.`,
      {
        issues,
      },
    );
  }
}

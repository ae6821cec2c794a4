/** An invoice request as the JSON API and the pages show it: amounts in yuan beside the fen. */
import type { InvoiceRequest } from '../domain/invoice-request.ts';
import { isPastDeadline } from '../domain/invoicing.ts';
import { fenToYuanString } from '../domain/money.ts';

export function invoiceRequestView(request: InvoiceRequest, now: Date) {
  const { revision: _revision, ...rest } = request;
  return {
    ...rest,
    amount: fenToYuanString(request.amountFen),
    lines: request.lines.map((line) => ({
      ...line,
      amount: fenToYuanString(line.amountFen),
      taxRate: `${line.taxRatePercent}%`,
    })),
    /** D13: issued, not yet reported mailed, and past the 7-day mailing deadline. */
    mailingOverdue:
      request.status === 'ISSUED' &&
      request.invoice !== undefined &&
      isPastDeadline(request.invoice.mailingDueOn, now),
  };
}

export type InvoiceRequestView = ReturnType<typeof invoiceRequestView>;

/**
 * Customer invoice requests and their batches (POLICY 4; D12, D13, D7, D17), as pure rules: the batch
 * days, the 17:00 close, the batch a request joins, finance's and customer service's deadlines, the
 * buyer's tax id and the fields each kind of invoice needs. No I/O; the calendar and the policy
 * version are passed in.
 */
import type { WorkingDayCalendar } from './calendar.ts';
import { type Issue, RuleViolationError, ValidationError } from './errors.ts';
import type { Instant, LocalDate, PlatformOrder } from './model.ts';
import type { PolicySettings } from './policy.ts';
import { addDays, assertLocalDate, shanghaiDate } from './time.ts';
import { isValidUscc } from './uscc.ts';

export type InvoiceKind = 'VAT_SPECIAL' | 'VAT_ORDINARY';
export type BuyerType = 'COMPANY' | 'INDIVIDUAL';

export interface Buyer {
  type: BuyerType;
  name: string;
  taxId?: string;
  address?: string;
  phone?: string;
  bank?: string;
  account?: string;
  email?: string;
}

export interface InvoiceWarning {
  code: 'USCC_CHECKSUM';
  message: string;
}

type BatchPolicy = Pick<PolicySettings, 'invoiceBatchDays' | 'invoiceBatchCloseHour'>;

// ——— Batch days and the close (D12) ———

/**
 * POLICY 4, D12: the batch day of a nominal day of the month — that day when it is a working day,
 * otherwise the previous working day (往前), make-up working Saturdays (调休) included.
 */
export function batchDayFor(nominal: LocalDate, calendar: WorkingDayCalendar): LocalDate {
  return calendar.workingDayOnOrBefore(nominal);
}

/** The batch days of one month, in order (the 10th's, then the 25th's under the default policy). */
export function batchDaysOfMonth(
  year: number,
  month: number,
  calendar: WorkingDayCalendar,
  policy: Pick<PolicySettings, 'invoiceBatchDays'>,
): LocalDate[] {
  const prefix = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
  return [...policy.invoiceBatchDays]
    .sort((a, b) => a - b)
    .map((day) => batchDayFor(`${prefix}-${String(day).padStart(2, '0')}`, calendar));
}

/** POLICY D12: a batch closes at the policy's hour (17:00) Asia/Shanghai on its batch day. */
export function batchClosesAt(
  batchDate: LocalDate,
  policy: Pick<PolicySettings, 'invoiceBatchCloseHour'>,
): Date {
  assertLocalDate(batchDate);
  const hour = String(policy.invoiceBatchCloseHour).padStart(2, '0');
  return new Date(`${batchDate}T${hour}:00:00.000+08:00`);
}

/**
 * POLICY D12: the batch a request joins — the first whose close is strictly after the moment it
 * became eligible (recorded, and its orders complete). At 16:59:59.999 on a batch day it joins that
 * day's batch; at 17:00:00.000 it waits for the next.
 */
export function batchFor(eligibleAt: Date, calendar: WorkingDayCalendar, policy: BatchPolicy): LocalDate {
  const day = shanghaiDate(eligibleAt);
  let year = Number(day.slice(0, 4));
  let month = Number(day.slice(5, 7));
  // A batch day moves at most a holiday's length earlier, so the month before may already hold one
  // that is after the day (never in practice; cheap to be sure), and two months always hold the next.
  ({ year, month } = shiftMonth(year, month, -1));
  for (let i = 0; i < 4; i++) {
    for (const batchDate of batchDaysOfMonth(year, month, calendar, policy)) {
      if (batchClosesAt(batchDate, policy).getTime() > eligibleAt.getTime()) return batchDate;
    }
    ({ year, month } = shiftMonth(year, month, 1));
  }
  throw new Error(`no batch after ${eligibleAt.toISOString()}: check the policy's batch days`);
}

/** The batch after `batchDate` (a corrected line after its batch closed joins the next open one). */
export function nextBatchAfter(
  batchDate: LocalDate,
  calendar: WorkingDayCalendar,
  policy: BatchPolicy,
): LocalDate {
  return batchFor(batchClosesAt(batchDate, policy), calendar, policy);
}

function shiftMonth(year: number, month: number, by: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

// ——— Deadlines (D13) ———

/**
 * POLICY 4, D13: finance issues by the end of the third working day after the day the batch reached
 * it, that day not counted (2026-09-25 → 2026-09-30; 2026-02-25 → 2026-02-28, a make-up Saturday).
 */
export function financeDueBy(
  reachedFinanceOn: LocalDate,
  calendar: WorkingDayCalendar,
  policy: Pick<PolicySettings, 'invoiceIssuanceWorkingDays'>,
): LocalDate {
  return calendar.addWorkingDays(reachedFinanceOn, policy.invoiceIssuanceWorkingDays);
}

/** D13: finance's reminder goes at 09:00 on the due day; the escalation on the next working day. */
export function financeEscalationDay(dueBy: LocalDate, calendar: WorkingDayCalendar): LocalDate {
  return calendar.nextWorkingDay(dueBy);
}

/**
 * POLICY 4, D13: the mailing details are due 7 calendar days after the invoice was handed to customer
 * service, holidays included (issued 2026-09-29 → due 2026-10-06).
 */
export function mailingDueOn(
  handedOverOn: LocalDate,
  policy: Pick<PolicySettings, 'invoiceMailingCalendarDays'>,
): LocalDate {
  return addDays(handedOverOn, policy.invoiceMailingCalendarDays);
}

/** Whether a day-deadline has passed at `now` (the deadline is the end of that day, Asia/Shanghai). */
export function isPastDeadline(dueOn: LocalDate, now: Date): boolean {
  return shanghaiDate(now) > dueOn;
}

// ——— Orders (D7) ———

/**
 * POLICY 2.1(1), D7: an order is complete once receipt is confirmed and the funds credited, with no
 * open refund or dispute. When it became complete: the later of the two; after a dispute was closed,
 * the order's last update (the dispute's own closing time is not kept, and the later instant can only
 * put the request in a later batch, never an earlier one).
 */
export function orderCompletedAt(order: PlatformOrder): Date | null {
  if (order.receiptConfirmedAt === null || order.fundsCreditedAt === null) return null;
  if (order.disputeStatus === 'OPEN') return null;
  const instants = [order.receiptConfirmedAt, order.fundsCreditedAt];
  if (order.disputeStatus === 'CLOSED') instants.push(order.updatedAt);
  return new Date(Math.max(...instants.map((instant) => Date.parse(instant))));
}

/** D12: a request is eligible once recorded and every order complete; null while one is not. */
export function eligibleAt(recordedAt: Instant, orders: readonly PlatformOrder[]): Date | null {
  let latest = Date.parse(recordedAt);
  for (const order of orders) {
    const completed = orderCompletedAt(order);
    if (!completed) return null;
    latest = Math.max(latest, completed.getTime());
  }
  return new Date(latest);
}

// ——— The buyer's tax id ———

/**
 * Full-width characters (ＡＢＣ１２３, the ideographic space) become their ASCII forms (NFKC), every
 * space goes, letters are upper-cased: what customer service copied from a chat or a business card.
 */
export function normalizeTaxId(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** I, O, S, V, Z never appear in a unified social credit code (GB 32100-2015). */
const NOT_IN_USCC = /[IOSVZ]/;

/**
 * POLICY 4 ("make sure the tax number is correct"): 15–20 characters of 0-9A-Z after normalising; an
 * 18-character code is a USCC, so I/O/S/V/Z in it are refused, and a wrong check character is only a
 * warning (real early codes fail it). Refusals are ValidationErrors naming `path`.
 */
export function checkTaxId(raw: string, path = 'buyer.taxId'): { taxId: string; warnings: InvoiceWarning[] } {
  const taxId = normalizeTaxId(raw);
  if (!/^[0-9A-Z]{15,20}$/.test(taxId)) {
    throw new ValidationError(
      `纳税人识别号“${taxId}”应为 15 至 20 位数字或大写字母。The tax id "${taxId}" must be 15 to 20 characters of digits and capital letters.`,
      {
        issues: [{ path, message: '应为 15–20 位数字或字母 15–20 characters, digits and letters A–Z only' }],
      },
    );
  }
  if (taxId.length !== 18) return { taxId, warnings: [] };
  if (NOT_IN_USCC.test(taxId)) {
    throw new ValidationError(
      `纳税人识别号“${taxId}”为 18 位，即统一社会信用代码，其中不会出现 I、O、S、V、Z。The tax id "${taxId}" has 18 characters, so it is a unified social credit code, which never contains I, O, S, V or Z.`,
      {
        issues: [
          {
            path,
            message: '统一社会信用代码不含 I、O、S、V、Z a unified social credit code has no I, O, S, V or Z',
          },
        ],
      },
    );
  }
  return isValidUscc(taxId)
    ? { taxId, warnings: [] }
    : {
        taxId,
        warnings: [
          {
            code: 'USCC_CHECKSUM',
            message: `${taxId} 的最后一位与校验码不符（GB 32100-2015）；部分早期代码如此，请与客户核对。The last character of ${taxId} does not match its check character (GB 32100-2015); some early codes are like this — check it with the customer.`,
          },
        ],
      };
}

// ——— The buyer per kind of invoice ———

/**
 * POLICY 4: a special VAT invoice (专票) goes to a company, with name, tax id, address, phone, bank
 * and account; an ordinary one (普票) to a company needs name and tax id; to a person, the name only
 * (no special invoice to a person, and no tax id). Returns the buyer with its tax id normalised and
 * the warnings; refuses with every missing field at once.
 */
export function checkBuyer(kind: InvoiceKind, buyer: Buyer): { buyer: Buyer; warnings: InvoiceWarning[] } {
  const issues: Issue[] = [];
  const missing = (field: keyof Buyer) => {
    const value = buyer[field];
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ path: `buyer.${field}`, message: '这种发票必须填写 required for this kind of invoice' });
    }
  };
  if (buyer.type === 'INDIVIDUAL') {
    if (kind === 'VAT_SPECIAL') {
      throw new RuleViolationError(
        'SPECIAL_INVOICE_TO_INDIVIDUAL',
        'A special VAT invoice (专票) can only be issued to a company, not to a person.',
        { issues: [{ path: 'kind', message: '个人只能开普通发票 an individual gets an ordinary invoice' }] },
      );
    }
    missing('name');
    if (buyer.taxId !== undefined && buyer.taxId.trim() !== '') {
      issues.push({
        path: 'buyer.taxId',
        message: '开给个人的发票只写姓名 an invoice to a person carries the name only',
      });
    }
  } else {
    const required: (keyof Buyer)[] =
      kind === 'VAT_SPECIAL' ? ['name', 'taxId', 'address', 'phone', 'bank', 'account'] : ['name', 'taxId'];
    for (const field of required) missing(field);
  }
  if (issues.length > 0) {
    throw new ValidationError(
      `购买方信息不全，缺少：${issues.map((issue) => issue.path).join('、')}。The buyer lacks what ${kind === 'VAT_SPECIAL' ? 'a special' : 'an ordinary'} invoice needs: ${issues.map((issue) => issue.path).join(', ')}.`,
      { issues },
    );
  }
  if (buyer.type === 'INDIVIDUAL' || buyer.taxId === undefined) {
    return { buyer: { ...buyer, name: buyer.name.trim() }, warnings: [] };
  }
  const { taxId, warnings } = checkTaxId(buyer.taxId);
  return { buyer: { ...buyer, name: buyer.name.trim(), taxId }, warnings };
}

// ——— Invoice numbers ———

/** A fully digital invoice (数电票) number: 20 digits. */
export function assertInvoiceNumber(value: string, path = 'invoiceNumber'): string {
  const number = value.normalize('NFKC').replace(/\s+/g, '');
  if (!/^\d{20}$/.test(number)) {
    throw new ValidationError(
      `“${value}”不是数电票号码（20 位数字）。"${value}" is not a fully digital invoice number (20 digits).`,
      {
        issues: [{ path, message: '应为 20 位数字 must be 20 digits' }],
      },
    );
  }
  return number;
}

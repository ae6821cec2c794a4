/**
 * A customer's invoice request (POLICY 4; D7, D12, D13, D17) and its life, as one table: for every
 * action, the statuses it may be taken in, the status it leads to and who may take it. The change
 * operation (lib/platform/change.ts, `changeInvoiceRequest`) asks this table before it writes, so a
 * request moves only along these lines.
 *
 *   WAITING_FOR_ORDER ──order complete──▶ QUEUED ──batch closes──▶ WITH_FINANCE ──issue──▶ ISSUED ──delivery──▶ DELIVERED
 *          ▲                                ▲                            │
 *          └────────── correct ─────────────┴──────── RETURNED ◀──return─┘
 *
 *   ISSUED / DELIVERED ──order refunded or disputed (import)──▶ flagged (same status)
 *        flagged ──red letter recorded──▶ REVERSED (orders released) · flagged ──dismiss──▶ not flagged
 */
import { ConflictError, MissingRoleError } from './errors.ts';
import type { Buyer, InvoiceKind, InvoiceWarning } from './invoicing.ts';
import type { Fen, Instant, LocalDate, Role } from './model.ts';

export const INVOICE_REQUEST_STATUSES = [
  'WAITING_FOR_ORDER',
  'QUEUED',
  'WITH_FINANCE',
  'RETURNED',
  'ISSUED',
  'DELIVERED',
  // POLICY 4 (issue 13 §4): the issued invoice was reversed by a red invoice (红冲); its orders are free again.
  'REVERSED',
] as const;
export type InvoiceRequestStatus = (typeof INVOICE_REQUEST_STATUSES)[number];

export type InvoiceDelivery =
  | { method: 'EMAIL'; email: string }
  | { method: 'POST'; recipient: string; phone: string; address: string };

/** What customer service reports once the invoice is on its way (POLICY 4: "within one week"). */
export type DeliveryRecord =
  | { method: 'EMAIL'; sentTo: string; sentOn: LocalDate }
  | { method: 'POST'; courier: string; trackingNumber: string; sentOn: LocalDate };

/** One line per order: its amount (tax included), the goods, the tax classification code and rate. */
export interface InvoiceLine {
  orderId: string;
  itemName: string;
  /** 商品和服务税收分类编码: 19 digits. */
  taxCode: string;
  taxRatePercent: number;
  amountFen: Fen;
}

export interface IssuedInvoice {
  /** A fully digital invoice number: 20 digits. */
  number: string;
  issuedOn: LocalDate;
  recordedBy: string;
  recordedAt: Instant;
  /** D13: the mailing details are due 7 calendar days after the hand-over. */
  mailingDueOn: LocalDate;
}

/** What the order import saw happen to an order of an issued invoice (issue 13 §4). */
export type RedLetterTriggerKind = 'REFUNDED' | 'DISPUTED';

export interface RedLetterTrigger {
  orderId: string;
  what: RedLetterTriggerKind;
  /** The order's amount when it was seen (a refund lowers it below the invoiced line). */
  amountFen: Fen;
  at: Instant;
}

/** 数电票 红字确认单 reason codes (冲红原因): 01 开票有误, 02 销货退回, 03 服务中止, 04 销售折让. */
export const RED_LETTER_REASON_CODES = ['01', '02', '03', '04'] as const;
export type RedLetterReasonCode = (typeof RED_LETTER_REASON_CODES)[number];

/**
 * The red-letter flag for finance (issue 13 §4): open (FLAGGED) until finance records the red invoice
 * (RECORDED, the request REVERSED) or dismisses it with a reason (DISMISSED; a new trigger flags again).
 */
export interface RedLetterFlag {
  status: 'FLAGGED' | 'RECORDED' | 'DISMISSED';
  /** When it was (last) flagged: the order of finance's list. */
  flaggedAt: Instant;
  triggers: RedLetterTrigger[];
  recorded?: {
    confirmationNumber: string;
    reasonCode: RedLetterReasonCode;
    redInvoiceNumber: string;
    issuedOn: LocalDate;
    by: string;
    at: Instant;
  };
  dismissed?: { reason: string; by: string; at: Instant };
}

/** Whether the flag waits for finance. */
export const redLetterOpen = (request: Pick<InvoiceRequest, 'redLetter'>): boolean =>
  request.redLetter?.status === 'FLAGGED';

export interface InvoiceRequest {
  id: string;
  /** ≤ 20 characters, unique: the 发票流水号 of the tax bureau's import file. */
  number: string;
  entityId: string;
  /** Optimistic-concurrency counter: every write bumps it. */
  revision: number;
  status: InvoiceRequestStatus;
  kind: InvoiceKind;
  buyer: Buyer;
  delivery: InvoiceDelivery;
  note?: string;
  orderIds: string[];
  lines: InvoiceLine[];
  amountFen: Fen;
  warnings: InvoiceWarning[];
  /** D12: the batch it is in (or will join); null while an order is not complete. */
  batchDate: LocalDate | null;
  /** D12: when it became eligible (recorded and every order complete). */
  eligibleAt: Instant | null;
  recordedBy: string;
  recordedAt: Instant;
  updatedAt: Instant;
  /** D17: the policy version its batch and lines were decided under. */
  policyVersion: number;
  /** D13: finance returned it for correction, with the reason (kept after the correction). */
  returned?: { by: string; at: Instant; reason: string; batchDate: LocalDate | null };
  invoice?: IssuedInvoice;
  deliveryRecord?: DeliveryRecord & { recordedBy: string; recordedAt: Instant };
  /** Issue 13 §4: an order of the issued invoice was refunded or disputed. */
  redLetter?: RedLetterFlag;
}

export const INVOICE_REQUEST_ACTIONS = [
  'RECORD',
  'ADMIT',
  'SEND_TO_FINANCE',
  'ISSUE',
  'RETURN',
  'CORRECT',
  'RECORD_DELIVERY',
  'FLAG_RED_LETTER',
  'RECORD_RED_LETTER',
  'DISMISS_RED_LETTER',
] as const;
export type InvoiceRequestAction = (typeof INVOICE_REQUEST_ACTIONS)[number];

export type InvoiceParty = Role | 'WORKFLOW';

interface Transition {
  from: readonly (InvoiceRequestStatus | 'NEW')[];
  /** `BY_ORDERS`: QUEUED when every order is complete, WAITING_FOR_ORDER otherwise (the guard says which). */
  to: readonly InvoiceRequestStatus[];
  who: readonly InvoiceParty[];
  refusedAs: string;
}

const FINANCE: readonly InvoiceParty[] = ['FINANCE_INVOICING', 'FINANCE_REVIEWER'];

export const INVOICE_REQUEST_LIFECYCLE: Readonly<Record<InvoiceRequestAction, Transition>> = {
  // POLICY 4: customer service records each request; D7: it waits while an order is not complete.
  RECORD: {
    from: ['NEW'],
    to: ['QUEUED', 'WAITING_FOR_ORDER'],
    who: ['CUSTOMER_SERVICE'],
    refusedAs: 'ALREADY_RECORDED',
  },
  // D12: once its orders are complete it joins a batch (the order import or the close admits it).
  ADMIT: {
    from: ['WAITING_FOR_ORDER'],
    to: ['QUEUED'],
    who: ['WORKFLOW'],
    refusedAs: 'NOT_WAITING_FOR_ORDER',
  },
  // D12: at 17:00 on the batch day the batch goes to finance.
  SEND_TO_FINANCE: { from: ['QUEUED'], to: ['WITH_FINANCE'], who: ['WORKFLOW'], refusedAs: 'NOT_QUEUED' },
  // POLICY 4, D13: finance issues or returns each line.
  ISSUE: { from: ['WITH_FINANCE'], to: ['ISSUED'], who: FINANCE, refusedAs: 'NOT_WITH_FINANCE' },
  RETURN: { from: ['WITH_FINANCE'], to: ['RETURNED'], who: FINANCE, refusedAs: 'NOT_WITH_FINANCE' },
  // D13: corrected, it joins the next open batch (or waits for its orders again).
  CORRECT: {
    from: ['RETURNED'],
    to: ['QUEUED', 'WAITING_FOR_ORDER'],
    who: ['CUSTOMER_SERVICE'],
    refusedAs: 'NOT_RETURNED',
  },
  // POLICY 4: customer service mails the invoice and reports how.
  RECORD_DELIVERY: {
    from: ['ISSUED'],
    to: ['DELIVERED'],
    who: ['CUSTOMER_SERVICE'],
    refusedAs: 'NOT_ISSUED',
  },
  // Issue 13 §4: the order import flags an issued invoice whose order was refunded or disputed.
  FLAG_RED_LETTER: {
    from: ['ISSUED', 'DELIVERED'],
    to: ['ISSUED', 'DELIVERED'],
    who: ['WORKFLOW'],
    refusedAs: 'NOT_ISSUED',
  },
  // Finance records the red invoice (红字确认单 and its number): the invoice is reversed.
  RECORD_RED_LETTER: {
    from: ['ISSUED', 'DELIVERED'],
    to: ['REVERSED'],
    who: FINANCE,
    refusedAs: 'NOT_FLAGGED',
  },
  // Finance dismisses the flag with a reason: the invoice stands.
  DISMISS_RED_LETTER: {
    from: ['ISSUED', 'DELIVERED'],
    to: ['ISSUED', 'DELIVERED'],
    who: FINANCE,
    refusedAs: 'NOT_FLAGGED',
  },
};

/** Whether the action may be taken in that status. */
export function invoiceRequestAllows(
  status: InvoiceRequestStatus | 'NEW',
  action: InvoiceRequestAction,
): boolean {
  return INVOICE_REQUEST_LIFECYCLE[action].from.includes(status);
}

/**
 * Asks the table: refuses an action the status does not allow (409, the action's code), a party who
 * may not take it (403), or a next status the action does not lead to (a bug).
 */
export function assertInvoiceRequestTransition(
  status: InvoiceRequestStatus | 'NEW',
  action: InvoiceRequestAction,
  actor: { roles: readonly Role[] } | 'WORKFLOW',
  next: InvoiceRequestStatus,
): void {
  const transition = INVOICE_REQUEST_LIFECYCLE[action];
  const allowed =
    actor === 'WORKFLOW'
      ? transition.who.includes('WORKFLOW')
      : actor.roles.some((role) => transition.who.includes(role));
  if (!allowed) {
    throw new MissingRoleError(transition.who.filter((who) => who !== 'WORKFLOW'));
  }
  if (!transition.from.includes(status)) {
    throw new ConflictError(
      transition.refusedAs,
      `开票申请当前的状态不能执行此操作。The invoice request is ${status.toLowerCase().replaceAll('_', ' ')}; ${action.toLowerCase().replaceAll('_', ' ')} is not possible now.`,
    );
  }
  if (!transition.to.includes(next)) throw new Error(`${action} cannot lead to ${next}`);
}

/** Statuses in which a request holds its orders (every one: an order is never invoiced twice). */
export const ACTIVE_INVOICE_REQUEST_STATUSES: readonly InvoiceRequestStatus[] =
  INVOICE_REQUEST_STATUSES.filter((status) => status !== 'REVERSED');

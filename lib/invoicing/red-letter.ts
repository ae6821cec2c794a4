/**
 * The red-letter reversal (issue 13 §4, POLICY 4): when an order of an issued invoice is refunded or
 * gets an open dispute, the order import flags the request for finance; finance records the
 * red-letter confirmation (红字确认单) and the red invoice — which reverses the request and frees its
 * orders for a new request at their current amount — or dismisses the flag with a reason. Every
 * change goes through the one change operation with its audit event in the same transaction.
 */
import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import { ConflictError, RuleViolationError } from '../domain/errors.ts';
import { type InvoiceRequest, type RedLetterTrigger, redLetterOpen } from '../domain/invoice-request.ts';
import { assertInvoiceNumber } from '../domain/invoicing.ts';
import type { Person, PlatformOrder } from '../domain/model.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { changeInvoiceRequest } from '../platform/change.ts';
import { FINANCE_ROLES, readable } from './requests.ts';
import type { RedLetterInput } from './schemas.ts';

/** Only an invoice that exists can be reversed. */
const ISSUED_STATUSES = new Set(['ISSUED', 'DELIVERED']);

/**
 * What happened to an invoiced order that finance must look at: refunded (its amount now below the
 * invoiced line, or its funds no longer credited) and/or an open dispute. Pure.
 */
export function triggersOf(
  request: Pick<InvoiceRequest, 'lines'>,
  order: PlatformOrder,
  at: string,
): RedLetterTrigger[] {
  const line = request.lines.find((candidate) => candidate.orderId === order.orderId);
  if (!line) return [];
  const triggers: RedLetterTrigger[] = [];
  if (order.amountFen < line.amountFen || order.fundsCreditedAt === null) {
    triggers.push({ orderId: order.orderId, what: 'REFUNDED', amountFen: order.amountFen, at });
  }
  if (order.disputeStatus === 'OPEN') {
    triggers.push({ orderId: order.orderId, what: 'DISPUTED', amountFen: order.amountFen, at });
  }
  return triggers;
}

/** The same refund (the same amount) or the same dispute is one trigger: a repeat import flags once. */
const triggerKey = (trigger: RedLetterTrigger) =>
  `${trigger.orderId}#${trigger.what}#${trigger.what === 'REFUNDED' ? trigger.amountFen : ''}`;

/**
 * After an order import (lib/orders/import-orders.ts, the API and the orders inbox): each issued
 * request holding one of these orders is flagged for finance when the order was refunded or disputed.
 * Idempotent: a trigger already on the flag (open or dismissed) changes nothing. Returns the requests
 * flagged (their numbers).
 */
export async function flagRedLetters(deps: AppDeps, orderIds: readonly string[]): Promise<string[]> {
  if (orderIds.length === 0) return [];
  const claims = await deps.store.invoiceRequests.claimsOf(orderIds);
  const requestIds = [...new Set([...claims.values()].map((claim) => claim.requestId))];
  const flagged: string[] = [];
  for (const requestId of requestIds) {
    const outcome = await changeInvoiceRequest(deps, requestId, async (read) => {
      if (!ISSUED_STATUSES.has(read.status)) return null;
      const orders = await deps.store.orders.getMany(read.orderIds);
      const at = toShanghaiIso(deps.clock.now());
      const known = new Set((read.redLetter?.triggers ?? []).map(triggerKey));
      const fresh = [...orders.values()]
        .flatMap((order) => triggersOf(read, order, at))
        .filter((trigger) => !known.has(triggerKey(trigger)));
      if (fresh.length === 0) return null;
      return {
        action: 'FLAG_RED_LETTER',
        actor: 'WORKFLOW',
        next: {
          ...read,
          redLetter: {
            ...read.redLetter,
            status: 'FLAGGED',
            flaggedAt: redLetterOpen(read) && read.redLetter ? read.redLetter.flaggedAt : at,
            triggers: [...(read.redLetter?.triggers ?? []), ...fresh],
          },
        },
        event: {
          at,
          actor: 'fundflow',
          type: 'INVOICE_RED_LETTER_FLAGGED',
          version: read.revision + 1,
          details: { triggers: fresh.map(({ orderId, what, amountFen }) => ({ orderId, what, amountFen })) },
        },
      };
    });
    if (outcome.changed) flagged.push(outcome.request.number);
  }
  return flagged;
}

/**
 * Finance records the red-letter confirmation and the red invoice (issue 13 §4): only while the flag
 * is open; the red invoice number is a fully digital one (20 digits), taken once, and issued on a day
 * not in the future nor before the invoice it reverses. The request becomes REVERSED and its order
 * claims are deleted in the same transaction, so a new request for the orders is possible. The same
 * again is a repeat; another confirmation afterwards is a 409.
 */
export async function recordRedLetter(
  deps: AppDeps,
  actor: Person,
  requestId: string,
  input: RedLetterInput,
): Promise<InvoiceRequest> {
  requireRole(actor, ...FINANCE_ROLES);
  const redInvoiceNumber = assertInvoiceNumber(input.redInvoiceNumber, 'redInvoiceNumber');
  const outcome = await changeInvoiceRequest(
    deps,
    requestId,
    async (read) => {
      const recorded = read.redLetter?.recorded;
      if (recorded) {
        if (
          recorded.confirmationNumber === input.confirmationNumber &&
          recorded.reasonCode === input.reasonCode &&
          recorded.redInvoiceNumber === redInvoiceNumber &&
          recorded.issuedOn === input.issuedOn
        ) {
          return null;
        }
        throw new ConflictError(
          'RED_LETTER_ALREADY_RECORDED',
          `申请 ${read.number} 已记录红字发票 ${recorded.redInvoiceNumber}。The red invoice ${recorded.redInvoiceNumber} is already recorded for request ${read.number}.`,
        );
      }
      assertFlagged(read);
      if (redInvoiceNumber === read.invoice?.number) {
        throw new RuleViolationError(
          'RED_INVOICE_IS_ORIGINAL',
          `红字发票号码不能与原发票 ${redInvoiceNumber} 相同。The red invoice number cannot be the original invoice's (${redInvoiceNumber}).`,
          {
            issues: [{ path: 'redInvoiceNumber', message: '与原发票相同 the same as the original invoice' }],
          },
        );
      }
      const holder = await deps.store.invoiceRequests.invoiceNumberHolder(redInvoiceNumber);
      if (holder) {
        throw new ConflictError(
          'INVOICE_NUMBER_TAKEN',
          `发票号码 ${redInvoiceNumber} 已被记录。Invoice number ${redInvoiceNumber} is already recorded.`,
          { issues: [{ path: 'redInvoiceNumber', message: '已被记录 already recorded' }] },
        );
      }
      const now = deps.clock.now();
      assertRedIssuedOn(input.issuedOn, read, now);
      const at = toShanghaiIso(now);
      const flag = read.redLetter as NonNullable<InvoiceRequest['redLetter']>;
      return {
        action: 'RECORD_RED_LETTER',
        actor,
        next: {
          ...read,
          status: 'REVERSED',
          redLetter: {
            ...flag,
            status: 'RECORDED',
            recorded: {
              confirmationNumber: input.confirmationNumber,
              reasonCode: input.reasonCode,
              redInvoiceNumber,
              issuedOn: input.issuedOn,
              by: actor.email,
              at,
            },
          },
        },
        event: {
          at,
          actor: actor.email,
          type: 'INVOICE_RED_LETTER_RECORDED',
          version: read.revision + 1,
          details: {
            confirmationNumber: input.confirmationNumber,
            reasonCode: input.reasonCode,
            redInvoiceNumber,
            issuedOn: input.issuedOn,
            ordersReleased: read.orderIds,
          },
        },
        invoiceNumberTaken: { invoiceNumber: redInvoiceNumber, requestId: read.id },
        claimsReleased: { requestId: read.id, orderIds: read.orderIds },
      };
    },
    { load: () => readable(deps, actor, requestId) },
  );
  return outcome.request;
}

/**
 * Finance dismisses the flag with a reason (issue 13 §4): the invoice stands. Only while it is open;
 * the same reason again is a repeat.
 */
export async function dismissRedLetter(
  deps: AppDeps,
  actor: Person,
  requestId: string,
  reason: string,
): Promise<InvoiceRequest> {
  requireRole(actor, ...FINANCE_ROLES);
  const outcome = await changeInvoiceRequest(
    deps,
    requestId,
    (read) => {
      if (read.redLetter?.status === 'DISMISSED' && read.redLetter.dismissed?.reason === reason) return null;
      assertFlagged(read);
      const at = toShanghaiIso(deps.clock.now());
      const flag = read.redLetter as NonNullable<InvoiceRequest['redLetter']>;
      return {
        action: 'DISMISS_RED_LETTER',
        actor,
        next: {
          ...read,
          redLetter: { ...flag, status: 'DISMISSED', dismissed: { reason, by: actor.email, at } },
        },
        event: {
          at,
          actor: actor.email,
          type: 'INVOICE_RED_LETTER_DISMISSED',
          version: read.revision + 1,
          details: { reason },
        },
      };
    },
    { load: () => readable(deps, actor, requestId) },
  );
  return outcome.request;
}

function assertFlagged(read: InvoiceRequest): void {
  if (!redLetterOpen(read)) {
    throw new ConflictError(
      'NOT_FLAGGED',
      `申请 ${read.number} 没有待处理的红冲提示。Request ${read.number} has no open red-letter flag.`,
    );
  }
}

function assertRedIssuedOn(issuedOn: string, read: InvoiceRequest, now: Date): void {
  if (issuedOn > shanghaiDate(now)) {
    throw new RuleViolationError(
      'ISSUED_ON_IN_FUTURE',
      `${issuedOn} 是将来的日期。${issuedOn} is in the future.`,
      {
        issues: [{ path: 'issuedOn', message: '不能是将来的日期 not in the future' }],
      },
    );
  }
  if (read.invoice && issuedOn < read.invoice.issuedOn) {
    throw new RuleViolationError(
      'RED_BEFORE_BLUE',
      `原发票开具于 ${read.invoice.issuedOn}，红字发票不能早于它。The invoice was issued on ${read.invoice.issuedOn}; its red invoice cannot be earlier.`,
      {
        issues: [
          {
            path: 'issuedOn',
            message: `不早于 ${read.invoice.issuedOn} on or after ${read.invoice.issuedOn}`,
          },
        ],
      },
    );
  }
}

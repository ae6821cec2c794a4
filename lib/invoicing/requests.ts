/**
 * Customer invoice requests (POLICY 4; D7, D12, D13, D17): customer service records, corrects and
 * reports the mailing; finance issues or returns each line. Every state change goes through the one
 * change operation (lib/platform/change.ts) with its audit event in the same transaction.
 */
import { createHash } from 'node:crypto';
import type { AppDeps } from '../app.ts';
import { hasRole, requireRole } from '../domain/access.ts';
import type { WorkingDayCalendar } from '../domain/calendar.ts';
import {
  ConflictError,
  IdempotencyKeyReusedError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../domain/errors.ts';
import {
  assertInvoiceRequestTransition,
  type DeliveryRecord,
  type InvoiceDelivery,
  type InvoiceLine,
  type InvoiceRequest,
  type InvoiceRequestStatus,
} from '../domain/invoice-request.ts';
import {
  assertInvoiceNumber,
  type Buyer,
  batchClosesAt,
  batchFor,
  checkBuyer,
  eligibleAt,
  mailingDueOn,
  nextBatchAfter,
} from '../domain/invoicing.ts';
import type { AuditEvent, LocalDate, Person, PlatformOrder, Role } from '../domain/model.ts';
import type { InvoiceLineDefaults, PolicySettings } from '../domain/policy.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { newId } from '../ids.ts';
import { changeInvoiceRequest, retryingLostRaces } from '../platform/change.ts';
import type { Page } from '../platform/store.ts';
import { workingDayCalendar } from '../working-days.ts';
import { REMARK_MAX_CHARS, remarkOf } from './remark.ts';
import type { InvoiceRequestInput } from './schemas.ts';

/** Who may read an entity's invoice requests: the people who work on them, and oversight. */
const READERS: readonly Role[] = [
  'CUSTOMER_SERVICE',
  'FINANCE_INVOICING',
  'FINANCE_REVIEWER',
  'CEO',
  'ADMIN',
];
/** POLICY 4: finance checks each line and issues it, or returns it. */
export const FINANCE_ROLES: readonly Role[] = ['FINANCE_INVOICING', 'FINANCE_REVIEWER'];

const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;
/** A recording tries again after a lost race (two requests for one order): the second is then refused. */
const RECORD_ATTEMPTS = 4;

export interface RecordResult {
  request: InvoiceRequest;
  replayed: boolean;
}

/**
 * Record a customer's invoice request (POLICY 4).
 *
 * Primary course:
 *  1. Customer service only; the same Idempotency-Key again answers with the request it made (the
 *     same key with another body is refused).
 *  2. The buyer fits the kind of invoice (专票/普票, company/person); the tax id normalised and checked
 *     (a checksum mismatch is a warning, USCC_CHECKSUM).
 *  3. Every order exists (422 naming it) and is on no other request (409 naming that request).
 *  4. Complete orders (D7) → it joins the batch whose close is the first after now (D12); otherwise
 *     it waits (WAITING_FOR_ORDER).
 *  5. The request, its audit event, its idempotency record and one claim per order in one
 *     transaction: a claim that landed meanwhile cancels it all, and the retry refuses with the 409.
 */
export async function recordInvoiceRequest(
  deps: AppDeps,
  actor: Person,
  input: InvoiceRequestInput & { idempotencyKey: string },
): Promise<RecordResult> {
  requireRole(actor, 'CUSTOMER_SERVICE');
  const requestHash = hashRequest(input);
  return retryingLostRaces(async () => {
    const replay = await deps.store.invoiceRequests.idempotencyRecord(actor.email, input.idempotencyKey);
    if (replay) {
      if (replay.requestHash !== requestHash) {
        throw new IdempotencyKeyReusedError(
          '这个 Idempotency-Key 已用于另一份开票申请；新申请请用新的 key。This Idempotency-Key was already used for a different invoice request; use a new key for a new request.',
        );
      }
      const request = await deps.store.invoiceRequests.get(replay.requestId);
      if (!request) throw new Error(`idempotency record points at missing request ${replay.requestId}`);
      return { request, replayed: true };
    }
    const now = deps.clock.now();
    const at = toShanghaiIso(now);
    const policy = await deps.store.settings.currentPolicy(actor.entityId, now);
    const { buyer, warnings } = checkBuyer(input.kind, input.buyer);
    const orders = await ordersOf(deps, input.orderIds);
    await assertOrdersFree(deps, input.orderIds, null);
    assertRemarkFits(input.orderIds);
    const placement = await placementOf(deps, actor.entityId, at, orders, policy);
    const id = newId();
    const request: InvoiceRequest = {
      id,
      number: requestNumber(id, now),
      entityId: actor.entityId,
      revision: 1,
      ...placement,
      kind: input.kind,
      buyer,
      delivery: input.delivery as InvoiceDelivery,
      ...(input.note ? { note: input.note } : {}),
      orderIds: [...input.orderIds],
      lines: linesOf(orders, input, await lineDefaultsOf(deps, actor.entityId, policy)),
      amountFen: orders.reduce((sum, order) => sum + order.amountFen, 0),
      warnings,
      recordedBy: actor.email,
      recordedAt: at,
      updatedAt: at,
      policyVersion: policy.version,
    };
    await deps.store.invoiceRequests.record({
      request,
      event: {
        at,
        actor: actor.email,
        type: 'INVOICE_REQUEST_RECORDED',
        version: 1,
        details: { status: request.status, batchDate: request.batchDate, orderIds: request.orderIds },
      },
      idempotency: {
        person: actor.email,
        key: input.idempotencyKey,
        requestHash,
        requestId: id,
        createdAt: at,
        expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
      },
      batchStillOpen: request.batchDate ? { entityId: request.entityId, batchDate: request.batchDate } : null,
      claims: request.orderIds.map((orderId) => ({
        orderId,
        requestId: id,
        requestNumber: request.number,
        entityId: actor.entityId,
        claimedAt: at,
      })),
    });
    return { request, replayed: false };
  }, RECORD_ATTEMPTS);
}

export async function getInvoiceRequest(
  deps: AppDeps,
  viewer: Person,
  requestId: string,
): Promise<InvoiceRequest> {
  requireRole(viewer, ...READERS);
  return readable(deps, viewer, requestId);
}

export async function invoiceRequestHistory(
  deps: AppDeps,
  viewer: Person,
  requestId: string,
): Promise<AuditEvent[]> {
  await getInvoiceRequest(deps, viewer, requestId);
  return deps.store.invoiceRequests.history(requestId);
}

/** An entity's requests in one status and/or of one batch, a page at a time. */
export async function listInvoiceRequests(
  deps: AppDeps,
  viewer: Person,
  query: {
    status?: InvoiceRequestStatus;
    batchDate?: LocalDate;
    flag?: 'RED_LETTER';
    cursor?: string;
    limit: number;
  },
): Promise<Page<InvoiceRequest>> {
  requireRole(viewer, ...READERS);
  // Issue 13 §4: the flagged ones come from their own sparse index, never a scan.
  if (query.flag === 'RED_LETTER') {
    return deps.store.invoiceRequests.listFlagged(viewer.entityId, {
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
  }
  const options = {
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.batchDate ? { batchDate: query.batchDate } : {}),
  };
  if (query.status) return deps.store.invoiceRequests.listByStatus(viewer.entityId, query.status, options);
  if (query.batchDate)
    return deps.store.invoiceRequests.listByBatch(viewer.entityId, query.batchDate, options);
  throw new ValidationError('请给出状态、批次日期或两者。Give a status, a batchDate or both.', {
    issues: [{ path: 'status', message: '请给出状态、批次日期或两者 give a status, a batchDate or both' }],
  });
}

/**
 * Customer service corrects a request finance returned (POLICY D13): kind, buyer, delivery, note and
 * line details; the orders stay the same (they are claimed by this request). Corrected, it joins the
 * next open batch — or waits, if an order is no longer complete. The same correction again is a repeat.
 */
export async function correctInvoiceRequest(
  deps: AppDeps,
  actor: Person,
  requestId: string,
  input: InvoiceRequestInput,
): Promise<InvoiceRequest> {
  requireRole(actor, 'CUSTOMER_SERVICE');
  const { buyer, warnings } = checkBuyer(input.kind, input.buyer);
  const outcome = await changeInvoiceRequest(
    deps,
    requestId,
    async (read) => {
      if (!sameOrders(read.orderIds, input.orderIds)) {
        throw new RuleViolationError(
          'ORDERS_CANNOT_CHANGE',
          `更正不能改变申请的订单（${read.orderIds.join('、')}）；其他订单请另行申请。A correction keeps the request's orders (${read.orderIds.join(', ')}); for other orders record a new request.`,
          { issues: [{ path: 'orderIds', message: '订单须与原来相同 the same orders as before' }] },
        );
      }
      const corrected = {
        kind: input.kind,
        buyer,
        delivery: input.delivery as InvoiceDelivery,
        note: input.note,
      };
      if (read.status !== 'RETURNED' && read.returned && sameContent(read, corrected, input)) return null;
      const now = deps.clock.now();
      const at = toShanghaiIso(now);
      const policy = await deps.store.settings.currentPolicy(read.entityId, now);
      const orders = await ordersOf(deps, read.orderIds);
      const placement = await placementOf(deps, read.entityId, at, orders, policy);
      const { note: _note, ...rest } = read;
      return {
        action: 'CORRECT',
        actor,
        next: {
          ...rest,
          ...placement,
          kind: input.kind,
          buyer,
          delivery: corrected.delivery,
          ...(input.note ? { note: input.note } : {}),
          lines: linesOf(orders, input, await lineDefaultsOf(deps, read.entityId, policy)),
          warnings,
          policyVersion: policy.version,
        },
        event: {
          at,
          actor: actor.email,
          type: 'INVOICE_REQUEST_CORRECTED',
          version: read.revision + 1,
          details: { status: placement.status, batchDate: placement.batchDate },
        },
        ...(placement.batchDate
          ? { batchStillOpen: { entityId: read.entityId, batchDate: placement.batchDate } }
          : {}),
      };
    },
    { load: () => readable(deps, actor, requestId) },
  );
  return outcome.request;
}

/**
 * Finance records the invoice it issued (POLICY 4, D13): a fully digital invoice number (20 digits),
 * the day it was issued — not in the future, not before the batch reached finance. The number is
 * taken once. The mailing details are then due 7 calendar days later. The same again is a repeat.
 */
export async function issueInvoice(
  deps: AppDeps,
  actor: Person,
  requestId: string,
  input: { invoiceNumber: string; issuedOn: LocalDate },
): Promise<InvoiceRequest> {
  requireRole(actor, ...FINANCE_ROLES);
  const invoiceNumber = assertInvoiceNumber(input.invoiceNumber);
  const outcome = await changeInvoiceRequest(
    deps,
    requestId,
    async (read) => {
      if (read.invoice) {
        if (read.invoice.number === invoiceNumber && read.invoice.issuedOn === input.issuedOn) return null;
        throw new ConflictError(
          'INVOICE_ALREADY_ISSUED',
          `申请 ${read.number} 已记录 ${read.invoice.issuedOn} 开具的发票 ${read.invoice.number}。Invoice ${read.invoice.number} of ${read.invoice.issuedOn} is already recorded for request ${read.number}.`,
        );
      }
      // The lifecycle first: a line that has not reached finance is refused as such, whatever its dates.
      assertInvoiceRequestTransition(read.status, 'ISSUE', actor, 'ISSUED');
      const holder = await deps.store.invoiceRequests.invoiceNumberHolder(invoiceNumber);
      if (holder && holder !== read.id) {
        throw new ConflictError(
          'INVOICE_NUMBER_TAKEN',
          `发票号码 ${invoiceNumber} 已记录在另一份申请上。Invoice number ${invoiceNumber} is already recorded for another request.`,
          {
            issues: [
              { path: 'invoiceNumber', message: '已记录在另一份申请上 already recorded for another request' },
            ],
          },
        );
      }
      const now = deps.clock.now();
      assertIssuedOn(input.issuedOn, read, now);
      const policy = await deps.store.settings.policy(read.entityId, read.policyVersion);
      const at = toShanghaiIso(now);
      return {
        action: 'ISSUE',
        actor,
        next: {
          ...read,
          status: 'ISSUED',
          invoice: {
            number: invoiceNumber,
            issuedOn: input.issuedOn,
            recordedBy: actor.email,
            recordedAt: at,
            mailingDueOn: mailingDueOn(input.issuedOn, policy),
          },
        },
        event: {
          at,
          actor: actor.email,
          type: 'INVOICE_ISSUED',
          version: read.revision + 1,
          details: { invoiceNumber, issuedOn: input.issuedOn },
        },
        invoiceNumberTaken: { invoiceNumber, requestId: read.id },
      };
    },
    { load: () => readable(deps, actor, requestId) },
  );
  return outcome.request;
}

/** POLICY D13: finance returns one line for correction, with the reason; the batch goes on without it. */
export async function returnInvoiceRequest(
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
      if (read.status === 'RETURNED' && read.returned?.reason === reason) return null;
      const at = toShanghaiIso(deps.clock.now());
      return {
        action: 'RETURN',
        actor,
        next: {
          ...read,
          status: 'RETURNED',
          returned: { by: actor.email, at, reason, batchDate: read.batchDate },
        },
        event: {
          at,
          actor: actor.email,
          type: 'INVOICE_REQUEST_RETURNED',
          version: read.revision + 1,
          details: { reason },
        },
      };
    },
    { load: () => readable(deps, actor, requestId) },
  );
  return outcome.request;
}

/** POLICY 4: customer service reports how the issued invoice went to the customer (D13: within 7 days). */
export async function recordDelivery(
  deps: AppDeps,
  actor: Person,
  requestId: string,
  input: DeliveryRecord,
): Promise<InvoiceRequest> {
  requireRole(actor, 'CUSTOMER_SERVICE');
  const outcome = await changeInvoiceRequest(
    deps,
    requestId,
    (read) => {
      if (read.deliveryRecord) {
        const { recordedBy: _by, recordedAt: _at, ...recorded } = read.deliveryRecord;
        if (JSON.stringify(recorded) === JSON.stringify(input)) return null;
        throw new ConflictError(
          'DELIVERY_ALREADY_RECORDED',
          `申请 ${read.number} 的寄送信息已经记录。The mailing of request ${read.number} is already recorded.`,
        );
      }
      const now = deps.clock.now();
      if (input.sentOn > shanghaiDate(now)) {
        throw new RuleViolationError(
          'SENT_ON_IN_FUTURE',
          `${input.sentOn} 是将来的日期。${input.sentOn} is in the future.`,
          {
            issues: [{ path: 'sentOn', message: '不能是将来的日期 not in the future' }],
          },
        );
      }
      if (read.invoice && input.sentOn < read.invoice.issuedOn) {
        throw new RuleViolationError(
          'SENT_BEFORE_ISSUED',
          `发票开具于 ${read.invoice.issuedOn}，不可能在 ${input.sentOn} 寄出。The invoice was issued on ${read.invoice.issuedOn}; it cannot have been sent on ${input.sentOn}.`,
          {
            issues: [
              {
                path: 'sentOn',
                message: `不早于 ${read.invoice.issuedOn} on or after ${read.invoice.issuedOn}`,
              },
            ],
          },
        );
      }
      const at = toShanghaiIso(now);
      return {
        action: 'RECORD_DELIVERY',
        actor,
        next: {
          ...read,
          status: 'DELIVERED',
          deliveryRecord: { ...input, recordedBy: actor.email, recordedAt: at },
        },
        event: {
          at,
          actor: actor.email,
          type: 'INVOICE_DELIVERY_RECORDED',
          version: read.revision + 1,
          details: { method: input.method, sentOn: input.sentOn },
        },
      };
    },
    { load: () => readable(deps, actor, requestId) },
  );
  return outcome.request;
}

/**
 * D12, D7: requests waiting for their orders that are now complete join a batch — the first whose
 * close is after the moment they became eligible, unless that batch has gone to finance already:
 * then the earliest still open (`earliestOpen`, by default the batch of `now`; the close job passes
 * the batch it is closing, so what became eligible before 17:00 still goes with it). For the order
 * import (lib/orders/import-orders.ts, the API and the orders inbox) and the close; returns the
 * requests admitted.
 */
export async function admitWaitingRequests(
  deps: AppDeps,
  input: { entityId: string; earliestOpen?: LocalDate },
): Promise<InvoiceRequest[]> {
  const now = deps.clock.now();
  const calendar = await workingDayCalendar(deps);
  const admitted: InvoiceRequest[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.invoiceRequests.listByStatus(input.entityId, 'WAITING_FOR_ORDER', {
      limit: 100,
      ...(cursor ? { cursor } : {}),
    });
    for (const waiting of page.items) {
      const outcome = await changeInvoiceRequest(deps, waiting.id, async (read) => {
        if (read.status !== 'WAITING_FOR_ORDER') return null;
        const orders = [...(await deps.store.orders.getMany(read.orderIds)).values()];
        const eligible = orders.length === read.orderIds.length ? eligibleAt(read.recordedAt, orders) : null;
        if (!eligible) return null;
        const policy = await deps.store.settings.policy(read.entityId, read.policyVersion);
        const earliest = input.earliestOpen ?? batchFor(now, calendar, policy);
        const target = batchFor(eligible, calendar, policy);
        const at = toShanghaiIso(now);
        const batchDate = await openBatchFrom(
          deps,
          read.entityId,
          target < earliest ? earliest : target,
          calendar,
          policy,
        );
        return {
          action: 'ADMIT',
          actor: 'WORKFLOW',
          next: { ...read, status: 'QUEUED', batchDate, eligibleAt: toShanghaiIso(eligible) },
          event: {
            at,
            actor: 'fundflow',
            type: 'INVOICE_REQUEST_ADMITTED',
            version: read.revision + 1,
            details: { batchDate },
          },
        };
      });
      if (outcome.changed) admitted.push(outcome.request);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return admitted;
}

// ——— helpers ———

/** The request as the viewer may see it (also for lib/invoicing/red-letter.ts). */
export async function readable(deps: AppDeps, viewer: Person, requestId: string): Promise<InvoiceRequest> {
  const request = await deps.store.invoiceRequests.get(requestId);
  // D17: a person acts only in their own entity; another entity's request does not exist for them.
  if (!request || request.entityId !== viewer.entityId || !hasRole(viewer, ...READERS)) {
    throw new NotFoundError(`没有开票申请 ${requestId}。No invoice request ${requestId}.`);
  }
  return request;
}

/** POLICY 4: every order exists — a 422 naming each missing one. */
async function ordersOf(deps: AppDeps, orderIds: readonly string[]): Promise<PlatformOrder[]> {
  const repeated = orderIds.find((orderId, index) => orderIds.indexOf(orderId) !== index);
  if (repeated !== undefined) {
    throw new ValidationError(
      `订单 ${repeated} 重复列出，每个订单只列一次。Order ${repeated} is listed twice; list each order once.`,
      {
        issues: [
          {
            path: `orderIds.${orderIds.lastIndexOf(repeated)}`,
            message: `订单 ${repeated} 重复 order ${repeated} is listed twice`,
          },
        ],
      },
    );
  }
  const found = await deps.store.orders.getMany(orderIds);
  const missing = orderIds.flatMap((orderId, index) => (found.has(orderId) ? [] : [{ orderId, index }]));
  const first = missing[0];
  if (first) {
    throw new RuleViolationError(
      'ORDER_NOT_FOUND',
      `导入的平台订单中没有订单 ${first.orderId}。Order ${first.orderId} is not among the imported platform orders.`,
      {
        issues: missing.map(({ orderId, index }) => ({
          path: `orderIds.${index}`,
          message: `没有订单 ${orderId} no order ${orderId}`,
        })),
      },
    );
  }
  return orderIds.map((orderId) => found.get(orderId) as PlatformOrder);
}

/** POLICY 4: no order is invoiced twice — a 409 naming the request that has it. */
async function assertOrdersFree(
  deps: AppDeps,
  orderIds: readonly string[],
  own: string | null,
): Promise<void> {
  const claims = await deps.store.invoiceRequests.claimsOf(orderIds);
  const taken = orderIds.flatMap((orderId, index) => {
    const claim = claims.get(orderId);
    return claim && claim.requestId !== own ? [{ index, claim }] : [];
  });
  const first = taken[0];
  if (first) {
    throw new ConflictError(
      'ORDER_ALREADY_INVOICED',
      `订单 ${first.claim.orderId} 已在开票申请 ${first.claim.requestNumber} 中，一个订单只开一次发票。Order ${first.claim.orderId} is already on invoice request ${first.claim.requestNumber}; an order is invoiced once.`,
      {
        issues: taken.map(({ index, claim }) => ({
          path: `orderIds.${index}`,
          message: `已在开票申请 ${claim.requestNumber} 中 on invoice request ${claim.requestNumber} (${claim.requestId})`,
        })),
      },
    );
  }
}

/**
 * D7, D12: QUEUED in the batch of the moment it became eligible — or, when that batch has closed
 * already (its close ran a moment early, or the request was judged just before it), the next open
 * one — or WAITING_FOR_ORDER. The write is conditional on the batch being still open.
 */
async function placementOf(
  deps: AppDeps,
  entityId: string,
  at: string,
  orders: readonly PlatformOrder[],
  policy: PolicySettings,
): Promise<{ status: InvoiceRequestStatus; batchDate: LocalDate | null; eligibleAt: string | null }> {
  const eligible = eligibleAt(at, orders);
  if (!eligible) return { status: 'WAITING_FOR_ORDER', batchDate: null, eligibleAt: null };
  const calendar: WorkingDayCalendar = await workingDayCalendar(deps);
  const batchDate = await openBatchFrom(
    deps,
    entityId,
    batchFor(eligible, calendar, policy),
    calendar,
    policy,
  );
  return { status: 'QUEUED', batchDate, eligibleAt: toShanghaiIso(eligible) };
}

/** The batch `from`, or the first after it that has not closed. */
async function openBatchFrom(
  deps: AppDeps,
  entityId: string,
  from: LocalDate,
  calendar: WorkingDayCalendar,
  policy: PolicySettings,
): Promise<LocalDate> {
  let batchDate = from;
  while (await deps.store.invoiceBatches.get(entityId, batchDate)) {
    batchDate = nextBatchAfter(batchDate, calendar, policy);
  }
  return batchDate;
}

/** The tax bureau's 备注 carries the order ids (POLICY 4): they must fit in it. */
function assertRemarkFits(orderIds: readonly string[]): void {
  if (remarkOf(orderIds).length > REMARK_MAX_CHARS) {
    throw new ValidationError(
      `订单号超出发票备注的长度（最多 ${REMARK_MAX_CHARS} 个字符），请拆分申请。The order ids do not fit the invoice's remark (at most ${REMARK_MAX_CHARS} characters); split the request.`,
      {
        issues: [
          {
            path: 'orderIds',
            message: `订单号最多 ${REMARK_MAX_CHARS} 个字符 the order ids fit in ${REMARK_MAX_CHARS} characters`,
          },
        ],
      },
    );
  }
}

/**
 * What a line says unless the request says otherwise: the entity's own invoicing settings (kept by
 * its administrator, lib/admin/entities.ts), else the policy's defaults.
 */
async function lineDefaultsOf(
  deps: Pick<AppDeps, 'store'>,
  entityId: string,
  policy: PolicySettings,
): Promise<InvoiceLineDefaults> {
  return (await deps.store.people.getEntity(entityId))?.invoicing ?? policy.invoiceLineDefaults;
}

/** One line per order, at the order's amount, described by the entity's settings or the request's own. */
function linesOf(
  orders: readonly PlatformOrder[],
  input: InvoiceRequestInput,
  defaults: InvoiceLineDefaults,
): InvoiceLine[] {
  return orders.map((order) => ({
    orderId: order.orderId,
    itemName: input.lines?.itemName ?? defaults.itemName,
    taxCode: input.lines?.taxCode ?? defaults.taxCode,
    taxRatePercent: input.lines?.taxRatePercent ?? defaults.taxRatePercent,
    amountFen: order.amountFen,
  }));
}

/**
 * ≤ 20 characters and unique: the day it was recorded (Asia/Shanghai) and the last ten characters of
 * its id (a monotonic ULID: distinct within the process, random across processes).
 */
function requestNumber(id: string, now: Date): string {
  return `${shanghaiDate(now).replaceAll('-', '')}${id.slice(-10)}`;
}

function assertIssuedOn(issuedOn: LocalDate, request: InvoiceRequest, now: Date): void {
  if (issuedOn > shanghaiDate(now)) {
    throw new RuleViolationError(
      'ISSUED_ON_IN_FUTURE',
      `${issuedOn} 是将来的日期。${issuedOn} is in the future.`,
      {
        issues: [{ path: 'issuedOn', message: '不能是将来的日期 not in the future' }],
      },
    );
  }
  if (request.batchDate && issuedOn < request.batchDate) {
    throw new RuleViolationError(
      'ISSUED_BEFORE_BATCH',
      `申请 ${request.number} 随 ${request.batchDate} 批次交给财务，不可能在 ${issuedOn} 开具。Request ${request.number} reached finance with the batch of ${request.batchDate}; it cannot have been issued on ${issuedOn}.`,
      {
        issues: [
          { path: 'issuedOn', message: `不早于 ${request.batchDate} on or after ${request.batchDate}` },
        ],
      },
    );
  }
}

const sameOrders = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

function sameContent(
  read: InvoiceRequest,
  corrected: { kind: string; buyer: Buyer; delivery: InvoiceDelivery; note: string | undefined },
  input: InvoiceRequestInput,
): boolean {
  return (
    JSON.stringify([read.kind, read.buyer, read.delivery, read.note ?? '']) ===
      JSON.stringify([corrected.kind, corrected.buyer, corrected.delivery, corrected.note ?? '']) &&
    (input.lines === undefined ||
      read.lines.every(
        (line) =>
          (input.lines?.itemName ?? line.itemName) === line.itemName &&
          (input.lines?.taxCode ?? line.taxCode) === line.taxCode &&
          (input.lines?.taxRatePercent ?? line.taxRatePercent) === line.taxRatePercent,
      ))
  );
}

function hashRequest(input: InvoiceRequestInput): string {
  const { idempotencyKey: _key, ...body } = input as InvoiceRequestInput & { idempotencyKey?: string };
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/** The batch a request is in closes at this instant (for the views). */
export function closesAtOf(
  request: Pick<InvoiceRequest, 'batchDate'>,
  policy: PolicySettings,
): string | null {
  return request.batchDate ? toShanghaiIso(batchClosesAt(request.batchDate, policy)) : null;
}

/**
 * Platform orders as the precondition of a payment request (POLICY 2.1(1), D7): only settled orders —
 * receipt confirmed and the funds credited — without an open refund or dispute; and a voucher may not
 * claim more than its orders still owe the supplier.
 */
import { type Issue, RuleViolationError, ValidationError } from './errors.ts';
import type { Fen, OrderAllocation, PlatformOrder } from './model.ts';
import { formatFen } from './money.ts';

/** POLICY 2.1(1), D7: complete means the customer confirmed receipt and the funds reached the company. */
export function isSettled(order: PlatformOrder): boolean {
  return order.receiptConfirmedAt !== null && order.fundsCreditedAt !== null;
}

interface OrderProblem {
  code: 'ORDER_NOT_FOUND' | 'ORDER_SUPPLIER_MISMATCH' | 'ORDER_NOT_SETTLED' | 'ORDER_DISPUTED';
  message: string;
}

function problemWith(
  order: PlatformOrder | undefined,
  orderId: string,
  supplierId: string,
): OrderProblem | null {
  if (!order) {
    return {
      code: 'ORDER_NOT_FOUND',
      message: `订单 ${orderId} 不在已导入的平台订单中。Order ${orderId} is not among the imported platform orders.`,
    };
  }
  if (order.supplierId !== supplierId) {
    return {
      code: 'ORDER_SUPPLIER_MISMATCH',
      message: `订单 ${orderId} 属于供应商 ${order.supplierId}，不是 ${supplierId}。Order ${orderId} is an order of supplier ${order.supplierId}, not of ${supplierId}.`,
    };
  }
  // POLICY 2.1(1), D7: only after receipt and payment release may a payment request be submitted.
  if (!isSettled(order)) {
    const missing = [
      order.receiptConfirmedAt === null
        ? ['客户尚未确认收货', 'the customer has not confirmed receipt']
        : null,
      order.fundsCreditedAt === null
        ? ['货款尚未到公司账户', 'the funds have not reached the company account']
        : null,
    ].filter((reason) => reason !== null);
    return {
      code: 'ORDER_NOT_SETTLED',
      message: `订单 ${orderId} 尚未结算：${missing.map(([zh]) => zh).join('，')}。Order ${orderId} is not settled: ${missing.map(([, en]) => en).join(' and ')} (POLICY 2.1(1)).`,
    };
  }
  // POLICY D7: an open refund or dispute blocks the order's vouchers.
  if (order.disputeStatus === 'OPEN') {
    return {
      code: 'ORDER_DISPUTED',
      message: `订单 ${orderId} 有未结的退款或纠纷，结案前不能付款。Order ${orderId} has an open refund or dispute; it cannot be paid until that is closed.`,
    };
  }
  return null;
}

/**
 * POLICY 2.1(1), D7: every cited order exists, belongs to the voucher's supplier, is settled and has no
 * open dispute. Refuses with the first problem found (in the given order) and lists one issue per
 * failing order, so a form can mark every bad line at once.
 */
export function assertOrdersPayable(input: {
  supplierId: string;
  orderIds: readonly string[];
  orders: ReadonlyMap<string, PlatformOrder>;
}): void {
  // POLICY D7: a voucher must reference at least one platform order.
  if (input.orderIds.length === 0) {
    throw new RuleViolationError(
      'NO_ORDERS',
      '凭单至少要引用一个已结算的平台订单。A voucher must cite at least one settled platform order.',
      { issues: [{ path: 'orderIds', message: '至少一个订单 cite at least one order' }] },
    );
  }
  // An order cited twice would have its remainder claimed twice.
  const duplicates: Issue[] = [];
  for (const [index, orderId] of input.orderIds.entries()) {
    if (input.orderIds.indexOf(orderId) !== index) {
      duplicates.push({
        path: `orderIds.${index}`,
        message: `订单 ${orderId} 引用了两次 order ${orderId} is cited twice`,
      });
    }
  }
  const repeatedId = input.orderIds.find((orderId, index) => input.orderIds.indexOf(orderId) !== index);
  if (repeatedId !== undefined) {
    throw new ValidationError(
      `订单 ${repeatedId} 引用了两次，每个订单只引用一次。Order ${repeatedId} is cited twice; cite each order once.`,
      {
        issues: duplicates,
      },
    );
  }
  const issues: Issue[] = [];
  let first: OrderProblem | null = null;
  for (const [index, orderId] of input.orderIds.entries()) {
    const problem = problemWith(input.orders.get(orderId), orderId, input.supplierId);
    if (!problem) continue;
    first ??= problem;
    issues.push({ path: `orderIds.${index}`, message: problem.message });
  }
  if (first) throw new RuleViolationError(first.code, first.message, { issues });
}

/** What the order still owes its supplier after earlier vouchers' claims; never below zero. */
export function remainingPayableFen(order: PlatformOrder): Fen {
  return Math.max(0, order.supplierPayableFen - order.claimedFen);
}

/** Fills the orders in the given order up to what each still owes; refuses anything beyond. */
export function allocateAmount(amountFen: Fen, orders: readonly PlatformOrder[]): OrderAllocation[] {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) {
    throw new ValidationError(
      `分配的金额必须是正的整数分，实为 ${amountFen}。The amount to allocate must be a positive whole number of fen, got ${amountFen}.`,
    );
  }
  const repeated = orders.find(
    (order, index) => orders.findIndex((other) => other.orderId === order.orderId) !== index,
  );
  if (repeated) {
    // Listing an order twice would count what it still owes twice.
    throw new ValidationError(
      `订单 ${repeated.orderId} 列了两次，每个订单只引用一次。Order ${repeated.orderId} is listed twice; cite each order once.`,
    );
  }
  const totalRemaining = orders.reduce((sum, order) => sum + remainingPayableFen(order), 0);
  // POLICY 2.1(1), D7: a voucher pays for its orders, so it may not claim more than they still owe.
  if (amountFen > totalRemaining) {
    throw new RuleViolationError(
      'AMOUNT_EXCEEDS_PAYABLE',
      `金额 ${formatFen(amountFen)} 超过所引用订单尚欠供应商的 ${formatFen(totalRemaining)}（已扣除之前的凭单）。The amount ${formatFen(amountFen)} is more than the cited orders still owe the supplier (${formatFen(totalRemaining)}, after earlier vouchers).`,
      {
        issues: [
          {
            path: 'amount',
            message: `最多 ${formatFen(totalRemaining)} at most ${formatFen(totalRemaining)}`,
          },
        ],
      },
    );
  }
  const allocations: OrderAllocation[] = [];
  let left = amountFen;
  for (const order of orders) {
    if (left === 0) break;
    const take = Math.min(left, remainingPayableFen(order));
    if (take > 0) allocations.push({ orderId: order.orderId, amountFen: take });
    left -= take;
  }
  return allocations;
}

/**
 * Platform orders as the precondition of a payment request (POLICY 2.1(1), D7): only settled orders —
 * receipt confirmed and the funds credited — without an open refund or dispute; and a voucher may not
 * claim more than its orders still owe the supplier.
 */
import { type Issue, RuleViolationError, ValidationError } from './errors.ts';
import type { Fen, OrderAllocation, PlatformOrder } from './model.ts';
import { formatFen } from './money.ts';

export function isSettled(order: PlatformOrder): boolean {
  return order.receiptConfirmedAt !== null && order.fundsCreditedAt !== null;
}

function problemWith(
  order: PlatformOrder | undefined,
  orderId: string,
  supplierId: string,
): [string, string] | null {
  if (!order) return ['ORDER_NOT_FOUND', `Order ${orderId} is not among the imported platform orders.`];
  if (order.supplierId !== supplierId) {
    return [
      'ORDER_SUPPLIER_MISMATCH',
      `Order ${orderId} is an order of supplier ${order.supplierId}, not ${supplierId}.`,
    ];
  }
  if (!isSettled(order)) {
    const missing = [
      order.receiptConfirmedAt === null ? 'the customer has not confirmed receipt' : null,
      order.fundsCreditedAt === null ? 'the funds have not reached the company account' : null,
    ].filter((reason) => reason !== null);
    return [
      'ORDER_NOT_SETTLED',
      `Order ${orderId} is not settled: ${missing.join(' and ')} (POLICY 2.1(1)).`,
    ];
  }
  if (order.disputeStatus === 'OPEN') {
    return [
      'ORDER_DISPUTED',
      `Order ${orderId} has an open refund or dispute; it cannot be paid until it closes.`,
    ];
  }
  return null;
}

export function assertOrdersPayable(input: {
  supplierId: string;
  orderIds: readonly string[];
  orders: ReadonlyMap<string, PlatformOrder>;
}): void {
  if (input.orderIds.length === 0) {
    throw new RuleViolationError('NO_ORDERS', 'A voucher must cite at least one settled platform order.', {
      issues: [{ path: 'orderIds', message: 'at least one order' }],
    });
  }
  const duplicates = input.orderIds.filter((id, index) => input.orderIds.indexOf(id) !== index);
  if (duplicates.length > 0) {
    throw new ValidationError(`Order ${duplicates[0]} is cited twice.`, {
      issues: [{ path: 'orderIds', message: `duplicate ${duplicates.join(', ')}` }],
    });
  }
  const issues: Issue[] = [];
  let first: [string, string] | null = null;
  for (const [index, orderId] of input.orderIds.entries()) {
    const problem = problemWith(input.orders.get(orderId), orderId, input.supplierId);
    if (!problem) continue;
    first ??= problem;
    issues.push({ path: `orderIds.${index}`, message: problem[1] });
  }
  if (first) throw new RuleViolationError(first[0], first[1], { issues });
}

export function remainingPayableFen(order: PlatformOrder): Fen {
  return Math.max(0, order.supplierPayableFen - order.claimedFen);
}

/** Fills the orders in the given order up to what each still owes; refuses anything beyond. */
export function allocateAmount(amountFen: Fen, orders: readonly PlatformOrder[]): OrderAllocation[] {
  const totalRemaining = orders.reduce((sum, order) => sum + remainingPayableFen(order), 0);
  if (amountFen > totalRemaining) {
    throw new RuleViolationError(
      'AMOUNT_EXCEEDS_PAYABLE',
      `The amount ${formatFen(amountFen)} is more than the cited orders still owe the supplier (${formatFen(totalRemaining)}, after earlier vouchers).`,
      { issues: [{ path: 'amount', message: `at most ${formatFen(totalRemaining)}` }] },
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

import type { AppDeps } from '../app.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import { fenToYuanString } from '../domain/money.ts';
import { isSettled, remainingPayableFen } from '../domain/orders.ts';

/** An order as people see it: its amounts in yuan and fen, whether it is settled, what is left to claim. */
export async function getOrder(deps: AppDeps, _viewer: Person, orderId: string) {
  const order = await deps.store.orders.get(orderId);
  if (!order) throw new NotFoundError(`没有这个订单 ${orderId}。No order ${orderId}.`);
  return {
    ...order,
    amount: fenToYuanString(order.amountFen),
    supplierPayable: fenToYuanString(order.supplierPayableFen),
    claimed: fenToYuanString(order.claimedFen),
    remainingPayable: fenToYuanString(remainingPayableFen(order)),
    settled: isSettled(order),
  };
}

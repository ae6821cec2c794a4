/**
 * fundflow's side of a week (POLICY 3.2, D11), read from the table a page at a time — never the whole
 * week in memory, never a Scan:
 *  1. The orders complete that week (funds credited, POLICY 2.1(1)), from the index
 *     `ordersCompleteRecorded`: an order complete in the week became complete-and-recorded at or after
 *     Monday 00:00 (it is recorded no earlier than it completed), so the week's orders are the range
 *     from there on, those credited before the next Monday kept.
 *  2. The orders the summary names that are not among them (complete in another week, or not
 *     complete): read by id, so the engine can say OUTSIDE_PERIOD rather than NOT_IN_PLATFORM.
 * An order of another entity (D17) is not this entity's: the summary line naming it is NOT_IN_PLATFORM.
 */
import type { AppDeps } from '../app.ts';
import type { PlatformOrder } from '../domain/model.ts';
import type { PlatformOrderLine } from './model.ts';
import type { InputFile } from './text-input.ts';
import { type ReconciliationWeek, weekBoundsMs } from './week.ts';

const PAGE = 500;
/** What the provenance of a platform side names: the table, not a file. */
export const PLATFORM_SOURCE = 'fundflow';

export function tablePlatformOrders(
  deps: Pick<AppDeps, 'store'>,
  entityId: string,
  week: ReconciliationWeek,
  summaries: readonly InputFile[],
): () => AsyncIterable<PlatformOrderLine[]> {
  const bounds = weekBoundsMs(week);
  const inWeek = (order: PlatformOrder) => {
    const credited = order.fundsCreditedAt ? Date.parse(order.fundsCreditedAt) : null;
    return credited !== null && credited >= bounds.start && credited < bounds.end;
  };
  return async function* () {
    let line = 0;
    const lineOf = (order: PlatformOrder): PlatformOrderLine => ({
      orderId: order.orderId,
      supplierId: order.supplierId,
      amountFen: order.amountFen,
      supplierPayableFen: order.supplierPayableFen,
      completedAtMs: order.fundsCreditedAt ? Date.parse(order.fundsCreditedAt) : null,
      disputeStatus: order.disputeStatus,
      at: { file: PLATFORM_SOURCE, line: ++line },
    });
    // 1. The week's orders, by the index.
    let cursor: string | undefined;
    do {
      const page = await deps.store.orders.completeRecordedFrom(entityId, week.periodStart, {
        limit: PAGE,
        ...(cursor ? { cursor } : {}),
      });
      const batch = page.items.filter(inWeek).map(lineOf);
      if (batch.length > 0) yield batch;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // 2. The summary's orders outside the week (few; each once, however often the summary names it).
    const outside = new Set<string>();
    const { readSalesSummary } = await import('./sheets.ts');
    for (const file of summaries) {
      for await (const lines of readSalesSummary(file)) {
        const orders = await deps.store.orders.getMany(lines.map((l) => l.orderId));
        const batch: PlatformOrderLine[] = [];
        for (const order of orders.values()) {
          if (order.entityId !== entityId || inWeek(order) || outside.has(order.orderId)) continue;
          outside.add(order.orderId);
          batch.push(lineOf(order));
        }
        if (batch.length > 0) yield batch;
      }
    }
  };
}

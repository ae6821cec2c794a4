/**
 * Upsert platform orders from the back-office CSV export (POLICY 2.1(1), 3.1; D7 needs them).
 *
 * Primary course:
 *  1. Only tech or admin import; the header row must be exactly the documented one.
 *  2. Each line is validated on its own; a bad line is reported with its line number and skipped —
 *     also a line whose supplier is not in the importer's master data, or whose payable to the supplier
 *     is more than the order's amount.
 *  3. A good line creates the order or replaces it (keeping what vouchers already claim), with an
 *     audit event, conditional on the version read.
 */
import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import { completeRecordedAtOf } from '../domain/daily-export.ts';
import { type Issue, ValidationError } from '../domain/errors.ts';
import type { Person, PlatformOrder } from '../domain/model.ts';
import { formatFen, parseYuan } from '../domain/money.ts';
import { parseInstant, toShanghaiIso } from '../domain/time.ts';
import { zodIssues } from '../http/errors.ts';
import { recordId } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { flagRedLetters } from '../invoicing/red-letter.ts';
import { admitWaitingRequests } from '../invoicing/requests.ts';
import { logger } from '../observability/logger.ts';

export const ORDER_CSV_COLUMNS = [
  'orderId',
  'supplierId',
  'amount',
  'supplierPayable',
  'receiptConfirmedAt',
  'fundsCreditedAt',
  'disputeStatus',
] as const;

export interface ImportResult {
  imported: number;
  updated: number;
  unchanged: number;
  rejected: { line: number; issues: Issue[] }[];
  /**
   * POLICY 4, D7, D12: invoice requests that waited for these orders and now join a batch (their
   * numbers); the batch's close admits again what an import could not.
   */
  invoiceRequestsAdmitted?: string[];
  /** Issue 13 §4: issued invoice requests flagged for finance because an order was refunded or disputed. */
  invoiceRequestsFlagged?: string[];
}

/** Generous ceiling for order amounts; the voucher's own ceiling is the policy's. */
const ORDER_CEILING_FEN = Number.MAX_SAFE_INTEGER;

function yuan(allowZero: boolean) {
  return z.string().transform((text, ctx) => {
    try {
      return parseYuan(text, { ceilingFen: ORDER_CEILING_FEN, allowZero });
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid amount' });
      return z.NEVER;
    }
  });
}

const optionalInstant = lazySchema(() =>
  z.string().transform((text, ctx) => {
    if (text.trim() === '') return null;
    try {
      return toShanghaiIso(parseInstant(text.trim()));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'invalid time' });
      return z.NEVER;
    }
  }),
);

const orderLine = lazySchema(() =>
  z
    .object({
      orderId: recordId('orderId', { trim: true }),
      supplierId: recordId('supplierId', { trim: true }),
      amount: yuan(false),
      supplierPayable: yuan(true),
      receiptConfirmedAt: optionalInstant,
      fundsCreditedAt: optionalInstant,
      disputeStatus: z.enum(['NONE', 'OPEN', 'CLOSED'], {
        message: 'disputeStatus 只能是 NONE、OPEN 或 CLOSED disputeStatus must be NONE, OPEN or CLOSED',
      }),
    })
    // What the company owes the supplier comes out of what the customer paid for the order.
    .refine((line) => line.supplierPayable <= line.amount, {
      path: ['supplierPayable'],
      message: '超过订单金额 more than the order’s amount',
    }),
);

export async function importOrders(deps: AppDeps, actor: Person, csv: string): Promise<ImportResult> {
  requireRole(actor, 'TECH', 'ADMIN');
  const rows = await parseCsv(csv);
  const [header, ...lines] = rows;
  if (!header || header.map((cell) => cell.trim()).join(',') !== ORDER_CSV_COLUMNS.join(',')) {
    throw new ValidationError(
      `第一行必须是表头 ${ORDER_CSV_COLUMNS.join(',')}。The first line must be the header ${ORDER_CSV_COLUMNS.join(',')}.`,
      {
        issues: [{ path: 'line.1', message: '表头不对 unexpected header row' }],
      },
    );
  }
  const result: ImportResult = { imported: 0, updated: 0, unchanged: 0, rejected: [] };
  const knownSupplier = supplierCheck(deps, actor);
  const updatedOrders: string[] = [];
  for (const [index, cells] of lines.entries()) {
    const line = index + 2;
    if (cells.length === 1 && cells[0]?.trim() === '') continue;
    if (cells.length !== ORDER_CSV_COLUMNS.length) {
      result.rejected.push({
        line,
        issues: [
          {
            path: '',
            message: `应有 ${ORDER_CSV_COLUMNS.length} 列，实有 ${cells.length} 列 expected ${ORDER_CSV_COLUMNS.length} columns, found ${cells.length}`,
          },
        ],
      });
      continue;
    }
    const parsed = orderLine.safeParse(
      Object.fromEntries(ORDER_CSV_COLUMNS.map((name, i) => [name, cells[i]])),
    );
    if (!parsed.success) {
      result.rejected.push({ line, issues: zodIssues(parsed.error) });
      continue;
    }
    if (!(await knownSupplier(parsed.data.supplierId))) {
      result.rejected.push({
        line,
        issues: [
          {
            path: 'supplierId',
            message: `供应商档案中没有 ${parsed.data.supplierId} is not in the supplier master data`,
          },
        ],
      });
      continue;
    }
    const outcome = await upsertOrder(deps, actor, parsed.data);
    if (typeof outcome === 'string') result[outcome] += 1;
    else result.rejected.push({ line, issues: outcome });
    // Unchanged too: an import whose flagging failed flags when the same file comes again.
    if (outcome === 'updated' || outcome === 'unchanged') updatedOrders.push(parsed.data.orderId);
  }
  if (result.imported + result.updated > 0) {
    result.invoiceRequestsAdmitted = await admitted(deps, actor.entityId);
  }
  if (updatedOrders.length > 0) {
    result.invoiceRequestsFlagged = await flagged(deps, actor.entityId, updatedOrders);
  }
  return result;
}

/**
 * Issue 13 §4: issued invoice requests whose order this import refunded or disputed are flagged for
 * finance. The orders are saved whatever happens here: a failure is logged, never refuses the import
 * (the same import again flags them, once).
 */
async function flagged(deps: AppDeps, entityId: string, orderIds: readonly string[]): Promise<string[]> {
  try {
    return await flagRedLetters(deps, orderIds);
  } catch (error) {
    logger.error('invoice requests not flagged for a red letter after an order import', {
      entityId,
      orderIds: orderIds.slice(0, 20),
      error: error as Error,
    });
    return [];
  }
}

/**
 * D7, D12: the entity's invoice requests waiting for an order that the import completed join the
 * next batch. The orders are saved whatever happens here: a failure is logged, and the close admits
 * them (closeBatch does first) — it never refuses the import.
 */
async function admitted(deps: AppDeps, entityId: string): Promise<string[]> {
  try {
    return (await admitWaitingRequests(deps, { entityId })).map((request) => request.number);
  } catch (error) {
    logger.error('invoice requests not admitted after an order import', { entityId, error: error as Error });
    return [];
  }
}

/** Whether a supplier id is in the importer's entity's master data; each supplier read once per import. */
function supplierCheck(deps: AppDeps, actor: Person): (supplierId: string) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>();
  return (supplierId) => {
    let answer = known.get(supplierId);
    if (!answer) {
      answer = deps.store.suppliers
        .get(supplierId)
        .then((supplier) => supplier !== null && supplier.entityId === actor.entityId);
      known.set(supplierId, answer);
    }
    return answer;
  };
}

/** csv-parse loads with the first file (an import), not at the function's cold start. */
async function parseCsv(csv: string): Promise<string[][]> {
  const { parse } = await import('csv-parse/sync');
  try {
    return parse(csv.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
    });
  } catch (error) {
    throw new ValidationError(
      `文件不是有效的 CSV。The file is not valid CSV: ${error instanceof Error ? error.message : error}`,
      {
        cause: error,
      },
    );
  }
}

async function upsertOrder(
  deps: AppDeps,
  actor: Person,
  line: z.output<typeof orderLine>,
): Promise<'imported' | 'updated' | 'unchanged' | Issue[]> {
  const existing = await deps.store.orders.get(line.orderId);
  if (existing && existing.claimedFen > 0) {
    // Vouchers already claim against this order: its supplier and payable cannot move under them.
    if (existing.supplierId !== line.supplierId) {
      return [
        {
          path: 'supplierId',
          message: `已有凭单按供应商 ${existing.supplierId} 引用了这个订单 vouchers already cite this order for ${existing.supplierId}`,
        },
      ];
    }
    if (line.supplierPayable < existing.claimedFen) {
      return [
        {
          path: 'supplierPayable',
          message: `凭单已申请 ${formatFen(existing.claimedFen)}，超过新的应付金额 vouchers already claim ${formatFen(existing.claimedFen)}, more than the new payable`,
        },
      ];
    }
  }
  const facts = {
    orderId: line.orderId,
    supplierId: line.supplierId,
    amountFen: line.amount,
    supplierPayableFen: line.supplierPayable,
    receiptConfirmedAt: line.receiptConfirmedAt,
    fundsCreditedAt: line.fundsCreditedAt,
    disputeStatus: line.disputeStatus,
  };
  if (
    existing &&
    Object.entries(facts).every(([key, value]) => existing[key as keyof PlatformOrder] === value)
  ) {
    return 'unchanged';
  }
  const now = toShanghaiIso(deps.clock.now());
  // POLICY 3.1, D10: the instant it became complete and recorded places it in one daily export; set
  // the first time it is seen complete, never moved by a later import.
  const completeRecordedAt = completeRecordedAtOf(existing, facts, now);
  const order: PlatformOrder = {
    ...facts,
    claimedFen: existing?.claimedFen ?? 0,
    // The importer's entity: the supplier was checked to be in its master data (D17).
    entityId: actor.entityId,
    importedAt: existing?.importedAt ?? now,
    ...(completeRecordedAt ? { completeRecordedAt } : {}),
    updatedAt: now,
    version: (existing?.version ?? 0) + 1,
  };
  await deps.store.orders.save(order, existing?.version ?? null, {
    at: now,
    actor: actor.email,
    type: existing ? 'ORDER_UPDATED' : 'ORDER_IMPORTED',
    version: order.version,
    details: facts,
  });
  return existing ? 'updated' : 'imported';
}

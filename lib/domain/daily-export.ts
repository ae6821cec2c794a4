/**
 * The daily back-office export (POLICY 3.1, D10): which orders one export of one legal entity holds.
 * Pure rules, no I/O.
 *
 * Each order carries the instant it became both complete (funds credited, POLICY 2.1(1)) and recorded
 * in fundflow (`completeRecordedAt`, set once). Exports of an entity follow each other without gap or
 * overlap: each covers `(windowStart, windowEnd]`, its start the previous export's end. So every order
 * falls in exactly one export — the first run after it is both complete and recorded — whatever lies
 * between two runs (a weekend, National Day). An order whose completion time an earlier export had
 * already covered (it was recorded later) is marked late.
 */
import { ValidationError } from './errors.ts';
import type { Fen, Instant, LocalDate, PlatformOrder } from './model.ts';
import { parseInstant, toShanghaiIso } from './time.ts';

/** The start of an entity's first export: every order recorded before it counts (nothing is lost). */
export const FIRST_WINDOW_START: Instant = toShanghaiIso(new Date(0));

/** The instant the export of `date` is scheduled for: `date` at `HH:mm` Asia/Shanghai (D10, D15). */
export function exportOccurrence(date: LocalDate, time: string): Date {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) {
    throw new ValidationError(
      `每日导出时间须为 HH:mm（现为 ${time}）。The daily export time must be HH:mm, got ${time}.`,
      {
        issues: [{ path: 'dailyExportTime', message: '须为 HH:mm 格式 It must be a time as HH:mm' }],
      },
    );
  }
  return parseInstant(`${date}T${time}:00+08:00`);
}

/**
 * The window of an entity's export of `date`: from the previous export's end to the scheduled time,
 * but never past `now` — a run by hand before 17:30 ends where it ran, so an order recorded after it
 * goes into the next export instead of into a window that has already been written.
 */
export function exportWindow(input: { previousWindowEnd: Instant | null; occurrence: Date; now: Date }): {
  windowStart: Instant;
  windowEnd: Instant;
} {
  const end = Math.min(input.occurrence.getTime(), input.now.getTime());
  const windowStart = input.previousWindowEnd ?? FIRST_WINDOW_START;
  const windowEnd = toShanghaiIso(new Date(Math.max(end, parseInstant(windowStart).getTime())));
  return { windowStart, windowEnd };
}

/**
 * When an order became complete and recorded, as of an import at `recordedAt`: kept once set (the
 * order stays in the export it went into); otherwise, once the funds are credited, the later of the
 * credit and this import. Null while it is not complete.
 */
export function completeRecordedAtOf(
  previous: Pick<PlatformOrder, 'completeRecordedAt'> | null,
  order: Pick<PlatformOrder, 'fundsCreditedAt'>,
  recordedAt: Instant,
): Instant | null {
  if (previous?.completeRecordedAt) return previous.completeRecordedAt;
  if (order.fundsCreditedAt === null) return null;
  const credited = parseInstant(order.fundsCreditedAt).getTime();
  const recorded = parseInstant(recordedAt).getTime();
  return credited > recorded ? order.fundsCreditedAt : recordedAt;
}

/** Late: its completion time lay in an earlier export's window, which it missed by being recorded after. */
export function isLate(order: Pick<PlatformOrder, 'fundsCreditedAt'>, windowStart: Instant): boolean {
  if (order.fundsCreditedAt === null) return false;
  return parseInstant(order.fundsCreditedAt).getTime() <= parseInstant(windowStart).getTime();
}

export interface DailyExportRow {
  orderId: string;
  supplierId: string;
  supplierName: string;
  amountFen: Fen;
  supplierPayableFen: Fen;
  receiptConfirmedAt: Instant | null;
  fundsCreditedAt: Instant | null;
  claimedFen: Fen;
  late: boolean;
}

export interface DailyExportTotals {
  orders: number;
  amountFen: Fen;
  supplierPayableFen: Fen;
  claimedFen: Fen;
  late: number;
}

export function totalsOf(rows: readonly DailyExportRow[]): DailyExportTotals {
  return rows.reduce<DailyExportTotals>(
    (sum, row) => ({
      orders: sum.orders + 1,
      amountFen: sum.amountFen + row.amountFen,
      supplierPayableFen: sum.supplierPayableFen + row.supplierPayableFen,
      claimedFen: sum.claimedFen + row.claimedFen,
      late: sum.late + (row.late ? 1 : 0),
    }),
    { orders: 0, amountFen: 0, supplierPayableFen: 0, claimedFen: 0, late: 0 },
  );
}

/**
 * Reading the daily exports (POLICY 3.1, D10): merchandising and finance of an entity read their own
 * entity's exports only (D17), by day range or one day, and download their files.
 */
import type { AppDeps } from '../app.ts';
import { DAILY_EXPORT_ROLES, requireRole } from '../domain/access.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import { addDays } from '../domain/time.ts';
import type { DailyExport } from '../platform/store.ts';
import { apiFileLinks, downloadHeaders, type ExportFormat } from './export-files.ts';

/** The longest range one listing reads: a year of working days is about 250 exports. */
export const MAX_RANGE_DAYS = 366;

export interface DailyExportView {
  date: LocalDate;
  entityId: string;
  windowStart: string;
  windowEnd: string;
  orders: number;
  /** Integer fen, as every amount of the API. */
  amount: number;
  late: number;
  files: { csv: string; xlsx: string };
}

export const exportView = (record: DailyExport): DailyExportView => ({
  date: record.date,
  entityId: record.entityId,
  windowStart: record.windowStart,
  windowEnd: record.windowEnd,
  orders: record.orders,
  amount: record.amountFen,
  late: record.late,
  files: apiFileLinks(record.date),
});

export async function listDailyExports(
  deps: AppDeps,
  viewer: Person,
  range: { from: LocalDate; to: LocalDate },
): Promise<DailyExport[]> {
  requireRole(viewer, ...DAILY_EXPORT_ROLES);
  if (range.from > range.to) {
    throw new ValidationError('开始日期不能晚于结束日期。The first day must not be after the last day.', {
      issues: [{ path: 'from', message: '晚于结束日期 It is after the last day' }],
    });
  }
  if (addDays(range.from, MAX_RANGE_DAYS) < range.to) {
    throw new ValidationError(
      `一次最多查询 ${MAX_RANGE_DAYS} 天。Ask for at most ${MAX_RANGE_DAYS} days at a time.`,
      {
        issues: [
          {
            path: 'to',
            message: `距开始日期超过 ${MAX_RANGE_DAYS} 天 It is more than ${MAX_RANGE_DAYS} days after the first day`,
          },
        ],
      },
    );
  }
  return deps.store.dailyExports.list(viewer.entityId, range.from, range.to);
}

export async function getDailyExport(deps: AppDeps, viewer: Person, date: LocalDate): Promise<DailyExport> {
  requireRole(viewer, ...DAILY_EXPORT_ROLES);
  const record = await deps.store.dailyExports.get(viewer.entityId, date);
  if (!record) throw new NotFoundError(`${date} 还没有每日导出。There is no daily export of ${date} (yet).`);
  return record;
}

/** A short-lived link that serves the file with its type and its name. */
export async function dailyExportDownload(
  deps: AppDeps,
  viewer: Person,
  date: LocalDate,
  format: ExportFormat,
): Promise<string> {
  const record = await getDailyExport(deps, viewer, date);
  return deps.evidence.presignDownload(record.files[format], downloadHeaders(record.entityId, date, format));
}

/**
 * Where the daily export's files live and how they are handed out. The files sit in the object store
 * (the evidence bucket in AWS, the data folder locally) under the evidence prefix the functions' grants
 * are scoped to, in a folder of their own (`evidence/daily-exports/<entity>/<day>/…`) — never an
 * upload key, so no upload route can name one. Downloads go through a short-lived link that serves the
 * file with its type and name.
 */
import type { LocalDate } from '../domain/model.ts';
import type { DownloadHeaders } from '../evidence/evidence-store.ts';
import { EVIDENCE_PREFIX } from '../uploads/upload-keys.ts';

export type ExportFormat = 'csv' | 'xlsx';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

export const DAILY_EXPORTS_PREFIX = `${EVIDENCE_PREFIX}daily-exports/`;

export const exportFileName = (entityId: string, date: LocalDate, format: ExportFormat) =>
  `daily-export-${entityId}-${date}.${format}`;

export const exportFileKey = (entityId: string, date: LocalDate, format: ExportFormat) =>
  `${DAILY_EXPORTS_PREFIX}${entityId}/${date}/${exportFileName(entityId, date, format)}`;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function downloadHeaders(entityId: string, date: LocalDate, format: ExportFormat): DownloadHeaders {
  // Ids are ASCII (recordId), so the name needs no RFC 6266 escaping.
  return {
    contentType: CONTENT_TYPES[format],
    contentDisposition: `attachment; filename="${exportFileName(entityId, date, format)}"`,
    cacheControl: 'private, no-store',
  };
}

/** The API paths of an export's files (the JSON's `files`), and the page's. */
export const apiFileLinks = (date: LocalDate) => ({
  csv: `/api/daily-exports/${date}/csv`,
  xlsx: `/api/daily-exports/${date}/xlsx`,
});

/** What an email links to: the page and the page's downloads (people open mail in a browser). */
export const exportLinks = (baseUrl: string, date: LocalDate) => ({
  page: `${baseUrl}/daily-exports`,
  csv: `${baseUrl}/daily-exports/${date}/csv`,
  xlsx: `${baseUrl}/daily-exports/${date}/xlsx`,
});

/**
 * Invoice requests from a CSV file (POLICY 4), one request per line, as the order import does: a bad
 * line is refused with its line number and reasons and the others are recorded. Each line is its own
 * recording with an Idempotency-Key made from the line's content, so importing the same file again
 * records nothing twice (the lines answer as repeats).
 */
import { createHash } from 'node:crypto';
import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import { AppError, type Issue, ValidationError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import { zodIssues } from '../http/errors.ts';
import { recordInvoiceRequest } from './requests.ts';
import { invoiceRequestBody } from './schemas.ts';

export const INVOICE_REQUEST_CSV_COLUMNS = [
  'orderIds',
  'kind',
  'buyerType',
  'buyerName',
  'buyerTaxId',
  'buyerAddress',
  'buyerPhone',
  'buyerBank',
  'buyerAccount',
  'buyerEmail',
  'deliveryMethod',
  'deliveryEmail',
  'recipient',
  'recipientPhone',
  'recipientAddress',
  'note',
] as const;

/** Lines one file may hold: each is a transaction of its own. */
export const MAX_IMPORT_LINES = 500;

export interface RequestImportResult {
  recorded: {
    line: number;
    id: string;
    number: string;
    status: string;
    batchDate: string | null;
    warnings: string[];
  }[];
  /** Lines recorded by an earlier import of the same content. */
  repeated: { line: number; id: string; number: string }[];
  rejected: { line: number; code: string; message: string; issues: Issue[] }[];
}

export async function importInvoiceRequests(
  deps: AppDeps,
  actor: Person,
  csv: string,
): Promise<RequestImportResult> {
  requireRole(actor, 'CUSTOMER_SERVICE');
  const rows = await parseCsv(csv);
  const [header, ...lines] = rows;
  if (!header || header.map((cell) => cell.trim()).join(',') !== INVOICE_REQUEST_CSV_COLUMNS.join(',')) {
    throw new ValidationError(
      `第一行必须是表头 ${INVOICE_REQUEST_CSV_COLUMNS.join(',')}。The first line must be the header ${INVOICE_REQUEST_CSV_COLUMNS.join(',')}.`,
      {
        issues: [{ path: 'line.1', message: '表头不对 unexpected header row' }],
      },
    );
  }
  if (lines.length > MAX_IMPORT_LINES) {
    throw new ValidationError(
      `每个文件最多 ${MAX_IMPORT_LINES} 条申请，请拆分。At most ${MAX_IMPORT_LINES} requests a file; split it.`,
      {
        issues: [{ path: 'body', message: `最多 ${MAX_IMPORT_LINES} 行 at most ${MAX_IMPORT_LINES} lines` }],
      },
    );
  }
  const result: RequestImportResult = { recorded: [], repeated: [], rejected: [] };
  for (const [index, cells] of lines.entries()) {
    const line = index + 2;
    if (cells.every((cell) => cell.trim() === '')) continue;
    if (cells.length !== INVOICE_REQUEST_CSV_COLUMNS.length) {
      result.rejected.push({
        line,
        code: 'VALIDATION_FAILED',
        message: `应有 ${INVOICE_REQUEST_CSV_COLUMNS.length} 列，实际 ${cells.length} 列 expected ${INVOICE_REQUEST_CSV_COLUMNS.length} columns, found ${cells.length}`,
        issues: [
          {
            path: '',
            message: `应有 ${INVOICE_REQUEST_CSV_COLUMNS.length} 列，实际 ${cells.length} 列 expected ${INVOICE_REQUEST_CSV_COLUMNS.length} columns, found ${cells.length}`,
          },
        ],
      });
      continue;
    }
    const cell = Object.fromEntries(
      INVOICE_REQUEST_CSV_COLUMNS.map((name, i) => [name, (cells[i] ?? '').trim()]),
    ) as RequestFields;
    // In a CSV cell the orders are separated by semicolons (a comma would end the cell).
    const parsed = invoiceRequestBody.safeParse(requestBodyOf(cell, /[;；]/));
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      result.rejected.push({
        line,
        code: 'VALIDATION_FAILED',
        message: issues[0]?.message ?? 'invalid line',
        issues,
      });
      continue;
    }
    const idempotencyKey = `csv-${createHash('sha256').update(JSON.stringify(cells)).digest('hex').slice(0, 40)}`;
    try {
      const { request, replayed } = await recordInvoiceRequest(deps, actor, {
        ...parsed.data,
        idempotencyKey,
      });
      if (replayed) result.repeated.push({ line, id: request.id, number: request.number });
      else
        result.recorded.push({
          line,
          id: request.id,
          number: request.number,
          status: request.status,
          batchDate: request.batchDate,
          warnings: request.warnings.map((warning) => warning.code),
        });
    } catch (error) {
      // A refusal of this line (a typed error) rejects this line only; anything else is a bug.
      if (!(error instanceof AppError)) throw error;
      result.rejected.push({ line, code: error.code, message: error.message, issues: error.issues });
    }
  }
  return result;
}

/** A request's fields one by one (a CSV line's cells, a form's fields), each as typed. */
export type RequestFields = Readonly<Record<(typeof INVOICE_REQUEST_CSV_COLUMNS)[number], string>>;

/**
 * A request's flat fields as the JSON body of `POST /api/invoice-requests`: an empty field is an
 * absent one, the order ids a list split at `orderSeparator`. The CSV import and the pages' form both
 * send what this gives to the one schema, so a line and a form are judged alike.
 */
export function requestBodyOf(fields: RequestFields, orderSeparator: RegExp): unknown {
  const present = (value: string) => (value.trim() === '' ? undefined : value);
  const buyer = Object.fromEntries(
    Object.entries({
      type: present(fields.buyerType),
      name: fields.buyerName,
      taxId: present(fields.buyerTaxId),
      address: present(fields.buyerAddress),
      phone: present(fields.buyerPhone),
      bank: present(fields.buyerBank),
      account: present(fields.buyerAccount),
      email: present(fields.buyerEmail),
    }).filter(([, value]) => value !== undefined),
  );
  const delivery =
    fields.deliveryMethod === 'POST'
      ? {
          method: 'POST',
          recipient: fields.recipient,
          phone: fields.recipientPhone,
          address: fields.recipientAddress,
        }
      : { method: fields.deliveryMethod, email: fields.deliveryEmail };
  return {
    orderIds: fields.orderIds
      .split(orderSeparator)
      .map((id) => id.trim())
      .filter((id) => id !== ''),
    kind: fields.kind,
    buyer,
    delivery,
    ...(present(fields.note) ? { note: fields.note } : {}),
  };
}

/** csv-parse loads with the first file (an import), not at the function's cold start. */
async function parseCsv(csv: string): Promise<string[][]> {
  const { parse } = await import('csv-parse/sync');
  try {
    return parse(csv.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: true,
    }) as string[][];
  } catch (error) {
    throw new ValidationError('文件不是可读的 CSV。The file is not readable CSV.', {
      issues: [{ path: 'body', message: error instanceof Error ? error.message : 'unreadable CSV' }],
      cause: error,
    });
  }
}

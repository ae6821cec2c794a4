/**
 * Why an input of the weekly reconciliation is refused (POLICY 3.2, D11): a 422 that names the file
 * and the line that disagrees, so the person who downloaded it knows what to fetch again. Nothing is
 * registered or reconciled from a refused file.
 */
import { RuleViolationError } from '../domain/errors.ts';

/** Where a value came from: the file as its uploader named it, and its 1-based line (XLSX: row). */
export interface Provenance {
  file: string;
  line: number;
}

export const INPUT_REFUSAL_CODES = [
  /** The header row with the columns the file must have was not found. */
  'INPUT_HEADER_MISSING',
  /** A line's value cannot be read (an amount with three decimals, a time without a zone, …). */
  'INPUT_LINE_INVALID',
  /** The text is neither UTF-8 nor GBK, or changes encoding half-way. */
  'INPUT_ENCODING',
  /** A `.zip` without a statement inside, or a damaged one. */
  'INPUT_ARCHIVE',
  /** Not an Alipay account log or trade detail file (its first comment line says which it is). */
  'STATEMENT_UNKNOWN_FORMAT',
  /** The table's end marker or footer totals are missing: the file was cut short. */
  'STATEMENT_TRUNCATED',
  /** A footer total disagrees with the rows above it (mis-decoded, edited or cut). */
  'STATEMENT_TOTALS_DISAGREE',
  /** The statement's 起始日期/终止日期 range does not touch the week. */
  'STATEMENT_OUTSIDE_WEEK',
  /** An id in scientific notation: the file was opened and saved again by Excel. */
  'STATEMENT_ID_SCIENTIFIC',
  /** Two different rows under one 账务流水号 (in one file or two). */
  'STATEMENT_ROW_CONFLICT',
  /** The statements registered do not cover the whole week together. */
  'STATEMENTS_DO_NOT_COVER_WEEK',
] as const;
export type InputRefusalCode = (typeof INPUT_REFUSAL_CODES)[number];

export class ReconciliationInputError extends RuleViolationError {
  // A field, not a constructor parameter property: Node's own type stripping (reconcile()'s worker
  // threads, threads.ts) refuses those.
  readonly at: Provenance | null;
  constructor(code: InputRefusalCode, message: string, at: Provenance | null) {
    super(code, at ? `${at.file} 第 ${at.line} 行 line ${at.line}: ${message}` : message, {
      issues: [{ path: at ? `${at.file}:${at.line}` : '', message }],
    });
    this.at = at;
  }
}

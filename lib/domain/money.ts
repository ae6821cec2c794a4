/**
 * Money (POLICY D14): CNY held as integer fen. Input has at most two decimals; anything else is refused
 * with a message naming the problem — never rounded. Parsing works on the digit strings, not floats.
 */
import { ValidationError } from './errors.ts';
import type { Fen } from './model.ts';

export class InvalidAmountError extends ValidationError {}

const PLAIN = /^(\d+)(?:\.(\d{1,2}))?$/;
const GROUPED = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d{1,2}))?$/;

export function parseYuan(input: string, options: { ceilingFen: Fen; allowZero?: boolean }): Fen {
  const text = input.trim();
  const refuse = (problem: string): never => {
    throw new InvalidAmountError(`Amount "${input}" ${problem}.`, {
      issues: [{ path: '', message: problem }],
    });
  };
  if (text === '') refuse('is empty');
  if (text.startsWith('-')) refuse('is negative; amounts are positive yuan such as 500,000.00');
  if (text.startsWith('+')) refuse('has a sign; write just the digits');
  if (/[eE]/.test(text)) refuse('uses an exponent; write the digits out');
  if (/^[\d,]*\.\d{3,}$/.test(text)) refuse('has more than two decimals; fen is the smallest unit');
  const match = PLAIN.exec(text) ?? GROUPED.exec(text);
  if (!match) {
    refuse(
      text.includes(',')
        ? 'has misplaced thousands separators; group digits by three, e.g. 500,000.00'
        : 'is not a number of yuan; use digits, an optional decimal point and at most two decimals',
    );
  }
  const [, whole = '', decimals = ''] = match as RegExpExecArray;
  const digits = `${whole.replaceAll(',', '')}${decimals.padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  // Anything longer than the ceiling's digits is above it; check before converting to a number.
  const ceilingDigits = String(options.ceilingFen);
  if (
    digits.length > ceilingDigits.length ||
    (digits.length === ceilingDigits.length && digits > ceilingDigits)
  ) {
    refuse(`is above the ceiling of ${formatFen(options.ceilingFen)}`);
  }
  const fen = Number(digits);
  if (!Number.isSafeInteger(fen)) refuse('is too large');
  if (fen === 0 && !options.allowZero) refuse('is zero');
  return fen;
}

/** `50000000` → `"500,000.00"`. */
export function formatFen(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const absolute = Math.abs(fen);
  const yuan = Math.floor(absolute / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${yuan}.${String(absolute % 100).padStart(2, '0')}`;
}

/** `50000000` → `"500000.00"` (for JSON). */
export function fenToYuanString(fen: Fen): string {
  return formatFen(fen).replaceAll(',', '');
}

/**
 * Money (POLICY D14): CNY held as integer fen. Input has at most two decimals; anything else is refused
 * with a message naming the problem — never rounded. Parsing works on the digit strings, not floats.
 */
import { ValidationError } from './errors.ts';
import type { Fen } from './model.ts';

export class InvalidAmountError extends ValidationError {}

/** Thousands separators only between correct groups of three; no leading zero before a comma. */
const GROUPED_WHOLE = /^[1-9]\d{0,2}(?:,\d{3})+$/;
const EXPONENT = /^[\d.,]*\d[eE][+-]?\d+$/;
const CURRENCY = /[¥￥$＄元圆]|rmb|cny/i;
const FULL_WIDTH_DIGIT = /[０-９]/;

/**
 * Reads an amount of yuan typed by a person (`"500,000.00"`, `"500000.00"`, `"12"`, `"12.5"`) as fen.
 * Only surrounding whitespace is forgiven; every other deviation is refused with the reason.
 */
export function parseYuan(input: string, options: { ceilingFen: Fen; allowZero?: boolean }): Fen {
  if (!Number.isSafeInteger(options.ceilingFen) || options.ceilingFen < 0) {
    throw new RangeError(`parseYuan needs a non-negative integer ceiling in fen, got ${options.ceilingFen}`);
  }
  const shown = typeof input === 'string' ? input : String(input);
  const refuse = (zh: string, en: string): never => {
    throw new InvalidAmountError(`金额“${shown}”${zh}。The amount "${shown}" ${en}.`, {
      issues: [{ path: '', message: `${zh} ${en}` }],
    });
  };
  // The HTTP edge should hand us text; a JSON number would already have been through a float.
  if (typeof input !== 'string')
    refuse(
      '不是文本，请以字符串发送，例如 "500000.00"',
      'is not text; send the amount as a string such as "500000.00"',
    );
  const text = input.trim();

  if (text === '')
    refuse(
      '是空的，请输入金额（元），例如 500,000.00',
      'is empty; enter the amount in yuan, e.g. 500,000.00',
    );
  if (/^[-−－]/.test(text))
    refuse('是负数，付款金额必须大于零', 'is negative; an amount to pay is a positive number of yuan');
  if (/^[+＋]/.test(text))
    refuse(
      '前面有“+”，只写数字即可，例如 500,000.00',
      'has a leading "+"; write just the digits, e.g. 500,000.00',
    );
  if (CURRENCY.test(text))
    refuse(
      '带有货币符号或单位，只写元数即可，例如 500,000.00',
      'has a currency sign or unit; write just the number of yuan, e.g. 500,000.00',
    );
  if (FULL_WIDTH_DIGIT.test(text))
    refuse('用了全角数字，请输入半角数字 0–9', 'uses full-width digits; type the half-width digits 0–9');
  if (/\s/.test(text))
    refuse(
      '中间有空格，请去掉空格，例如 500,000.00',
      'has spaces inside; write the digits without spaces, e.g. 500,000.00',
    );
  if (EXPONENT.test(text))
    refuse('用了科学计数法，请写出全部数字', 'uses an exponent; write all the digits out');
  const stray = /[^\d.,]/.exec(text);
  if (stray) {
    refuse(
      `含有“${stray[0]}”，只能用数字 0–9、每三位一个逗号和一个小数点`,
      `contains "${stray[0]}"; use only the digits 0–9, commas between groups of three and one decimal point`,
    );
  }

  const [whole = '', decimals, ...more] = text.split('.');
  if (more.length > 0) refuse('有不止一个小数点', 'has more than one decimal point');
  if (decimals !== undefined) {
    if (decimals.includes(',')) refuse('小数点后有逗号', 'has a comma after the decimal point');
    if (decimals === '')
      refuse('以小数点结尾，请写 12 或 12.50', 'ends with a decimal point; write 12 or 12.50');
    // POLICY D14: fen is the smallest unit; a third decimal is refused, never rounded.
    if (decimals.length > 2)
      refuse(
        '超过两位小数：分是最小单位，金额不会四舍五入',
        'has more than two decimals; fen is the smallest unit and amounts are never rounded',
      );
  }
  if (whole === '')
    refuse(
      '小数点前没有数字，请写 0.50 而不是 .50',
      'has no digit before the decimal point; write 0.50, not .50',
    );
  if (whole.includes(',') && !GROUPED_WHOLE.test(whole)) {
    refuse(
      '千位分隔符位置不对，请每三位一组，例如 500,000.00',
      'has misplaced thousands separators; group the digits by three, e.g. 500,000.00',
    );
  }

  const digits = `${whole.replaceAll(',', '')}${(decimals ?? '').padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  // Compare as digit strings first, so an absurdly long input never becomes an unsafe number.
  const ceiling = String(options.ceilingFen);
  if (digits.length > ceiling.length || (digits.length === ceiling.length && digits > ceiling)) {
    refuse(
      `超过上限 ${formatFen(options.ceilingFen)}`,
      `is above the ceiling of ${formatFen(options.ceilingFen)}`,
    );
  }
  const fen = Number(digits);
  if (!Number.isSafeInteger(fen)) refuse('太大', 'is too large');
  if (fen === 0 && !options.allowZero) refuse('是零，请输入要付的金额', 'is zero; enter the amount to pay');
  return fen;
}

function assertFen(fen: Fen): void {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
}

/** `50000000` → `"500,000.00"`; a negative amount gets a leading `-`. */
export function formatFen(fen: Fen): string {
  assertFen(fen);
  const sign = fen < 0 ? '-' : '';
  const absolute = Math.abs(fen);
  const yuan = String(Math.floor(absolute / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${yuan}.${String(absolute % 100).padStart(2, '0')}`;
}

/** `50000000` → `"500000.00"`: no separators, for JSON. */
export function fenToYuanString(fen: Fen): string {
  return formatFen(fen).replaceAll(',', '');
}

const CAPITAL_DIGITS = '零壹贰叁肆伍陆柒捌玖';
const CAPITAL_PLACES = ['', '拾', '佰', '仟'];
const CAPITAL_GROUPS = ['', '万', '亿', '万亿'];

/** One group of four digits (1–9,999) in capitals: `1001` → `壹仟零壹`. */
function capitalGroup(group: number): string {
  let text = '';
  let zero = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(group / 10 ** place) % 10;
    if (digit === 0) {
      if (text !== '') zero = true;
      continue;
    }
    if (zero) text += '零';
    zero = false;
    text += `${CAPITAL_DIGITS[digit]}${CAPITAL_PLACES[place]}`;
  }
  return text;
}

/**
 * An amount in Chinese financial capitals (大写金额), as a payment voucher writes it beside the figures
 * (POLICY 2.1(2), 《付款凭单》): `1000000` → `壹万元整`, `1000007` → `壹万元零柒分`, `5` → `伍分`. The
 * rules of the 会计基础工作规范: one 零 for a run of zeros inside the number, 整 after 元 when there
 * are no 角 and 分, none after 分.
 */
export function amountInCapitals(fen: Fen): string {
  assertFen(fen);
  if (fen < 0) throw new RangeError(`an amount in capitals is not negative: ${fen}`);
  if (fen === 0) return '零元整';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  let integer = '';
  if (yuan > 0) {
    const groups: number[] = [];
    for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
    let zero = false;
    for (let index = groups.length - 1; index >= 0; index--) {
      const group = groups[index] ?? 0;
      if (group === 0) {
        zero = integer !== '';
        continue;
      }
      // A zero between two groups (a zero group, or a group under a thousand after a higher one).
      if (integer !== '' && (zero || group < 1000)) integer += '零';
      integer += `${capitalGroup(group)}${CAPITAL_GROUPS[index]}`;
      zero = false;
    }
    integer += '元';
  }
  if (jiao === 0 && cents === 0) return `${integer}整`;
  const jiaoText = jiao > 0 ? `${CAPITAL_DIGITS[jiao]}角` : yuan > 0 ? '零' : '';
  return `${integer}${jiaoText}${cents > 0 ? `${CAPITAL_DIGITS[cents]}分` : ''}`;
}

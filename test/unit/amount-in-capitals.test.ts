/** Amounts in Chinese financial capitals (大写), as the printed 《付款凭单》 writes them beside the figures. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountInCapitals } from '../../lib/domain/money.ts';

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const PLACES: Record<string, number> = { 拾: 10, 佰: 100, 仟: 1000 };

/** Reads capitals back to fen, independently of how they were written. */
function readCapitals(text: string): number {
  const [whole, decimals] = text.includes('元') ? text.replace('整', '').split('元') : ['', text];
  let yi = 0;
  let wan = 0;
  let section = 0;
  let digit = 0;
  for (const character of whole ?? '') {
    const value = DIGITS.indexOf(character);
    if (value >= 0) digit = value;
    else if (character in PLACES) {
      section += digit * (PLACES[character] ?? 0);
      digit = 0;
    } else if (character === '万') {
      wan = section + digit;
      section = 0;
      digit = 0;
    } else if (character === '亿') {
      yi = wan * 10_000 + section + digit;
      wan = 0;
      section = 0;
      digit = 0;
    } else throw new Error(`unexpected ${character} in ${text}`);
  }
  const jiao = /(.)角/.exec(decimals ?? '')?.[1];
  const fen = /(.)分/.exec(decimals ?? '')?.[1];
  const yuan = yi * 100_000_000 + wan * 10_000 + section + digit;
  return yuan * 100 + (jiao ? DIGITS.indexOf(jiao) * 10 : 0) + (fen ? DIGITS.indexOf(fen) : 0);
}

describe('amounts in capitals', () => {
  it.each([
    [1_000_000, '壹万元整'],
    [50_000_000, '伍拾万元整'],
    [1_000, '壹拾元整'],
    [10_100_00, '壹万零壹佰元整'],
    [100_010_00, '壹拾万零壹拾元整'],
    [100_000_100, '壹佰万零壹元整'],
    [101_000_000, '壹佰零壹万元整'],
    [10_000_000_100, '壹亿零壹元整'],
    [168_032, '壹仟陆佰捌拾元叁角贰分'],
    [10_007, '壹佰元零柒分'],
    [150, '壹元伍角'],
    [5, '伍分'],
    [50, '伍角'],
    [0, '零元整'],
    [1_234_567_890_123, '壹佰贰拾叁亿肆仟伍佰陆拾柒万捌仟玖佰零壹元贰角叁分'],
  ])('writes %i fen as %s', (fen, capitals) => {
    expect(amountInCapitals(fen)).toBe(capitals);
  });

  it('reads back as the amount it writes, for any amount up to a trillion yuan', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000_000_000 }), (fen) => {
        const text = amountInCapitals(fen);
        expect(readCapitals(text)).toBe(fen);
        // No two zeros in a row, and none before 元 or at the end.
        expect(text).not.toMatch(/零零|零元|零$|零万|零亿/);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses a negative or fractional amount rather than writing something wrong', () => {
    expect(() => amountInCapitals(-1)).toThrow(RangeError);
    expect(() => amountInCapitals(1.5)).toThrow(RangeError);
  });
});

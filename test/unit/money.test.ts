import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenToYuanString, formatFen, InvalidAmountError, parseYuan } from '../../lib/domain/money.ts';

const CEILING = 10_000_000_000;
const parse = (text: string) => parseYuan(text, { ceilingFen: CEILING });

describe('parseYuan (POLICY D14)', () => {
  it.each([
    ['500000.00', 50_000_000],
    ['500,000.00', 50_000_000],
    ['12', 1_200],
    ['12.5', 1_250],
    ['0.01', 1],
    [' 1,234,567.89 ', 123_456_789],
  ])('reads "%s" as %i fen', (text, fen) => {
    expect(parse(text)).toBe(fen);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['0', 'zero'],
    ['0.00', 'zero'],
    ['-5.00', 'negative'],
    ['+5.00', 'sign'],
    ['1.234', 'more than two decimals'],
    ['1e5', 'exponent'],
    ['12a', 'not a number'],
    ['１２', 'not a number'],
    ['¥12', 'not a number'],
    ['1 000', 'not a number'],
    ['5,00,000', 'thousands separators'],
    ['.5', 'not a number'],
    ['100000000.01', 'ceiling'],
  ])('refuses "%s", saying it is %s', (text, problem) => {
    expect(() => parse(text)).toThrowError(InvalidAmountError);
    expect(() => parse(text)).toThrowError(problem);
  });

  it('accepts zero when asked to', () => {
    expect(parseYuan('0.00', { ceilingFen: CEILING, allowZero: true })).toBe(0);
  });

  it('accepts exactly the ceiling', () => {
    expect(parse('100,000,000.00')).toBe(CEILING);
  });

  it('reads back every amount it formats, with or without separators', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: CEILING }), (fen) => {
        expect(parse(formatFen(fen))).toBe(fen);
        expect(parse(fenToYuanString(fen))).toBe(fen);
      }),
    );
  });

  it('never rounds: three decimals are always refused', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 999 }),
        (yuan, thousandths) => {
          const text = `${yuan}.${String(thousandths).padStart(3, '0')}`;
          expect(() => parse(text)).toThrowError(InvalidAmountError);
        },
      ),
    );
  });

  it('refuses every amount above the ceiling', () => {
    fc.assert(
      fc.property(fc.integer({ min: CEILING + 1, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        expect(() => parse(fenToYuanString(fen))).toThrowError('ceiling');
      }),
    );
  });
});

describe('formatFen', () => {
  it.each([
    [50_000_000, '500,000.00'],
    [1, '0.01'],
    [0, '0.00'],
    [123_456_789, '1,234,567.89'],
    [-150, '-1.50'],
  ])('formats %i fen as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });
});

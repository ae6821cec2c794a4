import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fenToYuanString, formatFen, InvalidAmountError, parseYuan } from '../../lib/domain/money.ts';

const CEILING = 10_000_000_000;
const parse = (text: string) => parseYuan(text, { ceilingFen: CEILING });

/** An independent rendering of fen as yuan, through BigInt, for the properties below. */
const yuanOf = (fen: number) => {
  const value = BigInt(fen);
  return `${value / 100n}.${String(value % 100n).padStart(2, '0')}`;
};

describe('parseYuan reads amounts of yuan as fen (POLICY D14)', () => {
  it.each([
    ['500000.00', 50_000_000],
    ['500,000.00', 50_000_000],
    ['12', 1_200],
    ['12.5', 1_250],
    ['0.01', 1],
    ['1,234,567.89', 123_456_789],
    [' 1,000 ', 100_000],
    ['\t99.90\n', 9_990],
  ])('reads "%s" as %i fen', (text, fen) => {
    // Act
    const result = parse(text);

    // Assert
    expect(result).toBe(fen);
  });

  it('accepts zero when the caller allows it', () => {
    expect(parseYuan('0.00', { ceilingFen: CEILING, allowZero: true })).toBe(0);
  });

  it('accepts exactly the ceiling', () => {
    expect(parse('100,000,000.00')).toBe(CEILING);
  });

  it('reads any whole yuan with one or two decimals exactly, without floating point', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.boolean(),
        (yuan, fen, twoDigits) => {
          // Prepare
          const decimals = twoDigits ? String(fen).padStart(2, '0') : String(fen % 10);
          const expected = yuan * 100 + (twoDigits ? fen : (fen % 10) * 10);
          fc.pre(expected > 0);

          // Act
          const result = parse(`${yuan}.${decimals}`);

          // Assert
          expect(result).toBe(expected);
        },
      ),
    );
  });

  it('reads back every amount formatFen writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: CEILING }), (fen) => {
        expect(parse(formatFen(fen))).toBe(fen);
      }),
    );
  });

  it('reads back every amount fenToYuanString writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: CEILING }), (fen) => {
        expect(parse(fenToYuanString(fen))).toBe(fen);
      }),
    );
  });
});

describe('parseYuan refuses, naming the problem (POLICY D14)', () => {
  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['0', 'is zero'],
    ['0.00', 'is zero'],
    ['000', 'is zero'],
    ['-5.00', 'is negative'],
    ['－5', 'is negative'],
    ['+5.00', 'leading "+"'],
    ['1.234', 'more than two decimals'],
    ['0.001', 'more than two decimals'],
    ['1e5', 'exponent'],
    ['1.5E+3', 'exponent'],
    ['12a', 'contains "a"'],
    ['１２', 'full-width digits'],
    ['¥12', 'currency sign'],
    ['￥12', 'currency sign'],
    ['12元', 'currency sign'],
    ['RMB 12', 'currency sign'],
    ['1 000', 'spaces inside'],
    ['1\u3000000', 'spaces inside'],
    ['5,00,000', 'misplaced thousands separators'],
    ['50,0000', 'misplaced thousands separators'],
    ['0,500.00', 'misplaced thousands separators'],
    [',500', 'misplaced thousands separators'],
    ['1.000,00', 'comma after the decimal point'],
    ['1.2.3', 'more than one decimal point'],
    ['.5', 'no digit before the decimal point'],
    ['12.', 'ends with a decimal point'],
    ['100000000.01', 'above the ceiling of 100,000,000.00'],
    ['99999999999999999999999', 'above the ceiling of 100,000,000.00'],
  ])('refuses "%s": %s', (text, problem) => {
    // Act
    const attempt = () => parse(text);

    // Assert
    expect(attempt).toThrowError(InvalidAmountError);
    expect(attempt).toThrowError(problem);
  });

  it('quotes the amount as typed in its message', () => {
    expect(() => parse('12,5')).toThrowError('amount "12,5"');
  });

  it('refuses a value that is not text, such as a JSON number', () => {
    expect(() => parseYuan(12.5 as unknown as string, { ceilingFen: CEILING })).toThrowError('is not text');
  });

  it('never rounds: three or more decimals are always refused', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.stringMatching(/^\d{3,6}$/),
        (yuan, decimals) => {
          expect(() => parse(`${yuan}.${decimals}`)).toThrowError('more than two decimals');
        },
      ),
    );
  });

  it('refuses every amount above the ceiling and accepts every amount up to it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (ceiling, delta) => {
          // Prepare
          const options = { ceilingFen: ceiling };

          // Act + Assert
          expect(parseYuan(yuanOf(ceiling), options)).toBe(ceiling);
          expect(() => parseYuan(yuanOf(ceiling + delta), options)).toThrowError('above the ceiling');
        },
      ),
    );
  });

  it('refuses every negative amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: CEILING }), (fen) => {
        expect(() => parse(`-${formatFen(fen)}`)).toThrowError('is negative');
      }),
    );
  });

  it('refuses a valid amount with any foreign character put inside it', () => {
    const foreign = fc.constantFrom(
      'a',
      'e',
      'x',
      '１',
      '５',
      '¥',
      '￥',
      '$',
      '元',
      ' ',
      '\u3000',
      '_',
      "'",
      '，',
      '．',
      '/',
      '+',
      '-',
      '%',
    );
    fc.assert(
      fc.property(fc.integer({ min: 100, max: CEILING }), fc.nat(), foreign, (fen, where, char) => {
        // Prepare
        const text = formatFen(fen);
        const at = 1 + (where % (text.length - 1));
        const spoiled = `${text.slice(0, at)}${char}${text.slice(at)}`;

        // Act + Assert
        expect(() => parse(spoiled)).toThrowError(InvalidAmountError);
      }),
    );
  });

  it('refuses thousands separators that do not group the digits by three', () => {
    const badGroup = fc.stringMatching(/^(?:\d{1,2}|\d{4,5})$/);
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-9]\d{0,2}$/),
        fc.array(fc.stringMatching(/^\d{3}$/), { maxLength: 2 }),
        badGroup,
        fc.array(fc.stringMatching(/^\d{3}$/), { maxLength: 2 }),
        (head, before, bad, after) => {
          // Prepare
          const whole = [head, ...before, bad, ...after].join(',');

          // Act + Assert
          expect(() => parse(`${whole}.00`)).toThrowError('misplaced thousands separators');
        },
      ),
    );
  });
});

describe('formatFen and fenToYuanString', () => {
  it.each([
    [50_000_000, '500,000.00'],
    [1, '0.01'],
    [0, '0.00'],
    [100_000, '1,000.00'],
    [123_456_789, '1,234,567.89'],
    [-150, '-1.50'],
  ])('formats %i fen as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('writes amounts for JSON without separators', () => {
    expect(fenToYuanString(50_000_000)).toBe('500000.00');
  });

  it('writes every amount as yuan and two decimals, with separators in groups of three', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        // Act
        const text = formatFen(fen);

        // Assert
        expect(text).toMatch(/^-?\d{1,3}(?:,\d{3})*\.\d{2}$/);
        expect(text.replace('-', '').replaceAll(',', '')).toBe(yuanOf(Math.abs(fen)));
      }),
    );
  });

  it('agrees with an independent BigInt rendering for JSON', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        expect(fenToYuanString(fen)).toBe(yuanOf(fen));
      }),
    );
  });

  it('refuses a fraction of a fen', () => {
    expect(() => formatFen(1.5)).toThrowError(RangeError);
  });
});

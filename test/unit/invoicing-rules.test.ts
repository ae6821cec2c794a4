import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '../../lib/domain/calendar.ts';
import { RuleViolationError, ValidationError } from '../../lib/domain/errors.ts';
import {
  assertInvoiceNumber,
  batchClosesAt,
  batchDayFor,
  batchFor,
  checkBuyer,
  checkTaxId,
  eligibleAt,
  financeDueBy,
  financeEscalationDay,
  mailingDueOn,
  nextBatchAfter,
  normalizeTaxId,
} from '../../lib/domain/invoicing.ts';
import type { PlatformOrder } from '../../lib/domain/model.ts';
import { DEFAULT_POLICY } from '../../lib/domain/policy.ts';

const calendar = new WorkingDayCalendar();
const policy = DEFAULT_POLICY;
const batchOf = (instant: string) => batchFor(new Date(instant), calendar, policy);

describe('batch days: the 10th and the 25th, or the working day before (POLICY 4, D12)', () => {
  it.each([
    ['2026-01-10', '2026-01-09', 'a Saturday goes back to Friday'],
    ['2026-05-10', '2026-05-09', 'a Sunday goes back to the make-up working Saturday'],
    ['2026-10-10', '2026-10-10', 'a make-up working Saturday is itself the batch day'],
    ['2026-10-25', '2026-10-23', 'a Sunday goes back to Friday'],
    ['2026-09-25', '2026-09-24', 'the Mid-Autumn Festival goes back to Thursday'],
    ['2026-11-25', '2026-11-25', 'a working Wednesday stays'],
  ])('%s → %s (%s)', (nominal, expected) => {
    expect(batchDayFor(nominal, calendar)).toBe(expected);
  });
});

describe('the 17:00 close (D12)', () => {
  it('closes at 17:00 Asia/Shanghai on the batch day', () => {
    expect(batchClosesAt('2026-11-25', policy).toISOString()).toBe('2026-11-25T09:00:00.000Z');
  });

  it('puts a request eligible at 16:59:59.999 on a batch day into that day’s batch', () => {
    expect(batchOf('2026-11-25T16:59:59.999+08:00')).toBe('2026-11-25');
  });

  it('puts a request eligible at 17:00:00.000 on a batch day into the next batch', () => {
    expect(batchOf('2026-11-25T17:00:00.000+08:00')).toBe('2026-12-10');
  });

  it('judges 17:00 in Shanghai whatever the machine’s zone: 09:00 UTC is 17:00 there', () => {
    expect(batchOf('2026-11-25T08:59:59.999Z')).toBe('2026-11-25');
    expect(batchOf('2026-11-25T09:00:00.000Z')).toBe('2026-12-10');
  });

  it('puts a request of the 26th into the next month’s first batch', () => {
    expect(batchOf('2026-12-26T10:00:00+08:00')).toBe('2027-01-08');
  });

  it('puts a request recorded on Saturday 2026-01-10 into the batch of the 23rd (the 25th is a Sunday)', () => {
    expect(batchOf('2026-01-10T09:00:00+08:00')).toBe('2026-01-23');
  });

  it('follows a policy version with another close hour', () => {
    const later = { ...policy, invoiceBatchCloseHour: 18 };
    expect(batchFor(new Date('2026-11-25T17:30:00+08:00'), calendar, later)).toBe('2026-11-25');
  });

  it('gives the batch after a closed one for a corrected line', () => {
    expect(nextBatchAfter('2026-10-23', calendar, policy)).toBe('2026-11-10');
  });

  it('never gives a batch whose close is at or before the moment (property)', () => {
    const start = Date.parse('2026-01-01T00:00:00+08:00');
    const end = Date.parse('2026-12-20T00:00:00+08:00');
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), (ms) => {
        const moment = new Date(ms);
        const batch = batchFor(moment, calendar, policy);
        expect(batchClosesAt(batch, policy).getTime()).toBeGreaterThan(ms);
        expect(batch.slice(8) === '10' || batch.slice(8) === '25' || calendar.isWorkingDay(batch)).toBe(true);
      }),
    );
  });
});

describe('when a request becomes eligible (D12, D7)', () => {
  const order = (overrides: Partial<PlatformOrder>): PlatformOrder => ({
    orderId: 'O-1',
    supplierId: 'S-1',
    amountFen: 10_000,
    supplierPayableFen: 9_000,
    receiptConfirmedAt: '2026-09-20T10:00:00+08:00',
    fundsCreditedAt: '2026-09-21T10:00:00+08:00',
    disputeStatus: 'NONE',
    claimedFen: 0,
    importedAt: '2026-09-20T10:00:00+08:00',
    updatedAt: '2026-09-21T10:00:00+08:00',
    version: 1,
    ...overrides,
  });

  it('is the recording when the orders were complete before', () => {
    expect(eligibleAt('2026-09-22T10:00:00+08:00', [order({})])?.toISOString()).toBe(
      '2026-09-22T02:00:00.000Z',
    );
  });

  it('is the moment the last order became complete when that came later', () => {
    // 2026-09-24 is the batch day of the 25th (the Mid-Autumn Festival): 17:00 there is too late.
    const late = order({ fundsCreditedAt: '2026-09-24T17:00:00+08:00' });
    const at = eligibleAt('2026-09-22T10:00:00+08:00', [order({}), late]);
    expect(at && batchFor(at, calendar, policy)).toBe('2026-10-10');
  });

  it('is not yet while an order’s funds are not credited or a dispute is open', () => {
    expect(eligibleAt('2026-09-22T10:00:00+08:00', [order({ fundsCreditedAt: null })])).toBeNull();
    expect(eligibleAt('2026-09-22T10:00:00+08:00', [order({ disputeStatus: 'OPEN' })])).toBeNull();
  });
});

describe('finance’s deadline: the third working day after the batch reached it (D13)', () => {
  it.each([
    // The 25th is the Mid-Autumn Festival: the batch goes on the 24th, and the 25th is not counted.
    ['2026-09-24', '2026-09-30'],
    ['2026-09-25', '2026-09-30'],
    ['2026-02-25', '2026-02-28'],
    ['2026-02-10', '2026-02-13'],
  ])('batch %s → due %s', (batch, due) => {
    expect(financeDueBy(batch, calendar, policy)).toBe(due);
  });

  it('escalates on the working day after the due day: 2026-09-30 → 2026-10-08, after National Day', () => {
    expect(financeEscalationDay('2026-09-30', calendar)).toBe('2026-10-08');
  });
});

describe('the mailing deadline: 7 calendar days after hand-over (D13)', () => {
  it('counts holidays: issued 2026-09-29 → due 2026-10-06', () => {
    expect(mailingDueOn('2026-09-29', policy)).toBe('2026-10-06');
  });
});

describe('the buyer’s tax id (POLICY 4, GB 32100-2015)', () => {
  it('accepts a valid unified social credit code without warnings', () => {
    expect(checkTaxId('91350100M000100Y43')).toEqual({ taxId: '91350100M000100Y43', warnings: [] });
  });

  it('converts full-width characters and removes spaces first', () => {
    expect(normalizeTaxId(' ９１３５０１００Ｍ ０００１００Ｙ４３\u3000')).toBe('91350100M000100Y43');
    expect(checkTaxId('９１３５ ０１００ｍ０００１００ｙ４３').taxId).toBe('91350100M000100Y43');
  });

  it('warns USCC_CHECKSUM for a real early code that fails the check character, and keeps it', () => {
    const result = checkTaxId('91350100M0001TGQXM');
    expect(result.taxId).toBe('91350100M0001TGQXM');
    expect(result.warnings.map((warning) => warning.code)).toEqual(['USCC_CHECKSUM']);
  });

  it.each(['110108551385082', '11010855138508212', '1101085513850821234', '11010855138508212345'])(
    'accepts an older tax registration number of %s (15–20 characters, no check character)',
    (taxId) => {
      expect(checkTaxId(taxId)).toEqual({ taxId, warnings: [] });
    },
  );

  it.each([
    ['91350100M000100I43', 'I in a USCC'],
    ['91350100M000100O43', 'O in a USCC'],
    ['91350100S000100Y43', 'S in a USCC'],
    ['91350100V000100Y43', 'V in a USCC'],
    ['91350100Z000100Y43', 'Z in a USCC'],
    ['11010855138508', 'too short (14)'],
    ['110108551385082123456', 'too long (21)'],
    ['9135010-M000100Y43', 'a hyphen'],
    ['', 'empty'],
  ])('refuses %s (%s)', (taxId) => {
    expect(() => checkTaxId(taxId)).toThrow(ValidationError);
  });
});

describe('the buyer each kind of invoice needs (POLICY 4)', () => {
  const company = {
    type: 'COMPANY' as const,
    name: '福州某某贸易有限公司',
    taxId: '91350100M000100Y43',
    address: '福州市鼓楼区五四路 1 号',
    phone: '0591-12345678',
    bank: '中国银行福州分行',
    account: '1234567890123',
  };

  it('accepts a special invoice to a company with every field', () => {
    expect(checkBuyer('VAT_SPECIAL', company).warnings).toEqual([]);
  });

  it('refuses a special invoice to a company without bank and account, naming both', () => {
    const { bank: _bank, account: _account, ...partial } = company;
    try {
      checkBuyer('VAT_SPECIAL', partial);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
        'buyer.bank',
        'buyer.account',
      ]);
    }
  });

  it('accepts an ordinary invoice to a company with name and tax id only', () => {
    expect(
      checkBuyer('VAT_ORDINARY', { type: 'COMPANY', name: company.name, taxId: company.taxId }).buyer.taxId,
    ).toBe(company.taxId);
  });

  it('refuses an ordinary invoice to a company without its tax id', () => {
    expect(() => checkBuyer('VAT_ORDINARY', { type: 'COMPANY', name: company.name })).toThrow(
      ValidationError,
    );
  });

  it('accepts an ordinary invoice to a person with the name only', () => {
    expect(checkBuyer('VAT_ORDINARY', { type: 'INDIVIDUAL', name: '张三' }).buyer.name).toBe('张三');
  });

  it('refuses a special invoice to a person', () => {
    expect(() => checkBuyer('VAT_SPECIAL', { type: 'INDIVIDUAL', name: '张三' })).toThrow(RuleViolationError);
  });

  it('refuses a tax id on an invoice to a person', () => {
    expect(() =>
      checkBuyer('VAT_ORDINARY', { type: 'INDIVIDUAL', name: '张三', taxId: company.taxId }),
    ).toThrow(ValidationError);
  });
});

describe('fully digital invoice numbers', () => {
  it('accepts 20 digits and refuses 19', () => {
    expect(assertInvoiceNumber('26352000000012345678')).toBe('26352000000012345678');
    expect(() => assertInvoiceNumber('2635200000001234567')).toThrow(ValidationError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Payee, Supplier } from '../../lib/domain/model.ts';
import { maskAccount, payeeFlags } from '../../lib/domain/supplier-checks.ts';

const supplier: Pick<Supplier, 'name' | 'bankAccount' | 'bankName' | 'accountType'> = {
  name: '杭州织锦服饰（集团）有限公司',
  bankAccount: '3301 0400 0001 2345 678',
  bankName: '中国工商银行杭州西湖支行',
  accountType: 'CORPORATE',
};
const matching: Payee = { name: supplier.name, account: supplier.bankAccount, bank: supplier.bankName };
const codes = (payee: Payee, master = supplier) => payeeFlags(payee, master).map((flag) => flag.code);
const messageFor = (payee: Payee) => payeeFlags(payee, supplier)[0]?.message ?? '';

describe('payee checks against the supplier master data (POLICY 2.1(2), D8)', () => {
  it('passes a payee identical to the master data', () => {
    expect(codes(matching)).toEqual([]);
  });

  it('passes a payee that differs only in surrounding and repeated spaces', () => {
    expect(codes({ ...matching, name: `  ${supplier.name} `, bank: '中国工商银行杭州西湖支行 ' })).toEqual(
      [],
    );
  });

  it('passes an account typed with full-width digits, hyphens or no spaces', () => {
    expect(codes({ ...matching, account: '３３０１-0400-0001－2345678' })).toEqual([]);
  });

  it('treats half-width and full-width brackets in the name alike', () => {
    expect(codes({ ...matching, name: '杭州织锦服饰(集团)有限公司' })).toEqual([]);
  });

  it('treats full-width Latin letters and their case alike', () => {
    const latin = { ...supplier, name: 'Yiwu ABC Trading Co., Ltd.' };

    expect(codes({ ...matching, name: 'ＹＩＷＵ  abc trading co., ltd.' }, latin)).toEqual([]);
  });

  it('flags a different account as a bank-details mismatch', () => {
    expect(codes({ ...matching, account: '6222 0000 1111 9999' })).toEqual(['BANK_DETAILS_MISMATCH']);
  });

  it('shows only the last four digits of both accounts in the message', () => {
    const message = messageFor({ ...matching, account: '6222 0000 1111 9999' });

    expect(message).toContain('**** **** 9999');
    expect(message).toContain('**** **** 5678');
    expect(message).not.toMatch(/\d{5,}|6222|3301/);
  });

  it('says so when a different account ends in the same four digits', () => {
    expect(messageFor({ ...matching, account: '6222 0000 1111 5678' })).toContain('same four digits');
  });

  it('flags a different payee name and names both', () => {
    const message = messageFor({ ...matching, name: '杭州织锦贸易有限公司' });

    expect(message).toMatch(/payee name "杭州织锦贸易有限公司".*杭州织锦服饰（集团）有限公司/);
  });

  it('flags a different bank and names both', () => {
    expect(messageFor({ ...matching, bank: '中国银行杭州分行' })).toMatch(
      /bank "中国银行杭州分行".*西湖支行/,
    );
  });

  it('lists every difference in one flag', () => {
    const flags = payeeFlags({ name: 'X 公司', account: '1111 2222 3333', bank: 'Y 银行' }, supplier);

    expect(flags).toHaveLength(1);
    expect(flags[0]?.message).toMatch(/payee name.*account.*bank/);
  });

  it('flags every payment to a personal (对私) account', () => {
    expect(codes(matching, { ...supplier, accountType: 'PERSONAL' })).toEqual(['PERSONAL_ACCOUNT']);
  });

  it('flags a mismatch and a personal account together', () => {
    expect(codes({ ...matching, bank: '别的银行' }, { ...supplier, accountType: 'PERSONAL' })).toEqual([
      'BANK_DETAILS_MISMATCH',
      'PERSONAL_ACCOUNT',
    ]);
  });

  it('passes the master data however its account is spaced or hyphenated', () => {
    const account = fc.stringMatching(/^\d{10,25}$/);
    const separator = fc.constantFrom('', ' ', '-', '  ', '－', '\u3000');
    fc.assert(
      fc.property(account, fc.array(separator, { minLength: 25, maxLength: 25 }), (digits, separators) => {
        // Prepare
        const typed = [...digits].map((digit, i) => `${digit}${separators[i] ?? ''}`).join('');

        // Act + Assert
        expect(codes({ ...matching, account: typed }, { ...supplier, bankAccount: digits })).toEqual([]);
      }),
    );
  });

  it('never prints more than the last four digits of any account it flags', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{8,25}$/), fc.stringMatching(/^\d{8,25}$/), (mine, master) => {
        fc.pre(mine !== master);

        const message = payeeFlags({ ...matching, account: mine }, { ...supplier, bankAccount: master })[0]
          ?.message;

        expect(message).toBeDefined();
        // No run of five digits or more, and every run of four is one of the two shown tails — so no
        // other part of either account is on screen (comparing against the hidden prefix itself is
        // wrong when it happens to equal the tail, as in 80638063).
        expect(message).not.toMatch(/\d{5,}/);
        const shown = new Set([mine.slice(-4), master.slice(-4)]);
        for (const group of message?.match(/\d{4}/g) ?? []) expect(shown).toContain(group);
      }),
    );
  });
});

describe('maskAccount', () => {
  it('keeps the last four digits', () => {
    expect(maskAccount('3301 0400 0001 2345 678')).toBe('**** **** 5678');
  });

  it('shows nothing of an account of four characters or fewer', () => {
    expect(maskAccount('1234')).toBe('****');
  });
});

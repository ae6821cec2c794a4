import { describe, expect, it } from 'vitest';
import { editedAccount } from '../../lib/domain/accounts.ts';

const ACCOUNT = '3301 0400 0001 2345 678';

describe('the account of an edited voucher (POLICY D19)', () => {
  it('keeps the stored account when none is sent', () => {
    expect(editedAccount(undefined, ACCOUNT)).toBe(ACCOUNT);
  });

  it('keeps the stored account when its masked form is sent back, however it is spaced', () => {
    expect(editedAccount('**** **** 5678', ACCOUNT)).toBe(ACCOUNT);
    expect(editedAccount('********5678', ACCOUNT)).toBe(ACCOUNT);
  });

  it('takes a newly typed account as the new account', () => {
    expect(editedAccount('6222 0000 1111 2222', ACCOUNT)).toBe('6222 0000 1111 2222');
  });

  it('refuses a masked form that is not the stored account’s, at payee.account', () => {
    expect(() => editedAccount('**** **** 9999', ACCOUNT)).toThrow(
      expect.objectContaining({
        statusCode: 400,
        issues: [expect.objectContaining({ path: 'payee.account' })],
      }),
    );
  });
});

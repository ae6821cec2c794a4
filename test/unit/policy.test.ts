import { describe, expect, it } from 'vitest';
import { formatFen } from '../../lib/domain/money.ts';
import { DEFAULT_POLICY } from '../../lib/domain/policy.ts';

describe('the default policy settings (POLICY D17)', () => {
  it('sets the CEO threshold at 500,000.00 yuan (2.2)', () => {
    expect(formatFen(DEFAULT_POLICY.ceoThresholdFen)).toBe('500,000.00');
  });

  it('cuts the payment day at 12:00 noon (2.2(3))', () => {
    expect(DEFAULT_POLICY.paymentCutoffHour).toBe(12);
  });

  it('keeps the amount ceiling above the CEO threshold, so the CEO route is reachable', () => {
    expect(DEFAULT_POLICY.amountCeilingFen).toBeGreaterThan(DEFAULT_POLICY.ceoThresholdFen);
  });

  it('has the weekly sales summary due on Tuesday, with its reminder at 10:00 (3.2, D11)', () => {
    expect(DEFAULT_POLICY.reconciliationDueWeekday).toBe('TUE');
    expect(DEFAULT_POLICY.reconciliationReminderTime).toBe('10:00');
  });

  it('is version 1', () => {
    expect(DEFAULT_POLICY.version).toBe(1);
  });
});

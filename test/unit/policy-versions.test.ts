/** Which policy version is in effect on a day, and when a new one may take effect (POLICY D17). */
import { describe, expect, it } from 'vitest';
import { RuleViolationError } from '../../lib/domain/errors.ts';
import {
  assertVersionMayTakeEffect,
  DEFAULT_POLICY,
  type PolicySettings,
  policyInEffectOn,
} from '../../lib/domain/policy.ts';

const v1: PolicySettings = { ...DEFAULT_POLICY, version: 1 };
const v2: PolicySettings = { ...DEFAULT_POLICY, version: 2, effectiveFrom: '2026-12-01', ceoThresholdFen: 1 };
const v3: PolicySettings = { ...DEFAULT_POLICY, version: 3, effectiveFrom: '2027-01-01', ceoThresholdFen: 2 };

describe('the policy version in effect (D17)', () => {
  it('is the defaults when no version was ever stored', () => {
    expect(policyInEffectOn([], '2026-12-01')).toBe(DEFAULT_POLICY);
  });

  it('is a version without a day of its own from always, until a later version’s day comes', () => {
    expect(policyInEffectOn([v1, v2, v3], '2026-11-30').version).toBe(1);
    expect(policyInEffectOn([v1, v2, v3], '2026-12-01').version).toBe(2);
    expect(policyInEffectOn([v3, v1, v2], '2026-12-31').version).toBe(2);
    expect(policyInEffectOn([v1, v2, v3], '2027-01-01').version).toBe(3);
  });

  it('is the newest of two versions of the same day', () => {
    const v4 = { ...v3, version: 4 };
    expect(policyInEffectOn([v1, v2, v3, v4], '2027-01-01').version).toBe(4);
  });
});

describe('when a new version may take effect (D17)', () => {
  it('may take effect today or later', () => {
    expect(() => assertVersionMayTakeEffect('2026-11-18', '2026-11-18', v1)).not.toThrow();
    expect(() => assertVersionMayTakeEffect('2026-11-19', '2026-11-18', v1)).not.toThrow();
  });

  it('is refused a day in the past, with the day it may take', () => {
    expect(() => assertVersionMayTakeEffect('2026-11-17', '2026-11-18', v1)).toThrow(
      expect.objectContaining({ code: 'POLICY_VERSION_IN_THE_PAST', statusCode: 422 }),
    );
  });

  it('is refused a day before the newest scheduled version’s, so no version is rewritten behind it', () => {
    expect(() => assertVersionMayTakeEffect('2026-12-31', '2026-11-18', v3)).toThrow(RuleViolationError);
    expect(() => assertVersionMayTakeEffect('2027-01-01', '2026-11-18', v3)).not.toThrow();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApprovalLink,
  formNonce,
  signLink,
  verifyFormNonce,
  verifyLink,
} from '../../lib/domain/approval-links.ts';
import {
  assertMayDecide,
  reminderKind,
  secondsLeftUntilReminder,
  secondsUntilReminder,
} from '../../lib/domain/approval-rules.ts';
import { WorkingDayCalendar } from '../../lib/domain/calendar.ts';
import type { Voucher } from '../../lib/domain/model.ts';

const KEY = 'k'.repeat(32);
const link: ApprovalLink = {
  voucherId: 'V1',
  version: 2,
  step: 'CEO',
  approver: 'ceo@x',
  expiresAt: Date.parse('2026-12-01T00:00:00Z') / 1000,
  purpose: 'decide',
};
const now = new Date('2026-11-20T00:00:00Z');

describe('approval links (DESIGN.md decision 4)', () => {
  it('reads back what it signed', () => {
    expect(verifyLink(signLink(link, KEY), KEY, now)).toEqual(link);
  });

  it('refuses a link signed with another key', () => {
    expect(() => verifyLink(signLink(link, 'another key'), KEY, now)).toThrowError(/not valid/);
  });

  it('refuses any single-character change', () => {
    const token = signLink(link, KEY);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: token.length - 1 }),
        fc.constantFrom('A', 'b', '0', '_'),
        (at, char) => {
          fc.pre(token[at] !== char && token[at] !== '.');
          const changed = `${token.slice(0, at)}${char}${token.slice(at + 1)}`;
          expect(() => verifyLink(changed, KEY, now)).toThrow();
        },
      ),
    );
  });

  it('refuses every other spelling of the signature’s last character, even one that decodes alike', () => {
    const token = signLink(link, KEY);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const others = [...alphabet].filter((char) => char !== token.at(-1));
    // The last of 43 characters carries 4 bits: three of the others decode to the same bytes.
    const alike = others.filter((char) =>
      Buffer.from(`${token.slice(0, -1)}${char}`.split('.')[1] ?? '', 'base64url').equals(
        Buffer.from(token.split('.')[1] ?? '', 'base64url'),
      ),
    );
    expect(alike).toHaveLength(3);
    for (const char of others) {
      expect(() => verifyLink(`${token.slice(0, -1)}${char}`, KEY, now), char).toThrow();
    }
  });

  it('refuses a link at and after its expiry', () => {
    expect(() => verifyLink(signLink(link, KEY), KEY, new Date(link.expiresAt * 1000))).toThrowError(
      /expired/,
    );
  });

  it('binds the form nonce to its link', () => {
    const token = signLink(link, KEY);
    const other = signLink({ ...link, step: 'FINANCE_REVIEW' }, KEY);

    expect(verifyFormNonce(token, formNonce(token, KEY), KEY)).toBe(true);
    expect(verifyFormNonce(token, formNonce(other, KEY), KEY)).toBe(false);
  });
});

const voucher = {
  id: 'V1',
  version: 1,
  applicant: 'm@x',
  route: {
    steps: [
      { step: 'HEAD_OF_MERCHANDISING', role: 'HEAD_OF_MERCHANDISING', assignee: 'head@x' },
      { step: 'FINANCE_REVIEW', role: 'FINANCE_REVIEWER', assignee: 'fin@x' },
    ],
  },
  approvals: [],
} as unknown as Voucher;

describe('who may decide (POLICY D18)', () => {
  it('lets the assignee decide', () => {
    expect(
      assertMayDecide({ voucher, step: 'HEAD_OF_MERCHANDISING', decider: 'head@x', delegations: [], now }),
    ).toEqual({});
  });

  it('refuses the applicant', () => {
    expect(() =>
      assertMayDecide({ voucher, step: 'HEAD_OF_MERCHANDISING', decider: 'm@x', delegations: [], now }),
    ).toThrowError(/own voucher/);
  });

  it('refuses someone who decided another step of the same version', () => {
    const decided = {
      ...voucher,
      approvals: [{ step: 'HEAD_OF_MERCHANDISING', version: 1, decidedBy: 'head@x' }],
    } as unknown as Voucher;
    const delegation = {
      id: 'd',
      from: 'fin@x',
      to: 'head@x',
      validFrom: '2026-11-01',
      validTo: '2026-11-30',
      reason: '',
      createdBy: 'admin@x',
      createdAt: '',
    };

    expect(() =>
      assertMayDecide({
        voucher: decided,
        step: 'FINANCE_REVIEW',
        decider: 'head@x',
        delegations: [delegation],
        now,
      }),
    ).toThrowError(/one person holds one step/);
  });

  it('lets a delegate decide only on the delegation’s days (Asia/Shanghai)', () => {
    const delegation = {
      id: 'd',
      from: 'head@x',
      to: 'deputy@x',
      validFrom: '2026-11-20',
      validTo: '2026-11-20',
      reason: '',
      createdBy: 'admin@x',
      createdAt: '',
    };
    const decide = (at: string) =>
      assertMayDecide({
        voucher,
        step: 'HEAD_OF_MERCHANDISING',
        decider: 'deputy@x',
        delegations: [delegation],
        now: new Date(at),
      });

    expect(decide('2026-11-19T16:00:00Z')).toEqual({ onBehalfOf: 'head@x' });
    expect(() => decide('2026-11-19T15:59:59Z')).toThrow();
    expect(() => decide('2026-11-20T16:00:00Z')).toThrow();
  });

  it('lets a revoked delegate decide until the instant of the revocation, and never after it on those days', () => {
    const delegation = {
      id: 'd',
      from: 'head@x',
      to: 'deputy@x',
      validFrom: '2026-11-20',
      validTo: '2026-11-25',
      reason: '',
      createdBy: 'admin@x',
      createdAt: '',
      revokedAt: '2026-11-21T15:30:00.000+08:00',
      revokedBy: 'admin@x',
    };
    const decide = (at: string) =>
      assertMayDecide({
        voucher,
        step: 'HEAD_OF_MERCHANDISING',
        decider: 'deputy@x',
        delegations: [delegation],
        now: new Date(at),
      });

    expect(decide('2026-11-21T15:29:59+08:00')).toEqual({ onBehalfOf: 'head@x' });
    expect(() => decide('2026-11-21T15:30:00+08:00')).toThrow(/delegate for today/);
    expect(() => decide('2026-11-24T10:00:00+08:00')).toThrow(/delegate for today/);
  });
});

describe('reminders', () => {
  const calendar = new WorkingDayCalendar();

  it('waits one day on a weekday and over the weekend on a Friday', () => {
    expect(secondsUntilReminder(new Date('2026-11-18T02:00:00Z'), calendar)).toBe(86_400);
    expect(secondsUntilReminder(new Date('2026-11-20T02:00:00Z'), calendar)).toBe(3 * 86_400);
  });

  it('waits over the National Day holiday', () => {
    expect(secondsUntilReminder(new Date('2026-09-30T02:00:00Z'), calendar)).toBe(8 * 86_400);
  });

  it('keeps the reminder one working day after the request however late it is planned (a replay)', () => {
    const instant = fc
      .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-20T00:00:00Z') })
      .map((ms) => new Date(ms));
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 10 * 86_400_000 }), (requestedAt, late) => {
        const plannedAt = new Date(requestedAt.getTime() + late);
        const remindAt = requestedAt.getTime() + secondsUntilReminder(requestedAt, calendar) * 1000;

        const seconds = secondsLeftUntilReminder(requestedAt, plannedAt, calendar);

        if (remindAt > plannedAt.getTime()) {
          expect(plannedAt.getTime() + seconds * 1000 - remindAt).toBeGreaterThanOrEqual(0);
          expect(plannedAt.getTime() + seconds * 1000 - remindAt).toBeLessThan(1000);
        } else {
          expect(seconds).toBe(1);
        }
      }),
    );
    expect(secondsLeftUntilReminder(now, now, calendar)).toBe(secondsUntilReminder(now, calendar));
  });

  it('asks, then reminds, then escalates', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => reminderKind(attempt, 2))).toEqual([
      'REQUEST',
      'REMINDER',
      'REMINDER',
      'ESCALATION',
      'ESCALATION',
    ]);
  });
});
